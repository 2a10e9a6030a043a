/** ops-docs status: the lifecycle moves, who and when in the frontmatter, refusals that leave the files alone. */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../src/standard/types.js';
import { editFrontmatter, FrontmatterEditError } from '../src/workspace/frontmatter-edit.js';
import { cli } from './helpers/cli.js';
import { TASK, setup, snapshot, withStatus } from './helpers/lifecycle.js';

const approvedBlock = (by: string, when = '2025-11-12T09:00+00:00') =>
  `created: 2025-11-10\napproved: 2025-11-12\napproved_by: ${by}\nhistory:\n  - "${when} approved by ${by}"\n---`;

describe('ops-docs status', () => {
  it('without a state prints the status and dates', () => {
    const t = setup();
    expect(t.run(['status', TASK])).toEqual({ code: 0, stdout: `${TASK}  planned\n  created: 2025-11-10\n`, stderr: '' });
    const j = JSON.parse(t.run(['status', TASK, '--json']).stdout);
    expect(j).toMatchObject({ task: TASK, location: 'active', status: 'planned', created: '2025-11-10', approved: null });
  });

  it('planned → approved writes status, date, approver and a history line into all four documents, nothing else', () => {
    const t = setup();
    const before = Object.fromEntries(KINDS.map((k) => [k, t.read(k)]));
    const r = t.run(['status', TASK, 'approved', '--by', 'alice', '--at', '2025-11-12 09:00']);
    expect(r).toEqual({ code: 0, stdout: `${TASK}: planned → approved (by alice)\n`, stderr: '' });
    for (const k of KINDS) {
      const want = before[k]!.replace('status: planned\n', 'status: approved\n').replace('created: 2025-11-10\n---', approvedBlock('alice'));
      expect(t.read(k)).toBe(want);
    }
    expect(cli(['validate', '--strict', t.taskDir]).code).toBe(0);
  });

  it('the full life: approved → in-progress → done stamps started and finished, history grows in order', () => {
    const t = setup();
    expect(t.run(['status', TASK, 'approved', '--by', 'alice', '--at', '2025-11-12 09:00']).code).toBe(0);
    expect(t.run(['status', TASK, 'in-progress', '--by', 'bob', '--at', '2025-11-18T02:00:00+01:00']).code).toBe(0);
    expect(t.run(['status', TASK, 'done', '--by', 'bob', '--at', '2025-11-18 03:30', '--note', 'all nodes on v1.28.4']).code).toBe(0);
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
    expect(cli(['validate', '--strict', t.taskDir]).code).toBe(0);
  });

  it('refuses to start an unapproved change (exit 1, files untouched); --force starts it and says so', () => {
    const t = setup();
    const snap = snapshot(t.ops);
    const r = t.run(['status', TASK, 'in-progress', '--by', 'bob']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: the change has not been approved: run ops-docs status <task> approved first, or --force to start it anyway\n' });
    expect(snapshot(t.ops)).toEqual(snap);
    const f = t.run(['status', TASK, 'in-progress', '--by', 'bob', '--force', '--at', '2025-11-18 02:00']);
    expect(f).toEqual({ code: 0, stdout: `${TASK}: planned → in-progress (by bob, forced)\n`, stderr: '' });
    expect(t.read('runbook')).toContain('started: 2025-11-18T02:00+00:00\nhistory:\n  - "2025-11-18T02:00+00:00 in-progress (forced) by bob"\n---');
  });

  it('refuses impossible moves, naming the moves that are possible', () => {
    const t = setup();
    const snap = snapshot(t.ops);
    expect(t.run(['status', TASK, 'done', '--by', 'x'])).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: cannot move a task from planned to done; from planned it can go to: approved, cancelled\n' });
    expect(t.run(['status', TASK, 'planned', '--by', 'x'])).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: the task is already planned\n' });
    expect(t.run(['status', TASK, 'cancelled', '--by', 'x']).code).toBe(0);
    const snap2 = snapshot(t.ops);
    expect(snap2).not.toEqual(snap);
    expect(t.run(['status', TASK, 'approved', '--by', 'x', '--force'])).toEqual({ code: 1, stdout: '', stderr: 'ops-docs: cannot move a task from cancelled to approved; from cancelled it can go to: —\n' });
    expect(snapshot(t.ops)).toEqual(snap2);
  });

  it('usage errors exit 2, an unknown task exits 1, and neither touches a file', () => {
    const t = setup();
    const snap = snapshot(t.ops);
    expect(t.run(['status', TASK, 'finished'])).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: unknown state "finished": one of planned, approved, in-progress, done, rolled-back, cancelled\n' });
    expect(t.run(['status', TASK, 'approved', '--at', 'yesterday']).code).toBe(2);
    expect(t.run(['status', TASK, 'approved', '--by', 'a\nb']).code).toBe(2);
    expect(t.run(['status', '..', 'approved']).code).toBe(2);
    const u = t.run(['status', '2025-11-10-redis-failover-prod', 'approved']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/^ops-docs: no task "2025-11-10-redis-failover-prod" in .*active or .*archive/);
    expect(snapshot(t.ops)).toEqual(snap);
  });

  it('the checklist is canonical: after an interrupted move the same command brings the others in line', () => {
    const t = setup();
    // As if a crash happened after the checklist was written but not the runbook: the checklist says approved.
    writeFileSync(t.file('checklist'), withStatus(t.read('checklist'), 'approved'));
    const runbook = t.read('runbook');
    const r = t.run(['status', TASK, 'approved', '--by', 'alice']);
    expect(r).toEqual({ code: 0, stdout: `${TASK}: every document now says approved\n`, stderr: '' });
    expect(t.read('runbook')).toBe(runbook.replace('status: planned', 'status: approved'));
    expect(t.run(['status', TASK, 'approved', '--by', 'alice']).code).toBe(1);
  });

  it('reads the default signer from $USER when git has no user.name', () => {
    const t = setup();
    expect(t.run(['status', TASK, 'approved'], { USER: 'night-shift' }).stdout).toBe(`${TASK}: planned → approved (by night-shift)\n`);
    expect(t.read('rollback')).toContain('approved_by: night-shift\n');
  });

  it('a frontmatter the tool cannot edit safely is refused with exit 1 and left as it was', () => {
    const t = setup();
    const broken = t.read('runbook').replace('status: planned\n', 'status: planned\nstatus: planned\n');
    writeFileSync(t.file('runbook'), broken);
    const snap = snapshot(t.ops);
    const r = t.run(['status', TASK, 'approved', '--by', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops-docs: cannot edit the frontmatter of .*-runbook\.md safely \(Map keys must be unique/);
    expect(snapshot(t.ops)).toEqual(snap);
  });
});

describe('editFrontmatter', () => {
  const doc = (fm: string, eol = '\n') => ['---', ...fm.split('\n'), '---', '', '# Body  ', 'text'].join(eol);
  it('keeps comments, order and CRLF line ends; appends to an existing history list with its indentation', () => {
    const src = doc('task: x\nstatus: planned   # CAB-7\nhistory:\n    - "one"\nowner: ann', '\r\n');
    const out = editFrontmatter('f.md', src, { set: { status: 'approved', approved: '2025-11-12' }, append: { history: ['two'] } });
    // A new key goes above history, so history stays the growing tail of the block.
    expect(out).toBe(doc('task: x\nstatus: approved   # CAB-7\napproved: 2025-11-12\nhistory:\n    - "one"\n    - two\nowner: ann', '\r\n'));
  });
  it('rewrites a flow list as a block list and quotes what YAML would misread', () => {
    const out = editFrontmatter('f.md', doc('history: [a, b]'), { append: { history: ['yes', 'c: d', '#x'] } });
    expect(out).toBe(doc('history:\n  - a\n  - b\n  - "yes"\n  - "c: d"\n  - "#x"'));
  });
  it('refuses a document without frontmatter', () => {
    expect(() => editFrontmatter('f.md', '# Title\n', { set: { status: 'done' } })).toThrow(FrontmatterEditError);
  });
  it('refuses when history is not a list', () => {
    expect(() => editFrontmatter('f.md', doc('history: once'), { append: { history: ['x'] } })).toThrow(/"history" is not a list/);
  });
  it('leaves the body byte for byte', () => {
    const body = readFileSync(join(import.meta.dirname, 'fixtures/valid/en', TASK, `${TASK}-runbook.md`), 'utf8');
    const out = editFrontmatter('f.md', body, { set: { status: 'done' } });
    expect(out.slice(out.indexOf('\n---\n'))).toBe(body.slice(body.indexOf('\n---\n')));
  });
});
