/**
 * The fixtures follow the standard through a script (scripts/fixtures.ts, `npm run fixtures`), not by hand: they are
 * in step with the built-in standard now, and a section and a row added to the standard reach them as data.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureContent, syncFixtures } from '../scripts/fixtures.js';
import { loadStandard } from '../src/standard/load.js';
import type { DocSpec, Standard } from '../src/standard/types.js';
import { validateTaskSources } from '../src/validate/index.js';
import { ROOT } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The built-in standard with one more runbook section and one more pre-execution row. */
function extended(): Standard {
  const base = loadStandard();
  const clone = structuredClone(base);
  const runbook = clone.docs.runbook as DocSpec;
  runbook.sections.push({
    id: 'communication', title: { en: 'Communication Plan', zh: '沟通计划' }, aliases: { en: [], zh: [] },
    guidance: { en: 'Who is told what, when.', zh: '何时通知谁什么。' }, require: 'list', list: { minItems: 1 },
  });
  clone.docs.checklist.sections.find((s) => s.id === 'pre-execution')!.table!.rows!.push(
    { id: 'comms-sent', label: { en: 'Stakeholders informed', zh: '已通知干系人' }, aliases: { en: [], zh: [] } });
  return clone;
}

function validate(dir: string, standard: Standard) {
  const task = dir.split('/').pop()!;
  const sources = readdirSync(dir).map((n) => ({ path: `${task}/${n}`, bytes: readFileSync(join(dir, n)) }));
  return validateTaskSources(task, sources, standard, { strict: true }).map((f) => `${f.file.split('/').pop()} ${f.ruleId}`);
}

describe('fixtures generated from the standard', () => {
  it('the fixtures are in step with the built-in standard (npm run fixtures would change nothing)', () => {
    expect(syncFixtures(FIXTURES, loadStandard(), fixtureContent(join(FIXTURES, 'sections.yaml')), false)).toEqual([]);
  });

  it('a mandated section and row reach the fixtures from sections.yaml content, strict-valid, and a second run adds nothing', () => {
    const root = tmp();
    cpSync(join(FIXTURES, 'valid'), join(root, 'valid'), { recursive: true });
    const standard = extended();
    const en = join(root, 'valid', 'en', '2025-11-10-k8s-cluster-upgrade-v1.28');
    const zh = join(root, 'valid', 'zh', '2025-11-03-postgres-upgrade-v12-to-v15');
    expect(validate(en, standard)).toEqual([
      '2025-11-10-k8s-cluster-upgrade-v1.28-checklist.md checklist-pre-execution-comms-sent',
      '2025-11-10-k8s-cluster-upgrade-v1.28-runbook.md runbook-communication',
    ]);
    const content = { 'runbook/communication': [{ en: 'T-24 h: announce the window in #changes', zh: 'T-24 小时：在 #changes 公告变更窗口' }] };
    const report = syncFixtures(root, standard, content, true).map((r) => `${r.file.slice(root.length + 1)}: ${r.added.join(', ')}`);
    expect(report).toEqual([
      'valid/en/2025-11-10-k8s-cluster-upgrade-v1.28/2025-11-10-k8s-cluster-upgrade-v1.28-runbook.md: communication',
      'valid/en/2025-11-10-k8s-cluster-upgrade-v1.28/2025-11-10-k8s-cluster-upgrade-v1.28-checklist.md: pre-execution/comms-sent',
      'valid/zh/2025-11-03-postgres-upgrade-v12-to-v15/2025-11-03-postgres-upgrade-v12-to-v15-runbook.md: communication',
      'valid/zh/2025-11-03-postgres-upgrade-v12-to-v15/2025-11-03-postgres-upgrade-v12-to-v15-checklist.md: pre-execution/comms-sent',
    ]);
    expect(validate(en, standard)).toEqual([]);
    expect(validate(zh, standard)).toEqual([]);
    expect(readFileSync(join(en, '2025-11-10-k8s-cluster-upgrade-v1.28-runbook.md'), 'utf8')).toMatch(/\n## Communication Plan\n\n- T-24 h: announce the window in #changes\n$/);
    expect(readFileSync(join(zh, '2025-11-03-postgres-upgrade-v12-to-v15-checklist.md'), 'utf8')).toContain('| 已通知干系人 | [ ] | | |\n');
    expect(syncFixtures(root, standard, content, false)).toEqual([]);
  });
});
