/**
 * The offline provider: playbook matching, values read from the description, the Plan, and the rendered documents
 * checked by the real validator — every playbook in both languages.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BUILTIN_TEMPLATES, loadStandard, StandardError } from '../src/standard/load.js';
import { checkPlaybook, loadPlaybooks } from '../src/standard/playbooks.js';
import { buildPlan, extractValues, generateOffline, markdownText, matchPlaybook, resolveVariables } from '../src/generate/offline.js';
import { renderTask } from '../src/generate/render.js';
import { deriveTaskName as deriveWith } from '../src/naming.js';
import { loadVocabulary } from '../src/generate/vocabulary.js';
import { KINDS, type Lang, type Standard } from '../src/standard/types.js';
import type { Finding } from '../src/validate/rule.js';
import { tmp } from './helpers/tmp.js';

const standard = loadStandard();
const playbooks = loadPlaybooks();
const vocabulary = loadVocabulary();
const deriveTaskName = (d: string, o: { date?: string }) => deriveWith(d, { ...o, vocabulary, rule: standard.common.taskName });

async function generate(description: string, lang: Lang, std: Standard = standard, pbs = playbooks) {
  const { playbook } = matchPlaybook(description, pbs, vocabulary);
  const task = deriveTaskName(description, { date: '2025-11-10' });
  const plan = buildPlan({ description, vocabulary, task, lang, playbook, standard: std });
  const result = await generateOffline({ description, task, lang, standard: std, strict: !playbook.generic, playbook: playbook.id }, plan);
  const findings: Finding[] = KINDS.flatMap((k) => result.findings[k]);
  return { playbook, plan, result, findings };
}

/** One representative description per playbook, in each language. */
const SAMPLES: Record<string, Record<Lang, string>> = {
  'postgres-pg-upgrade': { en: 'database migration from PostgreSQL 12 to 15', zh: 'PostgreSQL 从 12 升级到 15' },
  'postgres-logical-replication': { en: 'PostgreSQL 12 to 16 upgrade with logical replication', zh: '通过逻辑复制将 PostgreSQL 从 13 升级到 16' },
  'mysql-upgrade': { en: 'MySQL 5.7 to 8.0 upgrade', zh: 'MySQL 从 8.0 升级到 8.4' },
  'k8s-kubeadm-upgrade': { en: 'kubernetes cluster upgrade to v1.28', zh: 'Kubernetes 集群升级到 v1.28' },
  'k8s-managed-upgrade': { en: 'EKS cluster upgrade to 1.29', zh: 'GKE 集群升级到 1.30' },
  'cdn-switchover': { en: 'CDN provider switchover from CloudFlare to AWS CloudFront', zh: '将 CDN 从 Cloudflare 切换到 AWS CloudFront' },
  'dns-migration': { en: 'DNS migration from GoDaddy to Route 53 for example.org', zh: '域名解析从阿里云迁移到 Cloudflare' },
  'tls-cert-rotation': { en: 'TLS certificate rotation for api.example.com', zh: '更换 shop.example.cn 的 SSL 证书' },
  'redis-failover': { en: 'planned Redis failover of redis-prod-1', zh: 'Redis 主从切换' },
  'redis-scale-out': { en: 'Redis cluster scale-out with 2 new shards', zh: 'Redis 集群扩容' },
  'kafka-scale-out': { en: 'Kafka scale-out: add 3 brokers', zh: 'Kafka 集群扩容 3 个节点' },
  'app-deploy-db-migration': { en: 'deploy checkout service v2.4.0 with database migration', zh: '发布订单服务 3.1.0 并执行数据库迁移' },
  generic: { en: 'rotate the frobnicator on the build farm', zh: '调整构建农场的 frobnicator 参数' },
  // issue 12: playbooks for common changes (test/playbooks-new.test.ts checks them in depth)
  'redis-upgrade': { en: 'upgrade redis from 6.2 to 7.2 with sentinel', zh: '将生产 Redis 从 5.0 升级到 7.0' },
  'kafka-upgrade-kraft': { en: 'upgrade Kafka from 3.6 to 3.7 with KRaft', zh: 'Kafka 集群从 3.7 升级到 3.8（KRaft）' },
  'kafka-upgrade-zookeeper': { en: 'upgrade Kafka from 3.5 to 3.6 in ZooKeeper mode', zh: 'ZooKeeper 模式的 Kafka 从 2.8 升级到 3.6' },
  'aws-rds-upgrade': { en: 'upgrade Aurora PostgreSQL from 13 to 15', zh: '将 RDS MySQL 从 5.7 升级到 8.0' },
  'cloudsql-upgrade': { en: 'upgrade Cloud SQL PostgreSQL from 14 to 16', zh: '将 Cloud SQL 实例从 13 升级到 15' },
  'mysql-switchover': { en: 'planned MySQL switchover from db-prod-1 to db-prod-2', zh: 'MySQL 主从切换' },
  'postgres-switchover': { en: 'planned PostgreSQL switchover of pg-prod-1', zh: 'PostgreSQL 主备切换' },
  'mongodb-upgrade': { en: 'upgrade MongoDB replica set from 6.0 to 7.0', zh: '将 MongoDB 副本集从 7.0 升级到 8.0' },
  'elasticsearch-upgrade': { en: 'rolling upgrade of Elasticsearch from 8.14 to 8.15', zh: 'OpenSearch 集群从 2.11 升级到 2.13' },
  'os-patching': { en: 'OS patching with rolling reboots on web-prod-1', zh: '为 Ubuntu 主机打安全补丁并滚动重启' },
  'nginx-upgrade': { en: 'upgrade nginx from 1.24 to 1.26', zh: '将 nginx 从 1.22 升级到 1.24' },
  'haproxy-upgrade': { en: 'upgrade HAProxy from 2.8 to 3.0', zh: '将 HAProxy 从 2.6 升级到 2.8' },
  'ingress-nginx-tls-rotation': { en: 'rotate the ingress-nginx TLS secret for shop.example.com', zh: '更换 Kubernetes ingress 的 TLS 证书' },
};

