/**
 * The review rules on documents complete in form and damaged in substance, the way a change reviewer finds them:
 * each damaged task gets a finding of the expected rule in the damaged file under --strict, and every original
 * (hand-written corpus, the valid fixtures, offline output in both languages) gets none.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStandard } from '../src/standard/load.js';
import { loadPlaybooks } from '../src/standard/playbooks.js';
import { buildPlan, matchPlaybook } from '../src/generate/offline.js';
import { renderTask } from '../src/generate/render.js';
import { deriveTaskName as deriveWith } from '../src/naming.js';
import { loadVocabulary } from '../src/generate/vocabulary.js';
import { KINDS, type Kind, type Lang } from '../src/standard/types.js';
import { validateTaskSources, type Finding } from '../src/validate/index.js';
import { requestNames } from '../src/validate/review.js';
import { shellSyntaxError } from '../src/validate/shell-parser.js';
import { ROOT, VALID, readTask } from './helpers/fixtures.js';

const standard = loadStandard();
const playbooks = loadPlaybooks();
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
const vocabulary = loadVocabulary();
const deriveTaskName = (d: string, o: { date?: string }) => deriveWith(d, { ...o, vocabulary, rule: standard.common.taskName });

type Docs = Record<Kind, string>;
interface Task { name: string; docs: Docs }

function fromFolder(dir: string): Task {
  const { task, docs } = readTask(dir);
  return { name: task, docs: Object.fromEntries(KINDS.map((k) => [k, docs[k].text])) as Docs };
}

function generated(description: string, lang: Lang): Task {
  const { playbook } = matchPlaybook(description, playbooks, vocabulary);
  const task = deriveTaskName(description, { date: '2025-11-10' });
  const plan = buildPlan({ description, vocabulary, task, lang, playbook, standard });
  return { name: task.name, docs: renderTask(plan, standard) };
}

function check(t: Task): Finding[] {
  const files = KINDS.map((k) => ({ path: `${t.name}/${t.name}-${k}.md`, bytes: Buffer.from(t.docs[k]) }));
  return validateTaskSources(t.name, files, standard, { strict: true });
}

/** A copy of the task with one document edited; the edit must change it. */
function damage(t: Task, kind: Kind, edit: (text: string) => string): Task {
  const text = edit(t.docs[kind]);
  expect(text, `the damage applies to ${t.name}-${kind}.md`).not.toBe(t.docs[kind]);
  return { name: t.name, docs: { ...t.docs, [kind]: text } };
}

const ORIGINALS: Record<string, () => Task> = {
  'corpus k8s': () => fromFolder(join(CORPUS, '2026-03-03-k8s-upgrade-prod-eu-v1.29')),
  'corpus redis (zh)': () => fromFolder(join(CORPUS, '2026-07-21-redis-upgrade-session-cluster-v7.2')),
  'valid en': () => fromFolder(VALID.en),
  'valid zh': () => fromFolder(VALID.zh),
  'offline pg_upgrade (en)': () => generated('upgrade postgres orders-db on db-prod-3 from 14 to 16', 'en'),
  'offline pg_upgrade (zh)': () => generated('PostgreSQL 从 12 升级到 15', 'zh'),
  'offline kubeadm (en)': () => generated('kubernetes cluster upgrade to v1.28', 'en'),
  'offline kubeadm (zh)': () => generated('Kubernetes 集群升级到 v1.28', 'zh'),
  'offline EKS (en)': () => generated('EKS cluster upgrade to 1.29', 'en'),
  'offline TLS (en)': () => generated('TLS certificate rotation for api.example.com', 'en'),
};

describe('the undamaged originals', () => {
  for (const [name, make] of Object.entries(ORIGINALS)) {
    it(`${name}: no finding under --strict`, () => expect(check(make())).toEqual([]));
  }
});

interface Damage {
  name: string;
  from: string;
  kind: Kind;
  edit: (text: string) => string;
  ruleId: string;
  message: RegExp;
  /** The damage touches nothing else a rule checks: the finding is the only one of the task. */
  only?: boolean;
}

