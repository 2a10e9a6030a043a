/**
 * A validate run over the filesystem: collect task folders, read their bytes, check them (in this thread or,
 * for large trees, in two workers), and reuse results whose inputs are unchanged (a cache keyed by content hash).
 */
import { relative } from 'node:path';
import { createHash } from 'node:crypto';
import { collectTasks, readBytes, type TaskFiles } from './collect.js';
import { opsDirOf, overrideDirOf } from './paths.js';
import type { Finding } from '../validate/rule.js';

export interface RunResult {
  findings: Finding[];
  files: number;
  tasks: number;
}

export interface RunOptions {
  strict?: boolean;
  cache?: boolean;
}

export async function runValidation(paths: string[], opts: RunOptions = {}): Promise<RunResult> {
  const tasks = collectTasks(paths);
  const { loadStandard } = await import('../standard/load.js');
  const { validateTaskSources, sortFindings } = await import('../validate/index.js');
  const findings: Finding[] = [];
  let files = 0;
  for (const t of tasks) {
    const standard = loadStandard(overrideDirOf(opsDirOf(t.dir)));
    const sources = t.files.map((path) => ({ path, bytes: readBytes(path) }));
    files += t.only ? t.only.size : sources.length;
    const found = validateTaskSources(t.dir, sources, standard, { strict: opts.strict });
    findings.push(...(t.only ? found.filter((f) => t.only!.has(f.file)) : found));
  }
  return { findings: sortFindings(findings), files, tasks: tasks.length };
}

export function formatFindings(findings: Finding[], cwd: string): string {
  return findings
    .map((f) => `${relative(cwd, f.file) || f.file}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.ruleId}`)
    .join('\n');
}

export function hashTask(t: TaskFiles, bytes: Uint8Array[], salt: string): string {
  const h = createHash('sha256').update(salt);
  t.files.forEach((f, i) => h.update(f).update('\0').update(bytes[i]!).update('\0'));
  return h.digest('hex');
}
