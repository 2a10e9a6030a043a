/**
 * Section content from data: a playbook's `sections` map (or a model's skeleton) checked against the shape the
 * standard gives each section (`require`), and made into plan content in one language. Nothing here knows a
 * section by name: a section added to the standard is filled by adding its content to a playbook.
 */
import type { SectionSpec, Standard } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { sectionKey, type FieldValue, type ItemContent, type SectionContent } from './plan.js';

/** Raw text (language-dependent or not) to document text; raw command to a command token-safe text. */
export interface Translate {
  text(raw: unknown, where: string): string;
  command(raw: string): string;
}

export class SectionDataError extends Error {}

/** The spec of `<kind>/<id>`, or undefined when the standard has no such section. */
export function sectionSpecOf(standard: Standard, key: string): SectionSpec | undefined {
  const [kind, id] = key.split('/');
  if (!KINDS.includes(kind as never)) return undefined;
  return standard.docs[kind as (typeof KINDS)[number]].sections.find((s) => s.id === id);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldValue(raw: unknown, tr: Translate, where: string): FieldValue {
  if (isObj(raw) && typeof raw.code === 'string') return { code: tr.command(raw.code.trimEnd()), lang: typeof raw.lang === 'string' ? raw.lang : 'bash' };
  return tr.text(raw, where);
}

function knownIds(raw: Record<string, unknown>, ids: string[], where: string, also: string[] = []): void {
  for (const k of Object.keys(raw)) {
    if (!ids.includes(k) && !also.includes(k)) throw new SectionDataError(`${where}.${k}: the standard has no such id here (it has ${ids.join(', ')})`);
  }
}

/** One section's raw content → plan content, shaped by its spec. Throws SectionDataError naming the path. */
export function sectionContent(spec: SectionSpec, raw: unknown, tr: Translate, where: string, complete = false): SectionContent {
  /** A model's answer must give every field it was asked for; a playbook may leave one to the TODO skeleton. */
  const need = (have: Record<string, unknown>, list: { id: string; empty?: 'allowed' }[], at: string) => {
    if (!complete) return;
    for (const x of list) if (x.empty !== 'allowed' && have[x.id] === undefined) throw new SectionDataError(`${at}.${x.id}: must be a non-empty string`);
  };
  switch (spec.require) {
    case 'content':
      return tr.text(raw, where);
    case 'list':
      if (!Array.isArray(raw) || raw.length === 0) throw new SectionDataError(`${where}: a list section needs a non-empty list`);
      return raw.map((x, i) => tr.text(x, `${where}[${i}]`));
    case 'fields': {
      if (!isObj(raw)) throw new SectionDataError(`${where}: a fields section needs a mapping of field id → value`);
      const ids = (spec.fields ?? []).map((f) => f.id);
      knownIds(raw, ids, where);
      need(raw, spec.fields ?? [], where);
      const out: Record<string, FieldValue> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = fieldValue(v, tr, `${where}.${k}`);
      return out;
    }
    case 'table': {
      if (!Array.isArray(raw)) throw new SectionDataError(`${where}: a table section needs a list of rows (column id → text)`);
      const ids = spec.table!.columns.map((c) => c.id);
      return raw.map((row, i) => {
        if (!isObj(row)) throw new SectionDataError(`${where}[${i}]: a row is a mapping of column id → text`);
        knownIds(row, ids, `${where}[${i}]`);
        need(row, spec.table!.columns, `${where}[${i}]`);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(row)) out[k] = tr.text(v, `${where}[${i}].${k}`);
        return out;
      });
    }
    case 'items': {
      const items = spec.items!;
      if (!Array.isArray(raw) || raw.length === 0) throw new SectionDataError(`${where}: an items section needs a non-empty list`);
      const ids = items.fields.map((f) => f.id);
      return raw.map((it, i): ItemContent => {
        const at = `${where}[${i}]`;
        if (!isObj(it)) throw new SectionDataError(`${at}: an item is a mapping with id, title and its fields`);
        knownIds(it, ids, at, ['id', 'title', 'command', 'lang']);
        need(it, items.fields, at);
        if (it.id !== `${items.prefix}${i + 1}`) throw new SectionDataError(`${at}.id must be ${items.prefix}${i + 1}`);
        if (items.command && typeof it.command !== 'string') throw new SectionDataError(`${at}.command: this section's items need a command`);
        const fields: Record<string, FieldValue> = {};
        for (const id of ids) if (it[id] !== undefined) fields[id] = fieldValue(it[id], tr, `${at}.${id}`);
        return {
          id: it.id,
          title: tr.text(it.title, `${at}.title`),
          ...(typeof it.command === 'string' ? { command: { code: tr.command(it.command.trimEnd()), lang: typeof it.lang === 'string' ? it.lang : 'bash' } } : {}),
          fields,
        };
      });
    }
  }
}

/** Every entry of a `sections` map, keyed `<kind>/<section id>`, checked against the standard. */
export function sectionsContent(standard: Standard, raw: Record<string, unknown>, tr: Translate, where: string): Record<string, SectionContent> {
  const out: Record<string, SectionContent> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = sectionSpecOf(standard, key);
    if (!spec) throw new SectionDataError(`${where}.${key}: the standard has no section ${key} (keys are <kind>/<section id>, e.g. ${sectionKey('runbook', 'impact')})`);
    out[key] = sectionContent(spec, value, tr, `${where}.${key}`);
  }
  return out;
}