const DAMAGES: Damage[] = [
  {
    name: 'the stated total changed (a total row in a table, zh)', from: 'corpus redis (zh)', kind: 'runbook',
    edit: (t) => t.replace('**145 分钟**', '**175 分钟**'), ruleId: 'review-total-sum',
    message: /^总计写的是 175 分钟，但各步骤相加为 145 分钟（S1 15 \+ S2 40 \+ S3 60 \+ 缓冲 30）/,
  },
  {
    name: 'the stated total changed (a sentence, en)', from: 'offline pg_upgrade (en)', kind: 'runbook',
    edit: (t) => t.replace('**Total:** 157 min', '**Total:** 120 min'), ruleId: 'review-total-sum',
    message: /^the total says 120 min, but the steps add up to 157 min \(S1 30 \+ S2 15 \+ S3 10 \+ S4 10 \+ S5 5 \+ S6 2 \+ S7 5 \+ S8 20 \+ S9 40 \+ 20 buffer\)/,
  },
  {
    name: 'a window too small for the total', from: 'valid zh', kind: 'runbook',
    edit: (t) => t.replace('窗口为 120 分钟', '窗口为 45 分钟'), ruleId: 'review-window',
    message: /^总计（60 分钟）超出了所写的变更窗口（45 分钟）/,
  },
  {
    name: 'a downtime that does not match the steps it names', from: 'offline pg_upgrade (en)', kind: 'runbook',
    edit: (t) => t.replace('(S3–S6:', '(S3–S8:'), ruleId: 'review-downtime',
    message: /^the stated downtime \(27 min\) does not match the steps it names \(S3, S4, S5, S6, S7, S8: 52 min\)/,
  },
  {
    name: 'the rollback total changed', from: 'offline kubeadm (en)', kind: 'rollback',
    edit: (t) => t.replace(/(\*\*Total:\*\* )(\d+) min/, (_m, a: string, n: string) => `${a}${Number(n) + 30} min`), ruleId: 'review-total-sum',
    message: /^the total says \d+ min, but the steps add up to \d+ min \(R1 /,
  },
  {
    name: 'the backup commands removed', from: 'offline pg_upgrade (en)', kind: 'runbook',
    edit: (t) => t.replace(/^sudo -u postgres pg_basebackup .*\n/m, ''), ruleId: 'review-backup-before-destruction',
    message: /^S4 runs `cd \/var\/tmp && sudo -u postgres \/usr\/lib\/postgresql\/16\/bin\/pg_upgrade/,
  },
  {
    name: 'a backup never verified', from: 'valid en', kind: 'runbook',
    edit: (t) => t.replace('- **Verification:** `etcdctl snapshot status /var/backups/etcd-pre-1.28.db` reports a non-zero key count', '- **Verification:** the command exits 0'),
    ruleId: 'review-backup-verified', message: /^the backup in S1 is never verified/,
  },
  {
    name: 'an unterminated quote in a bash block', from: 'corpus k8s', kind: 'runbook',
    edit: (t) => t.replace(/```bash\n/, '```bash\necho "starting\n'), ruleId: 'review-shell-parse',
    message: /^the bash block does not parse: reached EOF without closing quote `"` \(line 1 of the block\)/,
  },
  {
    name: 'a No-Go that no longer leads to the rollback', from: 'offline kubeadm (en)', kind: 'runbook',
    edit: (t) => t.replace('- **No-Go action:** stop and execute the rollback plan from step R1', '- **No-Go action:** stop and roll back the node by hand'),
    ruleId: 'review-no-go-rollback', message: /^the No-Go action of G2 does not lead to the rollback/,
  },
  {
    name: 'a decision point moved after the step it guards', from: 'offline pg_upgrade (en)', kind: 'runbook',
    // G3 ("row counts match S3") moved up to stand after S1, before S2.
    edit: (t) => t.replace('### G3: Before reopening to clients (after S5)', '### G3: Before reopening to clients (after S1)'),
    ruleId: 'review-gate-order', message: /^G3 stands before S2, but its Go criteria rest on S3, which only runs after it/,
  },
  {
    name: 'the rollback restoring from a path the runbook never writes', from: 'valid en', kind: 'rollback',
    edit: (t) => t.replaceAll('/var/backups/etcd-pre-1.28.db', '/var/backups/etcd-latest.db'), ruleId: 'review-restore-source',
    message: /^the rollback restores from `\/var\/backups\/etcd-latest\.db`, which no runbook command writes/,
  },
  {
    name: 'a restore command that does not read the backup it names', from: 'valid zh', kind: 'rollback',
    edit: (t) => t.replace('  tar -xzf /backup/pg12-2025-11-03/base.tar.gz', '  tar -xzf /backup/pg12-latest/base.tar.gz'), ruleId: 'review-restore-source',
    message: /^恢复命令没有读取备份来源（`\/backup\/pg12-2025-11-03`）/,
  },
  {
    name: 'a request name replaced in every command', from: 'offline TLS (en)', kind: 'runbook',
    edit: (t) => t.replace(/\n---\n[\s\S]*$/, (body) => body.replaceAll('api.example.com', 'api.example.net')),
    ruleId: 'review-request-names', message: /^the request names `api\.example\.com`, but no command uses it/,
  },
  {
    name: 'a checklist row planning another time than its runbook step', from: 'valid en', kind: 'checklist',
    edit: (t) => t.replace('| S2 | Upgrade the first control-plane node | 20 min |', '| S2 | Upgrade the first control-plane node | 35 min |'),
    ruleId: 'review-checklist-times', only: true,
    message: /^the checklist plans 35 min for S2, but the runbook estimates 20 min: write 20 min in the checklist, or correct the runbook's estimate$/,
  },
  {
    name: 'a checklist row planning another time than its runbook step (zh, hand-written, numbered 1, 2, 3)', from: 'corpus redis (zh)', kind: 'checklist',
    edit: (t) => t.replace('| 2 | 升级三个从节点 | 40 分钟 |', '| 2 | 升级三个从节点 | 半小时 |'),
    ruleId: 'review-checklist-times', only: true,
    message: /^检查清单中 S2 的计划耗时为 30 分钟，但 runbook 预计 40 分钟：请在检查清单中改为 40 分钟，或更正 runbook 的预计耗时$/,
  },
  {
    name: 'a checklist row planning another time than its runbook step (offline, zh)', from: 'offline pg_upgrade (zh)', kind: 'checklist',
    edit: (t) => t.replace(/(\| S4 \| [^|]+\| )10 分钟/, '$112 分钟'),
    ruleId: 'review-checklist-times', only: true,
    message: /^检查清单中 S4 的计划耗时为 12 分钟，但 runbook 预计 10 分钟/,
  },
  {
    name: 'a window narrowed until a No-Go at the last decision point leaves no room to roll back', from: 'offline EKS (en)', kind: 'runbook',
    edit: (t) => t.replace('inside the 240 min window', 'inside the 180 min window'),
    ruleId: 'review-window-rollback', only: true,
    message: /^if G3 \(after S5, at 140 min\) says No-Go, the 45-min rollback ends at 185 min, past the 180-min window: move the decision earlier, shorten the rollback or widen the window$/,
  },
  {
    name: 'a window narrowed until a No-Go at the last decision point leaves no room to roll back (zh)', from: 'offline kubeadm (zh)', kind: 'runbook',
    edit: (t) => t.replace('在 180 分钟变更窗口内', '在 170 分钟变更窗口内'),
    ruleId: 'review-window-rollback', only: true,
    message: /^若 G3（S5 之后，第 120 分钟）决定不放行，55 分钟的回滚将在第 175 分钟结束，超出 170 分钟的窗口：请提前决策点、缩短回滚或扩大窗口$/,
  },
];

