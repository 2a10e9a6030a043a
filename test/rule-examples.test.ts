/**
 * The Passes / Fails examples in each rule's doc comment are run: an example block is put into a valid document
 * (a section replaces the section of the same name, a `---` block replaces the frontmatter, anything else is
 * added at the end), and the document must then pass that rule, or fail it with exactly the id the example names.
 * Every rule file declares its ids (defineRule); each document rule has at least one runnable Passes and Fails.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStandard } from '../src/standard/load.js';
import { KINDS, type Kind } from '../src/standard/types.js';
import { DOCUMENT_RULES, TASK_RULES, checkDocument } from '../src/validate/index.js';
import { findSection } from '../src/document/model.js';
import { ROOT, VALID, readTask } from './helpers/fixtures.js';
import { modelOf } from './helpers/cuts.js';

const standard = loadStandard();
const RULES_DIR = join(ROOT, 'src', 'validate', 'rules');

interface Example {
  passes: boolean;
  id: string | undefined;
  block: string;
}

/** The indented blocks after `Passes:` and `Fails (`id`):` lines of a file's first doc comment. */
export function examplesOf(source: string): Example[] {
  const comment = /\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const lines = comment.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(Passes|Fails \(`([^`]+)`\)):\s*$/.exec(lines[i]!);
    if (!m) continue;
    const block: string[] = [];
    while (i + 1 < lines.length && /^ {2}/.test(lines[i + 1]!)) block.push(lines[++i]!.slice(2));
    out.push({ passes: m[1] === 'Passes', id: m[2], block: block.join('\n') + '\n' });
  }
  return out;
}

function kindOf(id: string | undefined): Kind {
  return [...KINDS].sort((a, b) => b.length - a.length).find((k) => id?.startsWith(`${k}-`)) ?? 'runbook';
}

/** A valid document of the kind with the example put in. */
function withExample(kind: Kind, block: string): { path: string; text: string } {
  const lang = /[\u4e00-\u9fff]/.test(block) ? 'zh' : 'en';
  const { path, text } = readTask(VALID[lang]).docs[kind];
  if (block.startsWith('---\n')) return { path, text: block + text.slice(text.indexOf('\n---\n', 4) + 5) };
  const heading = /^#{2,6} .*$/m.exec(block);
  if (heading) {
    const probe = modelOf(path, `${heading[0]}\n\nx\n`);
    const spec = standard.docs[kind].sections.find((s) => findSection(probe, s));
    const model = modelOf(path, text);
    const found = spec && findSection(model, spec);
    if (found) {
      const last = found.nodes[found.nodes.length - 1] ?? found.heading;
      return { path, text: text.slice(0, found.heading.position!.start.offset!) + block + text.slice(last.position!.end.offset!) };
    }
  }
  return { path, text: `${text}\n${block}` };
}

const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts')).sort();
/**
 * Rules about file names and the documents of a folder: their examples are files, tested in validate-task.test.ts
 * (review-restore-source, review-checklist-times and review-window-rollback, which read two documents of a task
 * together: in review.test.ts, in both languages).
 */
const ABOUT_FILES = new Set(['document-kind', 'task-files', 'checklist-coverage', 'review-restore-source', 'review-checklist-times', 'review-window-rollback']);

describe('rule doc-comment examples', () => {
  it('one rule per file, each declaring its ids', () => {
    const names = [...DOCUMENT_RULES, ...TASK_RULES].map((r) => r.name).sort();
    expect(names).toEqual(files.map((f) => f.replace(/\.ts$/, '')));
    for (const rule of [...DOCUMENT_RULES, ...TASK_RULES]) {
      expect(rule.origin).toBe(`ops-docs:${rule.name}`);
      expect(rule.ids(standard).length, rule.name).toBeGreaterThan(0);
    }
  });

  for (const file of files) {
    const name = file.replace(/\.ts$/, '');
    const rule = DOCUMENT_RULES.find((r) => r.name === name);
    const examples = examplesOf(readFileSync(join(RULES_DIR, file), 'utf8'));
    if (ABOUT_FILES.has(name)) continue;
    it(`${name}: has runnable Passes and Fails examples`, () => {
      expect(rule, name).toBeDefined();
      expect(examples.some((e) => e.passes)).toBe(true);
      expect(examples.some((e) => !e.passes)).toBe(true);
    });
    const kind = kindOf(examples.find((e) => e.id)?.id);
    for (const [i, ex] of examples.entries()) {
      it(`${name}: example ${i + 1} ${ex.passes ? 'passes' : `fails with ${ex.id}`}`, () => {
        const ids = new Set(rule!.ids(standard));
        if (ex.id) expect(ids.has(ex.id), `${ex.id} is declared by ${name}`).toBe(true);
        const { path, text } = withExample(kind, ex.block);
        expect(text).toContain(ex.block.trim().split('\n')[0]);
        // Every finding of the rule's ids counts: the review rules' vocabulary heuristics are warnings even under --strict.
        const errors = checkDocument(modelOf(path, text), standard, { strict: true }).filter((f) => ids.has(f.ruleId));
        expect([...new Set(errors.map((f) => f.ruleId))]).toEqual(ex.passes ? [] : [ex.id]);
      });
    }
  }
});
