/**
 * A fake Anthropic Messages API on 127.0.0.1 for tests and benchmarks: the real SDK (and the built CLI, through
 * ANTHROPIC_BASE_URL) talk to it exactly as they would to the API. It answers `POST /v1/messages` with the SSE
 * sequence the API sends (every event with its `event:` line), simulates prompt caching on the `cache_control`
 * prefix, paces its output when asked, records every request, and can fail in the ways the API fails.
 *
 * Replies are scripted per request: the script sees the parsed request and what kind of call it is (the plan,
 * one of the four documents, or a repair of one), and returns what the "model" should answer.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createHash } from 'node:crypto';

export type CallRole = 'plan' | 'document' | 'repair' | 'unknown';

export interface CallInfo {
  role: CallRole;
  /** The document kind for document and repair calls, read from the `<document kind="…">` tag of the prompt. */
  kind?: string;
  /** 1 for the first request of this role+kind, 2 for the next … (retries count). */
  nth: number;
}

export interface RecordedRequest {
  index: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  call: CallInfo;
  /** Milliseconds since the server started, when the request arrived and when its response ended. */
  startedAt: number;
  endedAt?: number;
  /** What the server answered: 'ok', a fault name, or an HTTP status. */
  outcome?: string;
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
}

export type Reply =
  /** A text answer; `stopReason` defaults to end_turn. */
  | { type: 'text'; text: string; stopReason?: 'end_turn' | 'max_tokens' | 'refusal' }
  /** A tool call (forced tool use): the input is streamed as input_json_delta fragments. */
  | { type: 'tool'; name: string; input: unknown }
  /** An HTTP error with the JSON body the API uses. 529 → overloaded_error. */
  | { type: 'http-error'; status: number; errorType?: string; message?: string; retryAfterMs?: number }
  /** A 200 stream that breaks with `event: error` after some content. */
  | { type: 'stream-error'; errorType?: string; message?: string; text?: string }
  /** A 200 stream whose socket is destroyed after some content. */
  | { type: 'reset'; text?: string }
  /** A 200 stream that sends message_start and then nothing, until the client gives up. */
  | { type: 'stall' };

export type Script = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface Pacing {
  /** Output tokens per second per stream. */
  tokensPerSecond: number;
  /** Delay before the first content delta. */
  firstTokenMs: number;
}

export interface FakeOptions {
  script: Script;
  pacing?: Pacing;
  /** Prefixes shorter than this (estimated tokens) are not cached, as with the real API. Default 1024. */
  minCacheTokens?: number;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** The most requests that were in flight at once. */
  maxInFlight(): number;
  /** The most requests in flight at once among those matching the predicate. */
  maxInFlightOf(pred: (r: RecordedRequest) => boolean): number;
  setScript(script: Script): void;
  setPacing(pacing: Pacing | undefined): void;
  /** Forget recorded requests and the simulated cache. */
  reset(): void;
  close(): Promise<void>;
}

