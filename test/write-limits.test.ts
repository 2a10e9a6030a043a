/**
 * No silent loss: every writer of the tool under a file-size limit (ulimit -f) and on a nearly full disk (a small
 * tmpfs mounted for the test). Each refused command exits 1 naming the file and the reason, and every byte of
 * the tree is what it was before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CLI, ROOT, VALID } from './helpers/fixtures.js';
import { TASK, setup, snapshot, withStatus } from './helpers/lifecycle.js';
import { tmp } from './helpers/tmp.js';
import { main } from './helpers/main.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];
const env = (extra: Record<string, string> = {}) => ({ ...process.env, OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: '', NO_COLOR: '1', TZ: 'UTC', USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...extra });

/** The CLI under `ulimit -f <kb>` (bash counts 1024-byte blocks); the arguments reach node as an array, never as shell text. */
function limited(kb: number, cwd: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', `ulimit -f ${kb}; exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd, encoding: 'utf8', env: env(extra), timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inState(status: string, extra = '') {
  const t = setup();
  for (const k of KINDS) writeFileSync(t.file(k), withStatus(t.read(k), status, extra));
  return t;
}

/** Debris a refused write must not leave: temporary files, staging folders, locks. */
function debris(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (/^\.tmp-|\.lock$|\.takeover$/.test(e.name)) out.push(join(d, e.name));
      if (e.isDirectory()) walk(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

describe('under a file-size limit (ulimit -f)', () => {
  it('new: exit 1 naming the file and the limit; no task folder, no staging folder', () => {
    const root = tmp();
    mkdirSync(join(root, 'ops'));
    const r = limited(2, root, ['new', 'kubernetes cluster upgrade to v1.28', '--date', '2026-01-05'], { OPS_DOCS_CACHE_DIR: join(root, 'cache') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: cannot write ops\/active\/2026-01-05-k8s-cluster-upgrade-v1\.28\/2026-01-05-k8s-cluster-upgrade-v1\.28-\w[\w-]*\.md: file too large \(a file-size limit, such as ulimit -f, is in force\); nothing was changed/m);
    expect(r.stdout).not.toContain('validation: passed');
    expect(readdirSync(join(root, 'ops', 'active')).filter((n) => n !== '.gitkeep')).toEqual([]); // no task folder
    expect(debris(root)).toEqual([]);
    // Without the limit the same command writes the whole task.
    const ok = limited(100_000, root, ['new', 'kubernetes cluster upgrade to v1.28', '--date', '2026-01-05'], { OPS_DOCS_CACHE_DIR: join(root, 'cache') });
    expect(ok.code).toBe(0);
    expect(readdirSync(join(root, 'ops', 'active', '2026-01-05-k8s-cluster-upgrade-v1.28')).length).toBe(4);
  });

  it('status approved: the runbook (2.5 KB) cannot be rewritten under 1 KB → exit 1, every byte as before', () => {
    const t = setup();
    const before = snapshot(t.root);
    const r = limited(1, t.root, ['status', TASK, 'approved', '--by', 'alice', '--ops-dir', t.ops]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: cannot write ops/active/${TASK}/${TASK}-runbook.md: file too large (a file-size limit, such as ulimit -f, is in force); nothing was changed (any earlier version of the file is as it was)\n`);
    expect(snapshot(t.root)).toEqual(before);
  });

  it('record and status done: exit 1, every byte as before, no lock or temporary file left', () => {
    const t = inState('in-progress', 'approved: 2025-11-12T10:00+00:00\nstarted: 2025-11-18T02:00+00:00');
    const before = snapshot(t.root);
    const rec = limited(1, t.root, ['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--at', '2025-11-18 02:04', '--ops-dir', t.ops]);
    expect(rec.code).toBe(1);
    expect(rec.stderr).toMatch(new RegExp(`^ops-docs: cannot write ops/active/${TASK}/${TASK}-(runbook|checklist)\\.md: file too large`));
    expect(snapshot(t.root)).toEqual(before);
    const done = limited(1, t.root, ['status', TASK, 'done', '--force', '--note', 'test', '--by', 'bob', '--ops-dir', t.ops]);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/cannot write .*: file too large/);
    expect(snapshot(t.root)).toEqual(before);
    expect(debris(t.root)).toEqual([]);
  });

  it('init: a file is whole or absent, never cut; a second init completes it and new works after', () => {
    const root = tmp();
    const r = limited(4, root, ['init', '--lang', 'en'], { OPS_DOCS_CACHE_DIR: join(root, 'cache') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: cannot write ops\/[\w/.-]+: file too large/);
    const playbooks = join(root, 'ops', 'templates', 'playbooks');
    for (const name of existsSync(playbooks) ? readdirSync(playbooks) : []) {
      expect(readFileSync(join(playbooks, name)).equals(readFileSync(join(ROOT, 'templates', 'playbooks', name)))).toBe(true);
    }
    expect(debris(root)).toEqual([]);
    expect(limited(100_000, root, ['init', '--lang', 'en'], { OPS_DOCS_CACHE_DIR: join(root, 'cache') }).code).toBe(0);
    const neu = limited(100_000, root, ['new', 'kubernetes cluster upgrade to v1.28', '--date', '2026-01-05'], { OPS_DOCS_CACHE_DIR: join(root, 'cache') });
    expect(neu.stderr).toBe('');
    expect(neu.code).toBe(0);
  });

  it('print --out: exit 1 naming the file; no page, no temporary file', () => {
    const t = setup();
    const before = snapshot(t.root);
    const r = limited(1, t.root, ['print', TASK, '--out', 'page.html', '--ops-dir', t.ops]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: cannot write page\.html \(EFBIG: /);
    expect(snapshot(t.root)).toEqual(before);
  });
});

/** A tmpfs of its own, so that "nearly full" is exact and nothing else on the machine is touched. */
const root = process.getuid?.() === 0;
describe.runIf(root)('on a nearly full disk (a 512 KB tmpfs mounted for the test)', () => {
  let mnt = '';
  beforeAll(() => {
    mnt = mkdtempSync(join(tmpdir(), 'ops-docs-tmpfs-'));
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount tmpfs failed: ${m.stderr}`);
  });
  afterAll(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
    rmSync(`${mnt}-cache`, { recursive: true, force: true });
  });

  /** A fresh tree on the tmpfs, then a filler file leaving `freeKb` free. */
  function onFullDisk(status: string, freeKb: number, extra = '') {
    for (const n of readdirSync(mnt)) rmSync(join(mnt, n), { recursive: true, force: true });
    const ops = join(mnt, 'ops');
    cpSync(VALID.en, join(ops, 'active', TASK), { recursive: true });
    mkdirSync(join(ops, 'archive'));
    for (const k of KINDS) {
      const f = join(ops, 'active', TASK, `${TASK}-${k}.md`);
      writeFileSync(f, withStatus(readFileSync(f, 'utf8'), status, extra));
    }
    const st = statfsSync(mnt);
    const free = st.bavail * st.bsize;
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - freeKb * 1024)));
    // In-process: the writers are the same code; only the ulimit tests above need a process of their own.
    const run = (args: string[]) => main([...args, '--ops-dir', ops], {
      cwd: mnt, env: { TZ: 'UTC', USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', OPS_DOCS_CACHE_DIR: `${mnt}-cache` },
    });
    return { ops, run };
  }

  it('status approved with 4 KB free: exit 1, "no space left" naming the file; every byte as before', async () => {
    const { run } = onFullDisk('planned', 4);
    const before = snapshot(mnt);
    const r = await run(['status', TASK, 'approved', '--by', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ops-docs: cannot write ops/active/${TASK}/${TASK}-\\w[\\w-]*\\.md: no space left on the device; nothing was changed`));
    expect(snapshot(mnt)).toEqual(before);
  });

  it('record with no space at all: the lock cannot be written → said so; no empty lock left; works once space is back', async () => {
    const { run } = onFullDisk('in-progress', 0, 'approved: 2025-11-12T10:00+00:00\nstarted: 2025-11-18T02:00+00:00');
    const before = snapshot(mnt);
    const r = await run(['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--at', '2025-11-18 02:04']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no space left on the device/);
    expect(r.stderr).not.toMatch(/being changed/);
    expect(snapshot(mnt)).toEqual(before);
    expect(debris(mnt)).toEqual([]);
    rmSync(join(mnt, 'filler'));
    const ok = await run(['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--at', '2025-11-18 02:04']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('new and archive with 4 KB free: exit 1, every byte as before', async () => {
    const { run } = onFullDisk('done', 4, 'finished: 2025-11-18T03:30+00:00');
    const before = snapshot(mnt);
    const neu = await run(['new', 'postgres upgrade from 12 to 15', '--date', '2026-01-05']);
    expect(neu.code).toBe(1);
    expect(neu.stderr).toMatch(/^ops-docs: cannot (write|mkdir) .*no space left on the device/m);
    expect(snapshot(mnt)).toEqual(before);
    const arch = await run(['archive', TASK, '--by', 'alice', '--at', '2025-11-20 10:00']);
    expect(arch.code).toBe(1);
    expect(arch.stderr).toMatch(/no space left on the device/);
    expect(snapshot(mnt)).toEqual(before);
  });
});
