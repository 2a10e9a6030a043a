/**
 * Drive the real Claude Code client (node_modules/.bin/claude) against a scripted model on 127.0.0.1.
 *
 * The "model" is a list of turns. Each turn sees what a model would see — the expanded slash command and the tool
 * results so far — and answers with one tool call or the final text. Requests that do not come from Claude Code
 * (our own CLI's Anthropic SDK, when the command runs `ops-docs new` with a key) go to a second script.
 */
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { startFakeAnthropic, type FakeServer, type RecordedRequest, type Reply, type Script } from '../fake-anthropic.js';
import { ROOT } from '../helpers/fixtures.js';

export const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');

export interface ToolResult {
  text: string;
  isError: boolean;
}

export interface Turn {
  /** Everything the user side said so far, as text: the command expansion and the tool results. */
  prompt: string;
  results: ToolResult[];
}

export type AgentStep = (turn: Turn) => Reply;

interface Block {
  type: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
}

function blocks(content: unknown): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? (content as Block[]) : [];
}

function resultText(content: unknown): string {
  return blocks(content).map((b) => (b.type === 'text' ? b.text ?? '' : '')).join('') || (typeof content === 'string' ? content : '');
}

/** Read a Claude Code request the way the model would: the user text, and the results of the tools it called. */
export function turnOf(body: { messages?: { role: string; content: unknown }[] }): Turn {
  const texts: string[] = [];
  const results: ToolResult[] = [];
  for (const m of body.messages ?? []) {
    if (m.role !== 'user') continue;
    for (const b of blocks(m.content)) {
      if (b.type === 'text') texts.push(b.text ?? '');
      if (b.type === 'tool_result') results.push({ text: resultText(b.content), isError: b.is_error === true });
    }
  }
  return { prompt: texts.join('\n'), results };
}

export const isClaudeCode = (r: RecordedRequest): boolean => String(r.headers['user-agent'] ?? '').startsWith('claude-cli/');

export interface Session {
  fake: FakeServer;
  /** Turns the scripted model could not play (each ended the session early). */
  errors: string[];
  /** Requests from Claude Code that reached the scripted model (not the empty probe). */
  agentRequests(): RecordedRequest[];
  /** POST requests from anything else: our CLI's SDK (the client's HEAD probe is not one). */
  sdkRequests(): RecordedRequest[];
  /** Tool results Claude Code sent back, in order (from the last request). */
  results(): ToolResult[];
  /** What the scripted model was shown first. */
  firstPrompt(): string;
}

/** A fake model that plays `steps` for Claude Code, then says `final`, and answers other callers with `sdk`. */
export async function startAgent(steps: AgentStep[], final: (turn: Turn) => string, sdk?: Script): Promise<Session> {
  const errors: string[] = [];
  const fake = await startFakeAnthropic({
    script: (req) => {
      if (!isClaudeCode(req)) {
        return sdk ? sdk(req) : { type: 'http-error', status: 401, errorType: 'authentication_error', message: 'fake: no SDK script' };
      }
      const turn = turnOf(req.body);
      const step = steps[turn.results.length];
      try {
        return step ? step(turn) : { type: 'text', text: final(turn) };
      } catch (err) {
        // A turn that cannot go on (say, no JSON where the command promised it) ends the session at once with
        // a message, instead of leaving the client retrying a dead request.
        errors.push(`turn ${turn.results.length}: ${(err as Error).message}`);
        return { type: 'text', text: `SCRIPT STOPPED: ${(err as Error).message}` };
      }
    },
  });
  const agentRequests = () => fake.requests.filter((r) => isClaudeCode(r) && r.body?.messages);
  return {
    fake,
    errors,
    agentRequests,
    sdkRequests: () => fake.requests.filter((r) => r.method === 'POST' && !isClaudeCode(r)),
    results: () => {
      const all = agentRequests();
      return all.length ? turnOf(all[all.length - 1]!.body).results : [];
    },
    firstPrompt: () => {
      const first = agentRequests()[0];
      return first ? turnOf(first.body).prompt : '';
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  home: string;
  baseUrl: string;
  /** 'key': ANTHROPIC_API_KEY (inherited by the Bash tool); 'token': ANTHROPIC_AUTH_TOKEN only — no key anywhere. */
  auth: { kind: 'key' | 'token'; value: string };
  args?: string[];
  timeoutMs?: number;
  /** A folder put first on PATH (a global install's bin), for the client and the commands it runs. */
  binOnPath?: string;
}

/**
 * `claude -p PROMPT` in `cwd` with a clean environment: only PATH and what the run needs, so the parent's own keys
 * or settings never leak in. Asynchronous, because the fake model answers from this same process.
 */
export function runClaude(prompt: string, opts: RunOptions): Promise<RunResult> {
  const env: Record<string, string> = {
    PATH: [opts.binOnPath, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(delimiter),
    HOME: opts.home,
    ANTHROPIC_BASE_URL: opts.baseUrl,
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // npx resolves our CLI from node_modules; it must never reach for the registry or an update check.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    OPS_DOCS_LANG: 'en',
    NO_COLOR: '1',
  };
  if (opts.auth.kind === 'key') env.ANTHROPIC_API_KEY = opts.auth.value;
  else env.ANTHROPIC_AUTH_TOKEN = opts.auth.value;
  return new Promise((resolve, reject) => {
    const child = spawn(CLAUDE, ['-p', prompt, '--output-format', 'text', ...(opts.args ?? [])], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
