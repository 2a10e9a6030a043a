/**
 * YAML files of the standard, read through a cache. Parsing the standard and a dozen playbooks costs more than
 * the rest of an offline `new` or a one-task `validate` together, so each file's parsed form is kept as JSON in
 * the user's cache folder, keyed by a hash of the file's bytes: an edited file is simply a new key. Callers check
 * the result as they would a fresh parse; a cache that cannot be written is skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cacheRoot, readCacheEntry, writeCacheEntry } from './cache-dir.js';

/** Loaded on a cache miss only: the YAML parser is the slow part of reading the standard. */
const requireLazily = createRequire(import.meta.url);

export class StandardError extends Error {
  override name = 'StandardError';
}

export function readYamlCached(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StandardError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const hit = join(cacheRoot(), 'yaml', `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.json`);
  const cached = readCacheEntry(hit);
  if (cached) {
    try {
      return JSON.parse(cached.toString('utf8'));
    } catch {
      // damaged: parsed again below and written anew
    }
  }
  const { parse } = requireLazily('yaml') as typeof import('yaml');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new StandardError(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  writeCacheEntry(hit, JSON.stringify(raw));
  return raw;
}