describe('the catalog', () => {
  it('holds the required playbooks and one generic', () => {
    expect(playbooks.map((p) => p.id).sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(playbooks.filter((p) => p.generic).map((p) => p.id)).toEqual(['generic']);
  });

  for (const [id, byLang] of Object.entries(SAMPLES)) {
    for (const lang of ['en', 'zh'] as const) {
      const description = byLang[lang];
      it(`${id} / ${lang}: "${description}" matches and ${id === 'generic' ? 'passes validate with placeholder warnings only' : 'passes validate --strict'}`, async () => {
        const { playbook, result, findings } = await generate(description, lang);
        expect(playbook.id).toBe(id);
        expect(result.ok).toBe(true);
        if (id === 'generic') {
          expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
          expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(['no-placeholders']));
        } else {
          expect(findings).toEqual([]);
        }
        // The documents are in the chosen language.
        const heading = lang === 'zh' ? '## 执行概要' : '## Executive Summary';
        expect(result.docs.runbook).toContain(heading);
        expect(result.docs.runbook).toContain(`language: ${lang}`);
      });
    }
  }

  it('generic: the exact placeholder warnings, by document, in English', async () => {
    const { findings } = await generate(SAMPLES.generic!.en, 'en');
    const words = findings.map((f) => `${f.file.split('-').pop()} ${f.line} ${/"(.+)"/.exec(f.message)![1]}`);
    expect(words).toEqual([
      // Line numbers count the frontmatter's `request:` line.
      'runbook.md 16 TODO', 'runbook.md 20 TODO', 'runbook.md 21 TODO', 'runbook.md 25 TODO', 'runbook.md 26 TODO', 'runbook.md 27 TODO',
      'runbook.md 28 TODO', 'runbook.md 35 TODO', 'runbook.md 36 <backup-command>', 'runbook.md 37 TODO', 'runbook.md 38 <backup-verification-command>', 'runbook.md 41 TODO',
      'runbook.md 42 TODO', 'runbook.md 49 TODO', 'runbook.md 50 <record-current-state-command>', 'runbook.md 53 TODO', 'runbook.md 54 TODO', 'runbook.md 61 TODO',
      'runbook.md 62 <reversible-change-command>', 'runbook.md 65 TODO', 'runbook.md 66 TODO', 'runbook.md 73 TODO', 'runbook.md 74 <irreversible-change-command>', 'runbook.md 77 TODO',
      'runbook.md 78 TODO', 'runbook.md 79 TODO', 'runbook.md 85 TODO', 'runbook.md 86 <user-side-check-command>', 'runbook.md 89 TODO', 'runbook.md 90 TODO',
      'runbook.md 102 TODO', 'runbook.md 104 TODO', 'runbook.md 108 TODO', 'runbook.md 110 TODO', 'runbook.md 116 TODO', 'runbook.md 116 TODO',
      'runbook.md 116 TODO', 'runbook.md 117 TODO', 'runbook.md 117 TODO', 'runbook.md 117 TODO', 'rollback.md 16 TODO', 'rollback.md 17 TODO',
      'rollback.md 24 TODO', 'rollback.md 25 <revert-command>', 'rollback.md 28 TODO', 'rollback.md 33 TODO', 'rollback.md 34 <restore-command>', 'rollback.md 37 TODO',
      'rollback.md 45 TODO', 'rollback.md 49 TODO', 'rollback.md 50 <restore-command>', 'rollback.md 53 TODO', 'rollback.md 57 TODO', 'rollback.md 58 TODO',
      'checklist.md 19 TODO', 'checklist.md 20 TODO', 'checklist.md 48 TODO',
    ]);
    expect(findings.every((f) => f.severity === 'warning' && f.ruleId === 'no-placeholders')).toBe(true);
  });

  it('generic under --strict: every placeholder becomes an error', async () => {
    const { playbook } = matchPlaybook(SAMPLES.generic!.en, playbooks, vocabulary);
    const task = deriveTaskName(SAMPLES.generic!.en, { date: '2025-11-10' });
    const plan = buildPlan({ description: SAMPLES.generic!.en, vocabulary, task, lang: 'en', playbook, standard });
    const strict = await generateOffline({ description: SAMPLES.generic!.en, task, lang: 'en', standard, strict: true }, plan);
    const all = KINDS.flatMap((k) => strict.findings[k]);
    expect(strict.ok).toBe(false);
    expect(all.length).toBe(57);
    expect(all.every((f) => f.severity === 'error' && f.ruleId === 'no-placeholders')).toBe(true);
  });
});

