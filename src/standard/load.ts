import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './root.js';
import { readYamlCached as readYaml, StandardError } from './yaml-file.js';
import { KINDS, type CommonSpec, type DocSpec, type Kind, type ReviewSpec, type Standard } from './types.js';

export { PACKAGE_ROOT, StandardError };
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

function checkDoc(doc: unknown, kind: Kind, file: string): DocSpec {
  const d = doc as Partial<DocSpec> | null;
  if (!d || typeof d !== 'object' || d.kind !== kind || !Array.isArray(d.sections) || !d.title || !d.name?.en || !d.name?.zh) {
    throw new StandardError(`${file}: expected a spec with kind: ${kind}, name (en, zh), title and sections`);
  }
  const seen = new Set<string>();
  for (const s of d.sections) {
    if (!s || typeof s.id !== 'string' || !s.title?.en || !s.title?.zh || !s.require) {
      throw new StandardError(`${file}: every section needs id, title.en, title.zh and require`);
    }
    if (seen.has(s.id)) throw new StandardError(`${file}: duplicate section id ${s.id}`);
    seen.add(s.id);
    s.aliases = { en: s.aliases?.en ?? [], zh: s.aliases?.zh ?? [] };
    s.guidance = { en: s.guidance?.en ?? '', zh: s.guidance?.zh ?? '' };
    const need: Record<string, unknown> = { fields: s.fields, items: s.items, table: s.table, list: s.list };
    if (s.require !== 'content' && !need[s.require]) {
      throw new StandardError(`${file}: section ${s.id} requires ${s.require} but does not describe them`);
    }
    if (s.items) s.items.aliases = { en: s.items.aliases?.en ?? [], zh: s.items.aliases?.zh ?? [] };
    for (const f of [...(s.fields ?? []), ...(s.items?.fields ?? []), ...(s.table?.columns ?? []), ...(s.table?.rows ?? [])]) {
      f.aliases = { en: f.aliases?.en ?? [], zh: f.aliases?.zh ?? [] };
    }
  }
  return d as DocSpec;
}

const cache = new Map<string, Standard>();

/**
 * Load the standard. A team's `ops/templates/standard/<file>.yaml` replaces the built-in file of the same name,
 * whole: a customised standard is read as the team wrote it, never merged field by field behind their back.
 */
export function loadStandard(overrideDir?: string): Standard {
  const sources: string[] = [];
  const pick = (name: string): string => {
    const own = overrideDir ? join(overrideDir, 'standard', name) : undefined;
    const file = own && existsSync(own) ? own : join(BUILTIN_TEMPLATES, 'standard', name);
    sources.push(file);
    return file;
  };
  const commonFile = pick('common.yaml');
  const kindFiles = KINDS.map((kind) => pick(`${kind}.yaml`));
  const reviewFile = pick('review.yaml');
  // A long-lived process (the tests, a library user) sees a team's edit: the key names each file's version.
  const key = fileVersions(sources);
  const hit = cache.get(key);
  if (hit) return hit;
  const common = readYaml(commonFile) as CommonSpec;
  if (!common?.frontmatter || !common.taskName || !common.patterns || !common.placeholders || typeof common.documentFile !== 'string') {
    throw new StandardError(`${commonFile}: expected frontmatter, taskName, placeholders, patterns and documentFile`);
  }
  common.outputLanguages ??= [];
  const docs = {} as Record<Kind, DocSpec>;
  KINDS.forEach((kind, i) => {
    docs[kind] = checkDoc(readYaml(kindFiles[i]!), kind, kindFiles[i]!);
  });
  const review = readYaml(reviewFile) as ReviewSpec;
  if (!review?.rules || !review.time || !review.destructive || !review.backup || !Array.isArray(review.verify)) {
    throw new StandardError(`${reviewFile}: expected rules, time, destructive, backup and verify`);
  }
  for (const [id, r] of Object.entries(review.rules)) {
    if (r?.severity !== 'error' && r?.severity !== 'warning') throw new StandardError(`${reviewFile}: rules.${id}.severity must be error or warning`);
  }
  const standard: Standard = { common, docs, review, sources };
  cache.set(key, standard);
  return standard;
}

/** Each file's path, modification time and size: a cache key that changes when any of them is edited. */
export function fileVersions(files: string[]): string {
  return files.map((f) => {
    try {
      const st = statSync(f);
      return `${f}@${st.mtimeMs}:${st.size}`;
    } catch {
      return `${f}@missing`;
    }
  }).join('|');
}

/** A shared pattern by name (`duration`), or the string itself taken as a regex source. */
export function patternSource(standard: Standard, pattern: string): string {
  return standard.common.patterns[pattern] ?? pattern;
}
