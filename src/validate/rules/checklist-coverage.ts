/**
 * checklist-coverage — the checklist is the record of the runbook being carried out, so every runbook step has
 * a row in its execution table and every Go/No-Go point a row in its decision table. A row names its step by
 * number in any usual form (`S2`, `2`, `Step 2`, `第二步`, `GNG-1`) or, failing that, by the step's title.
 * Rows for steps the runbook does not have are reported too: the two documents have drifted apart.
 *
 * Rule ids: `checklist-steps-coverage`, `checklist-go-no-go-coverage`.
 *
 * Passes: runbook steps `### Step 1 — Back up`, `### Step 2 — Upgrade` and checklist rows `| S1 | … |`, `| 2 | … |`.
 * Fails (`checklist-steps-coverage`): runbook step 3 with no row for it in the checklist.
 */
import { firstTable, findSection, itemsOf, readTable } from '../../document/model.js';
import { defineTaskRule, fill } from '../rule.js';
import { matchRows } from '../../document/rows.js';

export const checklistCoverage = defineTaskRule({
  origin: 'ops-docs:checklist-coverage',
  ids: (standard) => standard.docs.checklist.sections.filter((s) => s.table?.idPrefix).map((s) => `checklist-${s.id}-coverage`),
}, ({ docs, standard, report }) => {
  const runbook = docs.get('runbook');
  const checklist = docs.get('checklist');
  if (!runbook || !checklist) return; // task-files reports the missing document
  for (const clSection of standard.docs.checklist.sections) {
    const t = clSection.table;
    if (!t?.idPrefix) continue;
    const rbSection = standard.docs.runbook.sections.find((s) => s.items?.prefix === t.idPrefix);
    if (!rbSection?.items) continue;
    const rbFound = findSection(runbook, rbSection);
    const clFound = findSection(checklist, clSection);
    if (!rbFound || !clFound) continue; // required-sections reports it
    const table = firstTable(clFound.nodes);
    if (!table) continue;
    const items = itemsOf(rbFound, rbSection.items);
    const { unmatchedItems, unmatchedRows } = matchRows(items, readTable(table, t.columns), rbSection.items, t);
    const ruleId = `checklist-${clSection.id}-coverage`;
    for (const item of unmatchedItems) {
      report(checklist, ruleId, fill({
        en: 'runbook {id} ("{name}") has no row in "{title}": add a row with {id} (or its number) in the first column',
        zh: 'runbook 中的 {id}（“{name}”）在“{title}”中没有对应行：请添加首列为 {id}（或其序号）的一行',
      }, { id: item.id, name: item.name, title: clFound.title }), table);
    }
    for (const row of unmatchedRows) {
      report(checklist, ruleId, fill({
        en: 'row "{row}" in "{title}" matches no runbook item by number or title: remove the row or add the item to the runbook',
        zh: '“{title}”中的“{row}”行与 runbook 中的条目编号和标题都不对应：请删除该行或在 runbook 中补充',
      }, { row: row.label, title: clFound.title }), row.row);
    }
  }
});
