/**
 * The validate runner (validate/runner.ts) over the filesystem: task folders collected from paths, documents read
 * only when they are regular files, a team's standard found beside its tasks, results cached in the user's
 * cache folder, one file per result (standard/cache-dir.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { uiLang } from '../errors.js';
import { PACKAGE_ROOT } from '../standard/root.js';
import { KINDS } from '../standard/types.js';
import { cacheRoot, keepNewest, readCacheEntry, writeCacheEntry } from '../standard/cache-dir.js';
import type { Finding } from '../validate/rule.js';
import { runValidation as run, type CacheStore, type ReadOutcome, type RunOptions, type RunResult } from '../validate/runner.js';
import { collectTasks } from './collect.js';
import { opsDirOf, overrideDirOf } from './paths.js';
import { NotRegularFile, readRegularFile } from './read-file.js';

export { formatFindings, type RunResult } from '../validate/runner.js';

/** A document's bytes, or why it is not read: never a hang on a FIFO, never an abort of the whole run. */
export function readDocumentFile(path: string): ReadOutcome {
  try {
    return readRegularFile(path);
  } catch (err) {
    if (err instanceof NotRegularFile) return { unreadable: { en: `it is ${err.what.en}, not a regular file`, zh: `它是${err.what.zh}而不是普通文件` } };
    const e = err as NodeJS.ErrnoException;
    return { unreadable: { en: `${e.code ?? e.message}`, zh: `${e.code ?? e.message}` } };
  }
}

function fingerprint(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    try {
      h.update(readFileSync(f));
    } catch {
      h.update('missing');
    }
  }
  return h.digest('hex');
}

let version: string | undefined;

/** Results kept: every task of a large ops tree, in both strictnesses, many times over. */
const RESULT_ENTRIES = 20_000;
/** Pruning lists the folder, so it waits until this many more results were written: few runs ever pay for it. */
const PRUNE_SLACK = 2_000;

/**
 * Results written since the last pruning are counted in a small file, so that a run never lists the folder only to
 * find it small. Two runs writing at once may each miss the other's count: pruning then comes a little later.
 */
function countAndPrune(dir: string, written: number): void {
  const counter = join(dir, 'written');
  const before = readCacheEntry(counter);
  if (!before) {
    // The first results in this layout: the single file of earlier versions (tens of MB, read and written whole by
    // every run) goes.
    rmSync(join(dirname(dir), 'validate-cache.json'), { force: true });
  }
  let count = (Number(before?.toString('utf8')) || 0) + written;
  if (count > RESULT_ENTRIES + PRUNE_SLACK) count = keepNewest(dir, RESULT_ENTRIES, '.json');
  writeCacheEntry(counter, String(count));
}

function fileCache(): CacheStore {
  const dir = join(cacheRoot(), 'results');
  const standardFiles = (root: string) => ['common', ...KINDS].map((k) => join(root, 'standard', `${k}.yaml`));
  const entry = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      const bytes = readCacheEntry(entry(key));
      if (!bytes) return undefined;
      try {
        const found: unknown = JSON.parse(bytes.toString('utf8'));
        return Array.isArray(found) ? (found as Finding[]) : undefined;
      } catch {
        return undefined; // damaged: checked again, and written anew
      }
    },
    set(results) {
      let written = 0;
      for (const [key, findings] of results) if (writeCacheEntry(entry(key), JSON.stringify(findings))) written++;
      if (!written) return;
      try {
        countAndPrune(dir, written);
      } catch {
        // another run is pruning: this one's count is lost, which only delays the next pruning
      }
    },
    keyBase(overrideDir, strict) {
      version ??= readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8');
      const files = [...(overrideDir ? standardFiles(overrideDir) : []), ...standardFiles(join(PACKAGE_ROOT, 'templates'))];
      return createHash('sha256').update(version).update(strict ? 'strict' : 'lax').update(overrideDir ?? '').update(fingerprint(files)).digest('hex');
    },
  };
}

export async function runValidation(paths: string[], opts: RunOptions & { cache?: boolean } = {}): Promise<RunResult> {
  return run(collectTasks(paths), {
    read: readDocumentFile,
    overrideDir: (dir) => overrideDirOf(opsDirOf(dir)),
    cache: opts.cache === false ? undefined : fileCache(),
  }, { lang: uiLang(), ...opts });
}
