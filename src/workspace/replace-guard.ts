/** Whether `new` may write a task where one of the same name already is. */
import { OpsDocsError } from '../errors.js';
import { existingStatus, findExistingTask, refuseReplacingArchived, TaskExistsError } from './task-writer.js';

/**
 * The guard `new` passes before any work (and any model call): a task of the same name is replaced only with
 * --force, and a change being carried out never — it is the record of what is happening now.
 */
export function refuseReplacing(opsDir: string, task: string, force: boolean, shown: (path: string) => string): void {
  const existing = findExistingTask(opsDir, task);
  if (existing[0] && !force) throw new TaskExistsError(existing[0], opsDir);
  for (const dir of existing) {
    refuseReplacingArchived(opsDir, dir);
    if (existingStatus(opsDir, dir) === 'in-progress') {
      throw new OpsDocsError({
        en: `task ${shown(dir)} is in progress: a running change is never replaced, even with --force; finish, roll back or cancel it first (ops-docs status ${task} done|rolled-back|cancelled), or choose another --name`,
        zh: `任务 ${shown(dir)} 正在执行：即使使用 --force 也不会替换执行中的变更；请先完成、回滚或取消（ops-docs status ${task} done|rolled-back|cancelled），或用 --name 另取名称`,
      });
    }
  }
}