describe('damaged documents get a finding in the damaged file under --strict', () => {
  for (const d of DAMAGES) {
    it(`${d.name} → ${d.ruleId}`, () => {
      const original = ORIGINALS[d.from]!();
      const findings = check(damage(original, d.kind, d.edit));
      const hit = findings.find((f) => f.ruleId === d.ruleId);
      expect(hit, JSON.stringify(findings, null, 1)).toBeDefined();
      expect(hit!.file).toBe(`${original.name}/${original.name}-${d.kind}.md`);
      expect(hit!.message).toMatch(d.message);
      if (d.only) expect(findings.map((f) => f.ruleId)).toEqual([d.ruleId]);
      const objective = standard.review.rules[d.ruleId]!.severity === 'error';
      expect(hit!.severity).toBe(objective ? 'error' : 'warning');
    });
  }
});

describe('review-checklist-times compares what both documents state', () => {
  const ids = (t: Task) => check(t).map((f) => f.ruleId);
  it('a step whose time multiplies (15 min per node) is not compared with the checklist\'s total for it', () => {
    const t = damage(ORIGINALS['valid en']!(), 'checklist', (x) => x.replace('| 15 min per node |', '| 45 min |'));
    expect(ids(t)).toEqual([]);
  });
  it('a checklist without a planned-time column: the standard\'s own finding, none of this rule', () => {
    const t = damage(ORIGINALS['corpus redis (zh)']!(), 'checklist', (x) => x
      .replace('| 编号 | 步骤 | 计划耗时 | 实际起止 | 验证结果 | 签字 |\n|---|---|---|---|---|---|', '| 编号 | 步骤 | 实际起止 | 验证结果 | 签字 |\n|---|---|---|---|---|')
      .replace(/^(\| \d \| [^|]+\| )\d+ 分钟 \| /gm, '$1'));
    expect(ids(t)).toEqual(['checklist-steps-planned']);
  });
});

