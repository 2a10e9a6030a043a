/**
 * A validate run over the filesystem: collect task folders, read their bytes, reuse results whose inputs are
 * unchanged (a cache keyed by content hash, so an unchanged tree costs no markdown parsing at all), and check the
 * rest — in this thread, or spread over worker threads when there are enough documents to pay for them.
 */
import { relative, join } from 'node:path';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { PACKAGE_ROOT } from '../standard/root.js';
import { cacheRoot } from '../standard/yaml-file.js';
import { collectTasks, readBytes, type TaskFiles } from './collect.js';
import { opsDirOf, overrideDirOf } from './paths.js';
import { writeFileAtomic } from './atomic.js';
import type { Finding } from '../validate/rule.js';

export interface RunResult {
  findings: Finding[];
  files: number;
  tasks: number;
  /** Tasks answered from the cache. */
  cached: number;
  workers: number;
}

export interface RunOptions {
  strict?: boolean;
  cache?: boolean;
  /** Worker threads to use; default: one per core when the run is large enough. */
  workers?: number;
}

/** The work of one task, as sent to a worker. */
export interface TaskJob {
  dir: string;
  sources: { path: string; bytes: Uint8Array }[];
  only?: string[];
  overrideDir?: string;
  strict: boolean;
  /** Check the sources as documents only, without the task rules (see collect.ts). */
  documentOnly?: boolean;
}

/** Below this many documents, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 200;
const CACHE_LIMIT = 20_000;

function cacheFile(): string {
  return join(cacheRoot(), 'validate-cache.json');
}

function readCache(file: string): Map<string, Finding[]> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Finding[]>));
  } catch {
    return new Map(); // missing or damaged: start over
  }
}

function writeCache(file: string, cache: Map<string, Finding[]>): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const entries = [...cache.entries()].slice(-CACHE_LIMIT);
    writeFileAtomic(file, JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // A cache that cannot be written only costs time.
  }
}

let versionSalt: string | undefined;
/** What else a result depends on: the tool's version and the exact standard files in force. */
function salt(overrideDir: string | undefined, strict: boolean): string {
  versionSalt ??= readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8');
  return createHash('sha256').update(versionSalt).update(strict ? 'strict' : 'lax').update(overrideDir ?? '').digest('hex');
}

function standardFingerprint(files: string[]): string {
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

export function jobKey(job: TaskJob, standardPrint: string, base: string): string {
  const h = createHash('sha256').update(base).update(standardPrint).update(job.documentOnly ? 'document' : 'task').update(job.dir).update('\0').update((job.only ?? []).join('\0'));
  for (const s of job.sources) h.update(s.path).update('\0').update(s.bytes).update('\0');
  return h.digest('hex');
}

/** Check jobs in this thread (the worker runs the same function). */
export async function checkJobs(jobs: TaskJob[]): Promise<Finding[][]> {
  const { loadStandard } = await import('../standard/load.js');
  const { validateDocumentSources, validateTaskSources } = await import('../validate/index.js');
  return jobs.map((job) => {
    const standard = loadStandard(job.overrideDir);
    const found = job.documentOnly
      ? validateDocumentSources(job.sources, standard, { strict: job.strict })
      : validateTaskSources(job.dir, job.sources, standard, { strict: job.strict });
    return job.only ? found.filter((f) => job.only!.includes(f.file)) : found;
  });
}

async function checkInWorkers(jobs: TaskJob[], workers: number): Promise<Finding[][]> {
  const { Worker } = await import('node:worker_threads');
  // Balance by bytes: each share gets the next-largest job while it is the lightest.
  const shares: { idx: number[]; bytes: number }[] = Array.from({ length: workers }, () => ({ idx: [], bytes: 0 }));
  const order = jobs.map((j, i) => [i, j.sources.reduce((s, x) => s + x.bytes.length, 0)] as const).sort((a, b) => b[1] - a[1]);
  for (const [i, size] of order) {
    const share = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    share.idx.push(i);
    share.bytes += size;
  }
  const results: Finding[][] = new Array(jobs.length);
  // The bundled worker when running from the bundle, the compiled one otherwise (tests import the sources).
  const bundled = join(PACKAGE_ROOT, 'dist', 'bin', 'validate-worker.js');
  const workerUrl = existsSync(bundled) ? bundled : join(PACKAGE_ROOT, 'dist', 'src', 'workspace', 'validate-worker.js');
  const runs = shares.map((share, n) => {
    const mine = share.idx.map((i) => jobs[i]!);
    if (n === 0) {
      // This thread takes a share too: it has nothing else to do meanwhile.
      return checkJobs(mine).then((r) => r.forEach((f, k) => (results[share.idx[k]!] = f)));
    }
    return new Promise<void>((resolve, reject) => {
      const w = new Worker(workerUrl, { workerData: mine });
      w.once('message', (r: Finding[][]) => {
        r.forEach((f, k) => (results[share.idx[k]!] = f));
        resolve();
      });
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`validate worker exited with ${code}`))));
    });
  });
  await Promise.all(runs);
  return results;
}

