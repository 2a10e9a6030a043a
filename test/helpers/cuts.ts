/**
 * Cut each mandated element out of a task folder, one at a time, in whatever form the folder writes it: a section
 * with everything under it, a field (bold label, list item, table row, sub-heading or sentence), every item of a
 * section, an item's command or field, a table column or row, a list, a checklist row, a frontmatter key. Each
 * cut says which rule id must then fail. The cuts are generated from templates/standard/*.yaml and located with
 * the document model, so a section added to the standard is cut here without edits, and a cut that cannot find
 * its element throws (the folder does not have it: the corpus is incomplete, which is a failure too).
 */
import type { Nodes, RootContent, Table, TableRow } from 'mdast';
import type { Standard } from '../../src/standard/types.js';
import { KINDS, type Kind, type SectionSpec } from '../../src/standard/types.js';
import { readDocument } from '../../src/validate/index.js';
import { locateField, valueRegex } from '../../src/validate/fields.js';
import { findSection, firstTable, hasCommand, itemsOf, key, labelNames, listsOf, matchesName, readTable, toText, type DocModel } from '../../src/document/model.js';
import { matchRows } from '../../src/document/rows.js';

export interface Cut {
  kind: Kind;
  name: string;
  /** The one rule id the cut document must fail with. */
  expected: string;
  /** The document after the cut; `models` are the folder's other documents, as read before it. */
  mutate: (text: string, model: DocModel, models: Record<Kind, DocModel>) => string;
}

export function modelOf(path: string, text: string): DocModel {
  const r = readDocument({ path, bytes: Buffer.from(text) });
  if (!('model' in r)) throw new Error(r.finding.message);
  return r.model;
}

const start = (n: Nodes) => n.position!.start.offset!;
const end = (n: Nodes) => n.position!.end.offset!;
export function cut(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(to);
}
/** Remove whole lines (a table row) holding the node. */
export function cutLine(text: string, node: Nodes): string {
  const s = text.lastIndexOf('\n', start(node) - 1) + 1;
  const e = text.indexOf('\n', end(node));
  return cut(text, s, e < 0 ? text.length : e + 1);
}
/** Blank a table cell, keeping its pipes so the table stays a table. */
function blankCell(text: string, cell: Nodes): string {
  return text.slice(0, start(cell)) + text.slice(start(cell), end(cell)).replace(/[^|\s]/gu, ' ') + text.slice(end(cell));
}
function cutNodes(text: string, first: Nodes, last: Nodes): string {
  return cut(text, start(first), Math.max(end(first), end(last)));
}
/** Remove a field however it is written. */
function cutField(text: string, hit: { node: Nodes; valueNodes: Nodes[] }): string {
  if (hit.node.type === 'tableRow') return cutLine(text, hit.node);
  if (hit.node.type === 'tableCell') return blankCell(text, hit.node);
  const last = hit.valueNodes.length ? hit.valueNodes[hit.valueNodes.length - 1]! : hit.node;
  return cutNodes(text, hit.node, last);
}
/** Replace, inside the field's own bytes, every value the pattern accepts: `15 min` → `soon`. */
function spoilField(text: string, hit: { node: Nodes; valueNodes: Nodes[] }, re: RegExp): string {
  const last = hit.valueNodes.length ? hit.valueNodes[hit.valueNodes.length - 1]! : hit.node;
  const from = start(hit.node);
  const to = Math.max(end(hit.node), end(last));
  const global = new RegExp(re.source, 'giu');
  const spoiled = text.slice(from, to).replace(global, 'soon');
  return text.slice(0, from) + spoiled + text.slice(to);
}

function sectionOf(m: DocModel, section: SectionSpec) {
  const s = findSection(m, section);
  if (!s) throw new Error(`${m.path}: section ${section.id} not found: the folder lacks it`);
  return s;
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`cannot locate ${what}`);
  return x;
}

