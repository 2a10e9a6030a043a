/**
 * checklist-coverage — the checklist is the record of the runbook being carried out, so every runbook step
 * (S1, S2 …) has a row in its execution table and every Go/No-Go point (G1 …) a row in its decision table.
 * Rows for ids the runbook does not have are reported too: the two documents have drifted apart.
 *
 * Rule ids: `checklist-steps-coverage`, `checklist-go-no-go-coverage`.
 *
 * Passes: runbook steps S1–S3 and checklist rows S1, S2, S3.
 * Fails (`checklist-steps-coverage`): runbook step S3 with no row S3 in the checklist.
 */
import type { TaskRule } from '../rule.js';
import { fill } from '../rule.js';
import { cellText, findSection, firstTable, itemsOf, readTable } from '../../document/model.js';

export const checklistCoverage: TaskRule = {
  name: 'checklist-coverage',
  scope: 'task',
  check({ docs, standard, report }) {
    const runbook = docs.get('runbook');
    const checklist = docs.get('checklist');
    if (!runbook || !checklist) return; // task-files reports the missing document
    const rbSpec = standard.docs.runbook;
    const clSpec = standard.docs.checklist;
    for (const clSection of clSpec.sections) {
      const t = clSection.table;
      if (!t?.idColumn || !t.idPrefix) continue;
      const rbSection = rbSpec.sections.find((s) => s.items?.prefix === t.idPrefix);
      if (!rbSection) continue;
      const rbFound = findSection(runbook, rbSection);
      const clFound = findSection(checklist, clSection);
      if (!rbFound || !clFound) continue; // required-sections reports it
      const ids = itemsOf(rbFound, t.idPrefix).map((i) => i.id).filter((x): x is string => Boolean(x));
      const table = firstTable(clFound.nodes);
      if (!table) continue;
      const read = readTable(table, t.columns);
      const idCol = read.columns.get(t.idColumn);
      const idRe = new RegExp(`\\b${t.idPrefix}\\d+\\b`);
      const rowIds = new Set(read.rows.map((r) => idRe.exec(cellText(r, idCol ?? 0))?.[0]).filter((x): x is string => Boolean(x)));
      const ruleId = `checklist-${clSection.id}-coverage`;
      for (const id of ids) {
        if (!rowIds.has(id)) {
          report(checklist, ruleId, fill({
            en: 'runbook {id} has no row in "{title}": add a row with {id} in the first column',
            zh: 'runbook 中的 {id} 在“{title}”中没有对应行：请添加首列为 {id} 的一行',
          }, { id, title: clFound.title }), table);
        }
      }
      const known = new Set(ids);
      for (const id of rowIds) {
        if (!known.has(id)) {
          report(checklist, ruleId, fill({
            en: 'row {id} in "{title}" is not in the runbook: remove the row or add the step to the runbook',
            zh: '“{title}”中的 {id} 行在 runbook 中不存在：请删除该行或在 runbook 中补充',
          }, { id, title: clFound.title }), table);
        }
      }
    }
  },
};
