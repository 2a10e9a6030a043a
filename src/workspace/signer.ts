/** Who is acting: `--by`, else git's user.name, else the login name. Names are checked: they go into files. */
import { execFileSync } from 'node:child_process';
import { UsageError } from '../errors.js';

export function checkName(name: string, option = '--by'): string {
  const n = name.trim();
  // eslint-disable-next-line no-control-regex
  if (!n || n.length > 80 || /[\u0000-\u001f\u007f]/.test(n)) {
    throw new UsageError({
      en: `${option} must be a name of 1–80 characters on one line`,
      zh: `${option} 必须是单行、1–80 个字符的名字`,
    });
  }
  return n;
}

export function resolveSigner(by: string | undefined, cwd: string): string {
  if (by !== undefined) return checkName(by);
  try {
    const git = execFileSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    if (git) return checkName(git);
  } catch {
    // no git, or no user.name: fall through to the login name
  }
  const user = process.env.USER ?? process.env.USERNAME ?? process.env.LOGNAME;
  if (user) return checkName(user);
  throw new UsageError({ en: 'say who is acting with --by NAME', zh: '请用 --by 姓名 指明操作人' });
}