describe('matching and values from the description', () => {
  // [description, playbook, values taken from the description, values derived or assumed]
  const cases: [string, string, Record<string, string>, Record<string, string>][] = [
    // the standard's three examples
    ['database migration from PostgreSQL 12 to 15', 'postgres-pg-upgrade', { from: '12', to: '15' }, { host: 'db-primary-1' }],
    ['kubernetes cluster upgrade to v1.28', 'k8s-kubeadm-upgrade', { to: '1.28' }, { from: '1.27' }],
    ['CDN provider switchover from CloudFlare to AWS CloudFront', 'cdn-switchover', { from: 'CloudFlare', to: 'AWS CloudFront', dns: 'cloudflare' }, { domain: 'www.example.com' }],
    // Chinese
    ['PostgreSQL 从 12 升级到 15', 'postgres-pg-upgrade', { from: '12', to: '15' }, {}],
    ['Kubernetes 集群 1.27 升级到 1.28', 'k8s-kubeadm-upgrade', { from: '1.27', to: '1.28' }, {}],
    ['将 CDN 从 Cloudflare 切换到 AWS CloudFront', 'cdn-switchover', { from: 'Cloudflare', to: 'AWS CloudFront', dns: 'cloudflare' }, {}],
    ['域名解析从阿里云迁移到 Cloudflare', 'dns-migration', { from: '阿里云', to: 'Cloudflare', from_provider: 'other', to_provider: 'cloudflare' }, { zone: 'example.com' }],
    ['更换 shop.example.cn 的 SSL 证书', 'tls-cert-rotation', { domain: 'shop.example.cn' }, {}],
    ['Kafka 集群扩容 3 个节点', 'kafka-scale-out', { count: '3' }, { current: '3', first_new: '4', target: '6' }],
    ['生产 Kafka 集群扩容到 6 个 broker', 'kafka-scale-out', { count: '6', target: '6' }, { current: '3', first_new: '4' }],
    ['发布订单服务 3.1.0 并执行数据库迁移', 'app-deploy-db-migration', { version: '3.1.0' }, { previous: '1.9.0' }],
    ['Redis 主从切换', 'redis-failover', {}, { primary: 'redis-1', replica: 'redis-2' }],
    ['PostgreSQL 零停机升级到 16', 'postgres-logical-replication', { to: '16' }, { from: '15' }],
    // variants and neighbours
    ['upgrade our EKS cluster from 1.28 to 1.29', 'k8s-managed-upgrade', { from: '1.28', to: '1.29', cloud: 'eks' }, {}],
    ['kubeadm upgrade 1.29 to 1.30', 'k8s-kubeadm-upgrade', { from: '1.29', to: '1.30' }, {}],
    ['MySQL upgrade to 8.0', 'mysql-upgrade', { to: '8.0' }, { from: '5.7' }],
    ['migrate DNS for example.com from Cloudflare to Route 53', 'dns-migration', { zone: 'example.com', from: 'Cloudflare', to: 'Route 53', from_provider: 'cloudflare', to_provider: 'route53' }, {}],
    ['renew the TLS certificate of api.example.com', 'tls-cert-rotation', { domain: 'api.example.com' }, {}],
    ['Redis failover of redis-7 to its replica', 'redis-failover', { primary: 'redis-7' }, {}],
    ['add 4 brokers to the kafka-2 cluster', 'kafka-scale-out', { count: '4', bootstrap: 'kafka-2' }, { current: '3', first_new: '4', target: '7' }],
    ['Kafka broker scale out from 4 to 6 brokers', 'kafka-scale-out', { current: '4', count: '6', target: '6' }, { first_new: '5' }],
    ['release billing api 1.4.0 from 1.3.2 with a schema migration', 'app-deploy-db-migration', { version: '1.4.0', previous: '1.3.2', app: 'billing' }, {}],
    ['replace the office printer', 'generic', {}, {}],
  ];
  for (const [description, id, given, assumed] of cases) {
    it(`"${description}" → ${id} ${JSON.stringify(given)}`, () => {
      const { playbook } = matchPlaybook(description, playbooks, vocabulary);
      expect(playbook.id).toBe(id);
      const values = resolveVariables(playbook, description, vocabulary);
      for (const [name, value] of Object.entries({ ...given, ...assumed })) expect(values.vars[name], name).toBe(value);
      expect(values.given.sort()).toEqual(Object.keys(given).sort());
      for (const name of Object.keys(assumed)) expect(values.assumed).toContain(name);
      // The summary says which values came from the request and which are assumptions to check.
      const plan = buildPlan({ description, vocabulary, task: deriveTaskName(description, { date: '2025-11-10' }), lang: 'en', playbook, standard });
      for (const name of Object.keys(given)) expect(plan.summary).toContain(`${playbook.variables[name]!.label.en} \`${given[name]}\``);
      if (Object.keys(assumed).length) expect(plan.summary).toContain('Assumed values — check them before review:');
    });
  }

  it('extractValues reads versions, endpoints, domain and count (names are read by the playbook\'s own extractors)', () => {
    expect(extractValues('database migration from PostgreSQL 12 to 15')).toMatchObject({ 'version-from': '12', 'version-to': '15' });
    expect(extractValues('MySQL 5.7 to 8.0')).toMatchObject({ 'version-from': '5.7', 'version-to': '8.0' });
    expect(extractValues('upgrade to v1.28 on prod-eu-1')).toEqual({ 'version-to': '1.28' });
    expect(extractValues('CDN provider switchover from CloudFlare to AWS CloudFront for the EU site'))
      .toEqual({ 'endpoint-from': 'CloudFlare', 'endpoint-to': 'AWS CloudFront' });
    expect(extractValues('add 3 brokers')).toEqual({ count: '3' });
    expect(extractValues('upgrade nodes with 16GB of memory')).toEqual({});
  });

  it('extraction never lets shell text into a command: a hostile endpoint becomes a slug in commands', () => {
    const description = 'CDN switchover from $(touch PWNED) to `rm -rf /`; echo "x"';
    const { playbook } = matchPlaybook(description, playbooks, vocabulary);
    expect(playbook.id).toBe('cdn-switchover');
    const task = { date: '2025-11-10', system: 'cdn', operation: 'switchover', desc: 'x', name: '2025-11-10-cdn-switchover-x' };
    const plan = buildPlan({ description, vocabulary, task, lang: 'en', playbook, standard });
    const commands = [...plan.steps.map((s) => s.command), ...plan.rollback.steps.map((s) => s.command), (plan.sections['rollback/data-recovery'] as Record<string, { code: string }>).restore!.code];
    for (const c of commands) {
      expect(c).not.toContain('PWNED');
      expect(c).not.toContain('rm -rf');
    }
    // In prose the text is data: escaped markdown, never a code span or a block.
    expect(plan.title).toBe('CDN switchover from \\$(touch PWNED) to \\`rm -rf /\\`; echo "x"');
  });

  it('markdownText keeps user text from changing document structure', () => {
    expect(markdownText('# heading\n## another')).toBe('\\# heading \\#\\# another');
    expect(markdownText('upgrade <cluster> | x')).toBe('upgrade ‹cluster› \\| x');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('x'.repeat(300)).length).toBe(160);
  });
});

