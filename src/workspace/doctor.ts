/**
 * The health of an ops folder: the tree layout, task names, validation, and the lifecycle promises the standard
 * makes — archived within 30 days of finishing, no change left in progress for days, a checklist fully signed
 * and a postmortem written once a change is done.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Standard, Text } from '../standard/types.js';
import { taskNameProblem } from '../naming.js';
import { descendants, findSection, toText, type DocModel } from '../document/model.js';
import { fill } from '../validate/rule.js';
import { FINISHED, readDate, stateName } from './lifecycle.js';
import { checklistRows, summarize } from './summary.js';
import { listTasks, type TaskRef } from './task.js';
import { OPS_FOLDERS } from './paths.js';

/** The standard: archive within 30 days of finishing. */
export const ARCHIVE_WITHIN_DAYS = 30;
/**
 * A change window is hours long; a task still in progress two days after it started was finished or abandoned
 * without anyone saying so, and the next on-call cannot tell which.
 */
export const STALE_AFTER_HOURS = 48;

export interface DoctorFinding {
  /** The task, or '' for the layout of the ops folder itself. */
  task: string;
  path: string;
  code: string;
  message: string;
}

const DAY = 24 * 3600 * 1000;
/** What may sit at the top of an ops folder, besides the tool's own working files (locks, drafts, the trash). */
const TOP_LEVEL = /^(?:active|archive|templates|\.locks|\.drafts|\.trash|\.tmp-.*|\.gitkeep|\.gitignore|README(?:\.[a-z-]+)?\.md)$/i;

function entries(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

export interface DoctorContext {
  opsDir: string;
  standard: Standard;
  lang: 'en' | 'zh';
  now: Date;
}

export function checkLayout(ctx: DoctorContext): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const add = (path: string, code: string, msg: Text, task = '') => out.push({ task, path, code, message: msg[ctx.lang] });
  for (const need of OPS_FOLDERS) {
    if (!exists(join(ctx.opsDir, need))) {
      add(join(ctx.opsDir, need), 'layout-missing', fill({ en: 'the ops folder has no {need}/ folder: create it (ops-docs init does)', zh: 'ops 目录中没有 {need}/ 目录：请创建（ops-docs init 会创建）' }, { need }));
    }
  }
  for (const e of entries(ctx.opsDir)) {
    if (!TOP_LEVEL.test(e.name)) add(join(ctx.opsDir, e.name), 'layout-stray', { en: 'does not belong at the top of the ops folder (active/, archive/, templates/, README.md)', zh: '不应位于 ops 目录顶层（只应有 active/、archive/、templates/、README.md）' });
  }
  for (const e of entries(join(ctx.opsDir, 'active'))) {
    if (e.name.startsWith('.')) continue;
    if (!e.dir) add(join(ctx.opsDir, 'active', e.name), 'layout-stray', { en: 'a file in active/: every task is a folder', zh: 'active/ 中有文件：每个任务都应是一个目录' });
  }
  const archive = join(ctx.opsDir, 'archive');
  for (const y of entries(archive)) {
    if (y.name.startsWith('.')) continue;
    if (!y.dir || !/^\d{4}$/.test(y.name)) {
      add(join(archive, y.name), 'layout-stray', { en: 'archive/ holds only YYYY/ folders', zh: 'archive/ 下只应有 YYYY/ 目录' });
      continue;
    }
    for (const m of entries(join(archive, y.name))) {
      if (m.name.startsWith('.')) continue;
      if (!m.dir || !/^(?:0[1-9]|1[0-2])$/.test(m.name)) {
        add(join(archive, y.name, m.name), 'layout-stray', { en: 'archive/YYYY/ holds only MM/ folders (01–12)', zh: 'archive/YYYY/ 下只应有 MM/ 目录（01–12）' });
        continue;
      }
      for (const t of entries(join(archive, y.name, m.name))) {
        if (t.name.startsWith('.')) continue;
        const path = join(archive, y.name, m.name, t.name);
        if (!t.dir) {
          add(path, 'layout-stray', { en: 'archive/YYYY/MM/ holds only task folders', zh: 'archive/YYYY/MM/ 下只应有任务目录' });
        } else if (!t.name.startsWith(`${y.name}-${m.name}-`)) {
          add(path, 'archive-misplaced', fill({ en: 'archived under {y}/{m}/ but its name does not start with {y}-{m}-: move it to the month of its date', zh: '归档在 {y}/{m}/ 下，但名称不以 {y}-{m}- 开头：请移到其日期所在的月份' }, { y: y.name, m: m.name }), t.name);
        }
      }
    }
  }
  return out;
}

/** Blocks of a section that hold something other than a placeholder, a bare label or the standard's guidance. */
function filledBlocks(model: DocModel, sectionId: string, standard: Standard): number | undefined {
  const spec = standard.docs['postmortem-template'].sections.find((s) => s.id === sectionId);
  const section = spec && findSection(model, spec);
  if (!spec || !section) return undefined;
  const placeholder = new RegExp(standard.common.placeholders.pattern, 'u');
  const guidance = new Set([spec.guidance.en, spec.guidance.zh].map((g) => g.trim()).filter(Boolean));
  let filled = 0;
  for (const n of descendants(section.nodes)) {
    if (n.type === 'code') {
      filled++;
      continue;
    }
    if (n.type !== 'paragraph' && n.type !== 'tableCell') continue;
    if (n.type === 'tableCell' && section.nodes.some((t) => t.type === 'table' && t.children[0]?.children.includes(n))) continue;
    const text = toText(n).replace(/^[^:：]{1,60}[:：]\s*/u, (label) => (n.type === 'paragraph' && n.children[0]?.type === 'strong' ? '' : label)).trim();
    if (text && !placeholder.test(text) && !guidance.has(text)) filled++;
  }
  return filled;
}

