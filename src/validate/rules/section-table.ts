/**
 * section-table — a section the standard describes as a table has one, with every required column (found by
 * its header in either language, by label or synonym; `Threshold / alert condition` names the Threshold column),
 * every required row (found by its text), and at least the required number of rows.
 *
 * Rule ids: `<kind>-<section>` (no table, too few rows), `<kind>-<section>-<column>` (a missing column),
 * `<kind>-<section>-<row>` (a missing row), e.g. `checklist-steps-signed`, `checklist-pre-execution-approval`,
 * `checklist-sign-off-approver`.
 *
 * Passes:
 *   ## Sign-Off
 *   | Role | Name | Signature | Date |
 *   |---|---|---|---|
 *   | Executor | | | |
 *   | Reviewer | | | |
 *   | Approver | | | |
 * Fails (`checklist-sign-off-approver`):
 *   ## Sign-Off
 *   | Role | Name | Signature | Date |
 *   |---|---|---|---|
 *   | Executor | | | |
 *   | Reviewer | | | |
 */
import { firstTable, key, labelNames, readTable, toText } from '../../document/model.js';
import { alsoKnownAs, defineRule, fill, idsFor, sectionsRequiring } from '../rule.js';

export const sectionTable = defineRule({
  origin: 'ops-docs:section-table',
  ids: (standard) => idsFor(standard, 'table', (s) => ['', ...(s.table?.columns ?? []).map((c) => c.id), ...(s.table?.rows ?? []).map((r) => r.id)]),
}, (ctx) => {
  const { report } = ctx;
  for (const { spec, found, stem } of sectionsRequiring(ctx, 'table')) {
    const t = spec.table;
    const table = firstTable(found.nodes);
    const required = t.columns.filter((c) => !c.optional);
    const cols = required.map((c) => c.label.en).join(' | ');
    const colsZh = required.map((c) => c.label.zh).join(' | ');
    if (!table) {
      report(stem, fill({
        en: 'section "{title}" needs a table with the columns | {cols} |',
        zh: '章节“{title}”需要一个包含 | {colsZh} | 列的表格',
      }, { title: found.title, cols, colsZh }), found.heading);
      continue;
    }
    const read = readTable(table, t.columns);
    for (const col of required) {
      if (read.columns.has(col.id)) continue;
      const aka = alsoKnownAs(col.label, col.aliases);
      report(`${stem}-${col.id}`, fill({
        en: 'the table in "{title}" lacks the column "{en}"{akaEn}: add it to the header row',
        zh: '“{title}”中的表格缺少“{zh}”列{akaZh}：请在表头中添加',
      }, { title: found.title, en: col.label.en, zh: col.label.zh, akaEn: aka.en, akaZh: aka.zh }), table);
    }
    for (const row of t.rows ?? []) {
      const names = [...labelNames(row)];
      const present = read.rows.some((r) => {
        const k = key(toText(r));
        return names.some((n) => k.includes(n));
      });
      if (present) continue;
      const aka = alsoKnownAs(row.label, row.aliases);
      report(`${stem}-${row.id}`, fill({
        en: 'the table in "{title}" lacks the row "{en}"{akaEn}: add a row for it',
        zh: '“{title}”中的表格缺少“{zh}”行{akaZh}：请添加该行',
      }, { title: found.title, en: row.label.en, zh: row.label.zh, akaEn: aka.en, akaZh: aka.zh }), table);
    }
    if (read.rows.length < (t.minRows ?? 0)) {
      report(stem, fill({
        en: 'the table in "{title}" has {n} rows; at least {min} expected',
        zh: '“{title}”中的表格有 {n} 行；至少需要 {min} 行',
      }, { title: found.title, n: read.rows.length, min: t.minRows ?? 0 }), table);
    }
  }
});
