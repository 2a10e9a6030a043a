/**
 * The playbooks for common changes added by issue 12: for each one and each language, realistic requests pick it
 * (and not the playbook of another operation), `new` writes documents that pass `validate --strict`, the names the
 * request gives reach the commands, the steps come in the order the official procedure prescribes, and every bash
 * block parses and is ShellCheck-clean at warning level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybooks } from '../src/standard/playbooks.js';
import { matchPlaybook } from '../src/generate/offline.js';
import { loadVocabulary } from '../src/generate/vocabulary.js';
import type { Lang } from '../src/standard/types.js';
import { main } from './helpers/main.js';
import type { CliResult } from './helpers/cli.js';

const playbooks = loadPlaybooks();
const vocabulary = loadVocabulary();
const pick = (description: string) => matchPlaybook(description, playbooks, vocabulary).playbook.id;

interface Request {
  lang: Lang;
  text: string;
  /** Values from the request that must appear in the commands (bash blocks) of the runbook or rollback. */
  names: string[];
}

interface Case {
  requests: Request[];
  /** Each pair [a, b]: `a` appears in the runbook before `b`. */
  order: [string, string][];
  /** Strings the runbook or rollback must contain (commands, flags). */
  contains: string[];
  /**
   * A one-way change names its point of no return in the runbook; a switchover or a rotation has none (going back is
   * the same procedure in reverse, or a restore of the backed-up Secret) and its rollback states a loss window of none.
   */
  lossless?: true;
}

