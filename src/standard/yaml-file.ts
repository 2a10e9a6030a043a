/**
 * YAML files of the standard, read through a cache. Parsing the standard and a dozen playbooks costs more than
 * the rest of an offline `new` or a one-task `validate` together, so each file's parsed form is kept as JSON in
 * the user's cache folder, keyed by a hash of the file's bytes: an edited file is simply a new key. Callers check
 * the result as they would a fresh parse; a cache that cannot be written is skipped.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/** Loaded on a cache miss only: the YAML parser is the slow part of reading the standard. */
const requireLazily = createRequire(import.meta.url);

export class StandardError extends Error {
  override name = 'StandardError';
}

/** `$OPS_DOCS_CACHE_DIR`, else `$XDG_CACHE_HOME/ops-docs`, else `~/.cache/ops-docs`. */
export function cacheRoot(): string {
  return process.env.OPS_DOCS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ops-docs');
}

export function readYamlCached(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StandardError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const dir = join(cacheRoot(), 'yaml');
  const hit = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.json`);
  try {
    return JSON.parse(readFileSync(hit, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse below
  }
  const { parse } = requireLazily('yaml') as typeof import('yaml');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new StandardError(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  // The same discipline as workspace/atomic.ts (which this layer may not import): all bytes or no cache entry.
  const tmp = `${hit}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const json = Buffer.from(JSON.stringify(raw), 'utf8');
    writeFileSync(tmp, json);
    if (statSync(tmp).size !== json.length) throw new Error('short write');
    renameSync(tmp, hit);
  } catch {
    // a read-only home or a full disk is fine: the next run parses again
    try { unlinkSync(tmp); } catch { /* never written */ }
  }
  return raw;
}
