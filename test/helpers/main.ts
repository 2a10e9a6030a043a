/**
 * The CLI in-process: `runCli(argv)` from src/cli.ts with stdout, stderr and the exit code captured, the
 * environment and working folder of a user's shell set for the call and restored after it. Same results as the
 * subprocess helper (cli.ts) without a Node start-up per call; one subprocess test per verb keeps the shipped
 * bundle honest. Calls are serialised: they share the process's streams, environment and working folder.
 */
import { runCli } from '../../src/cli.js';
import { cli, type CliResult } from './cli.js';

export interface MainOptions {
  cwd?: string;
  /** A key set to undefined is removed for the call. */
  env?: Record<string, string | undefined>;
  /** Standard input: a run that reads it goes through the subprocess helper, the only one with a stdin to give. */
  input?: string;
}

/** The environment the subprocess helper gives a run, so both read the same. */
export const BASE_ENV: Record<string, string> = { OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: '', NO_COLOR: '1' };

let queue: Promise<unknown> = Promise.resolve();

export function main(args: string[], opts: MainOptions = {}): Promise<CliResult> {
  if (opts.input !== undefined) return Promise.resolve(cli(args, opts as Parameters<typeof cli>[1]));
  const next = queue.then(() => runOnce(args, opts));
  queue = next.catch(() => undefined);
  return next;
}

async function runOnce(args: string[], opts: MainOptions): Promise<CliResult> {
  const env = { ...BASE_ENV, ...(opts.env ?? {}) };
  const savedEnv = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  const savedCwd = process.cwd();
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = (sink: string[]) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (opts.cwd) process.chdir(opts.cwd);
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const code = await runCli(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.chdir(savedCwd);
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
