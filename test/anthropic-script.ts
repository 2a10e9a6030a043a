/**
 * What the fake model answers in the tests and the benchmark: plans that match the two valid fixture tasks, the
 * fixture documents as the model's text (without frontmatter: the provider writes its own), and the scripts that
 * combine them with faults.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kind, Lang } from '../src/standard/types.js';
import type { Reply, RecordedRequest, Script } from './fake-anthropic.js';

const HERE = resolve(fileURLToPath(import.meta.url), '..');
/** Works from test/ (vitest) and from dist/test/ (the compiled benchmark). */
const ROOT = HERE.includes(`${join('dist', 'test')}`) ? resolve(HERE, '..', '..') : resolve(HERE, '..');

export const FIXTURE = {
  en: {
    dir: join(ROOT, 'test', 'fixtures', 'valid', 'en', '2025-11-10-k8s-cluster-upgrade-v1.28'),
    task: { date: '2025-11-10', system: 'k8s', operation: 'upgrade', desc: 'cluster-upgrade-v1.28', name: '2025-11-10-k8s-cluster-upgrade-v1.28' },
    description: 'Kubernetes cluster upgrade to v1.28',
  },
  zh: {
    dir: join(ROOT, 'test', 'fixtures', 'valid', 'zh', '2025-11-03-postgres-upgrade-v12-to-v15'),
    task: { date: '2025-11-03', system: 'postgres', operation: 'upgrade', desc: 'v12-to-v15', name: '2025-11-03-postgres-upgrade-v12-to-v15' },
    description: '数据库从 PostgreSQL 12 升级到 15',
  },
} as const;

/** The fixture documents without their frontmatter: what a well-behaved model writes. */
export function fixtureBodies(lang: Lang): Record<Kind, string> {
  const { dir, task } = FIXTURE[lang];
  const out = {} as Record<Kind, string>;
  for (const name of readdirSync(dir)) {
    const kind = name.slice(task.name.length + 1, -3) as Kind;
    const text = readFileSync(join(dir, name), 'utf8');
    out[kind] = text.replace(/^---\n[\s\S]*?\n---\n+/, '');
  }
  return out;
}

const step = (id: string, title: string, command: string, minutes: number) => ({
  id, title, command, lang: 'bash', verification: `${title} verified`, expectedOutput: 'ok', onError: 'stop and follow the rollback plan', minutes,
});

/** Plans whose ids match the fixture documents (S1–S3, G1 after S2, R1–R2). */
export function planInput(lang: Lang): Record<string, unknown> {
  const zh = lang === 'zh';
  return {
    title: zh ? 'PostgreSQL 数据库从 12 升级到 15' : 'Kubernetes cluster upgrade to v1.28',
    summary: zh ? '使用 pg_upgrade 将 orders-db 从 12 升级到 15。' : 'Upgrade prod-eu-1 from v1.27.9 to v1.28.4 with kubeadm.',
    impact: { services: zh ? '订单服务' : 'every workload', users: zh ? '全部下单用户' : 'none expected', downtime: zh ? '30 分钟' : 'none', risk: zh ? '高' : 'high' },
    prerequisites: [zh ? '备份空间充足' : 'etcd snapshot space available'],
    steps: zh
      ? [step('S1', '全量备份', 'pg_basebackup -D /backup', 20), step('S2', '升级预检查', 'pg_upgrade --check', 10), step('S3', '执行升级', 'pg_upgrade --link', 15)]
      : [step('S1', 'Back up etcd', 'etcdctl snapshot save /var/backups/etcd.db', 5), step('S2', 'Upgrade the first control-plane node', 'kubeadm upgrade apply v1.28.4 --yes', 20),
        step('S3', 'Upgrade worker nodes one at a time', 'kubeadm upgrade node', 45)],
    decisions: [{ id: 'G1', title: zh ? '执行升级之前' : 'Before upgrading worker nodes', afterStep: 'S2', criteria: zh ? '预检查通过' : 'control plane on v1.28.4',
      noGoAction: zh ? '按回滚方案处理' : 'execute the rollback plan', owner: zh ? '变更负责人' : 'change owner' }],
    metrics: [{ name: zh ? '错误率' : 'API server 5xx rate', threshold: '> 1%', source: 'Grafana' }],
    bufferMinutes: 15,
    windowMinutes: 120,
    rollback: {
      triggers: [zh ? '错误率超过 5%' : 'API server 5xx rate above 5% for 10 minutes'],
      steps: [
        { id: 'R1', title: zh ? '停止 PostgreSQL 15' : 'Restore etcd', command: 'systemctl stop postgresql@15-main', lang: 'bash', verification: 'inactive', minutes: 10 },
        { id: 'R2', title: zh ? '从备份恢复' : 'Reinstall v1.27', command: 'apt-get install -y kubeadm=1.27.9-1.1', lang: 'bash', verification: 'v1.27.9', minutes: 30 },
      ],
      dataRecovery: { backupSource: '/backup', restoreCommand: 'tar -xzf /backup/base.tar.gz', restoreLang: 'bash', lossWindow: zh ? '无' : 'none' },
      verification: [zh ? '健康检查通过' : 'all nodes Ready'],
    },
    postChecks: [zh ? '监控正常 30 分钟' : 'monitoring normal for 30 min'],
  };
}

/** A draft without its first mandatory section (the runbook's executive summary, the rollback's triggers …). */
export function withoutSection(body: string, heading: string): string {
  const start = body.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`fixture has no section ${heading}`);
  const next = body.indexOf('\n## ', start + 4);
  return body.slice(0, start) + body.slice(next);
}

export interface HappyOverrides {
  /** Answer for a document or repair call before the default (return undefined to fall through). */
  document?: (req: RecordedRequest, kind: Kind) => Reply | undefined;
  plan?: (req: RecordedRequest) => Reply | undefined;
}

/** The model that does everything right, with hooks to make one call go wrong. */
export function happyScript(lang: Lang, overrides: HappyOverrides = {}): Script {
  const bodies = fixtureBodies(lang);
  const plan = planInput(lang);
  return (req) => {
    if (req.call.role === 'plan') return overrides.plan?.(req) ?? { type: 'tool', name: 'submit_plan', input: plan };
    if ((req.call.role === 'document' || req.call.role === 'repair') && req.call.kind) {
      const kind = req.call.kind as Kind;
      return overrides.document?.(req, kind) ?? { type: 'text', text: bodies[kind] };
    }
    return { type: 'http-error', status: 400, errorType: 'invalid_request_error', message: 'fake: unrecognised request' };
  };
}
