/**
 * required-sections — every section the standard mandates for the document's kind is present, under its title
 * or one of its aliases in either language, and is not empty.
 *
 * Rule id: `<kind>-<section>`, e.g. `runbook-summary`, `rollback-data-recovery`, `checklist-sign-off`.
 *
 * Passes: `## Executive Summary` followed by a paragraph; `## 执行概要` followed by a paragraph;
 *         `## 1. Summary` (numbering and case do not matter).
 * Fails (`runbook-summary`): a runbook with no such heading, or with the heading and nothing under it.
 */
import type { DocRule } from '../rule.js';
import { fill } from '../rule.js';
import { findSection, toText } from '../../document/model.js';

export const requiredSections: DocRule = {
  name: 'required-sections',
  scope: 'document',
  check({ model, spec, report }) {
    if (!spec) return;
    for (const section of spec.sections) {
      const found = findSection(model, section);
      const vars = { en: section.title.en, zh: section.title.zh, kind: spec.kind };
      if (!found) {
        report(`${spec.kind}-${section.id}`, fill({
          en: 'missing section "{en}": add a "## {en}" heading (or "## {zh}")',
          zh: '缺少章节“{zh}”：请添加“## {zh}”标题（或“## {en}”）',
        }, vars));
        continue;
      }
      // Structured sections (fields, items, table, list) are checked by their own rules, which say what is missing.
      if (section.require !== 'content') continue;
      const body = found.nodes.filter((n) => n.type !== 'html' || !/^<!--[\s\S]*-->$/.test(n.value.trim()));
      if (toText(body) === '' && !body.some((n) => n.type === 'code' || n.type === 'table')) {
        report(`${spec.kind}-${section.id}`, fill({
          en: 'section "{title}" is empty: write its content under the heading',
          zh: '章节“{title}”为空：请在标题下填写内容',
        }, { title: found.title }), found.heading);
      }
    }
  },
};
