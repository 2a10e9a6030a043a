/**
 * One writer per task: commands that edit the same task at the same moment each land in full, or one is told
 * clearly that it did not — never a record silently lost to the other's rename.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { withTaskLock } from '../src/workspace/task-lock.js';
import { main } from './helpers/main.js';
import { TASK, setup, snapshot, withStatus } from './helpers/lifecycle.js';
import { tmp } from './helpers/tmp.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];
// The machine is small and noisy: give waiters room, so a slow run waits instead of failing.
const PATIENT = { OPS_DOCS_LOCK_WAIT_MS: '60000' };

function inProgress() {
  const t = setup();
  for (const k of KINDS) writeFileSync(t.file(k), withStatus(t.read(k), 'in-progress', 'started: 2025-11-18T02:00+00:00'));
  return t;
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('task lock', () => {
  it('records of different rows started at once all land (no lost update), and no lock is left behind', async () => {
    const t = inProgress();
    const before = t.read('checklist');
    const runs = await Promise.all([
      t.start(['record', TASK, 'S1', '--result', 'pass', '--by', 'r1', '--at', '2025-11-18 02:10'], PATIENT),
      t.start(['record', TASK, 'S2', '--result', 'pass', '--by', 'r2', '--at', '2025-11-18 02:20'], PATIENT),
      t.start(['record', TASK, 'S3', '--result', 'skipped', '--by', 'r3', '--at', '2025-11-18 02:30'], PATIENT),
      t.start(['record', TASK, 'go-nogo', 'G1', '--decision', 'go', '--by', 'r4', '--at', '2025-11-18 02:15'], PATIENT),
      t.start(['record', TASK, 'check', 'approval', '--by', 'r5', '--at', '2025-11-18 01:00'], PATIENT),
    ]);
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, ''], [0, ''], [0, ''], [0, '']]);
    expect(t.read('checklist')).toBe(before
      .replace('| S1 | Back up etcd | 5 min | | | |', '| S1 | Back up etcd | 5 min | 2025-11-18 02:10 | Pass | r1 |')
      .replace('| S2 | Upgrade the first control-plane node | 20 min | | | |', '| S2 | Upgrade the first control-plane node | 20 min | 2025-11-18 02:20 | Pass | r2 |')
      .replace(/\| S3 \| ([^|]+)\| ([^|]+)\| \| \| \|/, '| S3 | $1| $2| — | Skipped | r3 |')
      .replace('| G1 | Before upgrading worker nodes | | | |', '| G1 | Before upgrading worker nodes | Go | r4 | 2025-11-18 02:15 |')
      .replace('| Change approved | [ ] | | |', '| Change approved | [x] | r5 | 2025-11-18 01:00 |'));
    expect(existsSync(join(t.ops, '.locks'))).toBe(false);
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('a record racing a status move: each command that says it succeeded left its mark, the other one said why not', async () => {
    for (let round = 0; round < 3; round++) {
      const t = inProgress();
      const [rec, move] = await Promise.all([
        t.start(['record', TASK, 'S1', '--result', 'pass', '--by', 'rec', '--at', '2025-11-18 02:10'], PATIENT),
        t.start(['status', TASK, 'cancelled', '--by', 'mover', '--at', '2025-11-18 02:12'], PATIENT),
      ]);
      const checklist = t.read('checklist');
      expect(move).toEqual({ code: 0, stdout: `${TASK}: in-progress → cancelled (by mover)\n`, stderr: '' });
      expect(checklist).toContain('status: cancelled\n');
      expect(checklist).toContain('"2025-11-18T02:12+00:00 cancelled by mover"');
      if (rec.code === 0) {
        expect(checklist).toContain('| S1 | Back up etcd | 5 min | 2025-11-18 02:10 | Pass | rec |');
      } else {
        // The move won the lock: the record saw a cancelled change and refused, writing nothing.
        expect(rec).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ${TASK} is cancelled, not in-progress: run ops-docs status ${TASK} in-progress when the change starts, or --force\n` });
        expect(checklist).toContain('| S1 | Back up etcd | 5 min | | | |');
      }
      for (const k of KINDS) expect(t.read(k)).toContain('status: cancelled\n');
    }
  });

  it('a lock held by a live process: the command waits, then exits 1 naming the holder, and writes nothing', async () => {
    const t = inProgress();
    mkdirSync(join(t.ops, '.locks'));
    const lock = join(t.ops, '.locks', `${TASK}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: '2025-11-18T02:00:00.000Z' }) + '\n');
    const snap = snapshot(t.ops);
    for (const args of [
      ['record', TASK, 'S1', '--result', 'pass', '--by', 'x'],
      ['status', TASK, 'done', '--by', 'x'],
      ['archive', TASK, '--by', 'x', '--force'],
    ]) {
      const r = (await t.run(args, { OPS_DOCS_LOCK_WAIT_MS: '300' }));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^ops-docs: ${TASK.replace(/\./g, '\\.')} is being changed by process ${process.pid} on ${hostname()}, since 2025-11-18T02:00:00\\.000Z; waited 0\\.\\d s, nothing written\\. Run the command again when it has finished \\(if no such process exists, delete ops/\\.locks/${TASK.replace(/\./g, '\\.')}\\.lock\\)\\n$`));
    }
    expect(snapshot(t.ops)).toEqual(snap);
    // In Chinese too.
    const zh = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x'], { OPS_DOCS_LOCK_WAIT_MS: '100', OPS_DOCS_LANG: 'zh' }));
    expect(zh.stderr).toMatch(/^ops-docs: .* 正在被.*上的进程 \d+，自 2025-11-18T02:00:00\.000Z 起修改；已等待 [\d.]+ 秒，未写入任何内容。/);
  });

  it('a lock left by a dead process is taken over', async () => {
    const t = inProgress();
    mkdirSync(join(t.ops, '.locks'));
    writeFileSync(join(t.ops, '.locks', `${TASK}.lock`), JSON.stringify({ pid: deadPid(), host: hostname(), since: '2025-11-18T02:00:00.000Z' }));
    const r = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--at', '2025-11-18 02:10'], { OPS_DOCS_LOCK_WAIT_MS: '300' }));
    expect(r).toEqual({ code: 0, stdout: 'S1: Actual start–end: 2025-11-18 02:10 · Verification result: Pass · Signed: x\n', stderr: '' });
    expect(existsSync(join(t.ops, '.locks'))).toBe(false);
  });

  it('a lock of another host is never judged by its pid', async () => {
    const t = inProgress();
    mkdirSync(join(t.ops, '.locks'));
    writeFileSync(join(t.ops, '.locks', `${TASK}.lock`), JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, since: 'x' }));
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x'], { OPS_DOCS_LOCK_WAIT_MS: '100' })).code).toBe(1);
  });

  it('withTaskLock releases the lock when the work throws, and excludes a second holder meanwhile', async () => {
    const ops = tmp();
    const lock = join(ops, '.locks', 't.lock');
    await expect(withTaskLock(ops, 't', () => {
      expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
    const order: string[] = [];
    let release!: () => void;
    const first = withTaskLock(ops, 't', () => new Promise<void>((r) => { order.push('first in'); release = () => { order.push('first out'); r(); }; }));
    await new Promise((r) => setTimeout(r, 20));
    const second = withTaskLock(ops, 't', () => { order.push('second in'); });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('doctor and list do not mistake the tool\'s working files for tasks or strays', async () => {
    const t = setup();
    mkdirSync(join(t.ops, '.locks'));
    writeFileSync(join(t.ops, '.locks', `${TASK}.lock`), '{}');
    writeFileSync(join(t.ops, `.tmp-README.md-1-abcd`), 'x');
    mkdirSync(join(t.ops, '.drafts'));
    mkdirSync(join(t.ops, '.trash'));
    expect((await t.run(['doctor', '--check']))).toEqual({ code: 0, stdout: '', stderr: '1 task(s): all healthy\n' });
    expect(JSON.parse((await t.run(['list', '--all', '--json'])).stdout).map((r: { task: string }) => r.task)).toEqual([TASK]);
  });
});
