/**
 * The GitHub Action (action.yml): its composite steps run here as a runner would run them — each `run:` script in
 * bash -eo pipefail, the step's env with `${{ … }}` filled from the inputs, GITHUB_PATH carried to later steps,
 * the job stopped at the first failing step — against fixture checkouts. ops-docs is installed by the action's own
 * install step, from `npm pack` of this package (the `package` input), its dependencies from the npm cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { CLI, ROOT, VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

interface Step {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}
interface Action {
  name: string;
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';

interface JobResult {
  /** The exit code of the job: that of the first failing step, or 0. */
  code: number;
  /** Standard output of each step that ran, by name: what the runner scans for workflow commands. */
  stdout: Record<string, string>;
  stderr: string;
  runnerTemp: string;
}

/** Fill `${{ inputs.x }}` and `${{ github.action_path }}`; anything else is a test failure, not a silent blank. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) {
      if (!(input[1]! in action.inputs)) throw new Error(`action.yml uses an undeclared input: ${expr}`);
      return inputs[input[1]!] ?? action.inputs[input[1]!]!.default ?? '';
    }
    if (expr === 'github.action_path') return ROOT;
    throw new Error(`the test runner does not know the expression ${expr}`);
  });
}

/** A stand-in npm that records what it was asked for (in $RUNNER_TEMP/npm-args) and installs nothing. */
function recordingNpm(): string {
  const shim = tmp('ops-docs-npm-');
  writeFileSync(join(shim, 'npm'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$RUNNER_TEMP/npm-args"\n');
  chmodSync(join(shim, 'npm'), 0o755);
  return shim;
}

/** The install line of the action's install step, as the args npm receives (one a line). */
const installArgs = (runnerTemp: string, spec: string): string[] =>
  ['install', '--global', '--prefix', join(runnerTemp, 'ops-docs'), '--no-audit', '--no-fund', '--ignore-scripts', '--', spec, ''];

/**
 * Run the action's steps in `checkout`. Jobs share one RUNNER_TEMP by default, as one runner's jobs share its
 * tool cache. The first job that installs the tarball runs the real `npm install` (about 7 s); later ones find
 * it in place, so their install step runs with a recording npm and the test checks it asked for the same install.
 */
function runJob(checkout: string, inputs: Record<string, string>, opts: { extraPath?: string[]; runnerTemp?: string } = {}): JobResult {
  const runnerTemp = opts.runnerTemp ?? sharedRunnerTemp;
  const extraPath = [...opts.extraPath ?? []];
  // The tarball is in the shared RUNNER_TEMP once the first job that asked for it has installed it.
  const reinstall = runnerTemp === sharedRunnerTemp && inputs['package'] === tarball && existsSync(join(runnerTemp, 'ops-docs', 'bin', 'ops-docs'));
  if (reinstall) extraPath.unshift(recordingNpm());
  const githubPath = join(runnerTemp, 'github_path');
  writeFileSync(githubPath, '');
  const result: JobResult = { code: 0, stdout: {}, stderr: '', runnerTemp };
  for (const step of action.runs.steps) {
    if (step.uses) continue; // actions/setup-node: this suite already runs on Node 20 (checked below)
    const added = readFileSync(githubPath, 'utf8').split('\n').filter(Boolean).reverse();
    const script = join(runnerTemp, 'step.sh');
    writeFileSync(script, step.run!);
    const env: Record<string, string> = {
      PATH: [...extraPath, ...added, process.env.PATH ?? ''].join(delimiter),
      HOME: process.env.HOME ?? runnerTemp,
      // The suite's cache folder (test/setup/cache-dir.ts), never the user's: HOME is kept for npm's cache.
      ...(process.env.OPS_DOCS_CACHE_DIR ? { OPS_DOCS_CACHE_DIR: process.env.OPS_DOCS_CACHE_DIR } : {}),
      RUNNER_TEMP: runnerTemp,
      GITHUB_PATH: githubPath,
      GITHUB_WORKSPACE: checkout,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      // The registry is reachable but not needed: the dependencies come from the npm cache.
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      NO_COLOR: '1',
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs)])),
    };
    expect(step.shell).toBe('bash');
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: checkout, env, encoding: 'utf8', timeout: 240_000 });
    result.stdout[step.name!] = r.stdout;
    result.stderr += r.stderr;
    if (r.status !== 0) {
      result.code = r.status ?? 1;
      break;
    }
  }
  if (reinstall) expect(readFileSync(join(runnerTemp, 'npm-args'), 'utf8').split('\n')).toEqual(installArgs(runnerTemp, tarball));
  return result;
}

