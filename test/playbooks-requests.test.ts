/**
 * "Never the wrong operation" for requests the playbook authors did not write: realistic requests as SREs phrase them
 * (English and Chinese, versions, names, managed vs self-hosted, operations as verbs and nouns), each with the playbook
 * it must get — or `generic`, in which case `new` must say which system and operation nothing covers. Where a request
 * is ambiguous the honest answer is generic with the notice.
 */
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../src/standard/playbooks.js';
import { matchPlaybook } from '../src/generate/offline.js';
import { loadVocabulary } from '../src/generate/vocabulary.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { tmp } from './helpers/tmp.js';

const playbooks = loadPlaybooks();
const vocabulary = loadVocabulary();

/**
 * [request, expected playbook id, for `generic`: the "<system> <operation>" the notice must name, for a match: names
 * from the request that must reach the commands of the runbook or rollback].
 */
type Row = [string, string, string?, string[]?];

const ROWS: Row[] = [
  // Redis
  ['upgrade redis cluster to 7.2', 'generic', 'redis upgrade'],
  ['bump redis sentinel setup on cache-03 from 6.2 to 7.2', 'redis-upgrade', undefined, ['cache-03', '6.2', '7.2']],
  ['Redis 6.2 -> 7.2 upgrade, sentinel mode', 'redis-upgrade'],
  ['升级 Redis Cluster 到 7.2', 'generic', 'redis upgrade'],
  ['promote redis replica cache-02 to master', 'redis-failover', undefined, ['cache-02']],
  ['redis sentinel failover of cache-01', 'redis-failover'],
  ['Redis 主从切换 cache-prod-1', 'redis-failover'],
  ['add 3 shards to redis cluster', 'redis-scale-out'],
  ['Redis 集群扩容 增加 2 个节点', 'redis-scale-out'],
  ['upgrade ElastiCache Redis to 7.1', 'generic', 'redis upgrade'],
  ['migrate redis to ElastiCache', 'generic', 'redis migration'],
  ['rotate redis AUTH password', 'generic', 'redis rotation'],
  // Kafka
  ['upgrade kafka 3.5 to 3.7 (kraft)', 'kafka-upgrade-kraft'],
  ['bump kafka brokers to 3.7.1 on zookeeper mode', 'kafka-upgrade-zookeeper', undefined, ['3.7.1']],
  ['add 3 brokers to kafka cluster events-prod', 'kafka-scale-out', undefined, ['events-prod']],
  ['Kafka 集群扩容 3 台 broker', 'kafka-scale-out'],
  ['upgrade MSK cluster to 3.6', 'generic', 'msk upgrade'],
  ['migrate kafka from zookeeper to kraft', 'generic', 'kafka migration'],
  ['migrate from RabbitMQ to Kafka', 'generic', 'rabbitmq migration'],
  ['kafka 从 3.6 升级到 3.7', 'kafka-upgrade-kraft', undefined, ['3.6', '3.7']],
  // PostgreSQL
  ['upgrade postgres 13 to 16 on orders-db', 'postgres-pg-upgrade', undefined, ['orders-db', '16']],
  ['PostgreSQL 大版本升级 12 到 15', 'postgres-pg-upgrade'],
  ['upgrade postgres 12 to 16 with logical replication, zero downtime', 'postgres-logical-replication'],
  ['planned switchover of postgres primary pg-01 to standby pg-02', 'postgres-switchover'],
  ['promote postgres standby pg-02', 'postgres-switchover'],
  ['PostgreSQL 主备切换', 'postgres-switchover'],
  ['upgrade Aurora PostgreSQL from 13 to 15', 'aws-rds-upgrade'],
  ['upgrade RDS for MySQL 5.7 to 8.0 on billing-db', 'aws-rds-upgrade', undefined, ['billing-db', '8.0']],
  ['Cloud SQL postgres 14 -> 16 upgrade', 'cloudsql-upgrade'],
  ['migrate postgres to Aurora', 'generic', 'postgres migration'],
  ['patch postgres to 15.8', 'generic', 'postgres patching'],
  ['rotate postgres replication password', 'generic', 'postgres rotation'],
  // MySQL
  ['upgrade mysql 5.7 to 8.0', 'mysql-upgrade'],
  ['MySQL 从 5.7 升级到 8.0', 'mysql-upgrade'],
  ['mysql switchover db-primary-1 to db-replica-2', 'mysql-switchover', undefined, ['db-primary-1', 'db-replica-2']],
  ['MySQL 主从切换', 'mysql-switchover'],
  ['failover mysql primary to replica', 'mysql-switchover'],
  ['upgrade aurora mysql 2 to 3', 'aws-rds-upgrade'],
  ['upgrade mariadb 10.6 to 10.11', 'generic', 'mariadb upgrade'],
  // Kubernetes
  ['upgrade kubernetes cluster to v1.29 with kubeadm', 'k8s-kubeadm-upgrade'],
  ['k8s 集群升级到 1.30', 'k8s-kubeadm-upgrade'],
  ['upgrade EKS cluster prod-eu to 1.30', 'k8s-managed-upgrade', undefined, ['prod-eu', '1.30']],
  ['GKE 升级到 1.29', 'k8s-managed-upgrade'],
  ['upgrade ingress-nginx controller', 'generic', 'ingress-nginx upgrade'],
  ['bump ingress-nginx helm chart to 4.11', 'generic', 'ingress-nginx upgrade'],
  ['rotate TLS secret for ingress-nginx on k8s', 'ingress-nginx-tls-rotation'],
  ['renew ingress certificate in kubernetes', 'ingress-nginx-tls-rotation'],
  ['upgrade istio to 1.22', 'generic', 'istio upgrade'],
  ['upgrade etcd to 3.5.15', 'generic', 'etcd upgrade'],
  ['upgrade cert-manager to 1.15', 'generic', 'cert-manager upgrade'],
  ['drain and patch k8s worker nodes', 'generic', 'k8s patching'],
  // nginx, haproxy, OS
  ['upgrade nginx to 1.26.2 on web-01', 'nginx-upgrade', undefined, ['web-01', '1.26.2']],
  ['patch nginx to 1.26.2', 'nginx-upgrade', undefined, ['1.26.2']],
  ['nginx 升级到 1.26', 'nginx-upgrade'],
  ['upgrade haproxy 2.6 to 2.8', 'haproxy-upgrade', undefined, ['2.8']],
  ['patch ubuntu hosts with security updates', 'os-patching'],
  ['linux 内核打补丁 并重启', 'os-patching'],
  ['upgrade ubuntu 20.04 to 22.04', 'generic', 'ubuntu upgrade'],
  ['rolling kernel patching on the web fleet', 'os-patching'],
  // TLS, DNS, CDN
  ['rotate TLS certificate for api.example.com', 'tls-cert-rotation', undefined, ['api.example.com']],
  ['renew ssl cert on nginx lb-01', 'tls-cert-rotation'],
  ['证书轮换 api.example.com', 'tls-cert-rotation', undefined, ['api.example.com']],
  ['migrate DNS from Cloudflare to Route 53', 'dns-migration'],
  ['DNS 迁移到 Route 53', 'dns-migration'],
  ['cut over CDN from Cloudflare to CloudFront', 'cdn-switchover'],
  ['CDN 切换 从 Akamai 到 CloudFront', 'cdn-switchover'],
  // MongoDB, Elasticsearch
  ['upgrade mongodb replica set 6.0 to 7.0', 'mongodb-upgrade'],
  ['MongoDB 从 6.0 升级到 7.0', 'mongodb-upgrade', undefined, ['7.0']],
  ['upgrade Atlas cluster to MongoDB 7.0', 'generic', 'mongodb upgrade'],
  ['upgrade elasticsearch 7.17 to 8.15', 'elasticsearch-upgrade', undefined, ['8.15']],
  ['upgrade Amazon OpenSearch Service domain to 2.13', 'generic', 'opensearch upgrade'],
  ['Elasticsearch 集群扩容', 'generic', 'elasticsearch scale-out'],
  // deploys
  ['deploy billing-api v2.3.1 with database migration', 'app-deploy-db-migration'],
  ['发布 订单服务 2.0 包含数据库表结构变更', 'app-deploy-db-migration'],
];