export function cutsFor(kind: Kind, section: SectionSpec, standard: Standard): Cut[] {
  const stem = `${kind}-${section.id}`;
  const cuts: Cut[] = [{
    kind, name: `section ${section.id}`, expected: stem,
    mutate: (text, m) => {
      const s = sectionOf(m, section);
      return cutNodes(text, s.heading, s.nodes[s.nodes.length - 1] ?? s.heading);
    },
  }];
  if (section.require === 'content') {
    cuts.push({
      kind, name: `content of ${section.id}`, expected: stem,
      mutate: (text, m) => {
        const s = sectionOf(m, section);
        return cut(text, end(s.heading), end(need(s.nodes[s.nodes.length - 1], `content of ${section.id}`)));
      },
    });
  }
  for (const field of section.fields ?? []) {
    cuts.push({
      kind, name: `field ${section.id}.${field.id}`, expected: `${stem}-${field.id}`,
      mutate: (text, m) => cutField(text, need(locateField(standard, sectionOf(m, section).nodes, field), `field ${field.id}`)),
    });
    if (field.match) {
      cuts.push({
        kind, name: `field ${section.id}.${field.id} of the wrong form`, expected: `${stem}-${field.id}`,
        mutate: (text, m) => spoilField(text, need(locateField(standard, sectionOf(m, section).nodes, field), `field ${field.id}`),
          valueRegex(standard, field.match!.pattern)),
      });
    }
  }
  if (section.items) {
    const items = section.items;
    const first = (m: DocModel) => need(itemsOf(sectionOf(m, section), items)[0], `first item of ${section.id}`);
    cuts.push({
      kind, name: `every item of ${section.id}`, expected: stem,
      mutate: (text, m) => {
        const s = sectionOf(m, section);
        const all = itemsOf(s, items);
        if (all[0]!.header) return cutNodes(text, firstTable(s.nodes)!, firstTable(s.nodes)!);
        const lastItem = all[all.length - 1]!;
        return cutNodes(text, all[0]!.heading, lastItem.nodes[lastItem.nodes.length - 1] ?? lastItem.heading);
      },
    });
    if (items.command) {
      cuts.push({
        kind, name: `command of the first item of ${section.id}`, expected: `${stem}-command`,
        mutate: (text, m) => {
          const item = first(m);
          // Every command block of the item, last first so offsets stay valid.
          const blocks: Nodes[] = [];
          const stack = [...item.nodes] as Nodes[];
          while (stack.length) {
            const n = stack.pop()!;
            if (n.type === 'code') blocks.push(n);
            else if ('children' in n) stack.push(...(n.children as Nodes[]));
          }
          if (!hasCommand(item.nodes, standard.common.outputLanguages)) throw new Error('first item has no command');
          return blocks.sort((a, b) => start(b) - start(a)).reduce((t, b) => cut(t, start(b), end(b)), text);
        },
      });
    }
    for (const field of items.fields) {
      cuts.push({
        kind, name: `field ${field.id} of the first item of ${section.id}`, expected: `${stem}-${field.id}`,
        mutate: (text, m) => cutField(text, need(locateField(standard, first(m), field), `field ${field.id} of the first item`)),
      });
      if (field.match) {
        cuts.push({
          kind, name: `field ${field.id} of the first item of ${section.id}, wrong form`, expected: `${stem}-${field.id}`,
          mutate: (text, m) => spoilField(text, need(locateField(standard, first(m), field), `field ${field.id}`), valueRegex(standard, field.match!.pattern)),
        });
      }
    }
  }
  if (section.table) {
    const table = section.table;
    const read = (m: DocModel) => readTable(need(firstTable(sectionOf(m, section).nodes), `table of ${section.id}`) as Table, table.columns);
    cuts.push({
      kind, name: `table of ${section.id}`, expected: stem,
      mutate: (text, m) => {
        const t = read(m).table;
        return cutNodes(text, t, t);
      },
    });
    for (const col of table.columns.filter((c) => !c.optional)) {
      cuts.push({
        kind, name: `column ${col.id} of ${section.id}`, expected: `${stem}-${col.id}`,
        mutate: (text, m) => {
          // Every header that could name the column is renamed, last first so offsets stay valid.
          const r = read(m);
          need(r.columns.get(col.id), `column ${col.id}`);
          const names = labelNames(col);
          const cells = r.table.children[0]!.children.filter((c) => matchesName(toText(c), names));
          return cells.reverse().reduce((t, cell) => t.slice(0, start(cell)) + t.slice(start(cell), end(cell)).replace(/[^|]+/u, ' Zzz ') + t.slice(end(cell)), text);
        },
      });
    }
    for (const row of table.rows ?? []) {
      cuts.push({
        kind, name: `row ${row.id} of ${section.id}`, expected: `${stem}-${row.id}`,
        mutate: (text, m) => {
          const names = [...labelNames(row)];
          const hits = read(m).rows.filter((x) => names.some((n) => key(toText(x)).includes(n)));
          return hits.sort((a, b) => start(b) - start(a)).reduce((t, r) => cutLine(t, r), text);
        },
      });
    }
  }
  if (section.list) {
    cuts.push({
      kind, name: `list of ${section.id}`, expected: stem,
      mutate: (text, m) => listsOf(sectionOf(m, section).nodes).sort((a, b) => start(b) - start(a)).reduce((t, l) => cutNodes(t, l, l), text),
    });
    if (section.list.match) {
      const name = section.list.match.name ?? section.list.match.pattern;
      cuts.push({
        kind, name: `list item of ${section.id} of the wrong form`, expected: `${stem}-${name}`,
        mutate: (text, m) => {
          const item = need(listsOf(sectionOf(m, section).nodes)[0]?.children[0], `list item of ${section.id}`);
          const words = m.lang === 'zh' ? '情况看起来不太好' : 'Things look bad';
          const para = need(item.children[0] as RootContent | undefined, 'list item text');
          return text.slice(0, start(para)) + words + text.slice(end(para));
        },
      });
    }
  }
  return cuts;
}

/** A row of the checklist that records a runbook item, cut: the checklist no longer covers the runbook. */
export function coverageCuts(standard: Standard): Cut[] {
  const out: Cut[] = [];
  for (const cl of standard.docs.checklist.sections) {
    const t = cl.table;
    const rb = standard.docs.runbook.sections.find((s) => s.items && s.items.prefix === t?.idPrefix);
    if (!t?.idPrefix || !rb?.items) continue;
    out.push({
      kind: 'checklist', name: `checklist row of the first runbook item of ${rb.id}`, expected: `checklist-${cl.id}-coverage`,
      mutate: (text, m, models) => {
        const items = itemsOf(sectionOf(models.runbook, rb), rb.items!);
        const read = readTable(need(firstTable(sectionOf(m, cl).nodes), `table of ${cl.id}`), t.columns);
        const row = need(matchRows(items, read, rb.items!, t).rows.get(items[0]!.id), `checklist row of ${items[0]!.id}`);
        return cutLine(text, row.row as TableRow);
      },
    });
  }
  return out;
}

export function allCuts(standard: Standard): Cut[] {
  const out: Cut[] = [];
  for (const kind of KINDS) {
    for (const section of standard.docs[kind].sections) out.push(...cutsFor(kind, section, standard));
    for (const field of standard.common.frontmatter.required) {
      out.push({
        kind, name: `frontmatter ${field}`, expected: `frontmatter-${field}`,
        mutate: (text) => text.replace(new RegExp(`^${field}:.*\\n`, 'm'), ''),
      });
    }
  }
  out.push(...coverageCuts(standard));
  return out;
}
