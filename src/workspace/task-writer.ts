/**
 * Putting a new task into the ops folder without ever leaving half of one: the four documents are assembled in a
 * staging folder inside the ops folder (same filesystem, so the final rename is atomic), then renamed into
 * `active/<task>/` in one step. A task that already exists (in active/ or anywhere under archive/) is refused;
 * with `force` it is first moved aside to `.trash/<task>-<timestamp>/` — never deleted.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Status } from '../standard/types.js';
import { filesOf } from './task.js';
import { ensureOpsLayout } from './scaffold.js';
import { readTaskDocs, taskStatus } from './task-docs.js';
import { randomBytes } from 'node:crypto';
import { OpsDocsError } from '../errors.js';
import { fsyncDir, moveDirNoOverwrite, sweepDebris, writeNewFile } from './atomic.js';

export interface TaskFile {
  name: string;
  content: string;
}

export interface WriteResult {
  dir: string;
  files: string[];
  /** Where each earlier task of the same name was kept. */
  trashed: string[];
}

export class TaskExistsError extends OpsDocsError {
  override name = 'TaskExistsError';
  constructor(readonly existing: string, opsDir: string, concurrent = false) {
    const where = relative(process.cwd(), existing) || existing;
    const trash = relative(process.cwd(), join(opsDir, '.trash')) || join(opsDir, '.trash');
    super(concurrent
      ? {
        en: `another ops-docs run created ${where} a moment ago; nothing was written by this run (run again with --force to keep that one in ${trash}/ and write anew)`,
        zh: `另一个 ops-docs 进程刚刚创建了 ${where}；本次运行未写入任何内容（如需保留该任务于 ${trash}/ 并重新生成，请加 --force 重新运行）`,
      }
      : {
        en: `task already exists: ${where}; nothing was written (use --force to move it to ${trash}/ and write anew, or --name to choose another name)`,
        zh: `任务已存在：${where}；未写入任何内容（使用 --force 将其移至 ${trash}/ 后重新生成，或用 --name 指定其他名称）`,
      });
  }
}

/**
 * An archived task is the audit record of a change that happened: `new --force` never moves it out of archive/
 * (git would see its documents deleted). The new task needs another name.
 */
export function refuseReplacingArchived(opsDir: string, dir: string): void {
  if (relative(opsDir, dir).split(/[\\/]/)[0] !== 'archive') return;
  const where = relative(process.cwd(), dir) || dir;
  throw new OpsDocsError({
    en: `task ${where} is archived: an archived task is a record and is never replaced, even with --force; choose another name with --name`,
    zh: `任务 ${where} 已归档：归档任务是变更记录，即使使用 --force 也不会被替换；请用 --name 另取名称`,
  });
}

/** Every folder named `task` in active/ or under archive/ (archive/YYYY/MM/<task>, or wherever a team put it). */
export function findExistingTask(opsDir: string, task: string): string[] {
  const found: string[] = [];
  const active = join(opsDir, 'active', task);
  if (existsSync(active)) found.push(active);
  const stack: [string, number][] = [[join(opsDir, 'archive'), 0]];
  while (stack.length) {
    const [dir, depth] = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      if (e.name === task) found.push(join(dir, e.name));
      else if (depth < 4 && !e.name.startsWith('.')) stack.push([join(dir, e.name), depth + 1]);
    }
  }
  return found.sort();
}