describe('realistic requests pick the playbook of their operation, or generic with a notice', () => {
  it('the table is large enough and bilingual', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    expect(ROWS.filter(([t]) => /\p{Script=Han}/u.test(t)).length).toBeGreaterThanOrEqual(15);
  });
  it.each(ROWS)('%s → %s', (text, expected, what) => {
    const m = matchPlaybook(text, playbooks, vocabulary);
    expect(m.playbook.id).toBe(expected);
    if (expected === 'generic') {
      expect(m.notice?.en).toContain(`no playbook covers "${what}"`);
      expect(m.notice?.zh).toContain(`“${what}”`);
    } else {
      expect(m.notice).toBeUndefined();
    }
  });
});

/** The command text (bash blocks) of the runbook and rollback `new` writes for a request. */
async function commandsOf(text: string): Promise<{ code: number | null; stdout: string; commands: string }> {
  const ops = join(tmp(), 'ops');
  const made = await main(['new', text, '--ops-dir', ops, '--date', '2026-12-01']);
  if (made.code !== 0) return { code: made.code, stdout: made.stdout + made.stderr, commands: '' };
  const active = join(ops, 'active');
  const task = readdirSync(active).filter((n) => !n.startsWith('.'))[0]!;
  const md = ['runbook', 'rollback'].map((k) => readFileSync(join(active, task, `${task}-${k}.md`), 'utf8')).join('\n');
  const commands = [...md.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).join('\n');
  return { code: made.code, stdout: made.stdout, commands };
}

describe('the names a matched request gives reach the commands', () => {
  const named = ROWS.filter((r): r is [string, string, undefined, string[]] => r[3] !== undefined);
  it('enough rows carry names', () => expect(named.length).toBeGreaterThanOrEqual(15));
  it.each(named)('%s → %s', async (text, expected, _what, names) => {
    const g = await commandsOf(text);
    expect(g.code, g.stdout).toBe(0);
    expect(g.stdout).toContain(`playbook: ${expected}`);
    for (const name of names) expect(g.commands, name).toContain(name);
  });
});

describe('`new` prints the one-line notice for a request nothing covers', () => {
  it.each([
    ['upgrade redis cluster to 7.2', 'redis upgrade'],
    ['upgrade ingress-nginx controller', 'ingress-nginx upgrade'],
  ])('%s', async (text, what) => {
    const g = await commandsOf(text);
    expect(g.code, g.stdout).toBe(0);
    expect(g.stdout).toContain('playbook: generic');
    expect(g.stdout.split('\n').filter((l) => l.includes(`no playbook covers "${what}"`))).toHaveLength(1);
  });
});
