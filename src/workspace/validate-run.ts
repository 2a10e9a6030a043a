/**
 * The validate runner (validate/runner.ts) over the filesystem: task folders collected from paths, documents read
 * only when they are regular files, a team's standard found beside its tasks, results cached in the user's
 * cache folder, one file per result (standard/cache-dir.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uiLang } from '../errors.js';
import { PACKAGE_ROOT } from '../standard/root.js';
import { fileVersions, loadStandard } from '../standard/load.js';
import { cacheRoot, keepNewest, readCacheEntry, readJsonEntry, writeCacheEntry } from '../standard/cache-dir.js';
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

/**
 * What a result depends on besides the documents and the standard: the package's version, the code that checked it
 * (the bundle, or this file when run from the sources: a rebuild with changed rules is a new key even at the same
 * version) and ShellCheck, whose warnings are findings (installing it, or another version of it, is a new key).
 */
function toolsIdentity(): string {
  const shellcheck = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'shellcheck')).find((p) => existsSync(p));
  const code = [fileURLToPath(import.meta.url), ...(shellcheck ? [shellcheck] : [])];
  return `${readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')}\0${fileVersions(code)}`;
}

let tools: string | undefined;

/**
 * Results kept: every task of a large ops tree, in both strictnesses. Each is a file of its own (most of them `[]`),
 * so the bound also bounds the disk blocks and inodes the cache takes (about 20 MB at 5,000).
 */
const RESULT_ENTRIES = 5_000;
/** Pruning lists the folder, so it waits until this many more results were written: few runs ever pay for it. */
const PRUNE_SLACK = 500;

/**
 * Results written since the last pruning are counted in a small file, so that a run never lists the folder only to
 * find it small; past `keep + slack`, the folder keeps the `keep` most recently written. Two runs writing at once may
 * each miss the other's count: pruning then comes a little later.
 */
export function countAndPrune(dir: string, written: number, keep = RESULT_ENTRIES, slack = PRUNE_SLACK): void {
  const counter = join(dir, 'written');
  const before = readCacheEntry(counter);
  if (!before) {
    // The first results in this layout: the single file of earlier versions (tens of MB, read and written whole by
    // every run) goes.
    rmSync(join(dirname(dir), 'validate-cache.json'), { force: true });
  }
  let count = (Number(before?.toString('utf8')) || 0) + written;
  if (count > keep + slack) count = keepNewest(dir, keep, '.json');
  writeCacheEntry(counter, String(count));
}

const SEVERITIES: readonly unknown[] = ['error', 'warning'] satisfies Finding['severity'][];

/** A cached answer is used only if it is one: anything else in the file (damaged, foreign) is a miss. */
function isFindings(value: unknown): value is Finding[] {
  return Array.isArray(value) && value.every((f: Partial<Record<keyof Finding, unknown>> | null) =>
    typeof f === 'object' && f !== null && typeof f.file === 'string' && typeof f.ruleId === 'string' && typeof f.message === 'string'
    && Number.isInteger(f.line) && Number.isInteger(f.column) && SEVERITIES.includes(f.severity));
}

function fileCache(): CacheStore {
  const dir = join(cacheRoot(), 'results');
  const entry = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      const found = readJsonEntry(entry(key));
      return isFindings(found) ? found : undefined;
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
      tools ??= toolsIdentity();
      // The standard's files in force for this folder, the team's and the built-in ones alike.
      const files = loadStandard(overrideDir).sources;
      return createHash('sha256').update(tools).update(strict ? 'strict' : 'lax').update(overrideDir ?? '').update(fingerprint(files)).digest('hex');
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