/** The postmortem sections that must be written once a change is over, still blank as the template left them. */
export function blankPostmortemSections(model: DocModel, standard: Standard): string[] {
  const blank: string[] = [];
  for (const section of standard.docs['postmortem-template'].sections.filter((s) => s.afterChange)) {
    if (filledBlocks(model, section.id, standard) === 0) blank.push(section.title[model.lang]);
  }
  return blank;
}

export async function checkTask(task: TaskRef, ctx: DoctorContext): Promise<DoctorFinding[]> {
  const out: DoctorFinding[] = [];
  const add = (code: string, msg: Text, path = task.dir) => out.push({ task: task.name, path, code, message: msg[ctx.lang] });
  const problem = taskNameProblem(task.name, ctx.standard.common.taskName);
  if (problem) add('task-name', { en: `${problem.message}`, zh: `任务名不符合 [日期]-[系统]-[操作类型]-[简要描述] 规范（小写 ASCII），例如 2025-11-10-k8s-cluster-upgrade-v1.28` });
  const { summary, docs, findings } = await summarize(task, ctx.standard);
  if (Object.keys(task.files).length === 0) {
    add('invalid', fill({
      en: 'the task folder holds none of its documents ({task}-runbook.md, -rollback.md, -checklist.md, -postmortem-template.md)',
      zh: '任务目录中没有任何文档（{task}-runbook.md、-rollback.md、-checklist.md、-postmortem-template.md）',
    }, { task: task.name }));
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    const f = errors[0]!;
    add('invalid', fill({
      en: '{n} validation error(s), first: {file}:{line} {msg} ({rule}); run ops-docs validate {dir}',
      zh: '{n} 个校验错误，第一个：{file}:{line} {msg}（{rule}）；请运行 ops-docs validate {dir}',
    }, { n: errors.length, file: relative(task.dir, f.file) || f.file, line: f.line, msg: f.message, rule: f.ruleId, dir: relative(process.cwd(), task.dir) || task.dir }));
  }
  if (summary.mismatched.length) {
    add('status-mismatch', fill({
      en: 'the documents disagree about the status (the checklist says {s}; {kinds} differ): run ops-docs status {task} {s} to bring them in line',
      zh: '各文档的状态不一致（检查清单为{state}；{kinds} 不同）：运行 ops-docs status {task} {s} 使其一致',
    }, { s: summary.status ?? '?', state: stateName(summary.status, ctx.lang), kinds: summary.mismatched.join(', '), task: task.name }));
  }
  const status = summary.status;
  const now = ctx.now.getTime();
  if (status && FINISHED.includes(status) && task.location === 'active') {
    const finished = readDate(summary.finished) ?? readDate(task.name.slice(0, 10));
    if (finished && now - finished.getTime() > ARCHIVE_WITHIN_DAYS * DAY) {
      const days = Math.floor((now - finished.getTime()) / DAY);
      add('archive-overdue', fill({
        en: '{status} {days} days ago and not archived (the standard: within {limit} days): run ops-docs archive {task}',
        zh: '{days} 天前已结束（{state}），仍未归档（标准要求 {limit} 天内归档）：请运行 ops-docs archive {task}',
      }, { status, state: stateName(status, ctx.lang), days, limit: ARCHIVE_WITHIN_DAYS, task: task.name }));
    }
  }
  if (status === 'in-progress') {
    const started = readDate(summary.started) ?? readDate(task.name.slice(0, 10));
    if (started && now - started.getTime() > STALE_AFTER_HOURS * 3600 * 1000) {
      const hours = Math.floor((now - started.getTime()) / 3600 / 1000);
      add('stale', fill({
        en: 'in-progress for {hours} hours (more than {limit}): record how it ended with ops-docs status {task} done | rolled-back | cancelled',
        zh: '已执行 {hours} 小时（超过 {limit} 小时）：请用 ops-docs status {task} done | rolled-back | cancelled 记录其结果',
      }, { hours, limit: STALE_AFTER_HOURS, task: task.name }));
    }
  }
  if (status === 'done') {
    const checklist = docs.get('checklist');
    if (checklist) {
      const { unsigned } = checklistRows(checklist.model, ctx.standard);
      if (unsigned.length) {
        const rows = unsigned.slice(0, 5).map((u) => `${u.section}: ${u.row}`).join('; ') + (unsigned.length > 5 ? '; …' : '');
        add('unsigned', fill({
          en: 'done, but {n} checklist row(s) have no signer ({rows}): sign them (ops-docs record) or note why not',
          zh: '已完成，但检查清单有 {n} 行没有签字（{rows}）：请签字（ops-docs record）或注明原因',
        }, { n: unsigned.length, rows }), checklist.path);
      }
    }
  }
  if (status === 'done' || status === 'rolled-back') {
    const pm = docs.get('postmortem-template');
    if (pm) {
      const blank = blankPostmortemSections(pm.model, ctx.standard);
      if (blank.length) {
        add('postmortem-unwritten', fill({
          en: '{status}, but the postmortem still has blank sections as the template left them: {sections}',
          zh: '状态为{state}，但事后总结中仍有保持模板原样的空白章节：{sections}',
        }, { status, state: stateName(status, ctx.lang), sections: blank.join(', ') }), pm.path);
      }
    }
  }
  return out;
}

export async function doctor(ctx: DoctorContext): Promise<{ findings: DoctorFinding[]; tasks: number }> {
  const findings = checkLayout(ctx);
  const tasks = listTasks(ctx.opsDir, 'all');
  for (const t of tasks) findings.push(...(await checkTask(t, ctx)));
  return { findings, tasks: tasks.length };
}
