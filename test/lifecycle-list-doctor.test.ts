/** ops-docs list and doctor: what each task's state is, and which lifecycle promises are broken. */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { VALID } from './helpers/fixtures.js';
import { TASK, setup, withStatus } from './helpers/lifecycle.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];
const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000).toISOString().slice(0, 16) + '+00:00';

type T = ReturnType<typeof setup>;
function state(t: T, status: string, extra = '', dir = t.taskDir) {
  for (const k of KINDS) writeFileSync(t.file(k, dir), withStatus(t.read(k, dir), status, extra));
}
function signEverything(t: T) {
  const rows = /^\| (?:S\d|G\d|Prerequisites|Change|Teams|Rollback plan|Checklist printed|All nodes|Monitoring)/;
  const signed = t.read('checklist').split('\n').map((l) => (rows.test(l) ? l.replace(/\| *(?=\|)/g, (c, i: number) => (i === 0 ? c : '| x ')) : l));
  writeFileSync(t.file('checklist'), signed.join('\n'));
}
const POSTMORTEM = `## Summary

Upgraded prod-eu-1 to v1.28.4 in 84 minutes with no downtime.

## Timeline

| Time | Event |
|---|---|
| 02:00 | Window opened |

## Impact

None measured: error rate stayed below 0.1%.

## Root Cause

No deviation.
`;
function writePostmortem(t: T) {
  const pm = t.read('postmortem-template');
  writeFileSync(t.file('postmortem-template'), pm.replace(/## Summary[\s\S]*?(?=## Lessons Learned)/, POSTMORTEM + '\n'));
}

describe('ops-docs list', () => {
  it('one line per active task with status, dates, signed rows and validation', async () => {
    const t = setup();
    const r = (await t.run(['list']));
    expect(r).toEqual({
      code: 0,
      stdout: 'TASK                                  STATUS   CREATED     STARTED  FINISHED  SIGNED  VALID\n'
        + `${TASK}  planned  2025-11-10  -        -         0/12    ok\n`,
      stderr: '',
    });
  });

  it('--json, --archived and --all; progress counts signed rows; a broken task shows its errors', async () => {
    const t = setup();
    const archived = join(t.ops, 'archive', '2025', '10', '2025-10-01-dns-migration-to-route53');
    mkdirSync(archived, { recursive: true });
    for (const k of KINDS) {
      writeFileSync(join(archived, `2025-10-01-dns-migration-to-route53-${k}.md`), withStatus(t.read(k), 'done').replaceAll(TASK, '2025-10-01-dns-migration-to-route53').replace('## Rollback Triggers', '## Something Else'));
    }
    state(t, 'in-progress', 'started: 2025-11-18T02:00+00:00');
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'a'])).code).toBe(0);
    expect((await t.run(['record', TASK, 'go-nogo', 'G1', '--decision', 'go', '--by', 'b'])).code).toBe(0);
    const active = JSON.parse((await t.run(['list', '--json'])).stdout);
    expect(active).toEqual([{
      task: TASK, dir: t.taskDir, location: 'active', status: 'in-progress', created: '2025-11-10', approved: null,
      started: '2025-11-18T02:00+00:00', finished: null, archived: null, owner: null,
      progress: { signed: 2, total: 12 }, validation: { errors: 0, warnings: 0 }, mismatched: [],
    }]);
    const arch = JSON.parse((await t.run(['list', '--archived', '--json'])).stdout);
    expect(arch.map((a: { task: string; location: string; status: string }) => [a.task, a.location, a.status])).toEqual([['2025-10-01-dns-migration-to-route53', 'archive', 'done']]);
    expect(arch[0].validation.errors).toBeGreaterThan(0);
    const all = (await t.run(['list', '--all']));
    expect(all.stdout.split('\n')[1]).toMatch(/^archive\/2025-10-01-dns-migration-to-route53 +done +2025-11-10 +- +- +0\/12 +1 error\(s\)$/);
    expect(all.stdout.split('\n')[2]).toMatch(new RegExp(`^${TASK.replace(/\./g, '\\.')} +in-progress +2025-11-10 +2025-11-18 02:00 +- +2/12 +ok$`));
    expect((await t.run(['list', '--all', '--archived'])).code).toBe(2);
    expect((await t.run(['list', 'x'])).code).toBe(2);
    expect((await t.run(['list'], {})).code).toBe(0);
    rmSync(t.ops, { recursive: true });
    expect((await t.run(['list'])).code).toBe(2);
  });
});

