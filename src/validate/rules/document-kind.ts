/**
 * document-kind — a document says what it is, by its file name (`<task>-runbook.md`) or its frontmatter `kind`,
 * so that the right standard is applied to it.
 *
 * Rule id: `document-kind`.
 *
 * Passes: `2025-11-10-k8s-cluster-upgrade-v1.28-runbook.md`; any file with `kind: rollback` in its frontmatter.
 * Fails (`document-kind`): `notes.md` without a `kind`.
 */
import { defineRule } from '../rule.js';

export const documentKind = defineRule({ origin: 'ops-docs:document-kind', ids: () => ['document-kind'] }, ({ model, report }) => {
  {
    if (model.kind) return;
    report('document-kind', {
      en: 'cannot tell which document this is: name it <task>-<kind>.md or set kind: runbook | rollback | checklist | postmortem-template',
      zh: '无法判断文档类型：请命名为 <task>-<kind>.md，或在 frontmatter 中设置 kind: runbook | rollback | checklist | postmortem-template',
    });
  }
});