describe('the renderer follows the standard data', () => {
  function customStandard(edit: (runbook: any, checklist: any) => void): Standard {
    const dir = join(tmp(), 'templates');
    mkdirSync(join(dir, 'standard'), { recursive: true });
    cpSync(join(BUILTIN_TEMPLATES, 'standard'), join(dir, 'standard'), { recursive: true });
    const rbFile = join(dir, 'standard', 'runbook.yaml');
    const clFile = join(dir, 'standard', 'checklist.yaml');
    const rb = parse(readFileSync(rbFile, 'utf8'));
    const cl = parse(readFileSync(clFile, 'utf8'));
    edit(rb, cl);
    writeFileSync(rbFile, stringify(rb));
    writeFileSync(clFile, stringify(cl));
    return loadStandard(dir);
  }

  it('a section added to the YAML is rendered as heading + guidance + TODO, and validate warns about it', async () => {
    const std = customStandard((rb) => {
      rb.sections.push({ id: 'communication', title: { en: 'Communication Plan', zh: '沟通计划' }, guidance: { en: 'Who is told what, when.', zh: '何时通知谁、通知什么。' }, require: 'content' });
      rb.sections[1].fields.push({ id: 'owner', label: { en: 'Service owner', zh: '服务负责人' } });
    });
    for (const lang of ['en', 'zh'] as const) {
      const { result, findings } = await generate(SAMPLES['k8s-kubeadm-upgrade']![lang], lang, std);
      const runbook = result.docs.runbook;
      if (lang === 'en') {
        expect(runbook).toContain('## Communication Plan\n\n_Who is told what, when._\n\nTODO\n');
        expect(runbook).toContain('- **Service owner:** TODO\n');
      } else {
        expect(runbook).toContain('## 沟通计划\n\n_何时通知谁、通知什么。_\n\nTODO\n');
        expect(runbook).toContain('- **服务负责人：** TODO\n');
      }
      // Strict (a known playbook): the two blanks are the only findings.
      expect(findings.map((f) => f.ruleId)).toEqual(['no-placeholders', 'no-placeholders']);
    }
  });

  it('renamed titles, labels and column headers come from the YAML', async () => {
    const std = customStandard((rb, cl) => {
      rb.sections[0].title.en = 'Change Overview';
      rb.sections[0].aliases.en.push('Change Overview');
      rb.sections[2].items.fields[0].label.en = 'Check';
      cl.sections[1].table.columns[2].label.en = 'Estimate';
    });
    const { result, findings } = await generate('kubernetes cluster upgrade to v1.28', 'en', std);
    expect(result.docs.runbook).toContain('## Change Overview\n');
    expect(result.docs.runbook).toContain('- **Check:** `etcdutl snapshot status');
    expect(result.docs.checklist).toContain('| ID | Step | Estimate | Actual start–end | Verification result | Signed |');
    expect(findings).toEqual([]);
  });

  it('matches the canonical fixture format: frontmatter, step headings, fields, tables', async () => {
    const { result } = await generate('kubernetes cluster upgrade to v1.28', 'en');
    const rb = result.docs.runbook;
    expect(rb.startsWith('---\ntask: 2025-11-10-k8s-cluster-upgrade-v1.28\nkind: runbook\nlanguage: en\nsystem: k8s\noperation: upgrade\nstatus: planned\ncreated: 2025-11-10\nrequest: kubernetes cluster upgrade to v1.28\n---\n\n# Runbook: Kubernetes cluster upgrade to v1.28\n')).toBe(true);
    expect(rb).toContain('### Step S1: Snapshot etcd and record the members and cordoned nodes\n\n```bash\n');
    expect(rb).toContain('- **Time estimate:** 10 min\n');
    expect(rb).toMatch(/### G2: Before upgrading the other control-plane nodes \(after S3\)\n\n- \*\*Go criteria:\*\* /);
    expect(result.docs.checklist).toContain('| S1 | Snapshot etcd and record the members and cordoned nodes | 10 min | | | |\n');
    expect(result.docs.checklist).toContain('| Role | Name | Signature | Date |\n|---|---|---|---|\n| Executor | | | |\n| Reviewer | | | |\n| Approver | | | |\n');
    const zh = (await generate('Kubernetes 集群升级到 v1.28', 'zh')).result.docs;
    expect(zh.runbook).toContain('### 步骤 S1：备份 etcd 快照并记录成员与已 cordon 的节点\n');
    expect(zh.runbook).toContain('- **验证检查点：** ');
    expect(zh.rollback).toContain('### 步骤 R1：');
    for (const doc of [...Object.values(result.docs), ...Object.values(zh)]) {
      for (const line of doc.split('\n').filter((l) => l.startsWith('|'))) expect(line.split(/(?<!\\)\|/).length - 2).toBeLessThanOrEqual(7);
    }
  });

  it('all four documents agree: the same step and decision ids everywhere', async () => {
    const { result, plan } = await generate('database migration from PostgreSQL 12 to 15', 'en');
    for (const s of plan.steps) {
      expect(result.docs.runbook).toContain(`### Step ${s.id}: ${s.title}`);
      expect(result.docs.checklist).toContain(`| ${s.id} | ${s.title} | ${s.minutes} min |`);
    }
    for (const d of plan.decisions) expect(result.docs.checklist).toContain(`| ${d.id} | ${d.title}`);
    expect(renderTask(plan, standard)).toEqual(result.docs);
  });
});

describe('playbook files', () => {
  const base = () => parse(readFileSync(join(BUILTIN_TEMPLATES, 'playbooks', 'tls-cert-rotation.yaml'), 'utf8'));

  it('step ids out of order (against the standard’s prefixes) are refused with the file named', () => {
    const p = base();
    p.steps[1].id = 'S7';
    const playbook = checkPlaybook(p, 'x.yaml');
    const task = deriveTaskName('TLS certificate rotation', { date: '2025-11-10' });
    expect(() => buildPlan({ description: 'TLS certificate rotation', vocabulary, task, lang: 'en', playbook, standard }))
      .toThrow(new StandardError('x.yaml: steps[1] has id S7; expected S2'));
  });
  it('a decision after a step that does not exist is refused', () => {
    const p = base();
    p.decisions[0].after = 'S99';
    expect(() => checkPlaybook(p, 'x.yaml')).toThrow('decisions[0].after must name a step');
  });
  it('text missing its Chinese is refused', () => {
    const p = base();
    delete p.steps[0].title.zh;
    expect(() => checkPlaybook(p, 'x.yaml')).toThrow('steps[0].title needs non-empty en and zh text');
  });
  it('a team playbook in <ops>/templates/playbooks replaces the built-in one of the same name', () => {
    const dir = join(tmp(), 'templates');
    mkdirSync(join(dir, 'playbooks'), { recursive: true });
    const p = base();
    p.steps[0].title = { en: 'Check the cert with our own script', zh: '用我们自己的脚本检查证书' };
    writeFileSync(join(dir, 'playbooks', 'tls-cert-rotation.yaml'), stringify(p));
    const own = loadPlaybooks(dir);
    expect(own.length).toBe(playbooks.length);
    expect(own.find((x) => x.id === 'tls-cert-rotation')!.steps[0]!.title.en).toBe('Check the cert with our own script');
    expect(own.find((x) => x.id === 'tls-cert-rotation')!.source).toBe(join(dir, 'playbooks', 'tls-cert-rotation.yaml'));
  });
});
