/** ops-docs record: one checklist row filled, every other byte kept, the rollback plan shown when things go wrong. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { main } from './helpers/main.js';
import { VALID } from './helpers/fixtures.js';
import { TASK, setup, snapshot, withStatus } from './helpers/lifecycle.js';

function inProgress(fixture?: string) {
  const t = setup(fixture);
  for (const k of ['runbook', 'rollback', 'checklist', 'postmortem-template']) writeFileSync(t.file(k), withStatus(t.read(k), 'in-progress'));
  return t;
}

const S1 = '| S1 | Back up etcd | 5 min | | | |';
const S2 = '| S2 | Upgrade the first control-plane node | 20 min | | | |';
const G1 = '| G1 | Before upgrading worker nodes | | | |';

describe('ops-docs record', () => {
  it('--start then --result fill actual start–end, result and signer of that row only', async () => {
    const t = inProgress();
    const before = t.read('checklist');
    expect((await t.run(['record', TASK, 'S1', '--start', '--at', '2025-11-18 02:00']))).toEqual({ code: 0, stdout: 'S1: Actual start–end: 2025-11-18 02:00–\n', stderr: '' });
    expect(t.read('checklist')).toBe(before.replace(S1, '| S1 | Back up etcd | 5 min | 2025-11-18 02:00– | | |'));
    const r = (await t.run(['record', TASK, 's1', '--result', 'pass', '--by', 'alice', '--at', '2025-11-18 02:04', '--note', 'snapshot 412 MB']));
    expect(r).toEqual({ code: 0, stdout: 'S1: Actual start–end: 2025-11-18 02:00–02:04 · Verification result: Pass — snapshot 412 MB · Signed: alice\n', stderr: '' });
    expect(t.read('checklist')).toBe(before.replace(S1, '| S1 | Back up etcd | 5 min | 2025-11-18 02:00–02:04 | Pass — snapshot 412 MB | alice |'));
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('keeps a human\'s edits to the checklist byte for byte (spacing, notes, CRLF-free extra text, escaped pipes)', async () => {
    const t = inProgress();
    const human = t.read('checklist')
      .replace(S1, '|S1|Back up etcd   |  5 min |2025-11-18 01:58–02:03| ok \\| verified   |ann|')
      .replace('## Go/No-Go Decisions', 'Note from the reviewer: *call the DBA first*.  \n\n## Go/No-Go Decisions')
      .replace(S2, '| S2 | Upgrade the first control-plane node  | 20 min |   |  |  |')
      + '\n<!-- printed 2025-11-17 -->\n';
    writeFileSync(t.file('checklist'), human);
    const r = (await t.run(['record', TASK, 'S2', '--result', 'pass', '--by', 'bob', '--at', '2025-11-18 02:30', '--from', '2025-11-18 02:10']));
    expect(r.code).toBe(0);
    expect(t.read('checklist')).toBe(human.replace('| S2 | Upgrade the first control-plane node  | 20 min |   |  |  |',
      '| S2 | Upgrade the first control-plane node  | 20 min | 2025-11-18 02:10–02:30 | Pass | bob |'));
  });

  it('user text is one cell: pipes, newlines, markup and HTML are escaped and read back as typed', async () => {
    const t = inProgress();
    const r = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'Zoë | ops', '--at', '2025-11-18 02:04', '--note', 'a|b\nc *d* <br> & x']));
    expect(r.code).toBe(0);
    // Angle brackets become ‹ › (see the no-placeholders test below); everything else reads back as typed.
    expect(r.stdout).toBe('S1: Actual start–end: 2025-11-18 02:04 · Verification result: Pass — a|b c *d* ‹br› & x · Signed: Zoë | ops\n');
    expect(t.read('checklist')).toContain('| S1 | Back up etcd | 5 min | 2025-11-18 02:04 | Pass — a\\|b c \\*d\\* ‹br› \\& x | Zoë \\| ops |\n');
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('a failed step prints the rollback plan\'s triggers and first steps', async () => {
    const t = inProgress();
    const r = (await t.run(['record', TASK, 'S2', '--result', 'fail', '--by', 'bob', '--at', '2025-11-18 02:30']));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`S2: Actual start–end: 2025-11-18 02:30 · Verification result: Fail · Signed: bob

step S2 failed. Rollback plan: ops/active/${TASK}/${TASK}-rollback.md
Roll back when:
  - API server 5xx rate above 5% for 10 minutes
  - Any node NotReady for more than 15 minutes after its upgrade
  - etcd reports data inconsistency
First steps:
  Step R1: Restore etcd from the snapshot
      $ ETCDCTL_API=3 etcdctl snapshot restore /var/backups/etcd-pre-1.28.db --data-dir /var/lib/etcd-restore
  Step R2: Reinstall v1.27 control-plane packages
      $ apt-get install -y kubeadm=1.27.9-1.1 kubelet=1.27.9-1.1 && systemctl restart kubelet
When the rollback is complete: ops-docs status ${TASK} rolled-back
`);
  });

  it('go-nogo: Go is recorded quietly, No-Go shows the rollback plan', async () => {
    const t = inProgress();
    const before = t.read('checklist');
    const go = (await t.run(['record', TASK, 'go-nogo', 'G1', '--decision', 'go', '--by', 'carol', '--at', '2025-11-18 02:45']));
    expect(go).toEqual({ code: 0, stdout: 'G1: Decision: Go · Decided by: carol · Time: 2025-11-18 02:45\n', stderr: '' });
    expect(t.read('checklist')).toBe(before.replace(G1, '| G1 | Before upgrading worker nodes | Go | carol | 2025-11-18 02:45 |'));
    const nogo = (await t.run(['record', TASK, 'go-nogo', 'G1', '--decision', 'no-go', '--by', 'dave', '--force', '--note', 'error rate 3%', '--at', '2025-11-18 02:50']));
    expect(nogo.code).toBe(0);
    expect(nogo.stdout).toMatch(/^G1: Decision: No-Go — error rate 3% · Decided by: dave · Time: 2025-11-18 02:50\n\nG1 is No-Go\. Rollback plan: .*\nRoll back when:\n {2}- API server 5xx rate above 5% for 10 minutes\n/);
  });

  it('check ticks a pre-execution item by its standard id or its text', async () => {
    const t = setup();
    const before = t.read('checklist');
    expect((await t.run(['record', TASK, 'check', 'approval', '--by', 'eve', '--at', '2025-11-12 10:00'])).code).toBe(0);
    expect((await t.run(['record', TASK, 'check', 'monitoring normal', '--by', 'eve', '--at', '2025-11-18 04:00'])).code).toBe(0);
    expect(t.read('checklist')).toBe(before
      .replace('| Change approved | [ ] | | |', '| Change approved | [x] | eve | 2025-11-12 10:00 |')
      .replace('| Monitoring normal for 30 min | [ ] | | |', '| Monitoring normal for 30 min | [x] | eve | 2025-11-18 04:00 |'));
    const r = (await t.run(['record', TASK, 'check', 'nothing like this', '--by', 'eve']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: no pre- or post-execution check matches "nothing like this"/);
  });

  it('writes the document\'s language: a Chinese checklist gets 通过', async () => {
    const t = inProgress(VALID.zh);
    const r = (await t.run(['record', t.task, 'S1', '--result', 'pass', '--by', '王五', '--at', '2025-11-03 22:10'], { OPS_DOCS_LANG: 'zh' }));
    expect(r.code).toBe(0);
    expect(t.read('checklist')).toContain('| S1 | 全量备份 | 20 分钟 | 2025-11-03 22:10 | 通过 | 王五 |');
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('refusals name the problem, exit 1 (or 2 for usage) and leave every byte alone', async () => {
    const t = inProgress();
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'alice', '--at', '2025-11-18 02:04'])).code).toBe(0);
    const snap = snapshot(t.ops);
    const cases: [string[], number, string | RegExp][] = [
      [['record', TASK, 'S9', '--result', 'pass', '--by', 'x'], 1, 'ops-docs: the checklist\'s "Execution Steps" table has no row S9 (it has: S1, S2, S3)\n'],
      [['record', TASK, 'go-nogo', 'G7', '--decision', 'go', '--by', 'x'], 1, 'ops-docs: the checklist\'s "Go/No-Go Decisions" table has no row G7 (it has: G1)\n'],
      [['record', TASK, 'S1', '--result', 'fail', '--by', 'x'], 1, 'ops-docs: S1 is already signed by alice: --force to overwrite the record\n'],
      [['record', TASK, 'X1', '--result', 'pass', '--by', 'x'], 1, 'ops-docs: the checklist\'s "Execution Steps" table has no row X1 (it has: S1, S2, S3)\n'],
      [['record', TASK, 'S1', 'S2', '--result', 'pass'], 2, /^ops-docs: "S1" is not a step \(S1, 2, "Step 2", 第二步 …\)/],
      [['record', TASK, 'S2', '--result', 'maybe', '--by', 'x'], 2, 'ops-docs: --result must be pass, fail or skipped (see ops-docs help record)\n'],
      [['record', TASK, 'S2', '--by', 'x'], 2, 'ops-docs: give either --result pass|fail|skipped or --start (see ops-docs help record)\n'],
      [['record', TASK, 'go-nogo', 'G1', '--decision', 'yes', '--by', 'x'], 2, 'ops-docs: --decision must be go or no-go (see ops-docs help record)\n'],
      [['record', TASK, 'S2', '--result', 'pass', '--by', 'x', '--at', '25:99'], 2, /^ops-docs: --at "25:99" is not a time/],
      [['record', TASK, 'S2', '--result', 'pass', '--by', 'x', '--from', '2025-11-18 03:00', '--at', '2025-11-18 02:00'], 1, 'ops-docs: S2 would end (2025-11-18 02:00) before it started (2025-11-18 03:00): check --at and --from\n'],
      [['record', '2025-11-10-k8s-nothing-here', 'S1', '--result', 'pass', '--by', 'x'], 1, /^ops-docs: no task "2025-11-10-k8s-nothing-here"/],
      [['record', '../../etc', 'S1', '--result', 'pass', '--by', 'x'], 2, 'ops-docs: ../../etc is not a task folder (ops/active/<task> or ops/archive/YYYY/MM/<task>)\n'],
      [['record', 'ops/active', 'S1', '--result', 'pass', '--by', 'x'], 2, 'ops-docs: ops/active is not a task folder (ops/active/<task> or ops/archive/YYYY/MM/<task>)\n'],
    ];
    for (const [args, code, err] of cases) {
      const r = (await t.run(args));
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code, stdout: '' });
      if (typeof err === 'string') expect(r.stderr).toBe(err);
      else expect(r.stderr).toMatch(err);
    }
    expect(snapshot(t.ops)).toEqual(snap);
  });

  it('a skipped step has no actual time: "—", even after --start; --from is refused for it', async () => {
    const t = inProgress();
    const before = t.read('checklist');
    expect((await t.run(['record', TASK, 'S1', '--start', '--at', '2025-11-18 02:00'])).code).toBe(0);
    const r = (await t.run(['record', TASK, 'S1', '--result', 'skipped', '--by', 'bob', '--at', '2025-11-18 02:03', '--note', 'snapshot taken yesterday']));
    expect(r).toEqual({ code: 0, stdout: 'S1: Actual start–end: — · Verification result: Skipped — snapshot taken yesterday · Signed: bob\n', stderr: '' });
    expect((await t.run(['record', TASK, 'S2', '--result', 'skipped', '--by', 'bob', '--at', '2025-11-18 02:05'])).code).toBe(0);
    expect(t.read('checklist')).toBe(before
      .replace(S1, '| S1 | Back up etcd | 5 min | — | Skipped — snapshot taken yesterday | bob |')
      .replace(S2, '| S2 | Upgrade the first control-plane node | 20 min | — | Skipped | bob |'));
    const snap = snapshot(t.ops);
    expect((await t.run(['record', TASK, 'S3', '--result', 'skipped', '--by', 'bob', '--from', '2025-11-18 02:00']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: a skipped step never ran, so it has no start time: drop --from (see ops-docs help record)\n' });
    expect(snapshot(t.ops)).toEqual(snap);
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('a note quoting <words> does not read as a placeholder left in the document (validate --strict stays clean)', async () => {
    const t = inProgress();
    const r = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'ann <ann@example.org>', '--at', '2025-11-18 02:04', '--note', 'replaced <cluster-name> with prod-eu-1 > ok']));
    expect(r).toEqual({ code: 0, stdout: 'S1: Actual start–end: 2025-11-18 02:04 · Verification result: Pass — replaced ‹cluster-name› with prod-eu-1 › ok · Signed: ann ‹ann@example.org›\n', stderr: '' });
    expect(t.read('checklist')).toContain('| S1 | Back up etcd | 5 min | 2025-11-18 02:04 | Pass — replaced ‹cluster-name› with prod-eu-1 › ok | ann ‹ann@example.org› |\n');
    expect((await main(['validate', '--strict', t.taskDir]))).toMatchObject({ code: 0 });
    expect((await t.run(['record', TASK, 'go-nogo', 'G1', '--decision', 'go', '--by', 'x', '--at', '2025-11-18 02:05', '--note', 'see <runbook-step>'])).code).toBe(0);
    expect((await main(['validate', '--strict', t.taskDir]))).toMatchObject({ code: 0 });
  });

  it('times: not in the future, not before the task was created (exit 2, nothing written)', async () => {
    const t = inProgress();
    const snap = snapshot(t.ops);
    const future = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--at', '2099-01-01 10:00']));
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/^ops-docs: --at 2099-01-01 10:00 is in the future \(now is [\d-]+ [\d:]+\): a record says what happened, so a time may be at most 5 minutes ahead\n$/);
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--at', '2025-11-09 10:00']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2025-11-09 10:00 is before the task\'s created date (2025-11-10): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--at', '2025-11-18 02:00', '--from', '2025-11-01 10:00'])).stderr)
      .toBe('ops-docs: --from 2025-11-01 10:00 is before the task\'s created date (2025-11-10): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n');
    expect((await t.run(['record', TASK, 'S1', '--start', '--at', '2099-01-01 10:00'])).code).toBe(2);
    expect((await t.run(['record', TASK, 'check', 'approval', '--by', 'x', '--at', '2099-01-01 10:00'])).code).toBe(2);
    expect(snapshot(t.ops)).toEqual(snap);
    // Now, and two minutes ahead (a clock a little fast), are fine.
    const soon = new Date(Date.now() + 2 * 60 * 1000).toISOString().slice(0, 16) + 'Z';
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--at', soon])).code).toBe(0);
  });

  it('steps are recorded only while the change is in progress, unless --force', async () => {
    const t = setup();
    const snap = snapshot(t.ops);
    const r = (await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x']));
    expect(r).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ${TASK} is planned, not in-progress: run ops-docs status ${TASK} in-progress when the change starts, or --force\n` });
    expect(snapshot(t.ops)).toEqual(snap);
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'x', '--force'])).code).toBe(0);
    const zh = (await t.run(['record', TASK, 'S2', '--result', 'pass', '--by', 'x'], { OPS_DOCS_LANG: 'zh' }));
    expect(zh.stderr).toBe(`ops-docs: ${TASK} 当前为计划中（planned），不在执行中：变更开始时请运行 ops-docs status ${TASK} in-progress，或使用 --force\n`);
  });
});
