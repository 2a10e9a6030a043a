/**
 * A mandated section is a data change. A copy of the standard gains a runbook section (with a checklist row that
 * signs it off) and the matching playbook gains its content — YAML only — and every consumer follows: `validate`
 * reports a task without it, the model's prompt describes it, offline `new` writes it from the playbook's data and
 * `record` fills its checklist row.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from './helpers/main.js';
import { ROOT, VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';
import { loadStandard } from '../src/standard/load.js';
import { describeDocument } from '../src/generate/prompts.js';
import { planInputSchema } from '../src/generate/plan-schema.js';

const K8S = '2025-11-10-k8s-cluster-upgrade-v1.28';
const NEW = ['new', '--date', '2025-11-10', 'kubernetes cluster upgrade to v1.28'];
const COMMUNICATION = {
  id: 'communication',
  title: { en: 'Communication Plan', zh: '沟通计划' },
  guidance: { en: 'Who is told what, when, and through which channel.', zh: '在何时、通过何种渠道、通知谁什么内容。' },
  require: 'list',
  list: { minItems: 2 },
};
const ROW = { id: 'comms-sent', label: { en: 'Stakeholders informed', zh: '已通知干系人' }, aliases: { en: ['Stakeholders'], zh: ['干系人'] } };
const PLAYBOOK_CONTENT = [
  { en: 'T-24 h: announce the window in #platform-changes', zh: 'T-24 小时：在 #platform-changes 公告变更窗口' },
  { en: 'At each Go/No-Go: post the decision in the change thread', zh: '每个 Go/No-Go 点：在变更话题中发布决策' },
];

/** An ops folder whose templates/ carry the extended standard and playbook: the only change is YAML. */
function extendedOps(): { root: string; ops: string; templates: string } {
  const root = tmp();
  const ops = join(root, 'ops');
  const templates = join(ops, 'templates');
  const std = join(templates, 'standard');
  mkdirSync(std, { recursive: true });
  cpSync(join(ROOT, 'templates', 'standard'), std, { recursive: true });
  const runbook = parse(readFileSync(join(std, 'runbook.yaml'), 'utf8'));
  runbook.sections.push(COMMUNICATION);
  writeFileSync(join(std, 'runbook.yaml'), stringify(runbook));
  const checklist = parse(readFileSync(join(std, 'checklist.yaml'), 'utf8'));
  checklist.sections.find((s: { id: string }) => s.id === 'pre-execution').table.rows.push(ROW);
  writeFileSync(join(std, 'checklist.yaml'), stringify(checklist));
  mkdirSync(join(templates, 'playbooks'));
  const playbook = parse(readFileSync(join(ROOT, 'templates', 'playbooks', 'k8s-kubeadm-upgrade.yaml'), 'utf8'));
  playbook.sections = { ...(playbook.sections ?? {}), 'runbook/communication': PLAYBOOK_CONTENT };
  writeFileSync(join(templates, 'playbooks', 'k8s-kubeadm-upgrade.yaml'), stringify(playbook));
  return { root, ops, templates };
}

describe('a mandated section added in YAML alone', () => {
  it('validate reports a task without the section and without its checklist row', async () => {
    const { root, ops } = extendedOps();
    cpSync(VALID.en, join(ops, 'active', K8S), { recursive: true });
    const r = await main(['validate', join('ops', 'active', K8S), '--format', 'json', '--no-cache'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as { ruleId: string; severity: string; file: string }[])
      .map((f) => `${f.file.split('/').pop()} ${f.severity} ${f.ruleId}`);
    expect(found).toEqual([
      `${K8S}-checklist.md error checklist-pre-execution-comms-sent`,
      `${K8S}-runbook.md error runbook-communication`,
    ]);
  });

  it('the model is told about it: the document description and nothing in the plan schema it is not marked for', () => {
    const { templates } = extendedOps();
    const standard = loadStandard(templates);
    for (const lang of ['en', 'zh'] as const) {
      const text = describeDocument(standard, 'runbook', lang);
      expect(text).toContain(`## ${COMMUNICATION.title[lang]}`);
      expect(text).toContain(COMMUNICATION.guidance[lang]);
    }
    expect(describeDocument(standard, 'checklist', 'en')).toContain(ROW.label.en);
    expect(Object.keys((planInputSchema(standard).properties as { sections: { properties: object } }).sections.properties)).toEqual(['runbook/impact']);
  });

  it('offline new writes it from the playbook data, strict-valid, and record fills its checklist row', async () => {
    const { root, ops } = extendedOps();
    const made = await main([...NEW, '--ops-dir', ops, '--json'], { cwd: root, env: { TZ: 'UTC', USER: 'tester' } });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const summary = JSON.parse(made.stdout) as { playbook: string; validation: { strict: boolean; warnings: number } };
    expect(summary.playbook).toBe('k8s-kubeadm-upgrade');
    expect(summary.validation).toMatchObject({ strict: true, warnings: 0 });
    const dir = join(ops, 'active', K8S);
    const runbook = readFileSync(join(dir, `${K8S}-runbook.md`), 'utf8');
    expect(runbook).toContain(`## Communication Plan\n\n- ${PLAYBOOK_CONTENT[0]!.en}\n- ${PLAYBOOK_CONTENT[1]!.en}\n`);
    const checklist = () => readFileSync(join(dir, `${K8S}-checklist.md`), 'utf8');
    expect(checklist()).toContain('| Stakeholders informed | [ ] | | |\n');

    const env = { TZ: 'UTC', USER: 'tester', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    for (const state of ['approved', 'in-progress']) {
      const moved = await main(['status', K8S, state, '--by', 'alice', '--ops-dir', ops], { cwd: root, env });
      expect(moved.stderr).toBe('');
      expect(moved.code).toBe(0);
    }
    const rec = await main(['record', K8S, 'check', 'comms-sent', '--by', 'alice', '--at', '2025-11-10 01:55', '--ops-dir', ops], { cwd: root, env });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    expect(checklist()).toContain('| Stakeholders informed | [x] | alice | 2025-11-10 01:55 |\n');
  });
});
