/**
 * Which checklist row records which runbook item. A row names its item by number in any usual form (`S2`, `2`,
 * `Step 2`, `第二步`, `GNG-1`, `Checkpoint 1: …`) or, failing that, by the item's title.
 */
import type { TableRow } from 'mdast';
import type { ItemsSpec, TableSpec } from '../standard/types.js';
import { cellText, itemWords, key, toText, type Item, type TableRead } from './model.js';
import { readNumbering } from './numbering.js';

export interface RowRead {
  row: TableRow;
  index: number;
  /** The id the row names by number (`S2`), if it names one. */
  id: string | undefined;
  /** The row's naming text, for messages: its id cell, or its first cell. */
  label: string;
}

/** The id a row names by number: from its id column, else its first cell, else its title column. */
export function rowId(read: TableRead, row: TableRow, items: ItemsSpec | string, table: TableSpec): string | undefined {
  const { prefix, words } = itemWords(items);
  const idCol = table.idColumn ? read.columns.get(table.idColumn) : undefined;
  const candidates = idCol !== undefined ? [idCol] : [0, ...titleColumns(read, table)];
  for (const c of candidates) {
    const n = readNumbering(cellText(row, c), prefix, words);
    if (n) return `${prefix}${n.number}`;
  }
  return undefined;
}

function titleColumns(read: TableRead, table: TableSpec): number[] {
  return table.columns.filter((c) => c.id !== table.idColumn).map((c) => read.columns.get(c.id)).filter((i): i is number => i !== undefined).slice(0, 1);
}

/** The id a person gives for an item, in any usual form: `2`, `Step 2`, `S2`, `第二步`, `G1`, `决策点一`. */
export function idFromRequest(text: string, items: ItemsSpec | string): string | undefined {
  const { prefix, words } = itemWords(items);
  const t = /^[a-z]\d+$/.test(text.trim()) ? text.trim().toUpperCase() : text.trim();
  if (/^\d+$/.test(t)) return `${prefix}${Number(t)}`;
  const n = readNumbering(t, prefix, words);
  return n && n.rest === '' ? `${prefix}${n.number}` : undefined;
}

function sameName(a: string, b: string): boolean {
  const ka = key(a);
  const kb = key(b);
  if (!ka || !kb) return false;
  return ka === kb || (Math.min(ka.length, kb.length) >= 4 && (ka.includes(kb) || kb.includes(ka)));
}

export interface RowMatch {
  /** Runbook item id → checklist row. */
  rows: Map<string, RowRead>;
  unmatchedItems: Item[];
  unmatchedRows: RowRead[];
}

/** Pair runbook items with checklist rows: by number first, then by title for rows that carry none. */
export function matchRows(items: Item[], read: TableRead, itemsSpec: ItemsSpec | string, table: TableSpec): RowMatch {
  const rows = new Map<string, RowRead>();
  const known = new Map(items.map((i) => [i.id, i]));
  const unmatchedRows: RowRead[] = [];
  const byTitle: RowRead[] = [];
  const idCol = table.idColumn ? read.columns.get(table.idColumn) : undefined;
  read.rows.forEach((row, index) => {
    if (toText(row) === '') return; // an empty line to write on
    const id = rowId(read, row, itemsSpec, table);
    const r: RowRead = { row, index, id, label: cellText(row, idCol ?? 0) || toText(row).slice(0, 60) };
    if (id === undefined) byTitle.push(r);
    else if (known.has(id) && !rows.has(id)) rows.set(id, r);
    else unmatchedRows.push(r);
  });
  for (const r of byTitle) {
    const cells = r.row.children.map((c) => toText(c));
    const item = items.find((i) => !rows.has(i.id) && cells.some((c) => sameName(c, i.name)));
    if (item) rows.set(item.id, { ...r, id: item.id });
    else unmatchedRows.push(r);
  }
  return { rows, unmatchedItems: items.filter((i) => !rows.has(i.id)), unmatchedRows };
}