describe('severity and team settings', () => {
  const damaged = () => damage(ORIGINALS['valid en']!(), 'rollback', (t) => t.replaceAll('/var/backups/etcd-pre-1.28.db', '/var/backups/etcd-latest.db'));
  const files = (t: Task) => KINDS.map((k) => ({ path: `${t.name}/${t.name}-${k}.md`, bytes: Buffer.from(t.docs[k]) }));

  it('an objective rule is a warning while drafting and an error under --strict', () => {
    const t = damaged();
    expect(validateTaskSources(t.name, files(t), standard, {}).filter((f) => f.ruleId === 'review-restore-source').map((f) => f.severity)).toEqual(['warning']);
    expect(validateTaskSources(t.name, files(t), standard, { strict: true }).filter((f) => f.ruleId === 'review-restore-source').map((f) => f.severity)).toEqual(['error']);
  });

  it('a team turns a review rule off, or makes a heuristic an error, by its id', () => {
    const t = damaged();
    const off = { ...standard, common: { ...standard.common, rules: { 'review-restore-source': 'off' as const } } };
    expect(validateTaskSources(t.name, files(t), off, { strict: true })).toEqual([]);
    const u = damage(ORIGINALS['valid en']!(), 'runbook', (x) => x.replace('`etcdctl snapshot status /var/backups/etcd-pre-1.28.db` reports a non-zero key count', 'the command exits 0'));
    const strictTeam = { ...standard, common: { ...standard.common, rules: { 'review-backup-verified': 'error' as const } } };
    expect(validateTaskSources(u.name, files(u), strictTeam, {}).filter((f) => f.ruleId === 'review-backup-verified').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('the pieces', () => {
  it('the shell parser: mvdan/sh errors with their position, across many parses (instances are replaced)', () => {
    expect(shellSyntaxError('kubectl get nodes | grep -c Ready')).toBeUndefined();
    expect(shellSyntaxError('echo "x')).toEqual({ line: 1, column: 6, message: 'reached EOF without closing quote `"`' });
    expect(shellSyntaxError('if true; then\n  echo ok\n')?.message).toBe('`if` statement must end with `fi`');
    expect(shellSyntaxError('a=(1 2)', 'posix')?.line).toBe(1);
    expect(shellSyntaxError('a=(1 2)', 'bash')).toBeUndefined();
    for (let i = 0; i < 1500; i++) expect(shellSyntaxError(`echo ${i} && ls /var/backups/x-${i}`)).toBeUndefined();
  });

  it('request names: hosts, clusters, databases, services, domains and versions, not vocabulary or bare numbers', () => {
    expect(requestNames('upgrade postgres orders-db on db-prod-3 from 14 to 16', standard.review)).toEqual(['orders-db', 'db-prod-3']);
    expect(requestNames('Kafka scale-out: add 3 brokers to events-prod', standard.review)).toEqual(['events-prod']);
    expect(requestNames('更换 shop.example.cn 的 SSL 证书，升级到 v1.28', standard.review)).toEqual(['shop.example.cn', 'v1.28']);
    expect(requestNames('MySQL 5.7 to 8.0 upgrade', standard.review)).toEqual(['5.7', '8.0']);
  });
});