const CASES: Record<string, Case> = {
  'redis-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade redis from 6.2 to 7.2 with sentinel', names: ['6.2', '7.2'] },
      { lang: 'zh', text: '将生产 Redis 从 5.0 升级到 7.0', names: ['5.0', '7.0'] },
      { lang: 'en', text: 'upgrade Redis on cache-02 to 7.4', names: ['cache-02', '7.4'] },
      { lang: 'zh', text: '升级 Redis cache-prod-1 从 6.2 到 7.2（Sentinel）', names: ['cache-prod-1', '6.2', '7.2'] },
    ],
    order: [
      ['BGSAVE SCHEDULE', 'redis-server=$VER'],
      ['IFS=, read -ra REPLICAS', 'redis-sentinel=$VER'],
      ['redis-sentinel=$VER', 'SENTINEL FAILOVER'],
      ['SENTINEL FAILOVER', 'ssh {P} "sudo apt-get install'],
    ],
    contains: ['redis-check-rdb', 'LASTSAVE', 'SENTINEL ckquorum', '--allow-downgrades', "sed -i 's/^appendonly yes/appendonly no/'", 'CONFIG SET appendonly yes'],
  },
  'kafka-upgrade-kraft': {
    requests: [
      { lang: 'en', text: 'upgrade Kafka from 3.6 to 3.7 with KRaft', names: ['3.6', '3.7'] },
      { lang: 'zh', text: 'Kafka 集群从 3.7 升级到 3.8（KRaft）', names: ['3.7', '3.8'] },
      { lang: 'en', text: 'rolling upgrade of kafka brokers on events-prod-1 to 3.9', names: ['events-prod-1', '3.9'] },
    ],
    order: [
      ['features-before.txt', 'IFS=, read -ra CONTROLLERS'],
      ['IFS=, read -ra CONTROLLERS', 'IFS=, read -ra BROKERS'],
      ['IFS=, read -ra BROKERS', 'upgrade --metadata'],
    ],
    contains: ['kafka-features.sh" --bootstrap-server', 'upgrade --metadata', '--dry-run', 'kafka-metadata-quorum.sh', '--under-replicated-partitions'],
  },
  'kafka-upgrade-zookeeper': {
    requests: [
      { lang: 'en', text: 'upgrade kafka brokers from 3.5 to 3.6 (zookeeper mode) on events-prod-1', names: ['events-prod-1', '3.5', '3.6'] },
      { lang: 'zh', text: 'ZooKeeper 模式的 Kafka 从 2.8 升级到 3.6', names: ['2.8', '3.6'] },
    ],
    order: [
      ["echo 'inter.broker.protocol.version={F}'", 'ln -sfn /opt/kafka-{T} /opt/kafka'],
      ['ln -sfn /opt/kafka-{T} /opt/kafka', 's/^inter.broker.protocol.version=.*/inter.broker.protocol.version={T}/'],
    ],
    contains: ['inter.broker.protocol.version={F}', 'inter.broker.protocol.version={T}', '--under-replicated-partitions'],
  },
  'aws-rds-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade Aurora PostgreSQL from 13 to 15', names: ['13', '15'] },
      { lang: 'en', text: 'upgrade RDS MySQL orders-db-1 from 5.7 to 8.0 with blue/green', names: ['orders-db-1', '8.0'] },
      { lang: 'zh', text: '将 Aurora PostgreSQL 集群 billing-db-2 从 14 升级到 16', names: ['billing-db-2', '16'] },
    ],
    order: [
      ['describe-db-engine-versions', 'create-db-cluster-snapshot'],
      ['create-db-cluster-snapshot', 'create-blue-green-deployment'],
      ['create-blue-green-deployment', 'switchover-blue-green-deployment'],
    ],
    contains: ['--target-engine-version', '--switchover-timeout 300', 'delete-blue-green-deployment', '--delete-target', 'db-cluster-snapshot-available', 'create-db-snapshot'],
  },
  'cloudsql-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade Cloud SQL PostgreSQL instance billing-sql-1 from 14 to 16', names: ['billing-sql-1', '16'] },
      { lang: 'zh', text: '将 Cloud SQL 实例 orders-sql-2 从 PostgreSQL 13 升级到 15', names: ['orders-sql-2', '15'] },
      { lang: 'en', text: 'upgrade cloud sql mysql from 5.7 to 8.0', names: ['8.0'] },
    ],
    order: [
      ['gcloud sql backups create', 'gcloud sql instances patch'],
      ['grep -q SUCCESSFUL', '--database-version='],
    ],
    contains: ['gcloud sql backups restore', '--restore-instance=', '--backup-instance='],
  },
  'mysql-switchover': {
    requests: [
      { lang: 'en', text: 'planned MySQL switchover from db-prod-1 to db-prod-2', names: ['db-prod-1'] },
      { lang: 'zh', text: 'MySQL 主从切换：将 mysql-prod-1 切换到 mysql-prod-2', names: ['mysql-prod-1'] },
      { lang: 'en', text: 'failover of the MySQL primary orders-db-1 to its replica', names: ['orders-db-1'] },
    ],
    order: [
      ['SET GLOBAL super_read_only = ON', 'WAIT_FOR_EXECUTED_GTID_SET'],
      ['WAIT_FOR_EXECUTED_GTID_SET', 'RESET REPLICA ALL'],
      ['RESET REPLICA ALL', 'kubectl set env'],
      ['kubectl set env', 'CHANGE REPLICATION SOURCE TO'],
    ],
    contains: ['SOURCE_AUTO_POSITION=1', 'STOP REPLICA', 'GTID_SUBSET'],
    lossless: true,
  },
  'postgres-switchover': {
    requests: [
      { lang: 'en', text: 'planned PostgreSQL switchover from pg-prod-1 to pg-prod-2', names: ['pg-prod-1'] },
      { lang: 'zh', text: 'PostgreSQL 16 主备切换：将 pg-main-1 切换到 pg-main-2', names: ['pg-main-1', '/16/main'] },
      { lang: 'en', text: 'switch over the PostgreSQL 15 primary billing-pg-1 to its standby', names: ['billing-pg-1', '/15/main'] },
    ],
    order: [
      ['pg_stat_replication', 'stop -m fast'],
      ['stop -m fast', 'pg_controldata'],
      ['pg_wal_lsn_diff(pg_last_wal_replay_lsn()', 'pg_promote(true, 60)'],
      ['pg_promote(true, 60)', 'kubectl set env'],
      ['kubectl set env', 'pg_rewind'],
    ],
    contains: ['standby.signal', "Database cluster state: shut down", 'wal_log_hints'],
    lossless: true,
  },
  'ingress-nginx-tls-rotation': {
    requests: [
      { lang: 'en', text: 'rotate the ingress-nginx TLS secret for shop.example.com', names: ['shop.example.com'] },
      { lang: 'zh', text: '更换 Kubernetes ingress 上 api.example.cn 的 TLS 证书', names: ['api.example.cn'] },
      { lang: 'en', text: 'renew the nginx ingress certificate for app.example.org', names: ['app.example.org'] },
    ],
    order: [
      ['openssl s_client -connect', 'kubectl -n default get secret app-tls -o json'],
      ['kubectl -n default get secret app-tls -o json', '-checkhost'],
      ['-checkhost', 'create secret tls app-tls'],
      ['create secret tls app-tls', '-verify_return_error'],
    ],
    contains: ['--dry-run=client -o yaml', 'kubectl -n default apply -f -', 'kubectl -n default replace -f "$B/secret-before.json"', '-servername', 'openssl verify -untrusted'],
    lossless: true,
  },
  'mongodb-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade MongoDB replica set from 6.0 to 7.0', names: ['6.0', '7.0'] },
      { lang: 'zh', text: '将 MongoDB 副本集 mongo-prod-1 从 7.0 升级到 8.0', names: ['mongo-prod-1', '7.0', '8.0'] },
    ],
    order: [
      ['featureCompatibilityVersion: 1', 'mongodump'],
      ['mongodump', 'mongodb-org-server=$VER'],
      ['mongodb-org-server=$VER', 'rs.stepDown(60)'],
      ['rs.stepDown(60)', 'ssh {P} apt-cache madison'],
      ['ssh {P} apt-cache madison', 'setFeatureCompatibilityVersion'],
    ],
    contains: ['setFeatureCompatibilityVersion: "{T}", confirm: true', '--oplog', '--allow-downgrades'],
  },
  'elasticsearch-upgrade': {
    requests: [
      { lang: 'en', text: 'rolling upgrade of Elasticsearch from 8.14 to 8.15', names: ['8.15'] },
      { lang: 'zh', text: '将 OpenSearch 集群 search-prod-1 从 2.11 升级到 2.13', names: ['search-prod-1', '2.13'] },
    ],
    order: [
      ['_snapshot/backups/$SNAP?wait_for_completion=true', '"cluster.routing.allocation.enable": "primaries"'],
      ['"cluster.routing.allocation.enable": "primaries"', 'es /_flush -X POST'],
      ['es /_flush -X POST', 'sudo systemctl stop $PKG'],
      ['sudo systemctl stop $PKG', '"cluster.routing.allocation.enable": null'],
      ['"cluster.routing.allocation.enable": null', 'wait_for_status=green'],
      ['IFS=, read -ra NODES <<< "es-data-1,es-data-2,es-data-3"', 'IFS=, read -ra NODES <<< "es-1,es-2,es-3"'],
    ],
    contains: ['_migration/deprecations', '/_restore?wait_for_completion=true'],
  },
  'os-patching': {
    requests: [
      { lang: 'en', text: 'OS patching with rolling reboots on web-prod-1', names: ['web-prod-1'] },
      { lang: 'zh', text: '为 Ubuntu 主机打安全补丁并滚动重启', names: ['web-1,web-2,web-3'] },
      { lang: 'en', text: 'apply kernel security patches to app-node-3 and reboot', names: ['app-node-3'] },
    ],
    order: [
      ['packages-before.txt', 'kubectl drain "$h" --ignore-daemonsets --delete-emptydir-data'],
      ['kubectl drain "$h"', 'apt-get -y --with-new-pkgs upgrade'],
      ['state drain', 'apt-get -y --with-new-pkgs upgrade'],
      ['apt-get -y --with-new-pkgs upgrade', '/var/run/reboot-required'],
      ['/var/run/reboot-required', 'systemctl is-system-running --wait'],
      ['systemctl is-system-running --wait', 'kubectl uncordon "$h"'],
      ['systemctl is-system-running --wait', 'state ready'],
    ],
    contains: ['grub-reboot', '--allow-downgrades', 'sudo tar -czf - /etc'],
    lossless: true,
  },
  'nginx-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade nginx from 1.24 to 1.26 on edge-prod-1', names: ['edge-prod-1', '1.24', '1.26'] },
      { lang: 'zh', text: '将 nginx 从 1.22 升级到 1.24', names: ['1.22', '1.24'] },
    ],
    order: [
      ['apt-get download nginx=', 'nginx -t -c /etc/nginx/nginx.conf'],
      ['nginx -t -c /etc/nginx/nginx.conf', 'state drain'],
      ['state drain', 'apt-get install -y -o Dpkg::Options::=--force-confold nginx=$VER'],
      ['apt-get install -y -o Dpkg::Options::=--force-confold nginx=$VER', 'state ready'],
    ],
    contains: ['dpkg-deb -x', 'sudo nginx -T', 'dpkg -i --force-confold /tmp/nginx-{F}.deb'],
    lossless: true,
  },
  'haproxy-upgrade': {
    requests: [
      { lang: 'en', text: 'upgrade HAProxy from 2.8 to 3.0 on lb-prod-1', names: ['lb-prod-1', '2.8', '3.0'] },
      { lang: 'zh', text: '将 HAProxy 从 2.6 升级到 2.8', names: ['2.6', '2.8'] },
    ],
    order: [
      ['dpkg-deb -x', 'haproxy -c -f /etc/haproxy/haproxy.cfg"'],
      ['haproxy -c -f /etc/haproxy/haproxy.cfg"', 'ssh lb-2 "sudo DEBIAN_FRONTEND=noninteractive apt-get install'],
      ['ssh lb-2 "sudo DEBIAN_FRONTEND=noninteractive apt-get install', 'systemctl stop keepalived'],
      ['systemctl stop keepalived', 'ssh {P} "sudo DEBIAN_FRONTEND=noninteractive apt-get install'],
      ['ssh {P} "sudo DEBIAN_FRONTEND=noninteractive apt-get install', 'systemctl start keepalived'],
    ],
    contains: ['dpkg -i --force-confold /tmp/haproxy-{F}.deb', 'show stat'],
    lossless: true,
  },
};

