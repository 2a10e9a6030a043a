/**
 * Every mandated element of the standard, in English and in Chinese: take a valid document, remove (or break)
 * exactly that element, and the validator must report exactly that element's rule id — nothing more, nothing less.
 * The cases are generated from templates/standard/*.yaml, so a section added there is covered here without edits.
 */
import { describe, expect, it } from 'vitest';
import type { Nodes, RootContent, Table } from 'mdast';
import { loadStandard } from '../src/standard/load.js';
import { KINDS, type Kind, type SectionSpec } from '../src/standard/types.js';
import { checkDocument, readDocument } from '../src/validate/index.js';
import { findField, findSection, firstTable, itemsOf, labelNames, listsOf, readTable, key, toText, type DocModel } from '../src/document/model.js';
import { VALID, readTask } from './helpers/fixtures.js';

const standard = loadStandard();

function model(path: string, text: string): DocModel {
  const r = readDocument({ path, bytes: Buffer.from(text) });
  if (!('model' in r)) throw new Error(r.finding.message);
  return r.model;
}

function errorIds(path: string, text: string, strict = true): string[] {
  return [...new Set(checkDocument(model(path, text), standard, { strict }).filter((f) => f.severity === 'error').map((f) => f.ruleId))].sort();
}

const start = (n: Nodes) => n.position!.start.offset!;
const end = (n: Nodes) => n.position!.end.offset!;
function cut(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(to);
}
/** Remove a section: its heading and everything under it. */
function cutSection(text: string, heading: Nodes, body: RootContent[]): string {
  const last = body.length ? body[body.length - 1]! : heading;
  return cut(text, start(heading), end(last));
}
/** Remove one line of a table (a row) by its node. */
function cutLine(text: string, node: Nodes): string {
  const s = text.lastIndexOf('\n', start(node) - 1) + 1;
  const e = text.indexOf('\n', end(node));
  return cut(text, s, e < 0 ? text.length : e + 1);
}

interface Case {
  name: string;
  expected: string;
  mutate: (text: string, m: DocModel) => string;
}

function casesFor(kind: Kind, section: SectionSpec): Case[] {
  const stem = `${kind}-${section.id}`;
  const cases: Case[] = [{
    name: `section ${section.id} missing`,
    expected: stem,
    mutate: (text, m) => {
      const s = findSection(m, section)!;
      return cutSection(text, s.heading, s.nodes);
    },
  }];
  if (section.require === 'content') {
    cases.push({
      name: `section ${section.id} empty`,
      expected: stem,
      mutate: (text, m) => {
        const s = findSection(m, section)!;
        return cut(text, end(s.heading), end(s.nodes[s.nodes.length - 1]!));
      },
    });
  }
  for (const field of section.fields ?? []) {
    cases.push({
      name: `field ${section.id}.${field.id} missing`,
      expected: `${stem}-${field.id}`,
      mutate: (text, m) => {
        const s = findSection(m, section)!;
        const hit = findField(s.nodes, labelNames(field))!;
        return cut(text, start(hit.node), end(hit.node));
      },
    });
    if (field.match) {
      cases.push({
        name: `field ${section.id}.${field.id} of the wrong form`,
        expected: `${stem}-${field.id}`,
        mutate: (text, m) => {
          const s = findSection(m, section)!;
          const hit = findField(s.nodes, labelNames(field))!;
          const label = /^[^:：]*[:：]/u.exec(toText(hit.node))![0];
          return text.slice(0, start(hit.node)) + `- **${label.replace(/[:：]$/u, '')}:** whatever` + text.slice(end(hit.node));
        },
      });
    }
  }
  if (section.items) {
    const items = section.items;
    const firstItem = (m: DocModel) => itemsOf(findSection(m, section)!, items)[0]!;
    cases.push({
      name: `section ${section.id} item numbered twice`,
      expected: stem,
      mutate: (text, m) => {
        // The first item written a second time, number and all.
        const first = itemsOf(findSection(m, section)!, items)[0]!;
        const last = first.nodes[first.nodes.length - 1] ?? first.heading;
        const copy = text.slice(start(first.heading), end(last));
        return text.slice(0, end(last)) + '\n\n' + copy + text.slice(end(last));
      },
    });
    if (items.command) {
      cases.push({
        name: `section ${section.id} item without a command`,
        expected: `${stem}-command`,
        mutate: (text, m) => {
          const code = firstItem(m).nodes.find((n) => n.type === 'code')!;
          return cut(text, start(code), end(code));
        },
      });
    }
    for (const field of items.fields) {
      cases.push({
        name: `section ${section.id} item field ${field.id} missing`,
        expected: `${stem}-${field.id}`,
        mutate: (text, m) => {
          const hit = findField(firstItem(m).nodes, labelNames(field))!;
          return cut(text, start(hit.node), end(hit.node));
        },
      });
    }
  }
  if (section.table) {
    const table = section.table;
    const read = (m: DocModel) => readTable(firstTable(findSection(m, section)!.nodes) as Table, table.columns);
    for (const col of table.columns.filter((c) => !c.optional)) {
      cases.push({
        name: `table ${section.id} column ${col.id} missing`,
        expected: `${stem}-${col.id}`,
        mutate: (text, m) => {
          const r = read(m);
          const cell = r.table.children[0]!.children[r.columns.get(col.id)!]!;
          return text.slice(0, start(cell)) + '| Zzz ' + text.slice(end(cell));
        },
      });
    }
    for (const row of table.rows ?? []) {
      cases.push({
        name: `table ${section.id} row ${row.id} missing`,
        expected: `${stem}-${row.id}`,
        mutate: (text, m) => {
          const names = [...labelNames(row)];
          const r = read(m).rows.find((x) => names.some((n) => key(toText(x)).includes(n)))!;
          return cutLine(text, r);
        },
      });
    }
  }
  if (section.list?.match) {
    const name = section.list.match.name ?? section.list.match.pattern;
    cases.push({
      name: `list ${section.id} item of the wrong form`,
      expected: `${stem}-${name}`,
      mutate: (text, m) => {
        const item = listsOf(findSection(m, section)!.nodes)[0]!.children[0]!;
        return text.slice(0, start(item)) + '- Things look bad' + text.slice(end(item));
      },
    });
  }
  return cases;
}

for (const lang of ['en', 'zh'] as const) {
  const { docs } = readTask(VALID[lang]);
  describe(`standard elements (${lang})`, () => {
    it('the valid fixtures have no errors', () => {
      for (const kind of KINDS) expect(errorIds(docs[kind].path, docs[kind].text)).toEqual([]);
    });
    for (const kind of KINDS) {
      for (const section of standard.docs[kind].sections) {
        for (const c of casesFor(kind, section)) {
          it(`${kind}: ${c.name} → ${c.expected}`, () => {
            const { path, text } = docs[kind];
            const mutated = c.mutate(text, model(path, text));
            expect(mutated).not.toBe(text);
            expect(errorIds(path, mutated)).toEqual([c.expected]);
          });
        }
      }
      for (const field of standard.common.frontmatter.required) {
        it(`${kind}: frontmatter ${field} missing → frontmatter-${field}`, () => {
          const { path, text } = docs[kind];
          const mutated = text.replace(new RegExp(`^${field}:.*\\n`, 'm'), '');
          expect(mutated).not.toBe(text);
          expect(errorIds(path, mutated)).toEqual([`frontmatter-${field}`]);
        });
      }
    }
  });
}
