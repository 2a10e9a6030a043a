/**
 * The playbooks read as a change board reads them: the right playbook for the request's operation (or the generic
 * skeleton with a notice), the request's own names in the commands, bash that parses and passes ShellCheck, and
 * the review's findings (issue 12) each pinned to the command, flag or order of steps that was wrong.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUILTIN_TEMPLATES, loadStandard, StandardError } from '../src/standard/load.js';
import { checkPlaybook, loadPlaybooks, type Playbook } from '../src/standard/playbooks.js';
import { buildPlan, checkNamedExtractors, matchPlaybook } from '../src/generate/offline.js';
import { loadVocabulary } from '../src/generate/vocabulary.js';
import { deriveTaskName, readRequest } from '../src/naming.js';
import type { Lang } from '../src/standard/types.js';
import type { Plan } from '../src/generate/plan.js';
import { tmp } from './helpers/tmp.js';
import { main } from './helpers/main.js';

const playbooks = loadPlaybooks();
const vocabulary = loadVocabulary();
const standard = loadStandard();

function plan(description: string, lang: Lang = 'en'): { playbook: Playbook; plan: Plan; notice?: string } {
  const { playbook, notice } = matchPlaybook(description, playbooks, vocabulary);
  const task = deriveTaskName(description, { date: '2025-11-10', vocabulary, rule: standard.common.taskName });
  return { playbook, plan: buildPlan({ description, vocabulary, task, lang, playbook, standard }), notice: notice?.[lang] };
}

/** The plan's section content by the standard's ids (see src/generate/sections.ts for the shapes). */
const dataRecovery = (p: Plan) => {
  const dr = p.sections['rollback/data-recovery'] as { 'backup-source': string; restore: { code: string; lang: string }; 'loss-window': string };
  return { backupSource: dr['backup-source'], restoreCommand: dr.restore.code, restoreLang: dr.restore.lang, lossWindow: dr['loss-window'] };
};
const metrics = (p: Plan) => (p.sections['runbook/monitoring'] as { metric: string; threshold: string; source: string }[]).map((m) => ({ name: m.metric, threshold: m.threshold, source: m.source }));
const impact = (p: Plan) => p.sections['runbook/impact'] as { services: string; users: string; downtime: string; risk: string };
const triggers = (p: Plan) => p.sections['rollback/triggers'] as string[];

/** Every command of a plan in document order: steps, rollback steps, the data-recovery restore. */
function commands(p: Plan): { where: string; lang: string; code: string }[] {
  return [
    ...p.steps.map((s) => ({ where: s.id, lang: s.lang, code: s.command })),
    ...p.rollback.steps.map((s) => ({ where: s.id, lang: s.lang, code: s.command })),
    { where: 'restore', lang: dataRecovery(p).restoreLang, code: dataRecovery(p).restoreCommand },
  ];
}
const all = (p: Plan) => commands(p).map((c) => c.code).join('\n');
const step = (p: Plan, id: string) => commands(p).find((c) => c.where === id)!.code;




describe('the vocabulary is the one reading of a request', () => {
  it('every operation a playbook covers is a kind of templates/vocabulary.yaml', () => {
    for (const p of playbooks.filter((x) => !x.generic)) {
      for (const op of p.covers.operations) expect(vocabulary.kinds, `${p.id}: ${op}`).toContain(op);
    }
  });
  it('reads the operation kind in English and Chinese, and a managed service', () => {
    const read = (d: string) => { const r = readRequest(d, vocabulary); return [r.system, r.operation, r.managed]; };
    expect(read('upgrade redis from 6.2 to 7.2 with sentinel')).toEqual(['redis', 'upgrade', false]);
    expect(read('将生产 Redis 从 5.0 升级到 7.0')).toEqual(['redis', 'upgrade', false]);
    expect(read('Redis 主从切换')).toEqual(['redis', 'failover', false]);
    expect(read('upgrade Aurora PostgreSQL from 13 to 15')).toEqual(['aurora', 'upgrade', true]);
    expect(read('migrate from RabbitMQ to Kafka')).toEqual(['rabbitmq', 'migration', false]);
    expect(read('database migration from PostgreSQL 12 to 15')).toEqual(['postgres', 'upgrade', false]);
    expect(read('add 4 brokers to the kafka-2 cluster')).toEqual(['kafka', 'scale-out', false]);
    expect(read('GKE 集群升级到 1.30')).toEqual(['k8s', 'upgrade', true]);
  });
  it('a word added to a team vocabulary picks the playbook and names the task alike', async () => {
    const dir = join(tmp(), 'templates');
    mkdirSync(dir, { recursive: true });
    const data = parse(readFileSync(join(BUILTIN_TEMPLATES, 'vocabulary.yaml'), 'utf8'));
    data.operations.failover.words.push('flip');
    writeFileSync(join(dir, 'vocabulary.yaml'), JSON.stringify(data));
    const own = loadVocabulary(dir);
    expect(matchPlaybook('flip redis to its replica', playbooks, own).playbook.id).toBe('redis-failover');
    expect(matchPlaybook('flip redis to its replica', playbooks, vocabulary).playbook.id).toBe('generic');
    expect(deriveTaskName('flip redis', { date: '2025-11-10', vocabulary: own, rule: standard.common.taskName }).name).toBe('2025-11-10-redis-failover-planned');
  });
});

