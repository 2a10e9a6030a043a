/**
 * Writes and moves that never leave half a file or half a task behind: write to a temporary name in the same
 * folder, fsync, rename over. Rename is atomic within one filesystem; a crash leaves the old file or the new one.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function tempName(target: string, tag = 'tmp'): string {
  return join(dirname(target), `.${tag}-${basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Replace (or create) a file atomically. */
export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = tempName(target);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
}

/** Create a file that must not exist yet; fails with EEXIST instead of overwriting. */
export function createFileExclusive(target: string, data: string | Uint8Array): void {
  const tmp = tempName(target);
  writeFileAtomic(tmp, data);
  try {
    linkSync(tmp, target); // link fails if target exists: no overwrite, even in a race
  } finally {
    unlinkSync(tmp);
  }
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
