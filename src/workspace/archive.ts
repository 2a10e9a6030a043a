/**
 * Archive a finished task: `active/<task>/` → `archive/YYYY/MM/<task>/` (year and month of the task name's date
 * prefix), with `archived:` recorded in every document. The move comes first (one rename, or `git mv` when the
 * task is tracked, so history follows the files); the frontmatter is written after it. Any failure puts the
 * folder back and restores the bytes already written: the task ends where it started, nothing lost.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Kind, Standard } from '../standard/types.js';
import { OpsDocsError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { editFrontmatter, type FrontmatterChange } from './frontmatter-edit.js';
import { FINISHED, isoDate, stateName } from './lifecycle.js';
import { historyLine } from './move-status.js';
import { checkEdit, taskStatus, type TaskDoc } from './task-docs.js';
import { archiveDirFor, type TaskRef } from './task.js';

const run = promisify(execFile);

export class ArchiveRefused extends OpsDocsError {}

export interface ArchiveOptions {
  by: string;
  at: Date;
  force?: boolean;
  /** Replace the file writer (tests use it to fail half-way). */
  write?: (path: string, data: string) => void;
}

export interface Archived {
  from: string;
  to: string;
  git: boolean;
}

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('git', args, { cwd, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The work tree that tracks files of this folder, or undefined (no git, not a repository, nothing tracked). */
async function trackingWorkTree(dir: string): Promise<string | undefined> {
  try {
    const top = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
    if (!top) return undefined;
    const tracked = await git(['ls-files', '-z', '--', dir], top);
    return tracked.length > 0 ? top : undefined;
  } catch {
    return undefined;
  }
}

/** Create the missing folders of `dir`, returning those created (deepest last) so a failure can remove them. */
function makeParents(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
  return missing;
}

function removeCreated(created: string[]): void {
  for (const d of [...created].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not empty or already gone: leave it
    }
  }
}

function bomOf(path: string): string {
  return readFileSync(path).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? '\uFEFF' : '';
}

export async function archiveTask(task: TaskRef, docs: Map<Kind, TaskDoc>, standard: Standard, opts: ArchiveOptions): Promise<Archived> {
  if (task.location === 'archive') {
    throw new ArchiveRefused({ en: `${task.name} is already archived in ${task.dir}`, zh: `${task.name} 已归档于 ${task.dir}` });
  }
  const status = taskStatus(docs);
  if (status === 'in-progress') {
    throw new ArchiveRefused({
      en: `${task.name} is in-progress: finish it first (ops-docs status ${task.name} done | rolled-back | cancelled); a running change is never archived`,
      zh: `${task.name} 正在执行中：请先结束它（ops-docs status ${task.name} done | rolled-back | cancelled）；执行中的变更不能归档`,
    });
  }
  if (!FINISHED.includes(status as never) && !opts.force) {
    throw new ArchiveRefused({
      en: `${task.name} is ${status ?? 'without a status'}: only done, rolled-back or cancelled tasks are archived (--force to archive it anyway)`,
      zh: `${task.name} 当前为${stateName(status, 'zh')}：只有 done、rolled-back 或 cancelled 的任务才能归档（使用 --force 强制归档）`,
    });
  }
  const to = archiveDirFor(task.opsDir, task.name);
  if (!to) {
    throw new ArchiveRefused({
      en: `${task.name} does not start with a date (YYYY-MM-DD-…), so it has no archive month: rename it first`,
      zh: `${task.name} 不以日期（YYYY-MM-DD-…）开头，无法确定归档月份：请先重命名`,
    });
  }
  if (existsSync(to)) {
    throw new ArchiveRefused({
      en: `${relative(task.opsDir, to)} already exists: nothing moved; remove or rename one of the two first`,
      zh: `${relative(task.opsDir, to)} 已存在：未移动任何内容；请先删除或重命名其中之一`,
    });
  }

  // Prepare every new text before anything moves: a document we cannot edit safely stops the archive here.
  const change: FrontmatterChange = { set: { archived: isoDate(opts.at) }, append: { history: [historyLine(opts.at, 'archived', opts.by)] } };
  const edits = [...docs.values()].map((doc) => ({ doc, text: editFrontmatter(doc.path, doc.text, change) }));
  for (const e of edits) checkEdit(e, standard);

  const top = await trackingWorkTree(task.dir);
  let created: string[] = [];
  const undo = (err: unknown): never => {
    removeCreated(created);
    const why = (err as { stderr?: string; message?: string }).stderr?.trim() || (err as Error).message;
    throw new OpsDocsError({
      en: `could not archive ${task.name} (${why.split('\n')[0]}); it is still in ${task.dir}`,
      zh: `无法归档 ${task.name}（${why.split('\n')[0]}）；任务仍在 ${task.dir}`,
    });
  };
  try {
    created = makeParents(dirname(to));
    if (existsSync(to)) throw new Error(`${to} appeared while archiving`);
    // git mv into an existing folder would move the task *inside* it; the check above and mkdir's parents make
    // that a race with another archiver only.
    if (top) await git(['mv', '--', task.dir, to], top);
    else renameSync(task.dir, to);
  } catch (err) {
    undo(err);
  }

  const write = opts.write ?? writeFileAtomic;
  const written: { path: string; original: string }[] = [];
  try {
    for (const e of edits) {
      const path = join(to, relative(task.dir, e.doc.path));
      const bom = bomOf(path);
      write(path, bom + e.text);
      written.push({ path, original: bom + e.doc.text });
    }
  } catch (err) {
    for (const w of written) writeFileAtomic(w.path, w.original);
    try {
      if (top) await git(['mv', '--', to, task.dir], top);
      else renameSync(to, task.dir);
    } catch (back) {
      throw new OpsDocsError({
        en: `archiving failed (${(err as Error).message}) and the folder could not be moved back (${(back as Error).message}): it is in ${to}, unchanged`,
        zh: `归档失败（${(err as Error).message}），且无法移回（${(back as Error).message}）：任务位于 ${to}，内容未改动`,
      });
    }
    undo(err);
  }
  return { from: task.dir, to, git: Boolean(top) };
}

