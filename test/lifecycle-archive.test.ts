/** ops-docs archive: finished tasks to archive/YYYY/MM/, git mv when tracked, and nothing lost on any failure. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStandard } from '../src/standard/load.js';
import { archiveTask } from '../src/workspace/archive.js';
import { readTaskDocs } from '../src/workspace/task-docs.js';
import { findTask } from '../src/workspace/task.js';
import { writeFileAtomic } from '../src/workspace/atomic.js';
import { TASK, runCliObeyingModes, setup, snapshot, withStatus } from './helpers/lifecycle.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];

function withState(status: string, extra = '') {
  const t = setup();
  for (const k of KINDS) writeFileSync(t.file(k), withStatus(t.read(k), status, extra));
  return t;
}

describe('ops-docs archive', () => {
  it('moves a done task to archive/2025/11/ and records the archive date and who', async () => {
    const t = withState('done', 'finished: 2025-11-18T03:30+00:00');
    const before = Object.fromEntries(KINDS.map((k) => [k, t.read(k)]));
    const r = (await t.run(['archive', TASK, '--by', 'alice', '--at', '2025-11-20 10:00']));
    expect(r).toEqual({ code: 0, stdout: `archived: ops/active/${TASK} → ops/archive/2025/11/${TASK}\n`, stderr: '' });
    expect(existsSync(t.taskDir)).toBe(false);
    const dest = join(t.ops, 'archive', '2025', '11', TASK);
    for (const k of KINDS) {
      expect(t.read(k, dest)).toBe(before[k]!.replace('finished: 2025-11-18T03:30+00:00\n---',
        'finished: 2025-11-18T03:30+00:00\narchived: 2025-11-20\nhistory:\n  - "2025-11-20T10:00+00:00 archived by alice"\n---'));
    }
    expect(readdirSync(join(t.ops, 'active'))).toEqual([]);
    // The archived task is still found by name, and reported as archived.
    expect((await t.run(['status', TASK])).stdout).toMatch(/ {2}archived: 2025-11-20\n$/);
    expect((await t.run(['archive', TASK])).stderr).toBe(`ops-docs: ${TASK} is already archived in ${dest}\n`);
  });

  it('refuses a task in progress even with --force, and a planned one without it', async () => {
    const t = withState('in-progress');
    const snap = snapshot(t.ops);
    const r = (await t.run(['archive', TASK, '--force']));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: ${TASK} is in-progress: finish it first (ops-docs status ${TASK} done | rolled-back | cancelled); a running change is never archived\n`);
    expect(snapshot(t.ops)).toEqual(snap);

    const p = setup();
    const psnap = snapshot(p.ops);
    expect((await p.run(['archive', TASK]))).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ${TASK} is planned: only done, rolled-back or cancelled tasks are archived (--force to archive it anyway)\n` });
    expect(snapshot(p.ops)).toEqual(psnap);
    expect((await p.run(['archive', TASK, '--force', '--by', 'x'])).code).toBe(0);
  });

  it('usage: no task names what to give; an archive date before the finish is refused (exit 2, nothing moved)', async () => {
    const t = withState('done', 'finished: 2025-11-18T03:30+00:00');
    const snap = snapshot(t.ops);
    expect((await t.run(['archive']))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: name the task to archive, e.g. ops-docs archive 2025-11-10-k8s-cluster-upgrade-v1.28\n' });
    expect((await t.run(['archive'], { OPS_DOCS_LANG: 'zh' })).stderr).toBe('ops-docs: 请指明要归档的任务，例如 ops-docs archive 2025-11-10-k8s-cluster-upgrade-v1.28\n');
    expect((await t.run(['archive', TASK, TASK]))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: archive takes one task at a time, got 2\n' });
    expect((await t.run(['archive', TASK, '--by', 'x', '--at', '2025-11-17 12:00']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2025-11-17 12:00 is before the task\'s finished date (2025-11-18T03:30+00:00): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    expect((await t.run(['archive', TASK, '--by', 'x', '--at', '2099-01-01'])).code).toBe(2);
    expect(snapshot(t.ops)).toEqual(snap);
    // The archive date is a day: the finishing day itself is fine, at any hour.
    expect((await t.run(['archive', TASK, '--by', 'x', '--at', '2025-11-18']))).toMatchObject({ code: 0 });
  });

  it('never overwrites: an existing destination stops the archive and both folders stay byte for byte', async () => {
    const t = withState('done');
    const dest = join(t.ops, 'archive', '2025', '11', TASK);
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'notes.txt'), 'someone else\'s archive\n');
    const snap = snapshot(t.ops);
    const r = (await t.run(['archive', TASK, '--by', 'x']));
    expect(r).toEqual({ code: 1, stdout: '', stderr: `ops-docs: archive/2025/11/${TASK} already exists: nothing moved; remove or rename one of the two first\n` });
    expect(snapshot(t.ops)).toEqual(snap);
  });

  it('a read-only archive month folder fails the move; the task stays where it was, no folder is left behind', async () => {
    const t = withState('cancelled');
    const month = join(t.ops, 'archive', '2025', '11');
    mkdirSync(month, { recursive: true });
    chmodSync(month, 0o555);
    const snap = snapshot(t.ops);
    const r = runCliObeyingModes(t.root, ['archive', TASK, '--by', 'x', '--ops-dir', t.ops], { OPS_DOCS_LANG: 'en', TZ: 'UTC', HOME: t.root });
    chmodSync(month, 0o755);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`ops-docs: could not archive ${TASK} (EACCES: permission denied, rename '${t.taskDir}' -> '${join(month, TASK)}'); it is still in ${t.taskDir}\n`);
    expect(snapshot(t.ops)).toEqual(snap);
  });

  it('a failure half-way through writing puts the folder back and restores every byte already written', async () => {
    const t = withState('done');
    const snap = snapshot(t.ops);
    const task = findTask(TASK, t.ops);
    let writes = 0;
    const failing = (path: string, data: string) => {
      if (++writes === 3) throw new Error('disk full (simulated)');
      writeFileAtomic(path, data);
    };
    await expect(archiveTask(task, readTaskDocs(task), loadStandard(), { by: 'x', at: new Date(), write: failing }))
      .rejects.toThrow(`could not archive ${TASK} (disk full (simulated)); it is still in ${t.taskDir}`);
    expect(writes).toBe(3);
    expect(snapshot(t.ops)).toEqual(snap); // archive/2025/11 created for the move is gone again
  });

  it('uses git mv when the task is tracked, so git sees renames', async () => {
    const t = withState('rolled-back');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: t.root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'task');
    const r = (await t.run(['archive', TASK, '--by', 'x']));
    expect(r).toEqual({ code: 0, stdout: `archived: ops/active/${TASK} → ops/archive/2025/11/${TASK} (git mv)\n`, stderr: '' });
    const status = git('status', '--porcelain').split('\n').filter(Boolean).sort();
    // Renamed in the index (R); the archived: line is an unstaged edit on top (M in the second column).
    expect(status).toEqual(KINDS.map((k) => `RM ops/active/${TASK}/${TASK}-${k}.md -> ops/archive/2025/11/${TASK}/${TASK}-${k}.md`).sort());
  });

  it('usage: exactly one task', async () => {
    const t = setup();
    expect((await t.run(['archive'])).code).toBe(2);
    expect((await t.run(['archive', TASK, TASK])).code).toBe(2);
  });
});
