/**
 * Where a task lives in the ops folder: `active/<task>/` while it is worked on, `archive/YYYY/MM/<task>/` after.
 * A task is named on the command line by its name (never a path that could leave the ops folder) or by the
 * path of its folder.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { KINDS, type Kind } from '../standard/types.js';
import { documentFileName } from '../standard/files.js';
import { OpsDocsError, UsageError } from '../errors.js';
import { opsDirOf } from './paths.js';

export type Location = 'active' | 'archive';

export interface TaskRef {
  name: string;
  dir: string;
  opsDir: string;
  location: Location;
  /** The document of each kind that exists, by the standard's file name `<task>-<kind>.md`. */
  files: Partial<Record<Kind, string>>;
}

/** A folder name that is one path segment: no separators, no `.`/`..`, nothing a shell or a path would reinterpret. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class TaskNotFound extends OpsDocsError {
  constructor(name: string, opsDir: string) {
    super({
      en: `no task "${name}" in ${join(opsDir, 'active')} or ${join(opsDir, 'archive')}: run ops-docs list --all to see the tasks`,
      zh: `在 ${join(opsDir, 'active')} 和 ${join(opsDir, 'archive')} 中都找不到任务“${name}”：运行 ops-docs list --all 查看任务`,
    });
  }
}

export function filesOf(dir: string, name: string): Partial<Record<Kind, string>> {
  const files: Partial<Record<Kind, string>> = {};
  for (const kind of KINDS) {
    const p = join(dir, documentFileName(name, kind));
    if (existsSync(p)) files[kind] = p;
  }
  return files;
}

/**
 * Whether `p` is a task folder. A symbolic link in its place is refused, not followed: status and record would
 * otherwise write through it, outside the ops folder.
 */
function isDir(p: string): boolean {
  try {
    if (lstatSync(p).isSymbolicLink()) {
      throw new OpsDocsError({
        en: `${relative(process.cwd(), p) || p} is a symbolic link, not a task folder: task folders must be real folders inside the ops folder; nothing was read or written`,
        zh: `${relative(process.cwd(), p) || p} 是符号链接而不是任务目录：任务目录必须是 ops 目录中的真实目录；未读取或写入任何内容`,
      });
    }
    return statSync(p).isDirectory();
  } catch (err) {
    if (err instanceof OpsDocsError) throw err;
    return false;
  }
}

function ref(opsDir: string, dir: string, location: Location): TaskRef {
  const name = basename(dir);
  return { name, dir, opsDir, location, files: filesOf(dir, name) };
}

/** The archive folder a task belongs in: the year and month of its name's date prefix. */
export function archiveDirFor(opsDir: string, name: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-\d{2}-/.exec(name);
  return m ? join(opsDir, 'archive', m[1]!, m[2]!, name) : undefined;
}

/** Find a task by name (active first, then its archive month, then anywhere in the archive) or by folder path. */
export function findTask(arg: string, opsDir: string): TaskRef {
  const ops = resolve(opsDir);
  if (arg.includes('/') || arg.includes(sep)) {
    const dir = resolve(arg.replace(/[\\/]+$/, ''));
    if (!isDir(dir)) throw new UsageError({ en: `no such task folder: ${arg}`, zh: `任务目录不存在：${arg}` });
    // A path must name a task folder of an ops tree (active/<task> or archive/YYYY/MM/<task>), nothing else.
    const owner = opsDirOf(dir);
    const rel = owner ? relative(owner, dir).split(sep).join('/') : '';
    const where = /^active\/[^/]+$/.test(rel) ? 'active' : /^archive\/\d{4}\/\d{2}\/[^/]+$/.test(rel) ? 'archive' : undefined;
    if (!owner || !where) {
      throw new UsageError({
        en: `${arg} is not a task folder (ops/active/<task> or ops/archive/YYYY/MM/<task>)`,
        zh: `${arg} 不是任务目录（ops/active/<任务> 或 ops/archive/YYYY/MM/<任务>）`,
      });
    }
    return ref(owner, dir, where);
  }
  if (!SAFE_NAME.test(arg)) {
    throw new UsageError({
      en: `"${arg.slice(0, 80)}" is not a task name: give the folder name, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28`,
      zh: `“${arg.slice(0, 80)}”不是任务名：请给出目录名，例如 2025-11-10-k8s-cluster-upgrade-v1.28`,
    });
  }
  const active = join(ops, 'active', arg);
  if (isDir(active)) return ref(ops, active, 'active');
  const month = archiveDirFor(ops, arg);
  if (month && isDir(month)) return ref(ops, month, 'archive');
  const elsewhere = listTasks(ops, 'archive').find((t) => t.name === arg);
  if (elsewhere) return elsewhere;
  throw new TaskNotFound(arg, ops);
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Task folders: `active/*` and `archive/*\/*\/*`, sorted by name. */
export function listTasks(opsDir: string, which: 'active' | 'archive' | 'all'): TaskRef[] {
  const ops = resolve(opsDir);
  const out: TaskRef[] = [];
  if (which !== 'archive') {
    for (const name of subdirs(join(ops, 'active'))) out.push(ref(ops, join(ops, 'active', name), 'active'));
  }
  if (which !== 'active') {
    const root = join(ops, 'archive');
    for (const y of subdirs(root)) {
      for (const m of subdirs(join(root, y))) {
        for (const name of subdirs(join(root, y, m))) out.push(ref(ops, join(root, y, m, name), 'archive'));
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.location < b.location ? -1 : 1));
}
