/** What the lifecycle verbs share: the --ops-dir option, finding the task, loading its standard and documents. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kind, Standard } from '../standard/types.js';
import { OpsDocsError, UsageError } from '../errors.js';
import { filesOf, findTask, type TaskRef } from '../workspace/task.js';
import { overrideDirOf, refuseSystemFolder } from '../workspace/paths.js';
import { FUTURE_SLACK_MS, cellTime, parseTime, timeOrderProblem, type LifeEvent } from '../workspace/lifecycle.js';
import type { TaskDoc } from '../workspace/task-docs.js';

/** No default here: whether --ops-dir was given changes what an error about it says. */
export const OPS_DIR_OPTION = { 'ops-dir': { type: 'string' as const } };

export const OPS_DIR_HELP = {
  en: '  --ops-dir DIR    the ops folder (default: ./ops)',
  zh: '  --ops-dir 目录   ops 目录（默认：./ops）',
};

export function opsDirArg(v: string | undefined): string {
  const abs = resolve(v ?? 'ops');
  refuseSystemFolder(abs, '--ops-dir');
  return abs;
}

/**
 * The ops folder a verb works in, checked: it must be a folder with active/ or archive/ in it. A regular file
 * or an empty folder would otherwise read as "no tasks", which is a wrong answer, not an empty one.
 */
export function requireOpsDir(v: string | undefined): string {
  const abs = opsDirArg(v);
  if (v === '') throw new UsageError({ en: '--ops-dir needs a folder', zh: '--ops-dir 需要一个目录' });
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // missing: said below
  }
  if (existsSync(abs) && !isDir) {
    throw new UsageError({ en: `${abs} is a file, not an ops folder (--ops-dir names the folder that holds active/ and archive/)`, zh: `${abs} 是文件而不是 ops 目录（--ops-dir 应指向包含 active/ 和 archive/ 的目录）` });
  }
  if (!isDir || (!existsSync(join(abs, 'active')) && !existsSync(join(abs, 'archive')))) {
    const hint = v === undefined ? { en: ': run ops-docs init, or pass --ops-dir', zh: '：请运行 ops-docs init，或使用 --ops-dir' } : { en: '', zh: '' };
    throw new UsageError({
      en: `no ops folder at ${abs} (it has no active/ or archive/)${hint.en}`,
      zh: `${abs} 不是 ops 目录（其中没有 active/ 或 archive/）${hint.zh}`,
    });
  }
  return abs;
}

/** The task named on the command line. A name is looked up in the ops folder; a folder path brings its own. */
export function taskArg(positional: string | undefined, opsDirOption: string | undefined): TaskRef {
  if (!positional) throw new UsageError({ en: 'name the task, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28', zh: '请指明任务，例如 2025-11-10-k8s-cluster-upgrade-v1.28' });
  const byPath = positional.includes('/') || positional.includes('\\');
  return findTask(positional, byPath ? opsDirArg(opsDirOption) : requireOpsDir(opsDirOption));
}

/**
 * Run a read-modify-write of a task's documents holding its lock. The task is looked up again once the lock is
 * held: whoever held it before may have archived the folder meanwhile.
 */
export async function underTaskLock<T>(task: TaskRef, fn: (task: TaskRef) => Promise<T>): Promise<T> {
  const { withTaskLock } = await import('../workspace/task-lock.js');
  const { sweepDebris } = await import('../workspace/atomic.js');
  return withTaskLock(task.opsDir, task.name, () => {
    sweepDebris(task.dir);
    const fresh = existsSync(task.dir) ? { ...task, files: filesOf(task.dir, task.name) } : findTask(task.name, task.opsDir);
    return fn(fresh);
  });
}

export async function standardFor(task: TaskRef): Promise<Standard> {
  const { loadStandard } = await import('../standard/load.js');
  return loadStandard(overrideDirOf(task.opsDir));
}

export async function docsOf(task: TaskRef): Promise<Map<Kind, TaskDoc>> {
  const { readTaskDocsBounded } = await import('../workspace/task-docs.js');
  const docs = await readTaskDocsBounded(task);
  if (docs.size === 0) {
    throw new OpsDocsError({
      en: `${task.dir} holds none of the documents ${task.name}-<runbook|rollback|checklist|postmortem-template>.md`,
      zh: `${task.dir} 中没有任何文档 ${task.name}-<runbook|rollback|checklist|postmortem-template>.md`,
    });
  }
  return docs;
}

/** A time from the command line; one more than a few minutes ahead is a typo, never a record of what happened. */
export function timeArg(v: string | undefined, option = '--at', now = new Date()): Date {
  if (v === undefined) return now;
  const d = parseTime(v, now);
  if (!d) {
    throw new UsageError({
      en: `${option} "${v.slice(0, 40)}" is not a time: use HH:MM, "YYYY-MM-DD HH:MM" or 2025-11-10T02:00+01:00`,
      zh: `${option}“${v.slice(0, 40)}”不是有效时间：请使用 HH:MM、"YYYY-MM-DD HH:MM" 或 2025-11-10T02:00+01:00`,
    });
  }
  if (d.getTime() - now.getTime() > FUTURE_SLACK_MS) {
    throw new UsageError({
      en: `${option} ${cellTime(d)} is in the future (now is ${cellTime(now)}): a record says what happened, so a time may be at most 5 minutes ahead`,
      zh: `${option} ${cellTime(d)} 是将来的时间（现在是 ${cellTime(now)}）：记录的是已发生的事，时间最多只能比现在晚 5 分钟`,
    });
  }
  return d;
}

const FIELD_ZH: Record<string, string> = { created: '创建', approved: '批准', started: '开始', finished: '结束' };

/** Refuse a time that would put the task's life out of order (created ≤ approved ≤ started ≤ finished). */
export function checkTimeOrder(docs: Map<Kind, TaskDoc>, event: LifeEvent, at: Date, option = '--at'): void {
  const fm = (docs.get('checklist') ?? [...docs.values()][0])?.model.frontmatter.data ?? {};
  const p = timeOrderProblem(fm, event, at);
  if (!p) return;
  throw new UsageError({
    en: `${option} ${cellTime(at)} is before the task's ${p.field} date (${p.value}): a task's dates never go backwards (created ≤ approved ≤ started ≤ finished)`,
    zh: `${option} ${cellTime(at)} 早于任务的${FIELD_ZH[p.field]}时间（${p.field}: ${p.value}）：任务的时间不能倒退（created ≤ approved ≤ started ≤ finished）`,
  });
}

export function noteArg(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > 500) throw new UsageError({ en: '--note is limited to 500 characters', zh: '--note 最多 500 个字符' });
  return v;
}
