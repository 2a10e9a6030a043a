/**
 * The hand-written corpus (test/fixtures/corpus: six task folders in six teams' styles, English and Chinese) and
 * the two generator-style fixtures: every folder validates with 0 findings, plain and --strict; and every
 * mandated element cut out of every folder (test/helpers/cuts.ts) fails with exactly that element's rule id, in
 * the document's language.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStandard } from '../src/standard/load.js';
import { KINDS, type Kind } from '../src/standard/types.js';
import { checkDocument, checkTask, validateTaskSources } from '../src/validate/index.js';
import type { DocModel } from '../src/document/model.js';
import { ROOT, VALID, readTask } from './helpers/fixtures.js';
import { allCuts, modelOf } from './helpers/cuts.js';

const standard = loadStandard();
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
export const FOLDERS = [
  ...readdirSync(CORPUS).sort().map((name) => join(CORPUS, name)),
  VALID.en,
  VALID.zh,
];

const CJK = /[\u4e00-\u9fff]/;

describe('the corpus', () => {
  it('has at least six hand-written folders, in both languages', () => {
    const corpus = readdirSync(CORPUS);
    expect(corpus.length).toBeGreaterThanOrEqual(6);
    const langs = corpus.map((name) => modelOf(join(CORPUS, name, `${name}-runbook.md`), readTask(join(CORPUS, name)).docs.runbook.text).lang);
    expect(langs.filter((l) => l === 'en').length).toBeGreaterThanOrEqual(3);
    expect(langs.filter((l) => l === 'zh').length).toBeGreaterThanOrEqual(3);
  });
});

const cuts = allCuts(standard);

for (const folder of FOLDERS) {
  const { task, docs } = readTask(folder);
  // The folder's documents, parsed once and shared by its cuts (a cut reads them and parses only the document it changed).
  let parsed: Record<Kind, DocModel> | undefined;
  const models = () => (parsed ??= Object.fromEntries(KINDS.map((k) => [k, modelOf(docs[k].path, docs[k].text)])) as Record<Kind, DocModel>);
  describe(task, () => {
    for (const strict of [false, true]) {
      it(`validates with 0 findings${strict ? ' (--strict)' : ''}`, () => {
        const files = KINDS.map((k) => ({ path: docs[k].path, bytes: Buffer.from(docs[k].text) }));
        expect(validateTaskSources(folder, files, standard, { strict })).toEqual([]);
      });
    }
    for (const c of cuts) {
      it(`${c.kind}: without ${c.name} → ${c.expected}`, () => {
        const all = models();
        const { path, text } = docs[c.kind];
        const mutated = c.mutate(text, all[c.kind], all);
        expect(mutated).not.toBe(text);
        const cutModel = modelOf(path, mutated);
        for (const strict of [false, true]) {
          const found = c.name.startsWith('checklist row')
            ? checkTask({ task, dir: folder, files: KINDS.map((k) => docs[k].path.split('/').pop()!), docs: new Map(Object.entries({ ...all, [c.kind]: cutModel }) as [Kind, DocModel][]) }, standard, { strict })
            : checkDocument(cutModel, standard, { strict });
          const errors = found.filter((f) => f.severity === 'error');
          expect([...new Set(errors.map((f) => f.ruleId))], strict ? 'strict' : 'plain').toEqual([c.expected]);
          for (const f of errors) expect(CJK.test(f.message), f.message).toBe(cutModel.lang === 'zh');
        }
      });
    }
  });
}
