/** Shared setup for the lifecycle tests: a temp ops tree with the valid English task, and the CLI run on it. */
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cli, type CliResult } from './cli.js';
import { main } from './main.js';
import { CLI, ROOT, RUNTIME_PARTS, VALID } from './fixtures.js';
import { opsWith } from './tmp.js';
import { afterAll } from 'vitest';

export const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';

export function setup(fixture: string = VALID.en) {
  const t = opsWith(fixture);
  mkdirSync(join(t.ops, 'archive'), { recursive: true });
  const file = (kind: string, dir = t.taskDir) => join(dir, `${t.task}-${kind}.md`);
  const read = (kind: string, dir = t.taskDir) => readFileSync(file(kind, dir), 'utf8');
  const userEnv = (env: Record<string, string>) => ({ TZ: 'UTC', USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env });
  /** Run a verb in-process with --ops-dir pointing at the temp tree, in UTC so times are predictable. */
  const run = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    main([...args, '--ops-dir', t.ops], { cwd: t.root, env: userEnv(env) });
  /** The same through the shipped bundle in its own process: one such run per verb proves the bundle. */
  const runBundle = (args: string[], env: Record<string, string> = {}): CliResult =>
    cli([...args, '--ops-dir', t.ops], { cwd: t.root, env: userEnv(env) });
  const env = (extra: Record<string, string>) => ({ ...process.env, OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: '', NO_COLOR: '1', TZ: 'UTC', USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...extra });
  /** The same, without waiting: several of these at once race each other the way two terminals would. */
  const start = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
    new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [CLI, ...args, '--ops-dir', t.ops], { cwd: t.root, env: env(extra) });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });
  return { ...t, file, read, run, runBundle, start };
}

/** Every file under a folder with its bytes, to prove a refused command touched nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[relative(dir, p) + '/'] = '';
        walk(p);
      } else {
        out[relative(dir, p)] = readFileSync(p, 'latin1');
      }
    }
  };
  walk(dir);
  return out;
}

/** Move a task's frontmatter status by hand (as a human would), for tests that start mid-life. */
export function withStatus(text: string, status: string, extra = ''): string {
  return text.replace(/^status: .*$/m, `status: ${status}`).replace(/^created: (.*)$/m, `created: $1${extra ? '\n' + extra : ''}`);
}

/**
 * A copy of the shipped CLI that another user can run: the bundle with what it reads at run time (templates,
 * prompts, package.json) in a fresh folder under the system temp folder, readable by all. The checkout itself may
 * sit in a private place (a mktemp clone); its folders' modes are never touched. Removed after the test file.
 */
let sharedCli: string | undefined;
let sharedDir: string | undefined;
afterAll(() => {
  if (sharedDir) rmSync(sharedDir, { recursive: true, force: true });
  sharedDir = sharedCli = undefined;
});
function cliForOtherUsers(): string {
  if (sharedCli) return sharedCli;
  const dir = mkdtempSync(join(tmpdir(), 'ops-docs-shared-cli-'));
  for (const part of RUNTIME_PARTS) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const open = (p: string) => {
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const n of readdirSync(p)) open(join(p, n));
  };
  open(dir);
  sharedDir = dir;
  return (sharedCli = join(dir, 'dist', 'bin', 'cli.js'));
}

/**
 * Run the CLI so that file modes apply: as nobody when the suite runs as root (root ignores modes), over a tree
 * handed to nobody, with a copy of the CLI nobody can read (see cliForOtherUsers).
 */
export function runCliObeyingModes(root: string, args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  const options = { cwd: root, encoding: 'utf8' as const, env: { ...process.env, ...env } };
  if (process.getuid?.() !== 0) return spawnSync(process.execPath, [CLI, ...args], options);
  const own = (p: string) => {
    chownSync(p, 65534, 65534);
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) own(join(p, n));
  };
  own(root);
  return spawnSync(process.execPath, [cliForOtherUsers(), ...args], { ...options, uid: 65534, gid: 65534 });
}
