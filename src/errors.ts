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
