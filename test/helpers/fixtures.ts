import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kind } from '../../src/standard/types.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The shipped bin (the bundle), as users run it. */
export const CLI = join(ROOT, 'dist', 'bin', 'cli.js');
/**
 * What the bundle reads at run time, for a copy of the installed package elsewhere: the bundle, the parsed YAML the
 * build ships, the templates and prompts, package.json, and the two packages it loads rather than bundles (yaml, and
 * sh-syntax with its WebAssembly parser).
 */
export const RUNTIME_PARTS = ['dist/bin', 'dist/yaml', 'templates', 'prompts', 'package.json', 'node_modules/yaml', 'node_modules/sh-syntax'];
export const VALID = {
  en: join(ROOT, 'test', 'fixtures', 'valid', 'en', '2025-11-10-k8s-cluster-upgrade-v1.28'),
  zh: join(ROOT, 'test', 'fixtures', 'valid', 'zh', '2025-11-03-postgres-upgrade-v12-to-v15'),
} as const;

/** The four documents of a valid fixture task, by kind. */
export function readTask(dir: string): { task: string; docs: Record<Kind, { path: string; text: string }> } {
  const task = dir.split('/').pop()!;
  const docs = {} as Record<Kind, { path: string; text: string }>;
  for (const name of readdirSync(dir)) {
    const kind = name.slice(task.length + 1, -3) as Kind;
    docs[kind] = { path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') };
  }
  return { task, docs };
}
