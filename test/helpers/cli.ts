import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { CLI } from './fixtures.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would: a separate process, arguments as an array (no shell). */
export function cli(args: string[], opts: SpawnSyncOptions & { input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: '', NO_COLOR: '1', ...(opts.env ?? {}) },
    timeout: 60_000,
    ...opts,
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