describe('never the wrong operation', () => {
  // The five requests the review found given a playbook for a different operation.
  const MISMATCHES: [string, string, string][] = [
    ['upgrade redis from 6.2 to 7.2 with sentinel', 'redis-failover', 'redis upgrade'],
    ['将生产 Redis 从 5.0 升级到 7.0', 'redis-failover', 'redis upgrade'],
    ['upgrade Aurora PostgreSQL from 13 to 15', 'postgres-pg-upgrade', 'aurora upgrade'],
    ['upgrade Kafka from 3.6 to 3.7 with KRaft', 'kafka-scale-out', 'kafka upgrade'],
    ['migrate from RabbitMQ to Kafka', 'kafka-scale-out', 'rabbitmq migration'],
  ];
  for (const [request, wrong, what] of MISMATCHES) {
    it(`"${request}" is not given ${wrong}`, () => {
      const { playbook, notice } = plan(request);
      expect(playbook.id).not.toBe(wrong);
      const reading = readRequest(request, vocabulary);
      if (playbook.generic) {
        expect(notice).toBe(`no playbook covers "${what}": the generic skeleton is used; playbooks: ${playbooks.filter((p) => !p.generic).map((p) => p.id).join(', ')}`);
      } else {
        // a playbook written for this operation and hosting
        expect(playbook.covers.operations).toContain(reading.operation);
        expect(playbook.covers.hosting).not.toBe(reading.managed ? 'self-hosted' : 'managed');
      }
    });
  }
  it('the notice in Chinese names the request and the playbooks', () => {
    const { notice } = plan('migrate from RabbitMQ to Kafka', 'zh');
    expect(notice).toMatch(/^没有 playbook 覆盖“rabbitmq migration”：使用通用骨架；现有 playbook：app-deploy-db-migration, /);
  });
  it('a managed Kubernetes upgrade is never given kubeadm, a self-hosted one never the managed playbook', () => {
    expect(plan('upgrade EKS cluster prod-eu to 1.30').playbook.id).toBe('k8s-managed-upgrade');
    expect(plan('kubernetes cluster upgrade to v1.28').playbook.id).toBe('k8s-kubeadm-upgrade');
    expect(plan('upgrade our managed kubernetes cluster to 1.30').playbook.id).toBe('k8s-managed-upgrade');
  });
  it('a failover request on a managed service gets the generic skeleton', () => {
    expect(plan('Redis failover on ElastiCache').playbook.id).toBe('generic');
  });
  it('a playbook whose operation is not asked for is not picked even when the system matches', () => {
    expect(plan('restart the kafka brokers').playbook.id).toBe('generic');
    expect(plan('MySQL failover to the replica').playbook.id).not.toBe('mysql-upgrade');
  });
});

describe('every bash block parses and is ShellCheck-clean at warning level', () => {
  for (const p of playbooks) {
    for (const lang of ['en', 'zh'] as const) {
      it(`${p.id} / ${lang}`, () => {
        const dir = tmp('ops-docs-sc-');
        // The playbook itself, not whichever one a sample request ranks first: a new playbook is checked as it lands.
        const sample = SAMPLE_FOR[p.id] ?? `${p.covers.operations[0]} ${p.covers.systems[0]}`;
        const pl = buildPlan({ description: sample, vocabulary, task: deriveTaskName(sample, { date: '2025-11-10', vocabulary, rule: standard.common.taskName }), lang, playbook: p, standard });
        const blocks = commands(pl).filter((c) => c.lang === 'bash' || c.lang === 'sh');
        expect(blocks.length).toBeGreaterThan(0);
        const files = blocks.map((b) => {
          const f = join(dir, `${p.id}-${lang}-${b.where}.sh`);
          writeFileSync(f, b.code + '\n');
          return f;
        });
        for (const f of files) {
          const r = spawnSync('bash', ['-n', f], { encoding: 'utf8' });
          expect(r.stderr, f).toBe('');
          expect(r.status, f).toBe(0);
        }
        const sc = spawnSync('shellcheck', ['-S', 'warning', '-s', 'bash', '-f', 'gcc', ...files], { encoding: 'utf8' });
        expect(sc.stdout, 'shellcheck').toBe('');
        expect(sc.status).toBe(0);
      });
    }
  }
});

/** A request each playbook is chosen for (the generic one: a change no playbook covers). */
const SAMPLE_FOR: Record<string, string> = {
  generic: 'rotate the frobnicator on the build farm',
  'postgres-pg-upgrade': 'upgrade PostgreSQL orders-db from 12 to 15',
  'postgres-logical-replication': 'PostgreSQL 12 to 16 upgrade with logical replication',
  'mysql-upgrade': 'MySQL 5.7 to 8.0 upgrade',
  'k8s-kubeadm-upgrade': 'kubernetes cluster upgrade to v1.28',
  'k8s-managed-upgrade': 'EKS cluster upgrade to 1.29',
  'cdn-switchover': 'CDN provider switchover from CloudFlare to AWS CloudFront',
  'dns-migration': 'DNS migration from GoDaddy to Route 53 for example.org',
  'tls-cert-rotation': 'TLS certificate rotation for api.example.com',
  'redis-failover': 'planned Redis failover of redis-prod-1',
  'redis-scale-out': 'Redis cluster scale-out with 2 new shards',
  'kafka-scale-out': 'Kafka scale-out: add 3 brokers',
  'app-deploy-db-migration': 'deploy checkout service v2.4.0 with database migration',
};

