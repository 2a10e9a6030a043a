/** Find the documents a validate run covers: files, task folders, or whole ops trees. */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { documentFileName, isDocumentName } from '../standard/files.js';
import { KINDS } from '../standard/types.js';
import { UsageError } from '../errors.js';
import type { TaskFiles } from '../validate/runner.js';

export type { TaskFiles };

/** Folders that never hold tasks of their own: drafts, the trash, task locks, the team's templates. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.drafts', '.trash', '.locks', 'templates']);

export { isDocumentName };

function documentsIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => isDocumentName(n)).sort().map((n) => join(dir, n));
}

/**
 * Whether a folder is a task's: it is named after one of its documents (`<folder>-<kind>.md`), or it sits where
 * tasks live (`active/<task>/`, `archive/YYYY/MM/<task>/`). A file named on the command line anywhere else — a
 * draft in /tmp, a copy on the desktop — is one document, not a task with three documents missing.
 */
function isTaskFolder(dir: string, docs: string[]): boolean {
  const name = basename(dir);
  if (docs.some((d) => KINDS.some((k) => basename(d) === documentFileName(name, k)))) return true;
  const parent = dirname(dir);
  return basename(parent) === 'active' || (/^(?:0[1-9]|1[0-2])$/.test(basename(parent)) && /^\d{4}$/.test(basename(dirname(parent))) && basename(dirname(dirname(parent))) === 'archive');
}

function walk(root: string, out: Map<string, TaskFiles>): void {
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw new UsageError({ en: `cannot read ${dir}: ${(err as Error).message}`, zh: `无法读取 ${dir}：${(err as Error).message}` });
    }
    // A FIFO, link or device named like a document is collected too: the reader refuses it with a finding.
    const docs = entries.filter((e) => !e.isDirectory() && isDocumentName(e.name)).map((e) => join(dir, e.name)).sort();
    if (docs.length) out.set(dir, { dir, files: docs });
    for (const e of entries) {
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.tmp-')) stack.push(join(dir, e.name));
    }
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function collectTasks(paths: string[]): TaskFiles[] {
  const out = new Map<string, TaskFiles>();
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      throw new UsageError({ en: `no such file or folder: ${p}`, zh: `文件或目录不存在：${p}` });
    }
    // A folder named on the command line is walked even through a link (the user chose it); anything else that
    // is not a folder is a document to check, and the reader refuses what is not a regular file.
    const folder = st.isDirectory() || (st.isSymbolicLink() && isFolder(abs));
    if (folder) {
      walk(abs, out);
    } else {
      if (!abs.endsWith('.md')) {
        throw new UsageError({ en: `${p} is not a markdown file (.md)`, zh: `${p} 不是 markdown 文件（.md）` });
      }
      const dir = dirname(abs);
      const existing = out.get(dir);
      if (existing && !existing.only) continue; // the whole folder is already in
      const siblings = documentsIn(dir);
      const files = siblings.includes(abs) ? siblings : [...siblings, abs];
      if (!isTaskFolder(dir, files)) {
        out.set(abs, { dir, files: [abs], documentOnly: true });
        continue;
      }
      const only = existing?.only ?? new Set<string>();
      only.add(abs);
      out.set(dir, { dir, files, only });
    }
  }
  return [...out.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
}

export function readBytes(path: string): Uint8Array {
  return readFileSync(path);
}

export { basename };