/** The fenced code blocks of a markdown document (command text only). */
function bashBlocks(md: string): string[] {
  return [...md.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * Every request's task is written once, before the tests, each into its own ops/ folder; then one
 * `validate --strict` run checks them all (one validator worker instead of one per request), and each request's
 * test reads its own folder's findings from that run.
 */
const work = mkdtempSync(join(tmpdir(), 'ops-docs-playbooks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Generated { root: string; ops: string; made: CliResult; task: string; runbook: string; rollback: string; checklist: string }
const generated = new Map<string, Generated>();
let validated: { run: CliResult; findings: { file: string; ruleId: string; severity: string; message: string }[] };

async function generate(text: string, lang: Lang): Promise<Generated> {
  const key = `${lang}\0${text}`;
  const known = generated.get(key);
  if (known) return known;
  const root = mkdtempSync(join(work, 'task-'));
  const ops = join(root, 'ops');
  const made = await main(['new', text, '--ops-dir', ops, '--lang', lang, '--date', '2026-12-01']);
  const active = join(ops, 'active');
  const task = readdirSync(active).filter((n) => !n.startsWith('.'))[0]!;
  const read = (kind: string) => readFileSync(join(active, task, `${task}-${kind}.md`), 'utf8');
  const g = { root, ops, made, task, runbook: read('runbook'), rollback: read('rollback'), checklist: read('checklist') };
  generated.set(key, g);
  return g;
}

beforeAll(async () => {
  for (const c of Object.values(CASES)) {
    for (const r of c.requests) await generate(r.text, r.lang);
    for (const lang of ['en', 'zh'] as const) {
      const r = c.requests.find((x) => x.lang === lang) ?? c.requests[0]!;
      await generate(r.text, lang);
    }
  }
  const run = await main(['validate', '--strict', '--format', 'json', ...[...generated.values()].map((g) => g.ops)]);
  validated = { run, findings: JSON.parse(run.stdout || '[]') };
}, 300_000);

describe('new playbooks for common changes', () => {
  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      it('exists with covers and sources for maintainers', () => {
        const pb = playbooks.find((p) => p.id === id);
        expect(pb, id).toBeDefined();
        const raw = readFileSync(pb!.source, 'utf8');
        expect(raw).toMatch(/^covers:\n {2}systems: \[.+\]\n {2}operations: \[.+\]\n {2}hosting: (self-hosted|managed|any)$/m);
        expect(raw).toMatch(/^sources:\n {2}- \{ title: ".+", url: "https:\/\/.+", versions: ".+" \}$/m);
      });

      for (const r of c.requests) {
        it(`${r.lang}: "${r.text}" picks ${id}, passes validate --strict, keeps the request's names, is ShellCheck-clean`, async () => {
          expect(pick(r.text)).toBe(id);
          const g = await generate(r.text, r.lang);
          expect(g.made.code, g.made.stderr).toBe(0);
          expect(g.made.stdout).toContain(`playbook: ${id}`);
          // validate --strict on every request's folder (beforeAll): this one has no finding, and the run passed.
          expect(validated.findings.filter((f) => f.file.startsWith(g.ops + '/'))).toEqual([]);
          expect(validated.run.code, validated.run.stdout + validated.run.stderr).toBe(0);
          expect(g.runbook).toContain(`language: ${r.lang}`);

          const blocks = [...bashBlocks(g.runbook), ...bashBlocks(g.rollback)];
          const commands = blocks.join('\n');
          for (const name of r.names) expect(commands, name).toContain(name);

          // Every block parses and is ShellCheck-clean at warning level, one file per block as a reader runs them
          // (one ShellCheck run reads them all and names the file of each warning).
          const files = blocks.map((b, i) => {
            const f = join(g.root, `block-${i}.sh`);
            writeFileSync(f, `#!/bin/bash\n${b}`);
            return f;
          });
          const sc = spawnSync('shellcheck', ['-S', 'warning', '-f', 'json1', ...files], { encoding: 'utf8' });
          expect(sc.error, 'shellcheck must be installed').toBeUndefined();
          const comments = (JSON.parse(sc.stdout) as { comments: { file: string; line: number; message: string }[] }).comments;
          files.forEach((f, i) => {
            // Every playbook variable of the block was filled in: a `{{name}}` left over would reach a shell.
            expect(blocks[i], `block ${i}`).not.toMatch(/\{\{\s*[\w-]+\s*\}\}/);
            const parsed = spawnSync('bash', ['-n', f], { encoding: 'utf8' });
            expect(parsed.status, `block ${i} does not parse:\n${blocks[i]}\n${parsed.stderr}`).toBe(0);
            expect(comments.filter((c) => c.file === f).map((c) => `line ${c.line - 1}: ${c.message}`), `block ${i}:\n${blocks[i]}`).toEqual([]);
          });
          expect(sc.status).toBe(0);
        });
      }

      it('keeps the official order of the steps and the key commands (en and zh alike)', async () => {
        for (const lang of ['en', 'zh'] as const) {
          const r = c.requests.find((x) => x.lang === lang) ?? c.requests[0]!;
          const g = await generate(r.text, lang);
          const pb = playbooks.find((p) => p.id === id)!;
          const fromTo = /(?:from|从)\s*(?:PostgreSQL\s*)?v?(\d+(?:\.\d+)?)\s*(?:to|升级到|到)\s*v?(\d+(?:\.\d+)?)/i.exec(r.text);
          const sub = (s: string) => s
            .replace('{P}', r.names.find((n) => /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+$/.test(n)) ?? pb.variables.primary?.default ?? '')
            .replace('{F}', fromTo?.[1] ?? pb.variables.from?.default ?? '')
            .replace('{T}', fromTo?.[2] ?? pb.variables.to?.default ?? '');
          const both = `${g.runbook}\n${g.rollback}`;
          for (const s of c.contains) expect(both, sub(s)).toContain(sub(s));
          // Order is read in the steps (from the first command on), not in the summary that names them all.
          const steps = g.runbook.slice(g.runbook.indexOf('```bash'));
          for (const [a, b] of c.order) {
            const ia = steps.indexOf(sub(a));
            const ib = steps.indexOf(sub(b));
            expect(ia, `${lang}: "${sub(a)}" in the runbook`).toBeGreaterThanOrEqual(0);
            expect(ib, `${lang}: "${sub(b)}" in the runbook`).toBeGreaterThanOrEqual(0);
            expect(ia, `${lang}: "${sub(a)}" before "${sub(b)}"`).toBeLessThan(ib);
          }
          if (c.lossless) {
            expect(g.runbook).not.toMatch(lang === 'en' ? /point of no return/ : /不可回退点/);
            expect(g.rollback).toMatch(lang === 'en' ? /Data-loss window:\*\* none:/ : /数据丢失窗口[:：]\*\*\s*无：/);
          } else {
            expect(g.runbook).toMatch(lang === 'en' ? /point of no return/ : /不可回退点/);
          }
        }
      });
    });
  }

  it('the requests of issue 12 that picked another operation now get the right playbook', () => {
    expect(pick('upgrade redis from 6.2 to 7.2 with sentinel')).toBe('redis-upgrade');
    expect(pick('将生产 Redis 从 5.0 升级到 7.0')).toBe('redis-upgrade');
    expect(pick('upgrade Aurora PostgreSQL from 13 to 15')).toBe('aws-rds-upgrade');
    expect(pick('upgrade Kafka from 3.6 to 3.7 with KRaft')).toBe('kafka-upgrade-kraft');
    // and the operations they were confused with still get their own playbooks
    expect(pick('planned Redis failover of redis-prod-1')).toBe('redis-failover');
    expect(pick('Kafka scale-out: add 3 brokers')).toBe('kafka-scale-out');
    expect(pick('PostgreSQL 从 12 升级到 15')).toBe('postgres-pg-upgrade');
    expect(pick('MySQL 5.7 to 8.0 upgrade')).toBe('mysql-upgrade');
    expect(pick('switch MySQL primary to replica db-2')).toBe('mysql-switchover');
    expect(pick('failover postgres primary to standby')).toBe('postgres-switchover');
    expect(pick('upgrade kafka brokers from 3.6 to 3.7')).toBe('kafka-upgrade-kraft');
    expect(pick('TLS certificate rotation for api.example.com')).toBe('tls-cert-rotation');
    expect(pick('Cloud SQL MySQL 5.7 升级到 8.0')).toBe('cloudsql-upgrade');
  });
});
