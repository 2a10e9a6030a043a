/**
 * The pre-commit hook (.pre-commit-hooks.yaml) under the real `pre-commit` (Debian's, /usr/bin/pre-commit): a
 * repository's .pre-commit-config.yaml names a snapshot of this package as the hook repository, pre-commit builds
 * its node environment the way it does for any node hook (npm install, npm pack, npm install -g, dependencies from
 * the npm cache), and the hook checks the staged ops documents of a commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';
const RUNBOOK = `ops/active/${TASK}/${TASK}-runbook.md`;
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
};

let work = '';
let hookRepo = '';
let rev = '';
let env: Record<string, string> = {};

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });

/** A repository whose .pre-commit-config.yaml uses our hook, with a valid task committed. */
function repoWithHook(): string {
  const repo = tmp('ops-docs-precommit-');
  git(repo, 'init', '-q');
  writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: ops-docs-validate\n`);
  mkdirSync(join(repo, 'infra'));
  writeFileSync(join(repo, 'infra/main.tf'), 'terraform {}\n');
  cpSync(VALID.en, join(repo, 'ops/active', TASK), { recursive: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'start', '--no-verify');
  return repo;
}

function preCommit(repo: string, ...args: string[]) {
  const r = spawnSync('pre-commit', args, { cwd: repo, env, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/**
 * pre-commit's environment holds this package's dev dependencies (~380 MB, the Claude Code client's binary most of
 * it), written and deleted by every run: in memory (/dev/shm) when it has room and may run programs (a container's
 * is often mounted noexec), which spares the disk that much writing. The repositories whose commits the hook checks
 * stay in the ordinary temporary folder.
 */
function workFolder(): string {
  const shm = '/dev/shm';
  try {
    // The last mount of the folder is the one in force.
    const mount = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).filter((f) => f[1] === shm).pop();
    const fs = statfsSync(shm);
    if (mount && !mount[3]!.split(',').includes('noexec') && fs.bavail * fs.bsize > 2 * 1024 ** 3) return mkdtempSync(join(shm, 'ops-docs-precommit-home-'));
  } catch {
    // no /dev/shm (or no /proc) here
  }
  return mkdtempSync(join(tmpdir(), 'ops-docs-precommit-home-'));
}

beforeAll(() => {
  work = workFolder();
  // The hook repository: this package's sources as a commit (what a tag of ops-docs holds), working tree included.
  hookRepo = join(work, 'ops-docs');
  mkdirSync(hookRepo);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    mkdirSync(join(hookRepo, dirname(f)), { recursive: true });
    try {
      cpSync(join(ROOT, f), join(hookRepo, f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // deleted in the working tree
    }
  }
  git(hookRepo, 'init', '-q');
  git(hookRepo, 'add', '-A');
  git(hookRepo, 'commit', '-qm', 'ops-docs');
  rev = git(hookRepo, 'rev-parse', 'HEAD').trim();
  env = {
    ...process.env as Record<string, string>,
    ...GIT_ENV,
    PRE_COMMIT_HOME: join(work, 'pre-commit'),
    // The registry is reachable but not needed: the dependencies come from the npm cache.
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    OPS_DOCS_LANG: 'en',
    NO_COLOR: '1',
  };
  const install = preCommit(repoWithHook(), 'install-hooks');
  if (install.code !== 0) throw new Error(`pre-commit install-hooks failed:\n${install.out}`);
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('.pre-commit-hooks.yaml', () => {
  it('declares one node hook that runs ops-docs validate on task documents under ops/', () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, string>[];
    expect(hooks.map((h) => [h.id, h.language, h.entry])).toEqual([['ops-docs-validate', 'node', 'ops-docs validate']]);
    const files = new RegExp(hooks[0]!.files!);
    expect(files.test(RUNBOOK)).toBe(true);
    expect(files.test(`infra/ops/active/${TASK}/${TASK}-postmortem-template.md`)).toBe(true);
    expect(files.test('ops/README.md')).toBe(false);
    expect(files.test('docs/runbook.md')).toBe(false);
    expect(files.test('-ops/active/x/x-runbook.md')).toBe(false);
  });
});

describe('the hook under the real pre-commit', () => {
  it('passes a commit whose staged task is valid, and the commit is made', () => {
    const repo = repoWithHook();
    expect(preCommit(repo, 'install').code).toBe(0);
    const runbook = join(repo, RUNBOOK);
    writeFileSync(runbook, readFileSync(runbook, 'utf8').replace('with kubeadm,', 'with kubeadm (v1.28.4),'));
    git(repo, 'add', RUNBOOK);
    const r = spawnSync('git', ['commit', '-m', 'runbook: pin the version'], { cwd: repo, env, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/ops-docs validate\.+Passed/);
    expect(git(repo, 'log', '--format=%s', '-1').trim()).toBe('runbook: pin the version');
  }, 300_000);

  it('fails a commit whose staged runbook breaks the standard: the finding is shown and nothing is committed', () => {
    const repo = repoWithHook();
    expect(preCommit(repo, 'install').code).toBe(0);
    const runbook = join(repo, RUNBOOK);
    writeFileSync(runbook, readFileSync(runbook, 'utf8').replace('## Executive Summary', '## Miscellany'));
    git(repo, 'add', RUNBOOK);
    const head = git(repo, 'rev-parse', 'HEAD');
    const r = spawnSync('git', ['commit', '-m', 'broken'], { cwd: repo, env, encoding: 'utf8' });
    const out = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(out).toMatch(/ops-docs validate\.+Failed/);
    expect(out).toContain(`${RUNBOOK}:1:1  error  missing section "Executive Summary"`);
    expect(out).toContain('runbook-summary');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  }, 300_000);

  it('checks what is staged, not the working tree: a broken unstaged edit does not fail a good commit', () => {
    const repo = repoWithHook();
    const runbook = join(repo, RUNBOOK);
    const good = readFileSync(runbook, 'utf8').replace('with kubeadm,', 'with kubeadm (v1.28.4),');
    writeFileSync(runbook, good);
    git(repo, 'add', RUNBOOK);
    writeFileSync(runbook, good.replace('## Executive Summary', '## Miscellany'));
    const r = preCommit(repo, 'run');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ops-docs validate\.+Passed/);
    // pre-commit put the unstaged edit back.
    expect(readFileSync(runbook, 'utf8')).toContain('## Miscellany');
  }, 300_000);

  it('skips a commit that touches no ops document', () => {
    const repo = repoWithHook();
    writeFileSync(join(repo, 'infra/main.tf'), 'terraform { required_version = ">= 1.6" }\n');
    git(repo, 'add', 'infra/main.tf');
    const r = preCommit(repo, 'run');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ops-docs validate\.+\(no files to check\)Skipped/);
  }, 300_000);
});
