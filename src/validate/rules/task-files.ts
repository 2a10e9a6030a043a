/**
 * task-files — a task is one folder holding exactly its four documents, each named `<task>-<kind>.md`, the
 * folder named after the task, the task name following `[date]-[system]-[operation]-[short-desc]`.
 *
 * Rule ids: `task-files` (a document of the set is missing; reported once, on the first document present),
 * `task-file-name` (a file or folder name does not match the frontmatter's task and kind), `task-name` (the
 * name breaks the convention).
 *
 * Passes: `ops/active/2025-11-10-k8s-cluster-upgrade-v1.28/` holding `2025-11-10-k8s-cluster-upgrade-v1.28-runbook.md`,
 *         `…-rollback.md`, `…-checklist.md`, `…-postmortem-template.md`.
 * Fails (`task-files`): the same folder without the rollback plan.
 * Fails (`task-name`): a folder named `k8s upgrade`.
 */
import { defineTaskRule, fill } from '../rule.js';
import { KINDS } from '../../standard/types.js';
import { taskNameProblem } from '../../naming.js';
import { documentFileName } from '../../standard/files.js';

export const taskFiles = defineTaskRule({ origin: 'ops-docs:task-files', ids: () => ['task-files', 'task-file-name', 'task-name'] }, ({ task, docs, files, report, standard }) => {
  {
    const first = KINDS.map((k) => docs.get(k)).find(Boolean);
    const anchor = first ?? files[0];
    if (!anchor) return;
    const problem = taskNameProblem(task, standard.common.taskName);
    if (problem) {
      report(anchor, 'task-name', fill({
        en: '{message}: rename the task folder and its files',
        zh: '{messageZh}：请重命名任务目录及其文件',
      }, { message: problem.message, messageZh: problem.zh, task }));
    }
    // Under a folder that is not a task name, every file name would "mismatch" too: one finding says it all.
    for (const kind of KINDS) {
      // A file that is there but unreadable has its own finding (document-readable); it is not missing.
      if (docs.has(kind) || files.some((f) => f.endsWith(documentFileName('', kind, standard)))) continue;
      const expected = documentFileName(task, kind, standard);
      report(anchor, 'task-files', fill({
        en: 'the task has no {kind} document: add {file}',
        zh: '任务缺少 {kind} 文档：请添加 {file}',
      }, { kind, file: expected }));
    }
    if (problem) return;
    for (const [kind, doc] of docs) {
      const base = doc.path.split(/[\\/]/).pop() ?? '';
      const fmTask = doc.frontmatter.data?.task;
      if (base !== documentFileName(task, kind, standard)) {
        report(doc, 'task-file-name', fill({
          en: 'file is named {base}; a {kind} of task {task} must be named {file}',
          zh: '文件名为 {base}；任务 {task} 的 {kind} 文档应命名为 {file}',
        }, { base, kind, task, file: documentFileName(task, kind, standard) }));
      }
      if (typeof fmTask === 'string' && fmTask !== task) {
        report(doc, 'task-file-name', fill({
          en: 'frontmatter task is {fm} but the document is filed under {task}: make them the same',
          zh: 'frontmatter 中的 task 为 {fm}，但文档位于 {task} 下：请保持一致',
        }, { fm: fmTask, task }), doc.frontmatter.node);
      }
    }
  }
});
