/**
 * What the fake model answers in the tests and the benchmark: plan skeletons that match the two valid fixture
 * tasks, the fixture runbook and rollback plan as the model's text (without frontmatter: the provider writes its
 * own), and the scripts that combine them with faults.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kind, Lang } from '../src/standard/types.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeAnthropic, type FakeServer, type Reply, type RecordedRequest, type Script } from './fake-anthropic.js';

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

/**
 * The skeletons a model answers the plan call with, sized like a real one (a few hundred tokens: ids, short titles,
 * minutes — no commands), whose ids, titles and minutes are those of the fixture documents (S1–S3, G1 after S2,
 * R1–R2), so the fixture runbook and rollback plan agree with them.
 */
export function planInput(lang: Lang): Record<string, unknown> {
  const zh = lang === 'zh';
  return zh
    ? {
      title: 'PostgreSQL 数据库从 12 升级到 15',
      sections: { 'runbook/impact': { services: '订单服务', users: '全部下单用户', downtime: '30 分钟', risk: '高' } },
      prerequisites: ['备份空间充足', '业务方已确认停机窗口'],
      steps: [{ id: 'S1', title: '全量备份', minutes: 20 }, { id: 'S2', title: '升级预检查', minutes: 10 }, { id: 'S3', title: '执行升级', minutes: 15 }],
      decisions: [{ id: 'G1', title: '执行升级之前', afterStep: 'S2', owner: '变更负责人' }],
      rollbackSteps: [{ id: 'R1', title: '停止 PostgreSQL 15', minutes: 10 }, { id: 'R2', title: '从备份恢复 PostgreSQL 12', minutes: 30 }],
      bufferMinutes: 15,
      windowMinutes: 120,
      postChecks: ['应用连接正常', '监控正常 30 分钟', '通知相关团队变更完成'],
      facts: ['orders-db：PostgreSQL 12 → 15', '备份目录 /backup'],
    }
    : {
      title: 'Kubernetes cluster upgrade to v1.28',
      sections: { 'runbook/impact': { services: 'every workload on prod-eu-1', users: 'none expected', downtime: 'none', risk: 'high' } },
      prerequisites: ['etcd snapshot space available', 'v1.28.4 packages mirrored'],
      steps: [
        { id: 'S1', title: 'Back up etcd', minutes: 5 },
        { id: 'S2', title: 'Upgrade the first control-plane node', minutes: 20 },
        { id: 'S3', title: 'Upgrade worker nodes one at a time', minutes: 15 },
      ],
      decisions: [{ id: 'G1', title: 'Before upgrading worker nodes', afterStep: 'S2', owner: 'change owner' }],
      rollbackSteps: [{ id: 'R1', title: 'Restore etcd from the snapshot', minutes: 15 }, { id: 'R2', title: 'Reinstall v1.27 control-plane packages', minutes: 30 }],
      bufferMinutes: 15,
      windowMinutes: 120,
      postChecks: ['all nodes Ready on v1.28.4', 'monitoring normal for 30 min', 'teams notified'],
      facts: ['cluster prod-eu-1: v1.27.9 → v1.28.4', 'etcd snapshot /var/backups/etcd-pre-1.28.db'],
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

/**
 * The fake Messages API for one test file: started once, reset to the happy English script before every test,
 * closed at the end. Returns the server (valid inside tests and hooks).
 */
export function useFakeAnthropic(): () => FakeServer {
  let fake: FakeServer | undefined;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ script: happyScript('en') });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake!.reset();
    fake!.setScript(happyScript('en'));
  });
  return () => fake!;
}
