import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Where the ops folder and a team's standard are: the standard's to know (standard/locate.ts), used here too. */
export { opsDirOf, overrideDirOf } from '../standard/locate.js';

/** The folders every ops folder has: tasks in flight, and finished ones (doctor reports either one missing). */
export const OPS_FOLDERS = ['active', 'archive'] as const;

/** Kernel and device trees: folders there are not storage (reads never end, writes go to the kernel). */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];

/**
 * Refuse an ops folder or init target inside /proc, /sys or /dev (where a walk can spin forever), judged on the
 * real path, so a link to one of them is refused too. `what` names the option in the message.
 */
export function refuseSystemFolder(path: string, what: string): void {
  let real = resolve(path);
  // The nearest part of the path that exists, resolved through links; the rest is appended as given.
  for (let probe = real, rest = ''; ; ) {
    try {
      real = join(realpathSync(probe), rest);
      break;
    } catch {
      const up = dirname(probe);
      if (up === probe) break;
      rest = join(basename(probe), rest);
      probe = up;
    }
  }
  const tree = SYSTEM_TREES.find((t) => real === t || real.startsWith(`${t}/`));
  if (tree) {
    throw new UsageError({
      en: `${what} ${path}: ${tree} is a system folder of the kernel, not storage; choose a folder in your repository`,
      zh: `${what} ${path}：${tree} 是内核的系统目录，不能存放文件；请选择仓库中的目录`,
    });
  }
}
