/**
 * The lifecycle on task folders a team wrote by hand (test/fixtures/corpus): status, record by the team's own way
 * of naming a step, print and doctor work on them, and the folder still validates after every record.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { ROOT } from './helpers/fixtures.js';
import { setup, withStatus } from './helpers/lifecycle.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
const MYSQL = join(CORPUS, '2026-04-14-mysql-failover-orders-db');
const NGINX = join(CORPUS, '2026-08-18-nginx-rotate-ingress-tls-cert');
const K8S = join(CORPUS, '2026-03-03-k8s-upgrade-prod-eu-v1.29');

function inProgress(fixture: string) {
  const t = setup(fixture);
  for (const k of ['runbook', 'rollback', 'checklist', 'postmortem-template']) {
    writeFileSync(t.file(k), withStatus(t.read(k), 'in-progress', 'started: 2026-01-01T00:00+00:00'));
  }
  return t;
}

describe('lifecycle on hand-written folders', async () => {
  it('record takes 2, "Step 2", s2, 第三步 and go-nogo 1; a ☐ Pass ☐ Fail cell gets its box ticked', async () => {
    const t = inProgress(MYSQL);
    const before = t.read('checklist');
    const at = (hhmm: string) => ['--at', `2026-04-14 ${hhmm}`];
    expect(await t.run(['record', t.task, '1', '--result', 'pass', '--by', 'marta', ...at('21:08')])).toEqual({
      code: 0, stdout: 'S1: Actual start–end: 2026-04-14 21:08 · Verification result: ☑ Pass ☐ Fail · Signed: marta\n', stderr: '',
    });
    expect((await t.run(['record', t.task, 'Step 2', '--start', ...at('21:10')])).stdout).toBe('S2: Actual start–end: 2026-04-14 21:10–\n');
    expect((await t.run(['record', t.task, 's2', '--result', 'pass', '--by', 'marta', '--note', 'took 38 min', ...at('21:48')])).code).toBe(0);
    expect((await t.run(['record', t.task, 'go-nogo', '1', '--decision', 'go', '--by', 'marta', ...at('21:55')])).stdout)
      .toBe('G1: Decision: ☑ Go ☐ No-Go · Decided by: marta · Time: 2026-04-14 21:55\n');
    const failed = await t.run(['record', t.task, '第三步', '--result', 'fail', '--by', 'marta', ...at('22:00')]);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/^S3: Actual start–end: 2026-04-14 22:00 · Verification result: ☐ Pass ☑ Fail · Signed: marta\n\nstep S3 failed\. Rollback plan: /);
    expect(failed.stdout).toContain('  R1 – Point the apps back at orders-db-1\n      $ mysql -h orders-db-2');
    expect(t.read('checklist')).toBe(before
      .replace('| S1 | Confirm replication health | 10 min | | ☐ Pass ☐ Fail | |', '| S1 | Confirm replication health | 10 min | 2026-04-14 21:08 | ☑ Pass ☐ Fail | marta |')
      .replace('| S2 | Take a fresh backup of the primary | 40 min | | ☐ Pass ☐ Fail | |', '| S2 | Take a fresh backup of the primary | 40 min | 2026-04-14 21:10–21:48 | ☑ Pass ☐ Fail — took 38 min | marta |')
      .replace('| S3 | Set the primary read-only and wait | 5 min | | ☐ Pass ☐ Fail | |', '| S3 | Set the primary read-only and wait | 5 min | 2026-04-14 22:00 | ☐ Pass ☑ Fail | marta |')
      .replace('| 1 | After S3: replica caught up | ☐ Go ☐ No-Go | | |', '| 1 | After S3: replica caught up | ☑ Go ☐ No-Go | marta | 2026-04-14 21:55 |'));
    expect(await main(['validate', '--strict', t.taskDir])).toMatchObject({ code: 0 });
    // The failed step (its box ticked, not its word written) keeps the change from being called done.
    const done = await t.run(['status', t.task, 'done', '--at', '2026-04-14 22:30']);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/S3/);
  });

  it('rows named by title (no number) are found through the runbook; Chinese messages; validate after record', async () => {
    const t = inProgress(NGINX);
    const r = await t.run(['record', t.task, 'go-nogo', '决策点二', '--decision', 'no-go', '--by', '刘洋', '--at', '2026-08-18 10:40'], { OPS_DOCS_LANG: 'zh' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('G2: 决策: No-Go · 决策人: 刘洋 · 时间: 2026-08-18 10:40');
    expect(t.read('checklist')).toContain('| 全量之前 | No-Go | 刘洋 | 2026-08-18 10:40 |');
    expect((await t.run(['record', t.task, '第1步', '--result', 'pass', '--by', '刘洋', '--at', '2026-08-18 10:09'])).code).toBe(0);
    expect(t.read('checklist')).toContain('| 第1步 | 分发新证书 | 10 分钟 | 2026-08-18 10:09 | 通过 | 刘洋 |');
    expect((await t.run(['record', t.task, 'check', 'approval', '--by', '刘洋', '--at', '2026-08-18 10:41'])).code).toBe(0);
    expect(t.read('checklist')).toContain('| 变更审批已通过 | ☑ | 刘洋 | 2026-08-18 10:41 |');
    const missing = await t.run(['record', t.task, '第9步', '--result', 'pass', '--by', 'x']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('ops-docs: the checklist\'s "Execution Steps" table has no row S9 (it has: 第1步, 第2步, 第3步)\n');
    expect(await main(['validate', '--strict', t.taskDir])).toMatchObject({ code: 0 });
  });

  it('status, print and doctor read a hand-written folder', async () => {
    const t = setup(K8S);
    const status = await t.run(['status', t.task]);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout.split('\n')[0]).toBe(`${t.task}  planned`);
    const out = join(t.root, 'print.html');
    const printed = await t.run(['print', t.task, '--out', out]);
    expect(printed).toMatchObject({ code: 0, stderr: `wrote ${out} (4 document(s))\n` });
    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, 'utf8');
    for (const text of ['Step 1 — Pre-flight checks and backups', 'GNG-1 — Before the workers (after Step 3)', 'Before the window']) expect(html).toContain(text);
    const doctor = await t.run(['doctor']);
    expect(doctor.stdout).not.toMatch(/invalid|misnamed|unsigned/);
    expect(doctor.code).toBe(0);
  });
});