export async function runValidation(paths: string[], opts: RunOptions = {}): Promise<RunResult> {
  const strict = Boolean(opts.strict);
  const tasks = collectTasks(paths);
  const jobs: TaskJob[] = tasks.map((t: TaskFiles) => ({
    dir: t.dir,
    sources: t.files.map((path) => ({ path, bytes: readBytes(path) })),
    only: t.only ? [...t.only] : undefined,
    overrideDir: overrideDirOf(opsDirOf(t.dir)),
    strict,
    documentOnly: t.documentOnly,
  }));
  const files = tasks.reduce((s, t) => s + (t.only ? t.only.size : t.files.length), 0);

  const useCache = opts.cache !== false;
  const cachePath = cacheFile();
  const cache = useCache ? readCache(cachePath) : new Map<string, Finding[]>();
  const prints = new Map<string, string>();
  const keys = jobs.map((job) => {
    const od = job.overrideDir ?? '';
    let print = prints.get(od);
    if (!print) {
      const std = job.overrideDir ? ['common', 'runbook', 'rollback', 'checklist', 'postmortem-template'].map((k) => join(job.overrideDir!, 'standard', `${k}.yaml`)) : [];
      const builtin = ['common', 'runbook', 'rollback', 'checklist', 'postmortem-template'].map((k) => join(PACKAGE_ROOT, 'templates', 'standard', `${k}.yaml`));
      print = standardFingerprint([...std, ...builtin]);
      prints.set(od, print);
    }
    return jobKey(job, print, salt(job.overrideDir, strict));
  });

  const results: Finding[][] = new Array(jobs.length);
  const misses: number[] = [];
  keys.forEach((k, i) => {
    const hit = useCache ? cache.get(k) : undefined;
    if (hit) results[i] = hit;
    else misses.push(i);
  });

  let workers = 0;
  if (misses.length) {
    const missJobs = misses.map((i) => jobs[i]!);
    const docs = missJobs.reduce((s, j) => s + j.sources.length, 0);
    workers = opts.workers ?? (docs >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 4) : 1);
    const fresh = workers > 1 ? await checkInWorkers(missJobs, workers) : await checkJobs(missJobs);
    fresh.forEach((f, k) => {
      const i = misses[k]!;
      results[i] = f;
      if (useCache) {
        cache.delete(keys[i]!);
        cache.set(keys[i]!, f);
      }
    });
    if (useCache) writeCache(cachePath, cache);
  }
  const { sortFindings } = await import('../validate/sort.js');
  return { findings: sortFindings(results.flat()), files, tasks: tasks.filter((t) => !t.documentOnly).length, cached: jobs.length - misses.length, workers };
}

export function formatFindings(findings: Finding[], cwd: string): string {
  return findings
    .map((f) => `${relative(cwd, f.file) || f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`)
    .join('\n');
}
