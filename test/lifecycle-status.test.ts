/** ops-docs status: the lifecycle moves, who and when in the frontmatter, refusals that leave the files alone. */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../src/standard/types.js';
import { editFrontmatter, FrontmatterEditError } from '../src/workspace/frontmatter-edit.js';
import { main } from './helpers/main.js';
import { TASK, setup, snapshot, withStatus } from './helpers/lifecycle.js';

const approvedBlock = (by: string, when = '2025-11-12T09:00+00:00') =>
  `created: 2025-11-10\napproved: 2025-11-12\napproved_by: ${by}\nhistory:\n  - "${when} approved by ${by}"\n---`;

describe('ops-docs status', () => {
  it('without a state prints the status and dates', async () => {
    const t = setup();
    expect((await t.run(['status', TASK]))).toEqual({ code: 0, stdout: `${TASK}  planned\n  created: 2025-11-10\n`, stderr: '' });
    const j = JSON.parse((await t.run(['status', TASK, '--json'])).stdout);
    expect(j).toMatchObject({ task: TASK, location: 'active', status: 'planned', created: '2025-11-10', approved: null });
  });

  it('planned → approved writes status, date, approver and a history line into all four documents, nothing else', async () => {
    const t = setup();
    const before = Object.fromEntries(KINDS.map((k) => [k, t.read(k)]));
    const r = (await t.run(['status', TASK, 'approved', '--by', 'alice', '--at', '2025-11-12 09:00']));
    expect(r).toEqual({ code: 0, stdout: `${TASK}: planned → approved (by alice)\n`, stderr: '' });
    for (const k of KINDS) {
      const want = before[k]!.replace('status: planned\n', 'status: approved\n').replace('created: 2025-11-10\n---', approvedBlock('alice'));
      expect(t.read(k)).toBe(want);
    }
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('the full life: approved → in-progress → done stamps started and finished, history grows in order', async () => {
    const t = setup();
    expect((await t.run(['status', TASK, 'approved', '--by', 'alice', '--at', '2025-11-12 09:00'])).code).toBe(0);
    expect((await t.run(['status', TASK, 'in-progress', '--by', 'bob', '--at', '2025-11-18T02:00:00+01:00'])).code).toBe(0);
    expect((await t.run(['status', TASK, 'done', '--by', 'bob', '--at', '2025-11-18 03:30', '--note', 'all nodes on v1.28.4'])).code).toBe(0);
    const fm = t.read('checklist').split('---')[1];
    expect(fm).toBe(`
task: ${TASK}
kind: checklist
language: en
system: k8s
operation: upgrade
status: done
created: 2025-11-10
approved: 2025-11-12
approved_by: alice
started: 2025-11-18T01:00+00:00
finished: 2025-11-18T03:30+00:00
history:
  - "2025-11-12T09:00+00:00 approved by alice"
  - "2025-11-18T01:00+00:00 in-progress by bob"
  - "2025-11-18T03:30+00:00 done by bob: all nodes on v1.28.4"
`);
    expect((await main(['validate', '--strict', t.taskDir])).code).toBe(0);
  });

  it('refuses to start an unapproved change (exit 1, files untouched); --force starts it and says so', async () => {
    const t = setup();
    const snap = snapshot(t.ops);
    const r = (await t.run(['status', TASK, 'in-progress', '--by', 'bob']));
    expect(r).toEqual({ code: 1, stdout: '', stderr: `ops-docs: the change has not been approved: run ops-docs status ${TASK} approved --by NAME first, or --force to start it anyway\n` });
    expect(snapshot(t.ops)).toEqual(snap);
    const f = (await t.run(['status', TASK, 'in-progress', '--by', 'bob', '--force', '--at', '2025-11-18 02:00']));
    expect(f).toEqual({ code: 0, stdout: `${TASK}: planned → in-progress (by bob, forced)\n`, stderr: '' });
    expect(t.read('runbook')).toContain('started: 2025-11-18T02:00+00:00\nhistory:\n  - "2025-11-18T02:00+00:00 in-progress (forced) by bob"\n---');
  });

  it('refuses impossible moves, naming the moves that are possible', async () => {
    const t = setup();
    const snap = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'done', '--by', 'x']))).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: cannot move a task from planned to done; from planned it can go to: approved, cancelled\n' });
    expect((await t.run(['status', TASK, 'planned', '--by', 'x']))).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: the task is already planned\n' });
    expect((await t.run(['status', TASK, 'cancelled', '--by', 'x'])).code).toBe(0);
    const snap2 = snapshot(t.ops);
    expect(snap2).not.toEqual(snap);
    expect((await t.run(['status', TASK, 'approved', '--by', 'x', '--force']))).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: cannot move a task from cancelled to approved; from cancelled it can go to: —\n' });
    expect(snapshot(t.ops)).toEqual(snap2);
  });

  it('usage errors exit 2, an unknown task exits 1, and neither touches a file', async () => {
    const t = setup();
    const snap = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'finished']))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: unknown state "finished": one of planned, approved, in-progress, done, rolled-back, cancelled\n' });
    expect((await t.run(['status', TASK, 'approved', '--at', 'yesterday'])).code).toBe(2);
    expect((await t.run(['status', TASK, 'approved', '--by', 'a\nb'])).code).toBe(2);
    expect((await t.run(['status', '..', 'approved'])).code).toBe(2);
    const u = (await t.run(['status', '2025-11-10-redis-failover-prod', 'approved']));
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/^ops-docs: no task "2025-11-10-redis-failover-prod" in .*active or .*archive/);
    expect(snapshot(t.ops)).toEqual(snap);
  });

  it('the checklist is canonical: after an interrupted move the same command brings the others in line', async () => {
    const t = setup();
    // As if a crash happened after the checklist was written but not the runbook: the checklist says approved.
    writeFileSync(t.file('checklist'), withStatus(t.read('checklist'), 'approved'));
    const runbook = t.read('runbook');
    const r = (await t.run(['status', TASK, 'approved', '--by', 'alice']));
    expect(r).toEqual({ code: 0, stdout: `${TASK}: every document now says approved\n`, stderr: '' });
    expect(t.read('runbook')).toBe(runbook.replace('status: planned', 'status: approved'));
    expect((await t.run(['status', TASK, 'approved', '--by', 'alice'])).code).toBe(1);
  });

  it('reads the default signer from $USER when git has no user.name', async () => {
    const t = setup();
    expect((await t.run(['status', TASK, 'approved'], { USER: 'night-shift' })).stdout).toBe(`${TASK}: planned → approved (by night-shift)\n`);
    expect(t.read('rollback')).toContain('approved_by: night-shift\n');
  });

  it('a frontmatter the tool cannot edit safely is refused with exit 1 and left as it was', async () => {
    const t = setup();
    const broken = t.read('runbook').replace('status: planned\n', 'status: planned\nstatus: planned\n');
    writeFileSync(t.file('runbook'), broken);
    const snap = snapshot(t.ops);
    const r = (await t.run(['status', TASK, 'approved', '--by', 'alice']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: cannot edit the frontmatter of .*-runbook\.md safely \(Map keys must be unique/);
    expect(snapshot(t.ops)).toEqual(snap);
  });
});

