/** What the lifecycle verbs share: the --ops-dir option, finding the task, loading its standard and documents. */
import { resolve } from 'node:path';
import type { Kind, Standard } from '../standard/types.js';
import { OpsDocsError, UsageError } from '../errors.js';
import { findTask, type TaskRef } from '../workspace/task.js';
import { overrideDirOf } from '../workspace/paths.js';
import { parseTime } from '../workspace/lifecycle.js';
import type { TaskDoc } from '../workspace/task-docs.js';

export const OPS_DIR_OPTION = { 'ops-dir': { type: 'string' as const, default: 'ops' } };

export const OPS_DIR_HELP = {
  en: '  --ops-dir DIR    the ops folder (default: ./ops)',
  zh: '  --ops-dir 目录   ops 目录（默认：./ops）',
};

export function opsDirArg(v: string | undefined): string {
  return resolve(v ?? 'ops');
}

export function taskArg(positional: string | undefined, opsDir: string): TaskRef {
  if (!positional) throw new UsageError({ en: 'name the task, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28', zh: '请指明任务，例如 2025-11-10-k8s-cluster-upgrade-v1.28' });
  return findTask(positional, opsDir);
}

export async function standardFor(task: TaskRef): Promise<Standard> {
  const { loadStandard } = await import('../standard/load.js');
  return loadStandard(overrideDirOf(task.opsDir));
}

export async function docsOf(task: TaskRef): Promise<Map<Kind, TaskDoc>> {
  const { readTaskDocs } = await import('../workspace/task-docs.js');
  const docs = readTaskDocs(task);
  if (docs.size === 0) {
    throw new OpsDocsError({
      en: `${task.dir} holds none of the documents ${task.name}-<runbook|rollback|checklist|postmortem-template>.md`,
      zh: `${task.dir} 中没有任何文档 ${task.name}-<runbook|rollback|checklist|postmortem-template>.md`,
    });
  }
  return docs;
}

export function timeArg(v: string | undefined, option = '--at'): Date {
  if (v === undefined) return new Date();
  const d = parseTime(v);
  if (!d) {
    throw new UsageError({
      en: `${option} "${v.slice(0, 40)}" is not a time: use HH:MM, "YYYY-MM-DD HH:MM" or 2025-11-10T02:00+01:00`,
      zh: `${option}“${v.slice(0, 40)}”不是有效时间：请使用 HH:MM、"YYYY-MM-DD HH:MM" 或 2025-11-10T02:00+01:00`,
    });
  }
  return d;
}

export function noteArg(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > 500) throw new UsageError({ en: '--note is limited to 500 characters', zh: '--note 最多 500 个字符' });
  return v;
}
