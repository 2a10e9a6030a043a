/**
 * Keep the test fixtures in step with the standard: every valid fixture task (test/fixtures/valid/<lang>/<task>/)
 * gets any section the standard mandates and it lacks — written by the generic renderer from
 * test/fixtures/sections.yaml (content by `<kind>/<section id>`, as a playbook's `sections`) — and any mandated
 * table row it lacks. A section added to the standard is then one entry in sections.yaml and one run of
 * `npm run fixtures`, not hand edits across the suite. `--check` changes nothing and exits 1 when a fixture is
 * behind (the suite runs that).
 */
import { readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadStandard, PACKAGE_ROOT } from '../src/standard/load.js';
import { documentFileName } from '../src/standard/files.js';
import { KINDS, type Kind, type Lang, type Standard, type Text } from '../src/standard/types.js';
import { readDocument } from '../src/validate/index.js';
import { findSection, firstTable, readTable, labelNames, matchesName, cellText } from '../src/document/model.js';
import { renderSection } from '../src/generate/render.js';
import { sectionContent } from '../src/generate/sections.js';
import { sectionKey } from '../src/generate/plan.js';

/** One document brought up to the standard: the new text, and what was added (empty when it was already there). */
export function syncDocument(text: string, path: string, kind: Kind, lang: Lang, standard: Standard, content: Record<string, unknown>): { text: string; added: string[] } {
  const added: string[] = [];
  let out = text;
  const read = () => {
    const r = readDocument({ path, bytes: Buffer.from(out, 'utf8') });
    if ('finding' in r) throw new Error(`${path}: ${r.finding.message}`);
    return r.model;
  };
  const sections = standard.docs[kind].sections;
  sections.forEach((spec, i) => {
    const model = read();
    if (findSection(model, spec)) return;
    const raw = content[sectionKey(kind, spec.id)];
    const tr = {
      text: (x: unknown) => (typeof x === 'string' ? x : (x as Text)[lang]),
      command: (x: string) => x,
    };
    const body = renderSection(spec, raw === undefined ? undefined : sectionContent(spec, raw, tr, sectionKey(kind, spec.id)), lang, standard);
    // Before the next section the document has, in the standard's order; else at the end.
    const next = sections.slice(i + 1).map((s) => findSection(model, s)).find(Boolean);
    const at = next?.heading.position?.start.offset ?? out.length;
    out = at === out.length ? `${out.replace(/\n*$/, '\n\n')}${body}` : `${out.slice(0, at)}${body}\n${out.slice(at)}`;
    added.push(spec.id);
  });
  for (const spec of sections) {
    const rows = spec.table?.rows ?? [];
    for (const row of rows) {
      const model = read();
      const found = findSection(model, spec);
      const table = found && firstTable(found.nodes);
      if (!table) continue;
      const t = readTable(table, spec.table!.columns);
      if (t.rows.some((r) => matchesName(cellText(r, 0), labelNames(row)))) continue;
      const cells = spec.table!.columns.map((c, ci) => (ci === 0 ? row.label[lang] : c.id === 'done' ? '[ ]' : ''));
      const line = `| ${cells.join(' | ')} |`.replace(/ {2,}\|/g, ' |');
      const end = table.position!.end.offset!;
      out = `${out.slice(0, end)}\n${line}${out.slice(end)}`;
      added.push(`${spec.id}/${row.id}`);
    }
  }
  return { text: out, added };
}

export interface SyncReport {
  file: string;
  added: string[];
}

/** Every fixture task under `root` (valid/<lang>/<task>/), synced; writes only when `write`. */
export function syncFixtures(root: string, standard: Standard, content: Record<string, unknown>, write: boolean): SyncReport[] {
  const out: SyncReport[] = [];
  for (const lang of readdirSync(join(root, 'valid')).sort() as Lang[]) {
    for (const task of readdirSync(join(root, 'valid', lang)).sort()) {
      for (const kind of KINDS) {
        const file = join(root, 'valid', lang, task, documentFileName(task, kind, standard));
        const text = readFileSync(file, 'utf8');
        const synced = syncDocument(text, file, kind, lang, standard, content);
        if (!synced.added.length) continue;
        out.push({ file, added: synced.added });
        if (write) writeFileSync(file, synced.text);
      }
    }
  }
  return out;
}

export function fixtureContent(file: string): Record<string, unknown> {
  return ((parse(readFileSync(file, 'utf8')) as { sections?: Record<string, unknown> } | null)?.sections) ?? {};
}

const isMain = (): boolean => {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
};
if (isMain()) {
  const root = join(PACKAGE_ROOT, 'test', 'fixtures');
  const check = process.argv.includes('--check');
  const report = syncFixtures(root, loadStandard(), fixtureContent(join(root, 'sections.yaml')), !check);
  for (const r of report) process.stdout.write(`${check ? 'behind' : 'updated'}: ${r.file} (+ ${r.added.join(', ')})\n`);
  process.exitCode = check && report.length ? 1 : 0;
}
