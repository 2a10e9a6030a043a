/**
 * The validate runner (validate/runner.ts) over the filesystem: task folders collected from paths, documents read
 * only when they are regular files, a team's standard found beside its tasks, results cached in the user's
 * cache folder (written like every other file of the tool, through atomic.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { uiLang } from '../errors.js';
import { PACKAGE_ROOT } from '../standard/root.js';
import { KINDS } from '../standard/types.js';
import { cacheRoot } from '../standard/yaml-file.js';
import type { Finding } from '../validate/rule.js';
import { runValidation as run, type CacheStore, type ReadOutcome, type RunOptions, type RunResult } from '../validate/runner.js';
import { writeFileAtomic } from './atomic.js';
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

function fileCache(): CacheStore {
  const file = join(cacheRoot(), 'validate-cache.json');
  const standardFiles = (root: string) => ['common', ...KINDS].map((k) => join(root, 'standard', `${k}.yaml`));
  return {
    load() {
      try {
        return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Finding[]>));
      } catch {
        return new Map(); // missing or damaged: start over
      }
    },
    save(cache) {
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        writeFileAtomic(file, JSON.stringify(Object.fromEntries(cache)), 0o600);
      } catch {
        // A cache that cannot be written only costs time; the atomic write leaves the old one whole.
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
