/**
 * One model call, streamed, made reliable: the SDK retries what fails before the stream starts (429, 5xx, 529,
 * connection errors, honouring retry-after); this module retries what the SDK does not — an `event: error` or a
 * dropped connection in the middle of a 200 stream — puts a hard deadline on the whole call (the SDK's timeout
 * stops counting once the headers arrive), and turns every way of failing, including `stop_reason: max_tokens`
 * and `refusal`, into a ProviderError that says what happened in both languages without ever showing the key.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { ProviderError } from '../errors.js';
import type { Text } from '../standard/types.js';
import type { Usage } from './types.js';

export type Sdk = typeof import('@anthropic-ai/sdk');

export interface CallContext {
  sdk: Sdk;
  client: Anthropic;
  /** What this call is for, in both languages: "the plan", "the runbook". */
  what: Text;
  timeoutMs: number;
  maxRetries: number;
  apiKey: string;
  signal: AbortSignal;
  /** Characters streamed so far in this attempt (text or tool JSON); for progress. */
  onChars?: (chars: number) => void;
  /** Told of an own retry (a stream broken off mid-way) before it starts. */
  onRetry?: (notice: Text) => void;
  /** Backoff of our own retries; tests shorten it. */
  backoffMs?: (retry: number) => number;
}

export interface CallResult {
  message: Message;
  text: string;
  toolInput?: unknown;
  requestId?: string;
  usage: Usage;
}

/** The SDK's own schedule: 0.5 s · 2ⁿ, capped at 8 s, with jitter so that four streams do not retry in step. */
export function defaultBackoff(retry: number): number {
  const base = Math.min(8000, 500 * 2 ** retry);
  return base * (0.75 + Math.random() * 0.25);
}