/** Rough token count (the fake's only use of it is usage numbers): 4 characters, or one CJK character, a token. */
export function estimateTokens(text: string): number {
  const cjk = text.match(/[\u3000-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return Math.ceil(cjk + (text.length - cjk) / 4);
}

/** Split text into pieces of about one token, never inside a surrogate pair. */
export function tokenPieces(text: string): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  let cur = '';
  let n = 0;
  for (const c of chars) {
    cur += c;
    n += /[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 4 : 1;
    if (n >= 4) {
      out.push(cur);
      cur = '';
      n = 0;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((b: { type?: string; text?: string; input?: unknown; content?: unknown }) =>
      b.type === 'text' ? (b.text ?? '') : b.type === 'tool_use' ? JSON.stringify(b.input) : b.type === 'tool_result' ? textOf(b.content) : '').join('\n');
  }
  return '';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function classify(body: any): Omit<CallInfo, 'nth'> {
  if (body?.tool_choice?.type === 'tool') return { role: 'plan' };
  const messages: { role: string; content: unknown }[] = Array.isArray(body?.messages) ? body.messages : [];
  const first = textOf(messages[0]?.content);
  const kind = /<document kind="([a-z-]+)"/.exec(first)?.[1];
  if (!kind) return { role: 'unknown' };
  return { role: messages.length > 1 ? 'repair' : 'document', kind };
}

/** The prompt text of the last user turn (what a repair request says). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lastUserText(body: any): string {
  const messages: { role: string; content: unknown }[] = body?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return textOf(last?.content);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFakeAnthropic(options: FakeOptions): Promise<FakeServer> {
  let script = options.script;
  let pacing = options.pacing;
  const minCache = options.minCacheTokens ?? 1024;
  const requests: RecordedRequest[] = [];
  const counters = new Map<string, number>();
  const cache = new Set<string>();
  const sockets = new Set<Socket>();
  const t0 = Date.now();
  let seq = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'), res).catch(() => {
        res.destroy();
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(method: string, url: string, headers: IncomingHttpHeaders, rawBody: string, res: ServerResponse) {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const base = classify(body);
    const counterKey = `${base.role}:${base.kind ?? ''}`;
    const nth = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, nth);
    const rec: RecordedRequest = { index: seq++, method, url, headers, rawBody, body, call: { ...base, nth }, startedAt: Date.now() - t0 };
    requests.push(rec);
    const finish = (outcome: string) => {
      rec.outcome = outcome;
      rec.endedAt = Date.now() - t0;
    };
    res.on('close', () => {
      if (rec.endedAt === undefined) finish(rec.outcome ?? 'client-closed');
    });

    if (method !== 'POST' || !url.startsWith('/v1/messages')) {
      sendError(res, 404, 'not_found_error', `fake: no route ${method} ${url}`);
      finish('404');
      return;
    }
    if (!body) {
      sendError(res, 400, 'invalid_request_error', 'fake: body is not JSON');
      finish('400');
      return;
    }
    const reply = await script(rec);
    if (reply.type === 'http-error') {
      const type = reply.errorType ?? (reply.status === 529 ? 'overloaded_error' : reply.status === 429 ? 'rate_limit_error' : 'api_error');
      sendError(res, reply.status, type, reply.message ?? (reply.status === 529 ? 'Overloaded' : 'fake error'), reply.retryAfterMs);
      finish(String(reply.status));
      return;
    }

    const b = body as { model?: string; system?: unknown; tools?: unknown; messages?: unknown };
    const usage = simulateUsage(b);
    rec.usage = { ...usage, output_tokens: 0 };
    const msgId = `msg_fake_${rec.index}`;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${rec.index}`,
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: {
        id: msgId, type: 'message', role: 'assistant', model: b.model ?? 'fake', content: [], stop_reason: null, stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    if (reply.type === 'stall') {
      rec.outcome = 'stall';
      return; // the client's timeout ends it (or close())
    }
    if (pacing) await sleep(pacing.firstTokenMs);
    if (res.destroyed) return;

    let outputTokens = 0;
    const stream = async (pieces: string[], delta: (p: string) => unknown) => {
      // Pace in ticks of ~50 ms rather than one write per token: the timing is what a client sees, without
      // thousands of timers.
      const perTick = pacing ? Math.max(1, Math.round(pacing.tokensPerSecond / 20)) : pieces.length;
      for (let i = 0; i < pieces.length; i += perTick) {
        for (const p of pieces.slice(i, i + perTick)) {
          send('content_block_delta', { type: 'content_block_delta', index: 0, delta: delta(p) });
          outputTokens++;
        }
        if (pacing) await sleep((perTick / pacing.tokensPerSecond) * 1000);
        if (res.destroyed) return;
      }
    };

    if (reply.type === 'tool') {
      const id = `toolu_fake_${rec.index}`;
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name: reply.name, input: {} } });
      await stream(tokenPieces(JSON.stringify(reply.input)), (p) => ({ type: 'input_json_delta', partial_json: p }));
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
      send('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: outputTokens } });
      send('message_stop', { type: 'message_stop' });
      rec.usage.output_tokens = outputTokens;
      res.end();
      finish('ok');
      return;
    }

    const text = reply.type === 'text' ? reply.text : (reply.text ?? '# Partial');
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    await stream(tokenPieces(text), (p) => ({ type: 'text_delta', text: p }));
    if (reply.type === 'stream-error') {
      send('error', { type: 'error', error: { type: reply.errorType ?? 'overloaded_error', message: reply.message ?? 'Overloaded' } });
      res.end();
      finish('stream-error');
      return;
    }
    if (reply.type === 'reset') {
      // Let the content reach the client first, then drop the connection the way a proxy or a crash does.
      await sleep(20);
      res.socket?.resetAndDestroy?.() ?? res.socket?.destroy();
      finish('reset');
      return;
    }
    send('content_block_stop', { type: 'content_block_stop', index: 0 });
    const stop = reply.stopReason ?? 'end_turn';
    send('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: outputTokens } });
    send('message_stop', { type: 'message_stop' });
    rec.usage.output_tokens = outputTokens;
    res.end();
    finish(stop === 'end_turn' ? 'ok' : stop);
  }

  /** Prompt caching as the API does it: the prefix up to the last cache_control marker is written once, then read. */
  function simulateUsage(b: { model?: string; system?: unknown; tools?: unknown; messages?: unknown }) {
    const messages = Array.isArray(b.messages) ? (b.messages as { content: unknown }[]) : [];
    const total = estimateTokens(JSON.stringify(b.tools ?? '') + textOf(b.system) + messages.map((m) => textOf(m.content)).join('\n'));
    const blocks = Array.isArray(b.system) ? (b.system as { text?: string; cache_control?: unknown }[]) : [];
    const last = blocks.map((x) => Boolean(x.cache_control)).lastIndexOf(true);
    if (last < 0) return { input_tokens: total, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const prefix = JSON.stringify(b.tools ?? '') + blocks.slice(0, last + 1).map((x) => x.text ?? '').join('');
    const prefixTokens = estimateTokens(prefix);
    if (prefixTokens < minCache) return { input_tokens: total, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const key = createHash('sha256').update(`${b.model ?? ''}\0${prefix}`).digest('hex');
    const rest = Math.max(0, total - prefixTokens);
    if (cache.has(key)) return { input_tokens: rest, cache_read_input_tokens: prefixTokens, cache_creation_input_tokens: 0 };
    cache.add(key);
    return { input_tokens: rest, cache_read_input_tokens: 0, cache_creation_input_tokens: prefixTokens };
  }

  function sendError(res: ServerResponse, status: number, type: string, message: string, retryAfterMs?: number) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': `req_fake_err_${seq}` };
    if (retryAfterMs !== undefined) headers['retry-after-ms'] = String(retryAfterMs);
    res.writeHead(status, headers);
    res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: headers['request-id'] }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const maxOverlap = (list: RecordedRequest[]) => {
    const points: [number, number][] = [];
    for (const r of list) {
      points.push([r.startedAt, 1]);
      points.push([r.endedAt ?? Number.MAX_SAFE_INTEGER, -1]);
    }
    // Ends before starts at the same millisecond: back-to-back requests are not concurrent.
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let cur = 0;
    let max = 0;
    for (const [, d] of points) {
      cur += d;
      max = Math.max(max, cur);
    }
    return max;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxOverlap(requests),
    maxInFlightOf: (pred) => maxOverlap(requests.filter(pred)),
    setScript(s) {
      script = s;
    },
    setPacing(p) {
      pacing = p;
    },
    reset() {
      requests.length = 0;
      counters.clear();
      cache.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