describe('review findings: kubeadm', () => {
  const p = plan('kubernetes cluster upgrade from 1.30 to 1.31').plan;
  it('other control-plane nodes and workers follow the official order: kubeadm → upgrade node → drain → kubelet/kubectl → restart → uncordon', () => {
    for (const id of ['S4', 'S5']) {
      const c = step(p, id);
      const order = ['kubeadm=1.31*', 'kubeadm upgrade node', 'kubectl drain', 'kubelet=1.31*', 'systemctl restart kubelet', 'kubectl uncordon'].map((x) => c.indexOf(x));
      expect(order.every((i) => i >= 0), `${id}: ${order}`).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
  });
  it('every drain deletes emptyDir data', () => {
    const drains = all(p).split('\n').filter((l) => l.includes('kubectl drain'));
    expect(drains.length).toBe(3);
    for (const d of drains) expect(d).toContain('--delete-emptydir-data');
  });
  it('the pkgs.k8s.io repository is switched to the target minor, and back in the rollback, which may downgrade', () => {
    expect(step(p, 'S2')).toContain('sed -i "s|/v1.30/|/v1.31/|" /etc/apt/sources.list.d/kubernetes.list');
    expect(step(p, 'R2')).toContain('sed -i "s|/v1.31/|/v1.30/|" /etc/apt/sources.list.d/kubernetes.list');
    expect(step(p, 'R2')).toMatch(/apt-get install -y --allow-downgrades --allow-change-held-packages "kubeadm=1\.30\*"/);
    expect(p.steps[1]!.onError).toContain('--allow-downgrades kubeadm=1.30*');
  });
  it('the rollback restores the manifests each node saved before the change, never the latest kubeadm backup', () => {
    expect(all(p)).not.toContain('kubeadm-backup-manifests');
    expect(step(p, 'S1')).toContain('sudo cp -a /etc/kubernetes/manifests /var/backups/manifests-pre-v1.31');
    expect(step(p, 'R4')).toContain('sudo cp -a /var/backups/manifests-pre-v1.31 /etc/kubernetes/manifests');
  });
  it('names the point of no return with a Go/No-Go before it, and says there is no in-place downgrade', () => {
    const g1 = p.decisions[0]!;
    expect(g1.afterStep).toBe('S2');
    expect(step(p, 'S3')).toContain('kubeadm upgrade apply');
    expect(g1.title).toBe('Point of no return: before `kubeadm upgrade apply`');
    expect(dataRecovery(p).lossWindow).toContain('no supported in-place downgrade');
    expect(p.summary).toContain('no supported in-place downgrade');
  });
  it('the etcd snapshot is taken with the etcd pod\'s own client and copied off the cluster; etcdutl is checked before it is needed', () => {
    expect(step(p, 'S1')).toContain('kubectl -n kube-system exec etcd-cp-1 -- etcdctl');
    expect(step(p, 'S1')).toContain("ssh backup-1 'mkdir -p /srv/backups/k8s-pre-v1.31");
    expect(step(p, 'S1')).toContain('etcdutl version');
    expect(dataRecovery(p).restoreCommand).toContain("ssh backup-1 'tar -C /srv/backups/k8s-pre-v1.31 -cf - .'");
  });
  it('every etcd restore bumps the revision and marks it compacted (etcd\'s recovery guide for Kubernetes), and S1 checks etcdutl can', () => {
    const restores = [step(p, 'R4'), dataRecovery(p).restoreCommand];
    for (const r of restores) {
      expect(r).toContain('etcdutl snapshot restore /var/backups/etcd-pre-v1.31.db');
      expect(r).toMatch(/--bump-revision 1000000000 --mark-compacted/);
    }
    expect(step(p, 'S1')).toContain('etcdutl snapshot restore --help | grep -q -- --bump-revision');
  });
});

describe('review findings: managed Kubernetes (EKS/GKE/AKS)', () => {
  const p = plan('upgrade EKS cluster prod-eu from 1.29 to 1.30').plan;
  it('the request\'s cluster name is in every command that names a cluster', () => {
    expect(all(p)).toContain('eksctl upgrade cluster --name prod-eu --version 1.30 --approve');
    expect(all(p)).not.toMatch(/--name prod\b(?!-)/);
    expect(all(p)).not.toMatch(/--cluster(?:-name)? prod\b(?!-)/);
  });
  it('GKE node pools are upgraded with `gcloud container clusters upgrade --node-pool`', () => {
    expect(all(p)).not.toContain('gcloud container node-pools upgrade');
    expect(step(p, 'S5')).toContain('gcloud container clusters upgrade prod-eu --node-pool=workers --cluster-version=1.30');
  });
  it('the Velero backup the rollback restores is taken by a step before the control plane changes', () => {
    expect(step(p, 'S1')).toContain('velero backup create pre-upgrade-prod-eu-1-30 --wait');
    expect(dataRecovery(p).restoreCommand).toContain('--from-backup pre-upgrade-prod-eu-1-30');
    expect(p.decisions[0]!.afterStep).toBe('S2');
  });
  it('all three add-ons have their previous versions recorded and restored', () => {
    expect(step(p, 'S1')).toContain('for addon in vpc-cni coredns kube-proxy');
    expect(step(p, 'S1')).toContain('addons-before.txt');
    expect(step(p, 'R1')).toContain('done < ~/change-prod-eu-v1-30/addons-before.txt');
    expect(all(p)).not.toContain('PREVIOUS_COREDNS_VERSION');
  });
  it('the node-group rollback is a replacement node group at the cluster version, not an older one', () => {
    expect(all(p)).not.toMatch(/create nodegroup[^\n]*--version/);
    expect(step(p, 'R2')).toContain('eksctl create nodegroup --cluster prod-eu --name workers-r');
  });
  it('has a window and metrics with a concrete source', () => {
    expect(p.windowMinutes).toBe(240);
    for (const m of metrics(p)) expect(m.source).toMatch(/^Prometheus `/);
  });
});

describe('review findings: PostgreSQL pg_upgrade', () => {
  for (const lang of ['en', 'zh'] as const) {
    const p = plan(lang === 'en' ? 'upgrade PostgreSQL orders-db from 12 to 15' : '将 PostgreSQL 数据库 orders-db 从 12 升级到 15', lang).plan;
    it(`${lang}: the standby is created first, its data directory emptied, then filled by pg_basebackup -R`, () => {
      const c = step(p, 'S9');
      const order = ['pg_createcluster -p 5432 15 main', 'find /var/lib/postgresql/15/main -mindepth 1 -delete', 'pg_basebackup -h db-primary-1 -p 5432 -D /var/lib/postgresql/15/main -X stream -R'].map((x) => c.indexOf(x));
      expect(order.every((i) => i >= 0), String(order)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
    it(`${lang}: the backup is rolled forward from the WAL archive to the freeze`, () => {
      expect(step(p, 'S1')).toContain('FROM pg_stat_archiver');
      expect(step(p, 'S3')).toContain('pg_switch_wal()');
      expect(step(p, 'R3')).toContain("restore_command 'cp /var/lib/postgresql/wal-archive/%f %p'");
      expect(step(p, 'R3')).toContain('recovery.signal');
    });
    it(`${lang}: a Go/No-Go stands before the first start of the new cluster, and another before clients return`, () => {
      const g = Object.fromEntries(p.decisions.map((d) => [d.id, d.afterStep]));
      expect(g).toEqual({ G1: 'S2', G2: 'S4', G3: 'S5' });
      expect(step(p, 'S4')).toContain('--link');
      expect(step(p, 'S4')).not.toContain('systemctl start');
      expect(step(p, 'S5')).toContain('sudo systemctl start postgresql@15-main');
      expect(step(p, 'S6')).toContain('ENABLE \\"orders-db\\"');
    });
    it(`${lang}: after PgBouncer KILL every reopening also RESUMEs (new clients wait until RESUME)`, () => {
      for (const id of ['S6', 'R2', 'R3']) expect(step(p, id), id).toContain('-c "ENABLE \\"orders-db\\"" -c "RESUME \\"orders-db\\""');
    });
    it(`${lang}: the PgBouncer console gets the database name double-quoted (an unquoted name allows only [0-9a-z_])`, () => {
      const consoleCommands = all(p).split('\n').filter((l) => l.includes('-d pgbouncer -c'));
      expect(consoleCommands.length).toBeGreaterThan(0);
      for (const l of consoleCommands) expect(l).not.toMatch(/-c "(DISABLE|KILL|ENABLE|RESUME) orders-db"/);
    });
    it(`${lang}: the new cluster takes template0's locale from pg_database (SHOW lc_collate fails from PostgreSQL 16)`, () => {
      expect(all(p)).not.toContain('SHOW lc_collate');
      expect(step(p, 'S2')).toContain(`sudo pg_createcluster --locale "$(sudo -u postgres psql --cluster 12/main -Atc "SELECT datcollate FROM pg_database WHERE datname = 'template0'")" 15 main`);
    });
    it(`${lang}: the new cluster archives its WAL apart from the archive the rollback replays, never overwriting`, () => {
      expect(step(p, 'S2')).toContain("set archive_command 'test ! -f /var/lib/postgresql/wal-archive-15/%f && cp %p /var/lib/postgresql/wal-archive-15/%f'");
      expect(step(p, 'S2').indexOf('archive_command')).toBeLessThan(step(p, 'S2').indexOf('--link --check'));
    });
    it(`${lang}: update_extensions.sql, replication slots and delete_old_cluster.sh after sign-off`, () => {
      expect(step(p, 'S7')).toContain('-f /var/tmp/update_extensions.sql');
      expect(step(p, 'S9')).toContain('-C -S "$slot"');
      expect(p.postChecks.join('\n')).toContain('/var/tmp/delete_old_cluster.sh');
    });
    it(`${lang}: writes are blocked at the pooler, not by a read-only default any session can override`, () => {
      expect(all(p)).not.toContain('default_transaction_read_only = on');
      expect(step(p, 'S3')).toContain('psql -h pgbouncer-1 -p 6432 -U pgbouncer -d pgbouncer -c "DISABLE \\"orders-db\\"" -c "KILL \\"orders-db\\""');
    });
    it(`${lang}: the stated downtime is the sum of the blocked steps`, () => {
      const blocked = p.steps.filter((s) => ['S3', 'S4', 'S5', 'S6'].includes(s.id)).reduce((n, s) => n + s.minutes, 0);
      expect(impact(p).downtime).toContain(lang === 'en' ? `${blocked} min` : `${blocked} 分钟`);
      expect(p.summary).toContain(lang === 'en' ? `(${blocked} min)` : `（${blocked} 分钟）`);
    });
  }
});

describe('review findings: MySQL', () => {
  const p = plan('MySQL 5.7 to 8.0 upgrade').plan;
  it('statements on the 5.7 replica use 5.7 syntax, so the slow shutdown is set; 8.0 statements after the upgrade', () => {
    expect(step(p, 'S3')).toContain('mysql -h mysql-2 -e "STOP SLAVE; SET GLOBAL innodb_fast_shutdown = 0"');
    expect(step(p, 'S3')).toContain('START REPLICA');
    expect(plan('MySQL from 8.0 to 8.4 upgrade').plan.steps[2]!.command).toContain('"STOP SLAVE; SET GLOBAL innodb_fast_shutdown = 0"');
    expect(plan('MySQL from 8.4 to 9.1 upgrade').plan.steps[2]!.command).toContain('"STOP REPLICA; SET GLOBAL innodb_fast_shutdown = 0"');
  });
  it('the upgrade checker gets the exact release and the configuration file; an exact release in the request is used as given', () => {
    expect(step(p, 'S1')).toContain('--target-version=8.0.40 --config-path=/etc/mysql/mysql.conf.d/mysqld.cnf');
    expect(step(p, 'S1')).not.toContain('8.0.0');
    expect(plan('upgrade MySQL from 5.7 to 8.0.36').plan.steps[0]!.command).toContain('--target-version=8.0.36');
    expect(plan('MySQL 5.7 to 8.0 upgrade').plan.summary).toContain('exact target release `8.0.40`');
  });
  it('XtraBackup runs on the source host, in the 2.4 series for 5.7', () => {
    expect(step(p, 'S2')).toMatch(/^# .*\nssh mysql-1 'dpkg -s percona-xtrabackup-24 >\/dev\/null && sudo xtrabackup --backup /);
    expect(step(p, 'S2')).not.toContain('--host=');
  });
  it('the APT repository is switched to the 8.0 component before the install', () => {
    const c = step(p, 'S3');
    expect(c).toContain('sudo sed -i "s/ mysql-5.7$/ mysql-8.0/" /etc/apt/sources.list.d/mysql.list && sudo apt-get update');
    expect(c.indexOf('mysql.list')).toBeLessThan(c.indexOf('apt-get install'));
  });
  it('the summary no longer promises that the old primary replicates from the new one', () => {
    expect(p.summary).not.toMatch(/make the old primary \S+ a replica/);
    expect(p.summary).toContain('it is not made a replica (5.7 cannot replicate from 8.0)');
  });
  it('every No-Go points at something that exists, and a Go/No-Go follows the promotion', () => {
    const rollbackIds = p.rollback.steps.map((s) => s.id);
    for (const d of p.decisions) for (const ref of d.noGoAction.match(/\bR\d+\b/g) ?? []) expect(rollbackIds).toContain(ref);
    expect(p.decisions.map((d) => d.afterStep)).toEqual(['S4', 'S6']);
    expect(step(p, 'S6')).toContain('WAIT_FOR_EXECUTED_GTID_SET');
  });
});

describe('names from the request reach the commands, for every playbook', () => {
  const cases: [string, string, string[]][] = [
    ['upgrade EKS cluster prod-eu to 1.30', 'k8s-managed-upgrade', ['--name prod-eu', '--cluster-name prod-eu']],
    ['upgrade GKE cluster payments-eu-2 node pool pool-a to 1.30', 'k8s-managed-upgrade', ['gcloud container clusters upgrade payments-eu-2 --node-pool=pool-a']],
    ['kubernetes upgrade to 1.31 on control plane node cp-prod-1 with backup host vault-7', 'k8s-kubeadm-upgrade', ['etcd-cp-prod-1', 'ssh vault-7']],
    ['upgrade PostgreSQL orders-db on host pg-main-3 from 14 to 16', 'postgres-pg-upgrade', ['-d orders-db', 'pg_basebackup -h pg-main-3']],
    ['PostgreSQL 14 to 16 upgrade of database orders-db with logical replication from host pg-old-7', 'postgres-logical-replication', ['orders-db', 'pg-old-7']],
    ['upgrade MySQL 5.7 to 8.0 on primary billing-db-1 with replica billing-db-2 for app billing-api', 'mysql-upgrade', ['ssh billing-db-1', 'mysql -h billing-db-2', 'deployment/billing-api']],
    ['planned Redis failover of cache-02 to replica cache-03', 'redis-failover', ['redis-cli -h cache-02', 'cache-03']],
    ['Redis cluster scale-out of cluster cache-07 with 2 new shards', 'redis-scale-out', ['cache-07']],
    ['add 3 brokers to the Kafka cluster events-prod', 'kafka-scale-out', ['events-prod']],
    ['TLS certificate rotation for api.example.com on host edge-web-4', 'tls-cert-rotation', ['api.example.com', 'edge-web-4']],
    ['CDN switchover from Cloudflare to AWS CloudFront for shop.example.com', 'cdn-switchover', ['shop.example.com']],
    ['DNS migration from Cloudflare to Route 53 for example.org', 'dns-migration', ['example.org']],
    ['deploy billing-api v2.4.0 with database migration', 'app-deploy-db-migration', ['billing-api', '2.4.0']],
  ];
  for (const [request, id, names] of cases) {
    it(`${id}: "${request}"`, () => {
      const { playbook, plan: p } = plan(request);
      expect(playbook.id).toBe(id);
      for (const n of names) expect(all(p), n).toContain(n);
    });
  }
});

describe('review findings: DNS migration', () => {
  const p = plan('DNS migration from Cloudflare to Route 53 for example.org').plan;
  it('Cloudflare-proxied records are listed from the API and kept out of the import and the comparison', () => {
    expect(step(p, 'S1')).toContain('dns_records?proxied=true');
    expect(step(p, 'S1')).toMatch(/\nproxied_cloudflare \| sort -u > \/var\/backups\/example\.org-proxied\.txt\n/);
    expect(step(p, 'S1')).toContain('/var/backups/example.org-proxied.txt /var/backups/example.org-zone.txt > /var/backups/example.org-import.zone');
    expect(step(p, 'S2')).toContain('/var/backups/example.org-import.zone');
    expect(step(p, 'S2')).not.toContain('example.org-zone.txt');
  });
  it('every page of proxied records is read (result_info.total_pages), and imports into Cloudflare say proxied=false', () => {
    expect(step(p, 'S1')).toContain('&page=$page');
    expect(step(p, 'S1')).toContain("jq '.result_info.total_pages'");
    expect(step(p, 'S1')).not.toContain('per_page=5000');
    const intoCloudflare = plan('DNS migration from Route 53 to Cloudflare for example.org').plan;
    expect(step(intoCloudflare, 'S1')).toMatch(/\nimport_cloudflare \/var\/backups\/example\.org-import\.zone\n/);
    expect(step(intoCloudflare, 'S1')).toContain('-F file=@"$1" -F proxied=false');
    expect(dataRecovery(p).restoreCommand).toContain('-F file=@"$1" -F proxied=false');
  });
  it('a flattened apex CNAME is set aside for an alias record in Route 53', () => {
    expect(step(p, 'S1')).toContain('$1 == apex && $4 == "CNAME"');
    expect(p.steps[0]!.verification).toContain('alias A record');
  });
  it('no shell switch on a constant: the provider is chosen by the request, as data', () => {
    expect(all(p)).not.toMatch(/case "[^"$]*" in/);
    expect(step(p, 'S1')).toMatch(/\nimport_route53 \/var\/backups\/example\.org-import\.zone\n/);
    expect(plan('DNS migration from Route 53 to Cloudflare for example.org').plan.steps[0]!.command).toMatch(/\nimport_cloudflare /);
    expect(plan('DNS migration from GoDaddy to NS1 for example.org').plan.steps[0]!.command).toMatch(/\nimport_other /);
  });
  it('the rollback says the TLD delegation TTL cannot be lowered and keeps the new zone serving', () => {
    expect(p.rollback.steps[0]!.verification).toContain('172800 s (48 h)');
    expect(p.rollback.steps.map((s) => s.id)).toEqual(['R1', 'R2', 'R3']);
    expect(p.rollback.steps[2]!.title).toBe('Keep Route 53 serving the same records for 48 h after the rollback');
  });
  it('the DNSSEC DS record is removed, and checked gone, before the delegation changes', () => {
    const ds = p.steps.findIndex((s) => s.command.includes('DS "$ZONE"'));
    const ns = p.steps.findIndex((s) => s.title.startsWith('Set the Route 53 name servers'));
    expect(ds).toBeGreaterThanOrEqual(0);
    expect(ds).toBeLessThan(ns);
  });
});

describe('review findings: CDN switchover', () => {
  const p = plan('CDN provider switchover from CloudFlare to AWS CloudFront for www.example.com').plan;
  it('the TTL is lowered days ahead (a prerequisite), S2 only checks it, and the stated TTLs agree', () => {
    expect(p.prerequisites.join('\n')).toContain('lowered to 60 s at least one old TTL before the window');
    expect(step(p, 'S2')).not.toContain('.TTL = 60');
    expect(impact(p).downtime).toContain('60 s');
    expect(impact(p).downtime).not.toContain('(300 s)');
  });
  it('the ACM certificate in us-east-1, the alternate domain name and the served chain are checked', () => {
    expect(step(p, 'S1')).toContain('aws acm describe-certificate --region us-east-1');
    expect(step(p, 'S1')).toContain('DistributionConfig.[Aliases.Items, ViewerCertificate.ACMCertificateArn]');
    expect(step(p, 'S1')).toContain('openssl s_client -connect d111111abcdef8.cloudfront.net:443 -servername www.example.com -verify_return_error');
  });
  it('traffic moves by weight first where the DNS allows it, with a Go/No-Go between', () => {
    expect(step(p, 'S3')).toContain('.SetIdentifier = "new" | .Weight = $new');
    expect(step(p, 'S3')).toMatch(/\nweights_cloudflare 90 10\n/);
    expect(p.decisions.map((d) => d.afterStep)).toEqual(['S3', 'S4']);
  });
  it('4xx is watched', () => {
    expect(metrics(p).map((m) => m.name)).toContain('Edge 4xx rate');
    expect(triggers(p).join('\n')).toContain('4xx');
  });
  it('Cloudflare as the authoritative DNS and Route 53 are both handled; the request decides which runs', () => {
    expect(step(p, 'S4')).toMatch(/\nall_cloudflare\n/);
    expect(step(p, 'S4')).toContain('"proxied": false');
    expect(step(p, 'R1')).toMatch(/\nrestore_cloudflare\n/);
    const r53 = plan('CDN switchover from Akamai to CloudFront for www.example.com').plan;
    expect(step(r53, 'S4')).toMatch(/\nall_route53\n/);
    expect(step(r53, 'R1')).toMatch(/\nrestore_route53\n/);
  });
});

describe('review findings: Redis failover', () => {
  const p = plan('planned Redis failover of cache-02 to replica cache-03').plan;
  it('the snapshot copied is the one this BGSAVE wrote: poll rdb_bgsave_in_progress:0 and a newer LASTSAVE', () => {
    const c = step(p, 'S2');
    expect(c).not.toMatch(/sleep 5; /);
    expect(c).toContain("grep -qx 'rdb_bgsave_in_progress:0'");
    expect(c).toContain('[ "$(redis-cli -h cache-02 LASTSAVE)" -gt "$before" ]');
    expect(c.indexOf('LASTSAVE')).toBeLessThan(c.indexOf('BGSAVE'));
  });
  it('the restore starts with AOF off (an RDB is ignored when AOF is on) and keeps Sentinel from failing over', () => {
    const r = dataRecovery(p).restoreCommand;
    expect(r).toContain('s/^appendonly yes/appendonly no/');
    expect(r).toContain('CONFIG SET appendonly yes');
    expect(r.indexOf('SENTINEL REMOVE mymaster')).toBeLessThan(r.indexOf('systemctl stop redis-server'));
    expect(r).toContain('SENTINEL MONITOR mymaster "$MASTER" 6379 "$QUORUM"');
  });
  it('the restore gives Sentinel back the quorum and settings SENTINEL REMOVE forgot', () => {
    const r = dataRecovery(p).restoreCommand;
    expect(r.indexOf('SENTINEL MASTER mymaster')).toBeLessThan(r.indexOf('SENTINEL REMOVE mymaster'));
    expect(r).not.toMatch(/SENTINEL MONITOR mymaster "\$MASTER" 6379 2\b/);
    expect(r).toContain('SENTINEL SET mymaster down-after-milliseconds "$DOWN_AFTER" failover-timeout "$FAILOVER_TIMEOUT" parallel-syncs "$PARALLEL_SYNCS"');
    expect(r.indexOf('SENTINEL SET mymaster')).toBeGreaterThan(r.indexOf('SENTINEL MONITOR mymaster'));
  });
});

describe('review findings: Redis Cluster scale-out', () => {
  const p = plan('Redis cluster scale-out of cluster cache-07 with 2 new shards').plan;
  it('each primary keeps the snapshot its own BGSAVE wrote, where the restore reads it (no sleep-then-hope)', () => {
    const c = step(p, 'S2');
    expect(c).not.toMatch(/sleep 30/);
    expect(c).toContain("grep -qx 'rdb_bgsave_in_progress:0'");
    expect(c).toContain('[ "$(redis-cli -h "$n" LASTSAVE)" -gt "$before" ]');
    expect(c.indexOf('before=$(redis-cli -h "$n" LASTSAVE)')).toBeLessThan(c.indexOf('redis-cli -h "$n" BGSAVE'));
    expect(c).toContain('/var/backups/redis-pre-scale/dump.rdb');
    expect(dataRecovery(p).restoreCommand).toContain('/var/backups/redis-pre-scale/dump.rdb');
  });
  it('the restore starts with AOF off and holds the replicas\' failover off while the primary is down', () => {
    const r = dataRecovery(p).restoreCommand;
    expect(r).toContain('s/^appendonly yes/appendonly no/');
    expect(r).toContain('CONFIG SET appendonly yes');
    expect(r.indexOf('CONFIG SET cluster-replica-no-failover yes')).toBeLessThan(r.indexOf('systemctl stop redis-server'));
    expect(r.indexOf('CONFIG SET cluster-replica-no-failover no')).toBeGreaterThan(r.indexOf('systemctl start redis-server'));
  });
});

describe('review findings: application deploy with a database migration', () => {
  const p = plan('deploy billing-api v2.4.0 with database migration').plan;
  it('the migration jobs run in the namespace of the Deployments they go with, and so do the commands in the text', () => {
    const lines = all(p).split('\n').filter((l) => /^\s*kubectl /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^\s*kubectl -n prod /);
    expect(step(p, 'S2')).toContain('kubectl -n prod create job billing-api-migrate-');
    const text = JSON.stringify(p.steps.map((s) => [s.verification, s.onError]));
    expect(text).not.toMatch(/`kubectl (scale|get|rollout) /);
  });
});

describe('review findings: Kafka scale-out', () => {
  const p = plan('Kafka scale-out: add 3 brokers').plan;
  it('changing the throttle of a running reassignment uses --additional', () => {
    expect(p.steps[3]!.onError).toContain('--execute --additional --throttle');
  });
  it('the new brokers stop only once kafka-log-dirs shows they hold no partitions', () => {
    const r2 = step(p, 'R2');
    expect(r2).toContain('kafka-log-dirs.sh --bootstrap-server kafka-1:9092 --describe --broker-list "$(seq -s, 4 6)"');
    expect(r2).toContain('[ "$held" = 0 ] &&');
  });
  it('internal topics are not reassigned', () => {
    expect(step(p, 'S3')).toContain('--list --exclude-internal');
  });
  it('KRaft brokers get node.id and formatted storage', () => {
    expect(step(p, 'S2')).toContain('kafka-storage.sh format --config /etc/kafka/server.properties --cluster-id "$cluster_id"');
    expect(step(p, 'S2')).toContain('node.id');
  });
  it('a broker joining a dynamic KRaft quorum is formatted with --no-initial-controllers, a static one without', () => {
    const c = step(p, 'S2');
    expect(c).toContain("grep -q '^controller.quorum.bootstrap.servers=' /etc/kafka/server.properties && joining=--no-initial-controllers");
    expect(c).toContain('--ignore-formatted ${joining:+"$joining"}');
  });
});

describe('review findings: TLS rotation (host-based)', () => {
  const p = plan('TLS certificate rotation for api.example.com on host edge-web-4').plan;
  it('the deployed fullchain.pem is checked: leaf first, and it verifies', () => {
    expect(step(p, 'S1')).toContain('openssl verify -untrusted /etc/ssl/new/api.example.com.fullchain.pem /etc/ssl/new/api.example.com.fullchain.pem');
    expect(step(p, 'S1')).toContain('echo LEAF-FIRST');
  });
  it('every server gets the .prev copies the rollback restores, and the rollback fans out to every server', () => {
    expect(all(p)).not.toContain('backup=yes');
    expect(step(p, 'S4')).toContain('cp -a /etc/ssl/live/api.example.com.crt /etc/ssl/live/api.example.com.crt.prev');
    expect(step(p, 'R1')).toMatch(/^ansible web -b -m shell -a "test -f \/etc\/ssl\/live\/api\.example\.com\.crt\.prev && /);
  });
});

describe('review findings: PostgreSQL logical replication', () => {
  const p = plan('PostgreSQL 14 to 16 upgrade of database orders-db with logical replication from host pg-old-7').plan;
  it('the subscription is dropped at the switchover and no slot is left on the old primary after a rollback', () => {
    expect(step(p, 'S6')).toContain('-c "ALTER SUBSCRIPTION upgrade_sub DISABLE" -c "DROP SUBSCRIPTION upgrade_sub"');
    expect(step(p, 'R2')).toContain("pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'upgrade_sub'");
  });
  it('the database name is a quoted identifier in SQL (orders-db unquoted is a syntax error)', () => {
    expect(step(p, 'S1')).toContain('-c "CREATE DATABASE \\"orders-db\\""');
    expect(step(p, 'S4')).toContain('-c "ALTER DATABASE \\"orders-db\\" SET default_transaction_read_only = on"');
    expect(step(p, 'R2')).toContain('-c "ALTER DATABASE \\"orders-db\\" RESET default_transaction_read_only"');
    expect(all(p)).not.toMatch(/DATABASE orders-db/);
  });
  it('the full dump of the rollback is budgeted like the initial copy and runs after the application is back', () => {
    const dump = p.rollback.steps.find((s) => s.command.includes('pg_dump'))!;
    expect(dump.minutes).toBe(p.steps[1]!.minutes);
    expect(p.rollback.steps.findIndex((s) => s.command.includes('DATABASE_HOST=pg-old-7'))).toBeLessThan(p.rollback.steps.indexOf(dump));
  });
  it('owners are kept (no --no-owner), sequences are quoted with %I, the new cluster is analysed, replicator is created', () => {
    expect(all(p)).not.toContain('--no-owner');
    expect(step(p, 'S6')).toContain("format('%I.%I', schemaname, sequencename)");
    expect(step(p, 'S3')).toContain('vacuumdb -h pg-new-1 -U postgres -d orders-db --analyze-in-stages');
    expect(step(p, 'S2')).toContain("CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD :'pw';");
  });
  it('the stated freeze is the sum of S4–S6', () => {
    const n = p.steps.filter((s) => ['S4', 'S5', 'S6'].includes(s.id)).reduce((a, s) => a + s.minutes, 0);
    expect(impact(p).downtime).toContain(`a ${n} min write freeze from S4 to S6`);
    expect(p.summary).toContain(`${n}-minute write freeze (S4–S6)`);
  });
});

describe('`new` says in one line when no playbook covers the request', () => {
  const ids = playbooks.filter((p) => !p.generic).map((p) => p.id).join(', ');
  it('English: the line names the request\'s system and operation and the playbooks that exist; the JSON carries it', async () => {
    const cwd = tmp();
    const r = await main(['new', '--provider', 'offline', '--date', '2025-11-10', 'upgrade RabbitMQ from 3.12 to 3.13'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'provider: offline — chosen with --provider; playbook: generic',
      `no playbook covers "rabbitmq upgrade": the generic skeleton is used; playbooks: ${ids}`,
    ]);
    const j = JSON.parse((await main(['new', '--provider', 'offline', '--dry-run', '--json', 'migrate from RabbitMQ to Kafka'], { cwd })).stdout);
    expect(j.playbook).toBe('generic');
    expect(j.notice).toBe(`no playbook covers "rabbitmq migration": the generic skeleton is used; playbooks: ${ids}`);
  });
  it('Chinese', async () => {
    const r = await main(['new', '--provider', 'offline', '--dry-run', '将生产 RabbitMQ 从 3.12 升级到 3.13'], { cwd: tmp(), env: { OPS_DOCS_LANG: 'zh' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe(`没有 playbook 覆盖“rabbitmq upgrade”：使用通用骨架；现有 playbook：${ids}`);
  });
  it('a covered request prints no such line', async () => {
    const r = await main(['new', '--provider', 'offline', '--dry-run', 'planned Redis failover of cache-02'], { cwd: tmp() });
    expect(r.stdout).toContain('playbook: redis-failover');
    expect(r.stdout).not.toContain('no playbook covers');
  });
});

describe('the host-based TLS playbook is not the ingress-nginx variant', () => {
  it('"nginx ingress" is not given the playbook that copies files onto hosts', () => {
    expect(plan('rotate the TLS cert on nginx ingress').playbook.id).not.toBe('tls-cert-rotation');
    expect(plan('TLS certificate rotation for api.example.com on host edge-web-4').playbook.id).toBe('tls-cert-rotation');
    expect(plan('替换 api.example.com 的证书', 'zh').playbook.id).toBe('tls-cert-rotation');
  });
});

describe('named extractors are written once, in the vocabulary', () => {
  it('every name a playbook uses is defined, and a missing one is refused with both files named', () => {
    expect(() => checkNamedExtractors(playbooks, vocabulary)).not.toThrow();
    const used = playbooks.flatMap((p) => Object.values(p.variables).flatMap((v) => v.extract.filter((x) => 'named' in x)));
    expect(used.length).toBeGreaterThan(5);
    const dir = join(tmp(), 'templates');
    mkdirSync(dir, { recursive: true });
    const data = parse(readFileSync(join(BUILTIN_TEMPLATES, 'vocabulary.yaml'), 'utf8'));
    delete data.extractors.host;
    writeFileSync(join(dir, 'vocabulary.yaml'), JSON.stringify(data));
    expect(() => checkNamedExtractors(playbooks, loadVocabulary(dir))).toThrow(/variables\.\w+\.extract names "host", which .*vocabulary\.yaml does not define under extractors/);
  });
  it('the shared host reader finds a numbered host name', () => {
    expect(plan('planned Redis failover of cache-02').plan.steps[0]!.command).toContain('redis-cli -h cache-02');
  });
});

describe('sources and coverage are part of every playbook', () => {
  it('every playbook but the generic one names its official documentation over https, with versions', () => {
    for (const p of playbooks.filter((x) => !x.generic)) {
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      for (const s of p.sources) {
        expect(s.url, p.id).toMatch(/^https:\/\//);
        expect(s.versions, `${p.id}: ${s.title}`).toBeTruthy();
      }
    }
  });
  it('a playbook without sources, or with an unknown hosting, is refused with the file named', () => {
    const raw = parse(readFileSync(join(BUILTIN_TEMPLATES, 'playbooks', 'redis-failover.yaml'), 'utf8'));
    expect(() => checkPlaybook({ ...raw, sources: [] }, 'x.yaml')).toThrow(new StandardError('x.yaml: sources needs a list of at least 1'));
    expect(() => checkPlaybook({ ...raw, covers: { ...raw.covers, hosting: 'cloud' } }, 'x.yaml')).toThrow(new StandardError('x.yaml: covers.hosting must be one of self-hosted, managed, any'));
    expect(() => checkPlaybook({ ...raw, sources: [{ title: 't', url: 'http://x' }] }, 'x.yaml')).toThrow(new StandardError('x.yaml: sources[0].url must be an https address'));
  });
});

describe('managed Kubernetes: the commands of the cloud the request names run', () => {
  it('EKS, GKE and AKS each call their own functions; the default is EKS, listed as an assumption', () => {
    const gke = plan('upgrade GKE cluster payments-eu-2 node pool pool-a to 1.30').plan;
    expect(step(gke, 'S3')).toMatch(/\ncontrol_plane_gke\n/);
    expect(step(gke, 'S5')).toMatch(/\nnodes_gke\n/);
    const aks = plan('AKS cluster aks-prod-1 upgrade to 1.29 in resource group rg-pay').plan;
    expect(step(aks, 'S3')).toContain('az aks upgrade --resource-group rg-pay --name aks-prod-1 --control-plane-only');
    expect(step(aks, 'S3')).toMatch(/\ncontrol_plane_aks\n/);
    const k8s = plan('upgrade our managed kubernetes cluster to 1.30');
    expect(step(k8s.plan, 'S3')).toMatch(/\ncontrol_plane_eks\n/);
    expect(k8s.plan.summary).toContain('managed Kubernetes service (commands) `eks`');
  });
});

describe('a playbook whose operation the vocabulary does not know is refused at load', () => {
  it('names the file, the operation and the kinds that exist', () => {
    const raw = parse(readFileSync(join(BUILTIN_TEMPLATES, 'playbooks', 'redis-failover.yaml'), 'utf8'));
    const odd = checkPlaybook({ ...raw, covers: { ...raw.covers, operations: ['flipping'] } }, 'odd.yaml');
    expect(() => checkNamedExtractors([odd], vocabulary)).toThrow(`odd.yaml: covers.operations names "flipping", which is not an operation kind of ${join(BUILTIN_TEMPLATES, 'vocabulary.yaml')} (upgrade, downgrade, migration, switchover, rotation, renewal, scale-out, scale-in, failover, deploy, restart, decommission, patching, backup, restore, resize, reindex, replacement)`);
  });
  it('OS patching reads as the kind "patching"', () => {
    expect(readRequest('OS patching with rolling reboots', vocabulary).operation).toBe('patching');
    expect(readRequest('给所有 web 服务器打补丁', vocabulary).operation).toBe('patching');
  });
});
