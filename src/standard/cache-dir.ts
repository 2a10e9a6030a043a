/**
 * The user's cache folder and the one way its entries are written. Three caches live there: parsed YAML
 * (`yaml/`), validation results (`results/`) and V8's compiled code (`code/`). Each entry is its own file named
 * by what it depends on, so a run reads only the entries it needs and its cost never grows with the cache.
 *
 * An entry is written whole or not at all (a temporary file of its own, then a rename) but never fsynced: an entry
 * lost to a power cut is only a recompute, and fsyncing hundreds of entries would cost more than the work they save.
 * Nothing here ever fails a run: a read-only home or a full disk only costs time.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** `$OPS_DOCS_CACHE_DIR`, else `$XDG_CACHE_HOME/ops-docs`, else `~/.cache/ops-docs`. */
export function cacheRoot(): string {
  return process.env.OPS_DOCS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ops-docs');
}

/**
 * Write one entry: all its bytes or no file. Only the user may read the folder it creates (0700) and the file
 * (0600). The temporary name is this thread's alone (validate's workers share the process id) and is created
 * afresh (`wx`): never a file, or a link, that was already there.
 */
export function writeCacheEntry(file: string, bytes: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, bytes, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
    return true;
  } catch {
    try { unlinkSync(tmp); } catch { /* never written */ }
    return false;
  }
}

/** An entry's bytes, or undefined when there is none (or it cannot be read). */
export function readCacheEntry(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** An entry written as JSON, or undefined when there is none or it is damaged (then it is computed and written anew). */
export function readJsonEntry(file: string): unknown {
  const bytes = readCacheEntry(file);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A temporary file this old belongs to a run that was killed while writing it. */
const ABANDONED_MS = 60 * 60 * 1000;

/**
 * Keep the `keep` most recently written entries of a folder whose names end in `suffix`; returns how many are left.
 * Temporary files that killed runs left behind go too.
 */
export function keepNewest(dir: string, keep: number, suffix: string): number {
  const entries: { name: string; time: number }[] = [];
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const temporary = name.endsWith('.tmp');
    if (!temporary && !name.endsWith(suffix)) continue;
    try {
      const time = statSync(join(dir, name)).mtimeMs;
      if (!temporary) entries.push({ name, time });
      else if (now - time > ABANDONED_MS) unlinkSync(join(dir, name));
    } catch {
      // removed meanwhile by another run's pruning
    }
  }
  entries.sort((a, b) => b.time - a.time);
  for (const { name } of entries.slice(keep)) {
    try { unlinkSync(join(dir, name)); } catch { /* already gone */ }
  }
  return Math.min(entries.length, keep);
}
