/**
 * Every write of the tool goes through here, so that none can leave half a file behind: the bytes go to a
 * temporary name in the same folder, every byte is written (a short write under a file-size limit or on a full
 * disk is retried until the kernel refuses with an error), the size on disk is compared with what was meant,
 * the file and its folder are fsynced, and only then is the temporary file renamed over the target. Rename is
 * atomic within one filesystem; a crash or a refusal leaves the old file as it was.
 */
import { closeSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FS_ERRORS, OpsDocsError } from '../errors.js';

export function tempName(target: string, tag = 'tmp'): string {
  return join(dirname(target), `.${tag}-${basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Whether a process of this host is alive (EPERM: it exists, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temporary name of ours (tempName, or a staging folder): `.tmp-<name>-<pid>-<8 hex>`. */
const TEMP_NAME = /^\.tmp-.+-(\d+)-[0-9a-f]{8}$/;

/**
 * Remove the temporary files and staging folders a killed process (kill -9, a power cut) left in `dir`, so that
 * they are never committed by git or carried along by archive. Only names of the form above whose process is
 * gone are touched.
 */
export function sweepDebris(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    try { rmSync(join(dir, name), { recursive: true, force: true }); } catch { /* another sweeper, or not ours to remove */ }
  }
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** A write the filesystem refused: which file, in words, and that the old one is untouched. */
export class WriteError extends OpsDocsError {
  override name = 'WriteError';
  constructor(readonly path: string, readonly code: string) {
    const why = FS_ERRORS[code] ?? { en: code, zh: code };
    super({
      en: `cannot write ${shown(path)}: ${why.en}; nothing was changed (any earlier version of the file is as it was)`,
      zh: `无法写入 ${shown(path)}：${why.zh}；未做任何更改（该文件原有的版本保持不变）`,
    });
  }
}

/** The filesystem's refusal, as a WriteError naming `target`; anything else is passed on as it is. */
export function asWriteError(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && FS_ERRORS[code] && !(err instanceof OpsDocsError) ? new WriteError(target, code) : err;
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * Write all of `bytes` to a new file at `path` (it must not exist), fsync it and check its size. writeSync may
 * write fewer bytes than asked (a file-size limit, a nearly full disk): the loop goes on until the kernel says
 * why it cannot. On any failure the file is removed and the error names `shownAs`.
 */
export function writeNewFile(path: string, data: string | Uint8Array, shownAs = path, mode = 0o644): void {
  const bytes = bytesOf(data);
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (err) {
    throw asWriteError(err, shownAs);
  }
  try {
    let done = 0;
    while (done < bytes.length) {
      const n = writeSync(fd, bytes, done, bytes.length - done);
      if (n <= 0) throw Object.assign(new Error('write returned 0'), { code: 'ENOSPC', syscall: 'write', path });
      done += n;
    }
    fsyncSync(fd);
    const size = fstatSync(fd).size;
    if (size !== bytes.length) throw Object.assign(new Error(`wrote ${size} of ${bytes.length} bytes`), { code: 'ENOSPC', syscall: 'write', path });
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(path); } catch { /* already gone */ }
    throw asWriteError(err, shownAs);
  }
  closeSync(fd);
}

/** fsync a folder, so that a rename in it survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // not every platform can open a folder for fsync; the rename is still atomic
  }
  try { fsyncSync(fd); } catch { /* as above */ } finally { closeSync(fd); }
}

export interface FileWrite {
  path: string;
  data: string | Uint8Array;
}

/**
 * Replace (or create) several files, all or none as far as the disk allows: every file is first written in full
 * beside its target; only when all of them are on disk is each renamed into place. A full disk therefore
 * changes nothing at all, instead of leaving the runbook edited and the checklist not.
 */
export function writeFilesAtomic(writes: FileWrite[], mode = 0o644): void {
  const staged: { tmp: string; target: string }[] = [];
  try {
    for (const w of writes) {
      const tmp = tempName(w.path);
      writeNewFile(tmp, w.data, w.path, mode);
      staged.push({ tmp, target: w.path });
    }
    for (let i = 0; i < staged.length; i++) {
      const { tmp, target } = staged[i]!;
      try {
        renameSync(tmp, target);
      } catch (err) {
        throw asWriteError(err, target);
      }
      staged[i] = { tmp: '', target };
    }
  } finally {
    for (const s of staged) if (s.tmp) try { unlinkSync(s.tmp); } catch { /* already gone */ }
  }
  for (const dir of new Set(writes.map((w) => dirname(w.path)))) fsyncDir(dir);
}

/** Replace (or create) a file atomically. */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  writeFilesAtomic([{ path: target, data }], mode);
}

/** Create a file that must not exist yet; fails with EEXIST instead of overwriting. */
export function createFileExclusive(target: string, data: string | Uint8Array): void {
  const tmp = tempName(target);
  writeNewFile(tmp, data, target);
  try {
    linkSync(tmp, target); // link fails if target exists: no overwrite, even in a race
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw err;
    throw asWriteError(err, target);
  } finally {
    try { unlinkSync(tmp); } catch { /* already gone */ }
  }
  fsyncDir(dirname(target));
}

/**
 * Move a folder to a destination that must not exist, safe against a concurrent mover: the destination is
 * claimed with mkdir (atomic; EEXIST if taken), then replaced by the rename (Linux renames a directory onto an
 * empty one). The loser of a race gets EEXIST and its folder stays where it was.
 */
export function moveDirNoOverwrite(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  mkdirSync(to); // throws EEXIST when taken
  try {
    renameSync(from, to);
  } catch (err) {
    try { rmdirSync(to); } catch { /* leave it: it is empty */ }
    throw err;
  }
}
