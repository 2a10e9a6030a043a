/**
 * Documents are read only when they are regular files. A FIFO named like a runbook would block the reader
 * forever, a device could be endless, and a symbolic link (to a document or a task folder) lets a command read
 * or write outside the ops folder. The kind is checked with lstat before any open; the open itself neither
 * follows a link nor waits on a FIFO, and fstat checks again what was opened (the name may change meanwhile).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { relative } from 'node:path';
import type { Text } from '../standard/types.js';
import { OpsDocsError } from '../errors.js';

/** What a path is, in words, when it is not a regular file (undefined when it is one). */
export function notRegular(st: Stats): Text | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return { en: 'a symbolic link', zh: '符号链接' };
  if (st.isFIFO()) return { en: 'a named pipe (FIFO)', zh: '命名管道（FIFO）' };
  if (st.isSocket()) return { en: 'a socket', zh: '套接字' };
  if (st.isCharacterDevice() || st.isBlockDevice()) return { en: 'a device', zh: '设备文件' };
  if (st.isDirectory()) return { en: 'a folder', zh: '目录' };
  return { en: 'not a regular file', zh: '不是普通文件' };
}

export class NotRegularFile extends OpsDocsError {
  override name = 'NotRegularFile';
  readonly what: Text;
  constructor(readonly path: string, what: Text) {
    const shown = relative(process.cwd(), path) || path;
    super({
      en: `${shown} is ${what.en}, not a regular file: only regular files are read as documents; replace it with the file itself`,
      zh: `${shown} 是${what.zh}而不是普通文件：只有普通文件才会作为文档读取；请换成文件本身`,
    });
    this.what = what;
  }
}

/** The bytes of a regular file; NotRegularFile for anything else, before it is opened. */
export function readRegularFile(path: string): Buffer {
  const what = notRegular(lstatSync(path));
  if (what) throw new NotRegularFile(path, what);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const again = notRegular(fstatSync(fd));
    if (again) throw new NotRegularFile(path, again);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is a real folder (not a link to one): task folders must be. */
export function isRealDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
