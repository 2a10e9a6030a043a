/**
 * printable-tables — in a document meant to be printed (the checklist), no table is wider than the standard's
 * `maxTableColumns` (7), so that every column fits an A4 page.
 *
 * Rule id: `<kind>-printable`, e.g. `checklist-printable`.
 *
 * Passes:
 *   | ID | Step | Planned | Actual start–end | Verification result | Signed |
 *   |---|---|---|---|---|---|
 *   | S9 | Extra | 5 min | | | |
 * Fails (`checklist-printable`):
 *   | ID | Step | Planned | Start | End | Verification result | Signed | Witness |
 *   |---|---|---|---|---|---|---|---|
 *   | S9 | Extra | 5 min | | | | | |
 */
import type { Table } from 'mdast';
import { defineRule, fill } from '../rule.js';
import { descendants } from '../../document/model.js';

export const printableTables = defineRule({
  origin: 'ops-docs:printable-tables',
  ids: (standard) => Object.values(standard.docs).filter((d) => d.maxTableColumns).map((d) => `${d.kind}-printable`),
}, ({ model, spec, report }) => {
  {
    const max = spec?.maxTableColumns;
    if (!spec || !max) return;
    for (const n of descendants(model.tree.children)) {
      if (n.type !== 'table') continue;
      const width = Math.max(...(n as Table).children.map((r) => r.children.length));
      if (width > max) {
        report(`${spec.kind}-printable`, fill({
          en: 'table has {n} columns; a printed page fits at most {max}: merge or drop columns',
          zh: '表格有 {n} 列；打印页最多容纳 {max} 列：请合并或删除部分列',
        }, { n: width, max }), n);
      }
    }
  }
});
