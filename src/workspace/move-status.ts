/** Move a task to a new state: check the move, stamp who and when into every document's frontmatter, write. */
import { basename, dirname } from 'node:path';
import type { Kind, Standard, Status } from '../standard/types.js';
import { OpsDocsError } from '../errors.js';
import { allowedMoves, checkMove, isoDate, isoMinute, STAMP, stateName } from './lifecycle.js';
import { editFrontmatter, yamlString, type FrontmatterChange } from './frontmatter-edit.js';
import { commitEdits, type Edit, type TaskDoc } from './task-docs.js';

export interface MoveRequest {
  from: Status | undefined;
  to: Status;
  by: string;
  at: Date;
  note?: string;
  force?: boolean;
  /** --force overrode a guard of the move itself (done although a step failed): the history says so. */
  overrides?: boolean;
  /** The documents disagree about the status (an interrupted earlier move). */
  mismatched?: boolean;
}

export class RefusedMove extends OpsDocsError {}

function list(s: Status[]): string {
  return s.length ? s.join(', ') : '—';
}

export function historyLine(at: Date, what: string, by: string, note?: string): string {
  return `${isoMinute(at)} ${what} by ${by}${note ? `: ${note.replace(/\s+/g, ' ').trim()}` : ''}`;
}

export function moveTask(docs: Map<Kind, TaskDoc>, standard: Standard, req: MoveRequest): 'moved' | 'synced' {
  const { from, to } = req;
  if (from === undefined) {
    if (!req.force) {
      throw new RefusedMove({
        en: `the task's documents have no valid status in their frontmatter: fix it by hand, or --force to set ${to}`,
        zh: `任务文档的 frontmatter 中没有有效的 status：请手动修正，或使用 --force 设为 ${to}`,
      });
    }
  } else if (from === to) {
    if (!req.mismatched) {
      throw new RefusedMove({ en: `the task is already ${to}`, zh: `任务的状态已是${stateName(to, 'zh')}` });
    }
    // Finish an interrupted move: the canonical checklist already says `to`; bring the others in line.
    commitEdits([...docs.values()].map((doc) => ({ doc, text: editFrontmatter(doc.path, doc.text, { set: { status: to } }) })), standard);
    return 'synced';
  } else {
    const check = checkMove(from, to);
    if (!check.ok && !(check.forcible && req.force)) {
      if (check.forcible) {
        const task = basename(dirname([...docs.values()][0]?.path ?? '<task>/x'));
        throw new RefusedMove({
          en: `the change has not been approved: run ops-docs status ${task} approved --by NAME first, or --force to start it anyway`,
          zh: `该变更尚未审批：请先运行 ops-docs status ${task} approved --by 姓名，或使用 --force 强制开始`,
        });
      }
      throw new RefusedMove({
        en: `cannot move a task from ${from} to ${to}; from ${from} it can go to: ${list(allowedMoves(from))}`,
        zh: `任务不能从${stateName(from, 'zh')}变更为${stateName(to, 'zh')}；从${stateName(from, 'zh')}只能变更为：${allowedMoves(from).join('、') || '—'}`,
      });
    }
  }
  const set: Record<string, string> = { status: to };
  const stamp = STAMP[to];
  if (stamp === 'approved') {
    set.approved = isoDate(req.at);
    set.approved_by = yamlString(req.by);
  } else if (stamp) {
    set[stamp] = isoMinute(req.at);
  }
  const forced = req.force && (req.overrides || (from !== undefined && !checkMove(from, to).ok)) ? ' (forced)' : '';
  const change: FrontmatterChange = { set, append: { history: [historyLine(req.at, to + forced, req.by, req.note)] } };
  const edits: Edit[] = [...docs.values()].map((doc) => ({ doc, text: editFrontmatter(doc.path, doc.text, change) }));
  commitEdits(edits, standard);
  return 'moved';
}
