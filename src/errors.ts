/** Errors that end a command, each with its exit code. Everything else is a bug and exits 70. */
import type { Text } from './standard/types.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, provider: 3, internal: 70 } as const;

/** The language of the tool's own messages: OPS_DOCS_LANG, else the locale. */
export function uiLang(): 'en' | 'zh' {
  const v = process.env.OPS_DOCS_LANG ?? process.env.LC_ALL ?? process.env.LC_MESSAGES ?? process.env.LANG ?? '';
  return /^zh/i.test(v) ? 'zh' : 'en';
}

export function say(text: Text): string {
  return text[uiLang()];
}

export class OpsDocsError extends Error {
  override name = 'OpsDocsError';
  readonly exitCode: number = EXIT.failed;
  constructor(message: Text | string) {
    super(typeof message === 'string' ? message : say(message));
  }
}

export class UsageError extends OpsDocsError {
  override name = 'UsageError';
  override readonly exitCode: number = EXIT.usage;
}

export class ProviderError extends OpsDocsError {
  override name = 'ProviderError';
  override readonly exitCode: number = EXIT.provider;
}

/** What the filesystem's refusals mean, in words: shared by every place that reports one. */
export const FS_ERRORS: Record<string, { en: string; zh: string }> = {
  ENOENT: { en: 'no such file or folder', zh: '文件或目录不存在' },
  EACCES: { en: 'permission denied', zh: '权限不足' },
  EPERM: { en: 'operation not permitted', zh: '不允许的操作' },
  EROFS: { en: 'read-only file system', zh: '只读文件系统' },
  ENOSPC: { en: 'no space left on the device', zh: '磁盘空间不足' },
  EDQUOT: { en: 'disk quota exceeded', zh: '超出磁盘配额' },
  EFBIG: { en: 'file too large (a file-size limit, such as ulimit -f, is in force)', zh: '文件过大（存在文件大小限制，例如 ulimit -f）' },
  ENOTDIR: { en: 'a file stands where a folder is expected', zh: '应为目录的位置是一个文件' },
  EISDIR: { en: 'a folder stands where a file is expected', zh: '应为文件的位置是一个目录' },
  EMFILE: { en: 'too many open files', zh: '打开的文件过多' },
  EXDEV: { en: 'the file cannot be replaced by a rename', zh: '无法通过重命名替换该文件' },
  EBUSY: { en: 'the file is busy', zh: '文件正被占用' },
};