describe('ops-docs status: times go forward', () => {
  it('refuses a time before the task\'s own earlier dates or in the future: exit 2, the rule named, nothing written', async () => {
    const t = setup();
    const snap = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'approved', '--by', 'a', '--at', '2020-01-01']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2020-01-01 00:00 is before the task\'s created date (2025-11-10): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    const future = (await t.run(['status', TASK, 'approved', '--by', 'a', '--at', '2099-01-01 10:00']));
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/^ops-docs: --at 2099-01-01 10:00 is in the future \(now is \d{4}-\d\d-\d\d \d\d:\d\d\): a record says what happened, so a time may be at most 5 minutes ahead\n$/);
    expect(snapshot(t.ops)).toEqual(snap);
    // The created day itself is fine (a date means the whole day), and so is a time a minute ahead (clock drift).
    expect((await t.run(['status', TASK, 'approved', '--by', 'a', '--at', '2025-11-10 00:00'])).code).toBe(0);
    const snap2 = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'in-progress', '--by', 'b', '--at', '2025-11-09 23:59']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2025-11-09 23:59 is before the task\'s created date (2025-11-10): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    expect(snapshot(t.ops)).toEqual(snap2);
  });

  it('in-progress before approved, and done before started, are refused', async () => {
    const t = setup();
    expect((await t.run(['status', TASK, 'approved', '--by', 'a', '--at', '2025-11-12 09:00'])).code).toBe(0);
    const snap = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'in-progress', '--by', 'b', '--at', '2025-11-11 23:00']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2025-11-11 23:00 is before the task\'s approved date (2025-11-12): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    expect(snapshot(t.ops)).toEqual(snap);
    expect((await t.run(['status', TASK, 'in-progress', '--by', 'b', '--at', '2025-11-18 02:00'])).code).toBe(0);
    const snap2 = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'cancelled', '--by', 'b', '--at', '2025-11-18 01:59']))).toEqual({ code: 2, stdout: '',
      stderr: 'ops-docs: --at 2025-11-18 01:59 is before the task\'s started date (2025-11-18T02:00+00:00): a task\'s dates never go backwards (created ≤ approved ≤ started ≤ finished)\n' });
    const zh = (await t.run(['status', TASK, 'cancelled', '--by', 'b', '--at', '2025-11-18 01:59'], { OPS_DOCS_LANG: 'zh' }));
    expect(zh.stderr).toBe('ops-docs: --at 2025-11-18 01:59 早于任务的开始时间（started: 2025-11-18T02:00+00:00）：任务的时间不能倒退（created ≤ approved ≤ started ≤ finished）\n');
    expect(snapshot(t.ops)).toEqual(snap2);
  });

  it('an impossible move is named as such even with an odd time', async () => {
    const t = setup();
    expect((await t.run(['status', TASK, 'done', '--by', 'x', '--at', '2020-01-01']))).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: cannot move a task from planned to done; from planned it can go to: approved, cancelled\n' });
  });
});

