/**
 * The validator as a remark preset: `remark --use ops-docs/preset ops/` reports what `ops-docs validate ops/`
 * reports (less document-readable, which happens before remark parses anything). Each rule is its own unified
 * plugin, remark-lint style. The task rules need the other documents of the task, so this entry point — unlike
 * the rest of src/validate — reads sibling files from disk.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Preset, Plugin } from 'unified';
import { loadStandard } from '../standard/load.js';
import { KINDS, type Kind } from '../standard/types.js';
import { opsDirOf, overrideDirOf } from '../standard/locate.js';
import { isDocumentName } from '../standard/files.js';
import { DOCUMENT_RULES, checkRuleSettings, checkTask, readDocument } from './index.js';
import type { DocModel } from '../document/model.js';
import { docContext, modelFor, toVFile, type DocRule, type Finding, type Options } from './rule.js';

function standardFor(file: VFile) {
  const standard = loadStandard(overrideDirOf(opsDirOf(file.path ?? '.')));
  checkRuleSettings(standard);
  return standard;
}

/** Only task documents are checked; a README or notes file in the tree is not ours to judge. */
function isOurs(file: VFile): boolean {
  return Boolean(file.path) && isDocumentName(basename(file.path));
}

export function lintPlugin(rule: DocRule): Plugin<[Options?], Root> {
  const plugin: Plugin<[Options?], Root> = function (options) {
    return (tree, file) => {
      if (!isOurs(file)) return;
      const out: Finding[] = [];
      rule.check(docContext(modelFor(tree, file), standardFor(file), options ?? {}, out));
      toVFile(file, out);
    };
  };
  Object.defineProperty(plugin, 'name', { value: rule.name });
  return plugin;
}

const siblings = new Map<string, { mtimeMs: number; model: DocModel | undefined }>();
function siblingModel(path: string): DocModel | undefined {
  const mtimeMs = statSync(path).mtimeMs;
  const hit = siblings.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.model;
  const read = readDocument({ path, bytes: readFileSync(path) });
  const model = 'model' in read ? read.model : undefined;
  siblings.set(path, { mtimeMs, model });
  return model;
}

export const taskRules: Plugin<[Options?], Root> = function (options) {
  return (tree, file) => {
    if (!isOurs(file)) return;
    const dir = dirname(file.path);
    const names = readdirSync(dir).filter((n) => isDocumentName(n)).sort();
    const docs = new Map<Kind, DocModel>();
    const self = modelFor(tree, file);
    for (const name of names) {
      const path = join(dir, name);
      const model = path === file.path ? self : siblingModel(path);
      const kind = model?.kind;
      if (model && kind && (KINDS as readonly string[]).includes(kind) && !docs.has(kind)) docs.set(kind, model);
    }
    const found = checkTask({ task: basename(dir), dir, files: names, docs }, standardFor(file), options ?? {});
    toVFile(file, found.filter((f) => f.file === file.path));
  };
};

function presetWith(options: Options): Preset {
  return {
    plugins: [
      [remarkFrontmatter, ['yaml']],
      remarkGfm,
      ...DOCUMENT_RULES.map((rule) => [lintPlugin(rule), options] as [Plugin<[Options?], Root>, Options]),
      [taskRules, options],
    ],
  };
}

/** `remark --use ops-docs/preset`: placeholders are warnings. */
const preset: Preset = presetWith({ strict: false });
export default preset;

/** `remark --use ops-docs/preset-strict`: as `ops-docs validate --strict`. */
export const strictPreset: Preset = presetWith({ strict: true });
