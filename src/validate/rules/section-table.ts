/**
 * section-table — a section the standard describes as a table has one, with every required column (found by
 * its header in either language), every required row (found by its text), and at least the required number of
 * rows.
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
 * Fails (`checklist-sign-off-approver`): the same without the Approver row.
 */
import type { DocRule } from '../rule.js';
import { fill } from '../rule.js';
import { findSection, firstTable, key, labelNames, readTable, toText } from '../../document/model.js';

export const sectionTable: DocRule = {
  name: 'section-table',
  scope: 'document',
  check({ model, spec, report }) {
    if (!spec) return;
    for (const section of spec.sections) {
      if (section.require !== 'table' || !section.table) continue;
      const found = findSection(model, section);
      if (!found) continue;
      const stem = `${spec.kind}-${section.id}`;
      const t = section.table;
      const table = firstTable(found.nodes);
      const cols = t.columns.map((c) => c.label.en).join(' | ');
      const colsZh = t.columns.map((c) => c.label.zh).join(' | ');
      if (!table) {
        report(stem, fill({
          en: 'section "{title}" needs a table with the columns | {cols} |',
          zh: '章节“{title}”需要一个包含 | {colsZh} | 列的表格',
        }, { title: found.title, cols, colsZh }), found.heading);
        continue;
      }
      const read = readTable(table, t.columns);
      for (const col of t.columns) {
        if (!read.columns.has(col.id)) {
          report(`${stem}-${col.id}`, fill({
            en: 'the table in "{title}" lacks the column "{en}": add it to the header row',
            zh: '“{title}”中的表格缺少“{zh}”列：请在表头中添加',
          }, { title: found.title, en: col.label.en, zh: col.label.zh }), table);
        }
      }
      for (const row of t.rows ?? []) {
        const names = [...labelNames(row)];
        const present = read.rows.some((r) => {
          const k = key(toText(r));
          return names.some((n) => k.includes(n));
        });
        if (!present) {
          report(`${stem}-${row.id}`, fill({
            en: 'the table in "{title}" lacks the row "{en}": add a row for it',
            zh: '“{title}”中的表格缺少“{zh}”行：请添加该行',
          }, { title: found.title, en: row.label.en, zh: row.label.zh }), table);
        }
      }
      if (read.rows.length < (t.minRows ?? 0)) {
        report(stem, fill({
          en: 'the table in "{title}" has {n} rows; at least {min} expected',
          zh: '“{title}”中的表格有 {n} 行；至少需要 {min} 行',
        }, { title: found.title, n: read.rows.length, min: t.minRows ?? 0 }), table);
      }
    }
  },
};