/** The status an existing task's documents declare (the checklist's counts), or undefined when unreadable. */
export function existingStatus(opsDir: string, dir: string): Status | undefined {
  const name = basename(dir);
  try {
    return taskStatus(readTaskDocs({ name, dir, opsDir, location: 'active', files: filesOf(dir, name) }));
  } catch {
    return undefined;
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A staging folder in the ops folder; `collect` skips `.tmp-*`, so a crashed run's leftovers are never read as a task. */
export function stagingDir(opsDir: string, task: string): string {
  return join(opsDir, `.tmp-${task}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Move an old task aside to `.trash/<task>-<timestamp>[-n]/`. */
export function trashTask(opsDir: string, path: string, task: string): string {
  const trash = join(opsDir, '.trash');
  mkdirSync(trash, { recursive: true });
  for (let n = 0; ; n++) {
    const to = join(trash, `${task}-${stamp()}${n ? `-${n}` : ''}`);
    try {
      moveDirNoOverwrite(path, to);
      return to;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 50) throw err;
    }
  }
}

export interface Staged {
  dir: string;
  /** Remove the staging folder (our own temporary copy; nothing else is ever removed). */
  discard(): void;
}

/** Write the files into a fresh staging folder; a refusal names the file where it was going (`finalDir`). */
export function stageFiles(opsDir: string, task: string, files: TaskFile[], finalDir = join(opsDir, 'active', task)): Staged {
  mkdirSync(opsDir, { recursive: true });
  const dir = stagingDir(opsDir, task);
  mkdirSync(dir);
  const discard = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const f of files) writeNewFile(join(dir, f.name), f.content, join(finalDir, f.name));
    fsyncDir(dir);
  } catch (err) {
    discard();
    throw err;
  }
  return { dir, discard };
}

/**
 * Rename a staged folder onto `target`. rename(2) replaces only an empty directory, so when two runs race, the
 * second finds the first one's full folder and fails with ENOTEMPTY/EEXIST: one wins, the other loses cleanly.
 */
export function publishDir(staged: string, target: string): boolean {
  try {
    if (existsSync(target) && !statSync(target).isDirectory()) return false;
    renameSync(staged, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') return false;
    throw err;
  }
}

export interface WriteTaskOptions {
  opsDir: string;
  task: string;
  files: TaskFile[];
  force?: boolean;
  /** Called with the staging folder so that an interrupt can discard it. */
  onStaged?: (staged: Staged | undefined) => void;
}

export function writeTask(opts: WriteTaskOptions): WriteResult {
  const { opsDir, task, files } = opts;
  const existing = findExistingTask(opsDir, task);
  if (existing.length && !opts.force) throw new TaskExistsError(existing[0]!, opsDir);
  for (const dir of existing) refuseReplacingArchived(opsDir, dir);
  sweepDebris(opsDir);
  const active = join(opsDir, 'active');
  ensureOpsLayout(opsDir);
  const staged = stageFiles(opsDir, task, files);
  opts.onStaged?.(staged);
  try {
    // Only once the new documents are safely on disk is the old task moved aside.
    const trashed: string[] = [];
    for (const path of existing) {
      try {
        trashed.push(trashTask(opsDir, path, task));
      } catch (err) {
        // A concurrent --force run moved it first: it is in the trash already, nothing is lost.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    const target = join(active, task);
    if (!publishDir(staged.dir, target)) throw new TaskExistsError(target, opsDir, true);
    fsyncDir(active);
    return { dir: target, files: files.map((f) => join(target, f.name)), trashed };
  } finally {
    if (existsSync(staged.dir)) staged.discard();
    opts.onStaged?.(undefined);
  }
}

/**
 * Drafts that still fail validation go to `.drafts/<task>/` with their findings, for the user to read or fix;
 * earlier drafts of the same task are moved to the trash first.
 */
export function writeDrafts(opsDir: string, task: string, files: TaskFile[]): WriteResult {
  const drafts = join(opsDir, '.drafts');
  mkdirSync(drafts, { recursive: true });
  const target = join(drafts, task);
  const staged = stageFiles(opsDir, task, files, target);
  try {
    const trashed = existsSync(target) ? [trashTask(opsDir, target, `${task}-drafts`)] : [];
    if (!publishDir(staged.dir, target)) throw new TaskExistsError(target, opsDir, true);
    return { dir: target, files: files.map((f) => join(target, f.name)), trashed };
  } finally {
    if (existsSync(staged.dir)) staged.discard();
  }
}
