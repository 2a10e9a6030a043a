/**
 * A validate run: read the documents of the collected task folders, reuse results whose inputs are unchanged (a
 * cache keyed by content hash, so an unchanged tree costs no markdown parsing at all), and check the rest in
 * worker threads. The filesystem is not touched here: whoever runs this hands over the task folders, a reader
 * (workspace's refuses anything but a regular file) and, optionally, a cache store.
 *
 * Every document is parsed under a budget. A markdown parser can be made to take minutes and gigabytes by a
 * file well under the size cap (a long flat list, deeply nested quotes, a table of many rows), and a validate in
 * CI must never hang or crash on one. So the checks run in workers with a memory limit, and each document has a
 * deadline: a document that exceeds either is reported as `document-readable`, naming the limit, and the rest
 * of the run goes on in a fresh worker.
 */
import { basename, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../standard/root.js';
import type { Text } from '../standard/types.js';
import type { Finding } from './rule.js';
import { msFromEnv } from './env-limit.js';

/** The documents of one task folder, as collected by the caller. */
export interface TaskFiles {
  dir: string;
  /** Every document of the task folder. */
  files: string[];
  /** Files whose findings are reported; undefined = all. Only these (and what a task rule needs) are parsed. */
  only?: Set<string>;
  /** A file named on its own outside a task folder: checked as a document, without the task rules. */
  documentOnly?: boolean;
}

/** A document's bytes, or why it cannot be read (a FIFO, a link, permissions). */
export type ReadOutcome = Uint8Array | { unreadable: Text };

/** Results by key, each read only when a run needs it: a run's cost never grows with the cache. */
export interface CacheStore {
  get(key: string): Finding[] | undefined;
  /** The results this run computed. */
  set(results: Map<string, Finding[]>): void;
  /** What else a result depends on: the tool's version, the standard files in force, the options. */
  keyBase(overrideDir: string | undefined, strict: boolean): string;
}

export interface RunnerIO {
  read(path: string): ReadOutcome;
  /** A team's customised standard for the task folder, if any. */
  overrideDir(taskDir: string): string | undefined;
  cache?: CacheStore;
}

export interface RunOptions {
  strict?: boolean;
  /** Worker threads to use; default: one per core (up to 4) when the run is large enough. */
  workers?: number;
  /** Language of the runner's own findings (a document's findings follow the document's language). */
  lang?: 'en' | 'zh';
}

export interface RunResult {
  findings: Finding[];
  files: number;
  tasks: number;
  /** Tasks answered from the cache. */
  cached: number;
  workers: number;
  /** Documents that exceeded the parse budget (each also has its `document-readable` finding). */
  overBudget: string[];
}

/** A document of a job: its bytes, or the finding that replaces reading it. */
export interface JobSource {
  path: string;
  bytes: Uint8Array;
  finding?: Finding;
  /** The finding is a budget exceeded, not a property of the bytes. */
  overBudget?: boolean;
}

/** The work of one task, as sent to a worker. */
export interface TaskJob {
  dir: string;
  /** The documents to parse. */
  sources: JobSource[];
  /** Every document name in the folder, parsed or not (task-files needs names only). */
  names: string[];
  only?: string[];
  overrideDir?: string;
  strict: boolean;
  /** Check the sources as documents only, without the task rules. */
  documentOnly?: boolean;
}

/** What a worker says: the findings of a job (by its index in the run). */
export interface WorkerResult { job: number; findings: Finding[] }
/** What a worker is handed: a job, by its index in the run. */
export interface WorkerJob { job: number; task: TaskJob }

/**
 * Where a worker is, shared with the runner without a message per document: the job and document it is reading
 * (-1 when idle) and a counter bumped at every document start, so a deadline restarts per document.
 */
export const PROGRESS = { job: 0, doc: 1, seq: 2, length: 3 } as const;

/** Per document: parse plus checks, in wall time. A 10,000-line runbook takes well under a second alone; the
 * margin is for a machine busy with other work (a CI runner, a test suite in parallel). OPS_DOCS_PARSE_DEADLINE_MS
 * overrides it, so the tests of the budget need not burn 15 s of CPU per stalling document. */
export const PARSE_DEADLINE_MS = msFromEnv('OPS_DOCS_PARSE_DEADLINE_MS', 15_000);
/** Heap of one worker. The largest real documents need a few tens of MB. */
export const WORKER_HEAP_MB = 512;
/**
 * Young generation of one worker. A document's trees die young; V8's default nursery for a worker let two workers
 * of a 2,000-document run hold ~30 MB more at their peak than this one, for no time measured.
 */
const WORKER_YOUNG_MB = 24;

/**
 * Below this many documents, more than one worker costs more than it saves: each starts cold (its own JIT, its own
 * ShellCheck answers). Measured on 2 cores: 800 documents took 8% longer with 2 workers than with 1, 1,200 about 3%
 * less, 2,000 17% less.
 */
const PARALLEL_THRESHOLD = 1000;
/**
 * Documents up to this size may be parsed in the caller's thread, without a worker's budget: the worst shapes
 * measured at this size (a table of 16 KB of rows, nested quotes) take about two seconds, not minutes. A run of
 * a few such documents (one task, a lifecycle verb) is checked in-thread, saving a worker start.
 */
export const IN_THREAD_BYTES = 16 * 1024;
const IN_THREAD_DOCUMENTS = 8;
/** Jobs handed to a worker ahead of the one it is checking: enough that it never waits, few enough to hold little. */
const JOBS_AHEAD = 2;
/** How often the runner looks at a worker's progress for a deadline passed. */
const DEADLINE_TICK_MS = 100;

/** Task rules that read other documents than the one asked for: checklist-coverage pairs these two. */
const READ_TOGETHER: [string, string][] = [['-runbook.md', '-checklist.md']];

function finding(path: string, lang: 'en' | 'zh', text: Text): Finding {
  return { file: path, line: 1, column: 1, ruleId: 'document-readable', severity: 'error', message: text[lang] };
}

/** The documents to parse for `only`: those asked for, and the partners a task rule compares them with. */
function toParse(t: TaskFiles): string[] {
  if (!t.only) return t.files;
  const want = new Set(t.only);
  for (const f of t.only) {
    for (const [a, b] of READ_TOGETHER) {
      const partner = f.endsWith(a) ? f.slice(0, -a.length) + b : f.endsWith(b) ? f.slice(0, -b.length) + a : undefined;
      if (partner && t.files.includes(partner)) want.add(partner);
    }
  }
  return t.files.filter((f) => want.has(f)).concat([...t.only].filter((f) => !t.files.includes(f)));
}

export function jobKey(job: TaskJob, base: string): string {
  const h = createHash('sha256').update(base).update(job.documentOnly ? 'document' : 'task').update(job.dir).update('\0').update((job.only ?? []).join('\0')).update('\0').update(job.names.join('\0'));
  for (const s of job.sources) h.update(s.path).update('\0').update(s.bytes).update('\0').update(s.finding?.message ?? '').update('\0');
  return h.digest('hex');
}

/** Check jobs in this thread: what a worker does with its share. */
export async function checkJobs(jobs: TaskJob[], onDoc: (job: number, doc: number) => void = () => {}): Promise<Finding[][]> {
  const { loadStandard } = await import('../standard/load.js');
  const { validateDocumentSources, validateTaskSources } = await import('./index.js');
  return Promise.all(jobs.map(async (job, j) => {
    const standard = loadStandard(job.overrideDir);
    const pending: Promise<Finding[]>[] = [];
    const opts = { strict: job.strict, pending };
    const found = job.documentOnly
      ? validateDocumentSources(job.sources, standard, opts, (d) => onDoc(j, d))
      : validateTaskSources(job.dir, job.sources, standard, opts, job.names, (d) => onDoc(j, d));
    found.push(...(await Promise.all(pending)).flat());
    return job.only ? found.filter((f) => job.only!.includes(f.file)) : found;
  }));
}

function workerFile(): string {
  // The bundled worker when running from the bundle, the compiled one otherwise (tests import the sources).
  const bundled = join(PACKAGE_ROOT, 'dist', 'bin', 'worker.js');
  return existsSync(bundled) ? bundled : join(PACKAGE_ROOT, 'dist', 'src', 'validate', 'worker.js');
}

const LIMITS = {
  time: { en: `took longer than ${PARSE_DEADLINE_MS / 1000} s to parse and check (the limit per document)`, zh: `解析与检查超过 ${PARSE_DEADLINE_MS / 1000} 秒（每个文档的上限）` },
  memory: { en: `needed more than ${WORKER_HEAP_MB} MB of memory to parse and check (the limit per document)`, zh: `解析与检查所需内存超过 ${WORKER_HEAP_MB} MB（每个文档的上限）` },
};

function overBudget(path: string, lang: 'en' | 'zh', limit: keyof typeof LIMITS): Finding {
  return finding(path, lang, {
    en: `document ${LIMITS[limit].en}: its structure is far from a runbook's (a huge list, table or nesting); simplify or split it`,
    zh: `文档${LIMITS[limit].zh}：其结构远超正常文档（超大的列表、表格或嵌套）；请简化或拆分`,
  });
}

interface Culprit { job: number; doc: number; limit: keyof typeof LIMITS }

/**
 * The jobs of a run, read when they are first wanted: a worker starts on the first document while the rest are
 * still on disk, and a large tree is never held in memory whole. A job whose result the cache has is answered
 * then and there.
 */
interface JobStream {
  count: number;
  /** Job i read and ready to check, or undefined when the cache answered it (its result is set). */
  load(i: number): TaskJob | undefined;
  results: Finding[][];
}

/**
 * Check jobs in `lanes` workers that pull from one queue. A document over its budget ends that worker: it gets its
 * finding, its job goes back on the queue with that document replaced by the finding, the jobs the worker held
 * are queued again, and the lane goes on in a fresh worker. A lane starts its worker only for a job to check.
 */
async function checkBounded(source: JobStream, lanes: number, lang: 'en' | 'zh'): Promise<Map<number, TaskJob>> {
  const { Worker } = await import('node:worker_threads');
  const { results } = source;
  const checked = new Map<number, TaskJob>();
  const queue: number[] = [];
  let next = 0;
  const take = (): number | undefined => {
    const again = queue.shift();
    if (again !== undefined) return again;
    while (next < source.count) {
      const i = next++;
      const job = source.load(i);
      if (job) {
        checked.set(i, job);
        return i;
      }
    }
    return undefined;
  };

  /** One worker, from its first job: runs until the queue is empty (undefined) or a document exceeds its budget. */
  const runWorker = (first: number) => new Promise<Culprit | undefined>((resolve) => {
    const progress = new Int32Array(new SharedArrayBuffer(PROGRESS.length * 4));
    progress[PROGRESS.job] = -1;
    const w: Worker = new Worker(workerFile(), { workerData: { progress: progress.buffer }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    const held = new Set<number>();
    let seen = -1;
    let since = Date.now();
    let settled = false;
    const finish = (culprit?: Culprit) => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      void w.terminate();
      // What the worker held and did not finish goes back on the queue (the culprit's job first).
      const back = [...held].sort((a, b) => a - b);
      if (culprit) back.sort((a, b) => Number(b === culprit.job) - Number(a === culprit.job));
      queue.unshift(...back);
      resolve(culprit);
    };
    const give = (j: number) => {
      held.add(j);
      w.postMessage({ job: j, task: checked.get(j)! } satisfies WorkerJob);
    };
    const hand = () => {
      while (held.size < JOBS_AHEAD) {
        const j = take();
        if (j === undefined) break;
        give(j);
      }
      if (!held.size) finish();
    };
    // Where the worker is, or the first job it holds when it died outside any document (loading, a task rule).
    const at = (limit: keyof typeof LIMITS): Culprit | undefined => {
      const job = Atomics.load(progress, PROGRESS.job);
      if (job >= 0) return { job, doc: Atomics.load(progress, PROGRESS.doc), limit };
      const first = Math.min(...held);
      return Number.isFinite(first) ? { job: first, doc: -1, limit } : undefined;
    };
    const ticker = setInterval(() => {
      const seq = Atomics.load(progress, PROGRESS.seq);
      if (seq !== seen || Atomics.load(progress, PROGRESS.job) < 0) {
        seen = seq;
        since = Date.now();
      } else if (Date.now() - since > PARSE_DEADLINE_MS) {
        finish(at('time'));
      }
    }, DEADLINE_TICK_MS);
    w.on('message', (m: WorkerResult) => {
      results[m.job] = m.findings;
      held.delete(m.job);
      hand();
    });
    // Out of memory (ERR_WORKER_OUT_OF_MEMORY) or a crash: the document being read is the cause.
    w.on('error', () => finish(at('memory')));
    w.on('exit', () => finish(at('memory')));
    give(first);
    hand();
  });

  const lane = async (): Promise<void> => {
    for (let first = take(); first !== undefined; first = take()) {
      const culprit = await runWorker(first);
      if (!culprit) return;
      const job = checked.get(culprit.job)!;
      if (culprit.doc < 0) {
        // Ended outside any document: say so on the job's documents rather than loop.
        results[culprit.job] = job.sources.map((s) => overBudget(s.path, lang, culprit.limit));
        for (const s of job.sources) s.overBudget = true;
        const queued = queue.indexOf(culprit.job);
        if (queued >= 0) queue.splice(queued, 1);
        continue;
      }
      const src = job.sources[culprit.doc]!;
      job.sources[culprit.doc] = { path: src.path, bytes: new Uint8Array(), finding: overBudget(src.path, lang, culprit.limit), overBudget: true };
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return checked;
}

export async function runValidation(tasks: TaskFiles[], io: RunnerIO, opts: RunOptions = {}): Promise<RunResult> {
  const strict = Boolean(opts.strict);
  const lang = opts.lang ?? 'en';
  const plans = tasks.map((t) => ({ task: t, paths: toParse(t), overrideDir: io.overrideDir(t.dir) }));
  const files = tasks.reduce((s, t) => s + (t.only ? t.only.size : t.files.length), 0);
  // A team standard whose `rules:` name no rule is the user's error to fix: said once, here, as an error of the
  // run, not as a finding on every document a worker checks. Only a standard with settings loads the rules.
  const { loadStandard } = await import('../standard/load.js');
  for (const od of new Set(plans.map((p) => p.overrideDir))) {
    const standard = loadStandard(od);
    if (standard.common.rules) (await import('./index.js')).checkRuleSettings(standard);
  }

  const bases = new Map<string, string>();
  const keys: string[] = new Array(plans.length);
  const results: Finding[][] = new Array(plans.length);
  let cached = 0;
  const read = (i: number): TaskJob => {
    const { task: t, paths, overrideDir } = plans[i]!;
    return {
      dir: t.dir,
      sources: paths.map((path) => {
        const got = io.read(path);
        return got instanceof Uint8Array
          ? { path, bytes: got }
          : { path, bytes: new Uint8Array(), finding: finding(path, lang, { en: `cannot read the document: ${got.unreadable.en}`, zh: `无法读取文档：${got.unreadable.zh}` }) };
      }),
      names: t.files.map((f) => basename(f)),
      only: t.only ? [...t.only] : undefined,
      overrideDir,
      strict,
      documentOnly: t.documentOnly,
    };
  };
  const source: JobStream = {
    count: plans.length,
    results,
    load(i) {
      const job = read(i);
      if (!io.cache) return job;
      const od = job.overrideDir ?? '';
      let base = bases.get(od);
      if (base === undefined) bases.set(od, (base = io.cache.keyBase(job.overrideDir, strict)));
      keys[i] = jobKey(job, base);
      const hit = io.cache.get(keys[i]!);
      if (!hit) return job;
      results[i] = hit;
      cached++;
      return undefined;
    },
  };

  // A few small documents are read up front and checked here; anything larger goes to workers, read as they go.
  let workers = 0;
  let checked = new Map<number, TaskJob>();
  const docs = plans.reduce((s, p) => s + p.paths.length, 0);
  if (docs <= IN_THREAD_DOCUMENTS) {
    plans.forEach((_, i) => {
      const job = source.load(i);
      if (job) checked.set(i, job);
    });
    const small = [...checked.values()].every((j) => j.sources.every((src) => src.bytes.length <= IN_THREAD_BYTES));
    if (checked.size && (opts.workers !== undefined || !small)) {
      workers = Math.min(opts.workers ?? 1, checked.size);
      const loaded = checked;
      await checkBounded({ count: plans.length, results, load: (i) => loaded.get(i) }, workers, lang);
    } else if (checked.size) {
      const found = await checkJobs([...checked.values()]);
      [...checked.keys()].forEach((i, k) => (results[i] = found[k]!));
    }
  } else {
    workers = Math.min(opts.workers ?? (docs >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 4) : 1), plans.length);
    checked = await checkBounded(source, workers, lang);
  }

  if (io.cache && checked.size) {
    // A budget exceeded on a busy machine may pass on a quiet one: that result is not kept.
    const fresh = [...checked].filter(([, job]) => !job.sources.some((s) => s.overBudget));
    io.cache.set(new Map(fresh.map(([i]) => [keys[i]!, results[i]!])));
  }
  const { sortFindings } = await import('./sort.js');
  const overBudget = [...checked.values()].flatMap((j) => j.sources.filter((s) => s.overBudget).map((s) => s.path));
  return { findings: sortFindings(results.flat()), files, tasks: tasks.filter((t) => !t.documentOnly).length, cached, workers, overBudget };
}

export function formatFindings(findings: Finding[], cwd: string): string {
  return findings
    .map((f) => `${relative(cwd, f.file) || f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`)
    .join('\n');
}