describe('ops-docs status done: the record must agree', () => {
  async function running() {
    const t = setup();
    expect((await t.run(['status', TASK, 'approved', '--by', 'a', '--at', '2025-11-12 09:00'])).code).toBe(0);
    expect((await t.run(['status', TASK, 'in-progress', '--by', 'b', '--at', '2025-11-18 02:00'])).code).toBe(0);
    return t;
  }

  it('refuses done while a step is recorded as failed; --force needs the reason in --note, and history says forced', async () => {
    const t = await running();
    expect((await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'b', '--at', '2025-11-18 02:05'])).code).toBe(0);
    expect((await t.run(['record', TASK, 'S2', '--result', 'fail', '--by', 'b', '--at', '2025-11-18 02:30'])).code).toBe(0);
    const snap = snapshot(t.ops);
    expect((await t.run(['status', TASK, 'done', '--by', 'b', '--at', '2025-11-18 03:00']))).toEqual({ code: 1, stdout: '',
      stderr: `ops-docs: step S2 failed, so the change is not done: if it was rolled back, run ops-docs status ${TASK} rolled-back; if it is done anyway, --force with the reason in --note\n` });
    expect((await t.run(['status', TASK, 'done', '--by', 'b', '--at', '2025-11-18 03:00'], { OPS_DOCS_LANG: 'zh' })).stderr)
      .toBe(`ops-docs: 步骤 S2 失败，变更不能标记为已完成（done）：如已回滚，请运行 ops-docs status ${TASK} rolled-back；如确已完成，请使用 --force 并在 --note 中写明原因\n`);
    expect((await t.run(['status', TASK, 'done', '--by', 'b', '--force']))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: --force done over failed step S2 needs the reason in --note\n' });
    expect(snapshot(t.ops)).toEqual(snap);
    // rolled-back is what a failed step usually leads to: no guard there.
    const r = (await t.run(['status', TASK, 'done', '--by', 'b', '--at', '2025-11-18 03:00', '--force', '--note', 'S2 retried by hand and passed']));
    expect(r).toEqual({ code: 0, stdout: `${TASK}: in-progress → done (by b, forced)\n`,
      stderr: `warning: step(s) S3 have no recorded result: record them (ops-docs record ${TASK} <step> --result pass|fail|skipped) or doctor will report them\n` });
    expect(t.read('checklist')).toContain('  - "2025-11-18T03:00+00:00 done (forced) by b: S2 retried by hand and passed"\n');
  });

  it('rolled-back after a failed step is accepted quietly; done with every step recorded warns about nothing', async () => {
    const t = await running();
    expect((await t.run(['record', TASK, 'S2', '--result', 'fail', '--by', 'b', '--at', '2025-11-18 02:30'])).code).toBe(0);
    expect((await t.run(['status', TASK, 'rolled-back', '--by', 'b', '--at', '2025-11-18 03:00']))).toEqual({ code: 0, stdout: `${TASK}: in-progress → rolled-back (by b)\n`, stderr: '' });
    const u = await running();
    for (const s of ['S1', 'S2', 'S3']) expect((await u.run(['record', TASK, s, '--result', s === 'S3' ? 'skipped' : 'pass', '--by', 'b', '--at', '2025-11-18 02:30'])).code).toBe(0);
    expect((await u.run(['status', TASK, 'done', '--by', 'b', '--at', '2025-11-18 03:00']))).toEqual({ code: 0, stdout: `${TASK}: in-progress → done (by b)\n`, stderr: '' });
  });

  it('warns (and still moves) when steps have no result yet', async () => {
    const t = await running();
    const r = (await t.run(['status', TASK, 'done', '--by', 'b', '--at', '2025-11-18 03:00']));
    expect(r).toEqual({ code: 0, stdout: `${TASK}: in-progress → done (by b)\n`,
      stderr: `warning: step(s) S1, S2, S3 have no recorded result: record them (ops-docs record ${TASK} <step> --result pass|fail|skipped) or doctor will report them\n` });
    expect(t.read('runbook')).toContain('status: done\n');
  });
});