describe('ops-docs doctor', () => {
  it('a healthy tree: exit 0 with --check', async () => {
    const t = setup();
    expect((await t.run(['doctor', '--check']))).toEqual({ code: 0, stdout: '', stderr: '1 task(s): all healthy\n' });
  });

  it('a finished, signed, written-up task archived in time is healthy too', async () => {
    const t = setup();
    state(t, 'done', `finished: ${daysAgo(2)}`);
    signEverything(t);
    writePostmortem(t);
    expect((await t.run(['doctor', '--check', '--json'])).stdout).toBe('[]\n');
  });

  it('finds each broken promise; --check exits 1, without --check it reports and exits 0', async () => {
    const t = setup();
    // overdue: done 40 days ago, not archived; also unsigned rows and an untouched postmortem
    state(t, 'done', `finished: ${daysAgo(40)}`);
    // stale: a second task in progress for three days
    const stale = join(t.ops, 'active', '2025-11-20-redis-failover-prod');
    cpSync(t.taskDir, stale, { recursive: true });
    for (const k of KINDS) {
      rmSync(join(stale, `${TASK}-${k}.md`));
      writeFileSync(join(stale, `2025-11-20-redis-failover-prod-${k}.md`), withStatus(t.read(k), 'in-progress', `started: ${daysAgo(3)}`).replace(/^finished: .*\n/m, '').replaceAll(TASK, '2025-11-20-redis-failover-prod'));
    }
    // a status mismatch, a bad name, an invalid task, a stray file and a misplaced archive
    writeFileSync(join(stale, '2025-11-20-redis-failover-prod-rollback.md'), withStatus(t.read('rollback'), 'approved').replaceAll(TASK, '2025-11-20-redis-failover-prod'));
    mkdirSync(join(t.ops, 'active', 'Upgrade_DB'));
    writeFileSync(join(t.ops, 'notes.txt'), 'x');
    mkdirSync(join(t.ops, 'archive', '2025', '12', '2025-11-01-dns-migration-to-route53'), { recursive: true });

    const r = (await t.run(['doctor', '--json']));
    expect(r.code).toBe(0);
    const codes = (JSON.parse(r.stdout) as { task: string; code: string }[]).map((f) => `${f.task}:${f.code}`).sort();
    expect(codes).toEqual([
      '2025-11-01-dns-migration-to-route53:archive-misplaced',
      '2025-11-01-dns-migration-to-route53:invalid',
      `${TASK}:archive-overdue`,
      `${TASK}:postmortem-unwritten`,
      `${TASK}:unsigned`,
      '2025-11-20-redis-failover-prod:stale',
      '2025-11-20-redis-failover-prod:status-mismatch',
      ':layout-stray',
      'Upgrade_DB:invalid',
      'Upgrade_DB:task-name',
    ]);
    const text = (await t.run(['doctor', '--check']));
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('4 task(s): 10 finding(s)\n');
    expect(text.stdout).toContain(`ops/active/${TASK}  archive-overdue  done 40 days ago and not archived (the standard: within 30 days): run ops-docs archive ${TASK}\n`);
    expect(text.stdout).toMatch(/ops\/active\/2025-11-20-redis-failover-prod {2}stale {2}in-progress for 7\d hours \(more than 48\)/);
    expect(text.stdout).toContain(`${TASK}-postmortem-template.md  postmortem-unwritten  done, but the postmortem still has blank sections as the template left them: Summary, Timeline, Impact, Root Cause\n`);
    expect(text.stdout).toContain(`${TASK}-checklist.md  unsigned  done, but 12 checklist row(s) have no signer (Pre-Execution Checks: Prerequisites checked;`);
    expect(text.stdout).toContain('ops/notes.txt  layout-stray  does not belong at the top of the ops folder');
  });

  it('each fix clears its finding', async () => {
    const t = setup();
    state(t, 'done', `finished: ${daysAgo(1)}`);
    const codes = async () => (JSON.parse((await t.run(['doctor', '--json'])).stdout) as { code: string }[]).map((f) => f.code);
    expect(await codes()).toEqual(['unsigned', 'postmortem-unwritten']);
    signEverything(t);
    expect(await codes()).toEqual(['postmortem-unwritten']);
    writePostmortem(t);
    expect(await codes()).toEqual([]);
    expect((await t.run(['doctor', '--check'])).code).toBe(0);
  });

  it('the layout itself: missing archive/ is a finding; no ops folder is a usage error', async () => {
    const t = setup();
    rmSync(join(t.ops, 'archive'), { recursive: true });
    const r = (await t.run(['doctor', '--check']));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('ops/archive  layout-missing  the ops folder has no archive/ folder: create it (ops-docs init does)\n');
    rmSync(t.ops, { recursive: true });
    expect((await t.run(['doctor'])).code).toBe(2);
  });
});