export function usageOf(m: Message): Usage {
  const u = m.usage;
  return {
    inputTokens: u?.input_tokens ?? 0,
    outputTokens: u?.output_tokens ?? 0,
    cacheReadTokens: u?.cache_read_input_tokens ?? 0,
    cacheCreationTokens: u?.cache_creation_input_tokens ?? 0,
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
  };
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

/** A key must never reach a message, even if a proxy echoes it back in an error body. */
export function scrub(text: string, apiKey: string): string {
  let t = text;
  if (apiKey && apiKey.length >= 4) t = t.split(apiKey).join('***');
  return t.replace(/sk-ant-[A-Za-z0-9_-]{8,}/g, 'sk-ant-***');
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

class Fail {
  constructor(readonly kind: 'retry' | 'final', readonly error: ProviderError, readonly reason: string) {}
}

export async function callModel(params: MessageCreateParamsBase, ctx: CallContext): Promise<CallResult> {
  const backoff = ctx.backoffMs ?? defaultBackoff;
  for (let retry = 0; ; retry++) {
    const outcome = await attempt(params, ctx);
    if (!(outcome instanceof Fail)) return outcome;
    if (outcome.kind === 'final' || retry >= ctx.maxRetries) throw outcome.error;
    const wait = backoff(retry);
    const s = `${Math.round(wait / 100) / 10} s`;
    ctx.onRetry?.({
      en: `${outcome.reason === 'connection' ? 'the connection broke off' : `the API broke off the stream (${outcome.reason})`} while writing ${ctx.what.en}; retry ${retry + 1} of ${ctx.maxRetries} in ${s}`,
      zh: `生成${ctx.what.zh}时${outcome.reason === 'connection' ? '连接中断' : `API 中断了流式响应（${outcome.reason}）`}；${s}后第 ${retry + 1} 次重试（共 ${ctx.maxRetries} 次）`,
    });
    try {
      await sleep(wait, ctx.signal);
    } catch {
      throw cancelled(ctx);
    }
  }
}

async function attempt(params: MessageCreateParamsBase, ctx: CallContext): Promise<CallResult | Fail> {
  const { client } = ctx;
  if (ctx.signal.aborted) return new Fail('final', cancelled(ctx), 'cancelled');
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onOuterAbort = () => controller.abort();
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  let chars = 0;
  let requestId: string | undefined;
  try {
    const stream = client.messages.stream(params, { signal: controller.signal, timeout: ctx.timeoutMs, maxRetries: ctx.maxRetries });
    stream.on('connect', () => {
      requestId = stream.request_id ?? undefined;
    });
    stream.on('streamEvent', (event) => {
      if (event.type !== 'content_block_delta') return;
      const d = event.delta;
      chars += d.type === 'text_delta' ? d.text.length : d.type === 'input_json_delta' ? d.partial_json.length : 0;
      ctx.onChars?.(chars);
    });
    const message = await stream.finalMessage();
    requestId = stream.request_id ?? requestId;
    return finished(message, requestId, ctx);
  } catch (err) {
    if (timedOut) return new Fail('final', timeout(ctx, requestId), 'timeout');
    if (ctx.signal.aborted) return new Fail('final', cancelled(ctx), 'cancelled');
    return classify(err, ctx, requestId);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onOuterAbort);
  }
}

function finished(message: Message, requestId: string | undefined, ctx: CallContext): CallResult | Fail {
  const reqNote = requestId ? `, request ${requestId}` : '';
  switch (message.stop_reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'tool_use':
      break;
    case 'max_tokens':
      return new Fail('final', providerError(ctx, {
        en: `the model stopped at the output limit (stop_reason max_tokens, ${message.usage?.output_tokens ?? '?'} tokens${reqNote}) while writing {what}: the change is too large for one document; split it into smaller changes or shorten the description`,
        zh: `模型在生成{what}时达到输出上限（stop_reason max_tokens，${message.usage?.output_tokens ?? '?'} 个 token${reqNote}）：变更过大，无法写入一份文档；请拆分为更小的变更或精简描述`,
      }), 'max_tokens');
    case 'refusal':
      return new Fail('final', providerError(ctx, {
        en: `the model declined to write {what} (stop_reason refusal${reqNote}): rephrase the description as the operational change it is, or use --provider offline`,
        zh: `模型拒绝生成{what}（stop_reason refusal${reqNote}）：请将描述改写为明确的运维变更，或使用 --provider offline`,
      }), 'refusal');
    default:
      return new Fail('final', providerError(ctx, {
        en: `the model ended {what} unexpectedly (stop_reason ${String(message.stop_reason)}${reqNote}): try again`,
        zh: `模型意外结束了{what}（stop_reason ${String(message.stop_reason)}${reqNote}）：请重试`,
      }), String(message.stop_reason));
  }
  const text = message.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('');
  const tool = message.content.find((b) => b.type === 'tool_use') as { input?: unknown } | undefined;
  return { message, text, toolInput: tool?.input, requestId, usage: usageOf(message) };
}

function classify(err: unknown, ctx: CallContext, streamRequestId: string | undefined): Fail {
  const { sdk } = ctx;
  const e = err as { message?: string };
  const detail = scrub(String(e?.message ?? err).replace(/\s+/g, ' ').slice(0, 200), ctx.apiKey);
  if (err instanceof sdk.APIError && !(err instanceof sdk.APIConnectionError)) {
    const status = err.status;
    const id = err.requestID ?? streamRequestId;
    const reqNote = id ? `, request ${id}` : '';
    const type = err.type ?? 'error';
    if (status === undefined) {
      // An `event: error` inside a 200 stream: the SDK has no retry for it; we do.
      return new Fail('retry', providerError(ctx, {
        en: `the API broke off the stream while writing {what} (${type}${reqNote}) and kept doing so after ${ctx.maxRetries} retries: try again later`,
        zh: `生成{what}时 API 中断了流式响应（${type}${reqNote}），重试 ${ctx.maxRetries} 次后仍然失败：请稍后再试`,
      }), type);
    }
    const why: Record<number, Text> = {
      400: { en: 'the request was rejected', zh: '请求被拒绝' },
      401: { en: 'the API key was not accepted: check ANTHROPIC_API_KEY', zh: 'API 密钥未被接受：请检查 ANTHROPIC_API_KEY' },
      403: { en: 'the API key may not use this model or feature', zh: '该 API 密钥无权使用此模型或功能' },
      404: { en: 'not found: check the model id (--model or OPS_DOCS_MODEL)', zh: '未找到：请检查模型 ID（--model 或 OPS_DOCS_MODEL）' },
      413: { en: 'the request is too large: shorten the description', zh: '请求过大：请精简描述' },
      429: { en: `rate limited, still after ${ctx.maxRetries} retries: wait and try again`, zh: `请求频率受限，重试 ${ctx.maxRetries} 次后仍然失败：请稍候再试` },
      529: { en: `the API is overloaded, still after ${ctx.maxRetries} retries: try again later`, zh: `API 过载，重试 ${ctx.maxRetries} 次后仍然失败：请稍后再试` },
    };
    const reason = why[status] ?? (status >= 500
      ? { en: `the API failed, still after ${ctx.maxRetries} retries: try again later`, zh: `API 出错，重试 ${ctx.maxRetries} 次后仍然失败：请稍后再试` }
      : { en: 'the request failed', zh: '请求失败' });
    return new Fail('final', providerError(ctx, {
      en: `HTTP ${status} ${type}${reqNote} while writing {what}: ${reason.en} (${detail})`,
      zh: `生成{what}时返回 HTTP ${status} ${type}${reqNote}：${reason.zh}（${detail}）`,
    }), String(status));
  }
  // A connection that failed before the headers: the SDK has already retried it maxRetries times (and said so);
  // retrying the whole of that again would make four refusals into twenty-five.
  const where = ctx.client.baseURL;
  const beforeHeaders = err instanceof sdk.APIConnectionError;
  // One that broke in the middle of the stream (a reset, a stream that ended early: the SDK reports those as plain
  // errors) is worth another try.
  return new Fail(beforeHeaders ? 'final' : 'retry', providerError(ctx, {
    en: `the connection to ${where} failed while writing {what} (${detail}), still after ${ctx.maxRetries} retries: check the network or ANTHROPIC_BASE_URL`,
    zh: `生成{what}时与 ${where} 的连接失败（${detail}），重试 ${ctx.maxRetries} 次后仍然失败：请检查网络或 ANTHROPIC_BASE_URL`,
  }), 'connection');
}

function timeout(ctx: CallContext, requestId: string | undefined): ProviderError {
  const reqNote = requestId ? `, request ${requestId}` : '';
  const s = Math.round(ctx.timeoutMs / 100) / 10;
  return providerError(ctx, {
    en: `no complete answer for {what} within ${s} s (timeout${reqNote}): the API is slow or stalled; try again later`,
    zh: `${s} 秒内未收到{what}的完整响应（超时${reqNote}）：API 响应缓慢或停滞；请稍后重试`,
  });
}

function cancelled(ctx: CallContext): ProviderError {
  return providerError(ctx, { en: 'cancelled while writing {what}', zh: '生成{what}时已取消' });
}

function providerError(ctx: CallContext, message: Text): ProviderError {
  const sub = (s: string, what: string) => scrub(`Anthropic API: ${s.replace('{what}', what)}`, ctx.apiKey);
  return new ProviderError({ en: sub(message.en, ctx.what.en), zh: sub(message.zh, ctx.what.zh) });
}