let packDir = '';
let tarball = '';
let sharedRunnerTemp = '';
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  packDir = mkdtempSync(join(tmpdir(), 'ops-docs-pack-'));
  sharedRunnerTemp = join(packDir, 'runner-temp');
  mkdirSync(sharedRunnerTemp);
  tarball = join(packDir, execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!);
}, 120_000);
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

/** A checkout holding one valid task, as `ops-docs init` and `new` leave it. */
function goodCheckout(): string {
  const root = tmp('ops-docs-checkout-');
  cpSync(VALID.en, join(root, 'ops/active', TASK), { recursive: true });
  mkdirSync(join(root, 'ops/archive'));
  writeFileSync(join(root, 'ops/archive/.gitkeep'), '');
  return root;
}

const T = 300_000;

describe('action.yml', () => {
  it('is a composite action on Node 20 with the inputs the README documents', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]).toEqual({ uses: 'actions/setup-node@v4', with: { 'node-version': 20 } });
    expect(process.versions.node.split('.')[0]).toBe('20');
    expect(Object.keys(action.inputs)).toEqual(['ops-dir', 'package']);
    expect(action.inputs['ops-dir']!.default).toBe('ops');
    // No input is spliced into a script: only into env.
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('${{');
    // The README's workflow snippet uses this action at the package's version, with inputs it declares.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const snippet = /### In CI: GitHub Actions[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const workflow = parse(snippet!) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const ours = steps.filter((st) => st.uses?.endsWith(`/ops-docs@v${version}`));
    expect(ours).toHaveLength(1);
    for (const key of Object.keys(ours[0]!.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    expect(steps.some((st) => st.uses?.startsWith('actions/checkout@'))).toBe(true);
  });

  it('passes on a healthy ops folder: no annotations, exit 0', () => {
    const job = runJob(goodCheckout(), { package: tarball });
    expect(job.code, job.stderr).toBe(0);
    expect(job.stdout['Check the ops documents and the ops folder']).toBe('');
    expect(job.stderr).toContain('4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n');
    expect(job.stderr).toContain('1 task(s): all healthy\n');
  }, T);

  it('fails on errors, each one an annotation on its file and line, from validate --strict and doctor --check', () => {
    const checkout = goodCheckout();
    const runbook = `ops/active/${TASK}/${TASK}-runbook.md`;
    const text = readFileSync(join(checkout, runbook), 'utf8');
    // A placeholder left in (an error under --strict) and a task nobody archived (a doctor finding).
    writeFileSync(join(checkout, runbook), text.replace('## Executive Summary\n\n', '## Executive Summary\n\nOwner: TBD, 100% sure. '));
    writeFileSync(join(checkout, 'ops/notes, 50%: old.txt'), 'scratch');
    const job = runJob(checkout, { package: tarball });
    expect(job.code).toBe(1);
    const out = job.stdout['Check the ops documents and the ops folder']!;
    expect(out).toBe(
      `::error file=${runbook},line=15,col=8,title=no-placeholders::placeholder "TBD" left in the document: replace it with the real value\n`
      + '::error file=ops/notes%2C 50%25%3A old.txt,title=layout-stray::does not belong at the top of the ops folder (active/, archive/, templates/, README.md)\n',
    );
    expect(job.stderr).toContain('4 document(s) in 1 task(s): 1 error(s), 0 warning(s)\n');
  }, T);

  it('reads the ops folder from its input, as data: a folder name with shell characters is only a path', () => {
    const checkout = goodCheckout();
    const odd = 'ops $(touch PWNED)';
    cpSync(join(checkout, 'ops'), join(checkout, odd), { recursive: true });
    rmSync(join(checkout, 'ops'), { recursive: true });
    const job = runJob(checkout, { package: tarball, 'ops-dir': odd });
    expect(job.code, job.stderr).toBe(0);
    expect(existsSync(join(checkout, 'PWNED'))).toBe(false);
    const missing = runJob(goodCheckout(), { package: tarball, 'ops-dir': 'nowhere' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ops-docs: no such file or folder: nowhere\n');
  }, T);

  it('without a package input, installs ops-docs at the action\'s own version', () => {
    const checkout = goodCheckout();
    const job = runJob(checkout, {}, { extraPath: [recordingNpm()], runnerTemp: tmp('ops-docs-runner-') });
    // The check step then finds no ops-docs on PATH (the shim installed nothing), and fails.
    expect(job.code).toBe(1);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(readFileSync(join(job.runnerTemp, 'npm-args'), 'utf8').split('\n')).toEqual(installArgs(job.runnerTemp, `ops-docs@${version}`));
    expect(job.stderr).toMatch(/ops-docs: command not found/);
  }, T);
});