describe('the ops folder option', () => {
  it('a regular file or a folder without active/ and archive/ is a usage error naming it, for every verb', async () => {
    const t = setup();
    const file = join(t.root, 'afile');
    writeFileSync(file, 'x');
    const notOps = join(t.root, 'empty');
    mkdirSync(notOps);
    const cases: [string[], string][] = [
      [['list', '--ops-dir', file], `ops-docs: ${file} is a file, not an ops folder (--ops-dir names the folder that holds active/ and archive/)\n`],
      [['doctor', '--ops-dir', file], `ops-docs: ${file} is a file, not an ops folder (--ops-dir names the folder that holds active/ and archive/)\n`],
      [['doctor', '--ops-dir', join(t.root, 'nonexist')], `ops-docs: no ops folder at ${join(t.root, 'nonexist')} (it has no active/ or archive/)\n`],
      [['list', '--ops-dir', notOps], `ops-docs: no ops folder at ${notOps} (it has no active/ or archive/)\n`],
      [['status', TASK, '--ops-dir', file], `ops-docs: ${file} is a file, not an ops folder (--ops-dir names the folder that holds active/ and archive/)\n`],
      [['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--ops-dir', notOps], `ops-docs: no ops folder at ${notOps} (it has no active/ or archive/)\n`],
      [['archive', TASK, '--ops-dir', notOps], `ops-docs: no ops folder at ${notOps} (it has no active/ or archive/)\n`],
      [['print', TASK, '--ops-dir', notOps], `ops-docs: no ops folder at ${notOps} (it has no active/ or archive/)\n`],
      [['list', '--ops-dir', ''], 'ops-docs: --ops-dir needs a folder\n'],
    ];
    for (const [args, stderr] of cases) {
      // Run without the helper's own --ops-dir, so the one in args is the only one.
      const r = (await main(args, { cwd: t.root, env: { TZ: 'UTC', USER: 'tester' } }));
      expect({ args, ...r }).toEqual({ args, code: 2, stdout: '', stderr });
    }
    // Without --ops-dir the message says how to get one.
    expect((await main(['list'], { cwd: notOps }))).toEqual({ code: 2, stdout: '', stderr: `ops-docs: no ops folder at ${join(notOps, 'ops')} (it has no active/ or archive/): run ops-docs init, or pass --ops-dir\n` });
    // A task named by its folder path does not need --ops-dir at all.
    expect((await main(['status', t.taskDir], { cwd: notOps })).code).toBe(0);
  });
});

describe('list and doctor in Chinese', () => {
  const zh = { OPS_DOCS_LANG: 'zh' };
  it('doctor names states in Chinese (已完成（done）), never "已done"', async () => {
    const t = setup();
    state(t, 'done', `finished: ${daysAgo(40)}`);
    const r = (await t.run(['doctor'], zh));
    expect(r.stdout).not.toMatch(/已(?:done|rolled-back|cancelled|planned|approved|in-progress)/);
    expect(r.stdout).toContain(`ops/active/${TASK}  archive-overdue  40 天前已结束（已完成（done）），仍未归档（标准要求 30 天内归档）：请运行 ops-docs archive ${TASK}\n`);
    expect(r.stdout).toContain(`${TASK}-postmortem-template.md  postmortem-unwritten  状态为已完成（done），但事后总结中仍有保持模板原样的空白章节：Summary, Timeline, Impact, Root Cause\n`);
  });

  it('list says 通过 rather than ok, and pads columns by display width (a CJK character is two columns)', async () => {
    const t = setup();
    const zhTask = '2025-11-03-postgres-upgrade-v12-to-v15';
    cpSync(VALID.zh, join(t.ops, 'active', zhTask), { recursive: true });
    const lines = (await t.run(['list'], zh)).stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines).toEqual([
      '任务                                    状态     创建        开始  结束  签字  校验',
      '2025-11-03-postgres-upgrade-v12-to-v15  planned  2025-11-03  -     -     0/12  通过',
      `${TASK}    planned  2025-11-10  -     -     0/12  通过`,
    ]);
    // Every column starts at the same display column on every line.
    const starts = (line: string) => {
      const out: number[] = [];
      let col = 0;
      let prevSpace = true;
      for (const ch of line) {
        const w = /[\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1;
        if (ch !== ' ' && prevSpace) out.push(col);
        prevSpace = ch === ' ';
        col += w;
      }
      return out;
    };
    expect(starts(lines[1]!)).toEqual(starts(lines[0]!));
    expect(starts(lines[2]!)).toEqual(starts(lines[0]!));
  });
});

