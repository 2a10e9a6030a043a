/**
 * YAML files of the standard, read through a cache. Parsing the standard and a dozen playbooks costs more than
 * the rest of an offline `new` or a one-task `validate` together, so each file's parsed form is kept as JSON,
 * named by a hash of the file's bytes: an edited file is simply a new name. The files this package ships are parsed
 * by the build into dist/yaml/, so even a first run (a CI runner's fresh HOME) parses no YAML; a team's own
 * standard is parsed once and kept in the user's cache folder. Callers check the result as they would a fresh
 * parse; a cache that cannot be written is skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cacheRoot, readJsonEntry, writeCacheEntry } from './cache-dir.js';
import { PACKAGE_ROOT } from './root.js';

/** Loaded on a cache miss only: the YAML parser is the slow part of reading the standard. */
const requireLazily = createRequire(import.meta.url);

export class StandardError extends Error {
  override name = 'StandardError';
}

/** Where the build puts the parsed form of the package's own YAML files. */
export const SHIPPED_YAML_DIR = join(PACKAGE_ROOT, 'dist', 'yaml');

/** Bumped when parseYaml changes what it makes of a text: every entry of an earlier parse is then a miss. */
const PARSE_FORMAT = 1;
let parser: string | undefined;

/**
 * The cache entry's name for a YAML text: the same in the shipped folder and in the user's cache. It names the
 * parser too (the yaml package's version and PARSE_FORMAT): the user's cache outlives upgrades of ops-docs.
 */
export function yamlEntryName(text: string): string {
  parser ??= `yaml@${(requireLazily('yaml/package.json') as { version: string }).version}/${PARSE_FORMAT}`;
  return `${createHash('sha256').update(parser).update('\0').update(text).digest('hex').slice(0, 32)}.json`;
}

/** The one parse of a YAML text (the build uses it too, so that a shipped entry is what a run would parse). */
export function parseYaml(text: string, file: string): unknown {
  const { parse } = requireLazily('yaml') as typeof import('yaml');
  try {
    return parse(text);
  } catch (err) {
    throw new StandardError(`${file} is not valid YAML: ${(err as Error).message}`);
  }
}

export function readYamlCached(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StandardError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const name = yamlEntryName(text);
  const shipped = readJsonEntry(join(SHIPPED_YAML_DIR, name));
  if (shipped !== undefined) return shipped;
  const mine = join(cacheRoot(), 'yaml', name);
  const cached = readJsonEntry(mine);
  if (cached !== undefined) return cached;
  const raw = parseYaml(text, file);
  writeCacheEntry(mine, JSON.stringify(raw));
  return raw;
}