describe('ops-docs status in Chinese', () => {
  it('names states in Chinese with the word to type, never splices an English state into a sentence', async () => {
    const t = setup();
    const zh = { OPS_DOCS_LANG: 'zh' };
    expect((await t.run(['status', TASK, 'planned', '--by', 'x'], zh)).stderr).toBe('ops-docs: 任务的状态已是计划中（planned）\n');
    expect((await t.run(['status', TASK, 'done', '--by', 'x'], zh)).stderr).toBe('ops-docs: 任务不能从计划中（planned）变更为已完成（done）；从计划中（planned）只能变更为：approved、cancelled\n');
  });
});

describe('editFrontmatter', () => {
  const doc = (fm: string, eol = '\n') => ['---', ...fm.split('\n'), '---', '', '# Body  ', 'text'].join(eol);
  it('keeps comments, order and CRLF line ends; appends to an existing history list with its indentation', async () => {
    const src = doc('task: x\nstatus: planned   # CAB-7\nhistory:\n    - "one"\nowner: ann', '\r\n');
    const out = editFrontmatter('f.md', src, { set: { status: 'approved', approved: '2025-11-12' }, append: { history: ['two'] } });
    // A new key goes above history, so history stays the growing tail of the block.
    expect(out).toBe(doc('task: x\nstatus: approved   # CAB-7\napproved: 2025-11-12\nhistory:\n    - "one"\n    - two\nowner: ann', '\r\n'));
  });
  it('rewrites a flow list as a block list and quotes what YAML would misread', async () => {
    const out = editFrontmatter('f.md', doc('history: [a, b]'), { append: { history: ['yes', 'c: d', '#x'] } });
    expect(out).toBe(doc('history:\n  - a\n  - b\n  - "yes"\n  - "c: d"\n  - "#x"'));
  });
  it('refuses a document without frontmatter', async () => {
    expect(() => editFrontmatter('f.md', '# Title\n', { set: { status: 'done' } })).toThrow(FrontmatterEditError);
  });
  it('refuses when history is not a list', async () => {
    expect(() => editFrontmatter('f.md', doc('history: once'), { append: { history: ['x'] } })).toThrow(/"history" is not a list/);
  });
  it('leaves the body byte for byte', async () => {
    const body = readFileSync(join(import.meta.dirname, 'fixtures/valid/en', TASK, `${TASK}-runbook.md`), 'utf8');
    const out = editFrontmatter('f.md', body, { set: { status: 'done' } });
    expect(out.slice(out.indexOf('\n---\n'))).toBe(body.slice(body.indexOf('\n---\n')));
  });
});
