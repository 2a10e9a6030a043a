/**
 * required-sections — every section the standard mandates for the document's kind is present, under its title
 * or one of its synonyms in either language, and is not empty. In a template (`placeholders: allowed`) a blank
 * line to write on (`____`) is content: the section is there to be filled after the change.
 *
 * Rule id: `<kind>-<section>`, e.g. `runbook-summary`, `rollback-data-recovery`, `checklist-sign-off`.
 *
 * Passes:
 *   ## 1. Overview
 *   Upgrade prod-eu-1 to v1.29 in the Tuesday window; platform on-call executes.
 * Fails (`runbook-summary`):
 *   ## 1. Overview
 */
import { toText } from '../../document/model.js';
import { alsoKnownAs, defineRule, fill } from '../rule.js';
import { findSection } from '../../document/model.js';

export const requiredSections = defineRule({
  origin: 'ops-docs:required-sections',
  ids: (standard) => Object.values(standard.docs).flatMap((d) => d.sections.map((s) => `${d.kind}-${s.id}`)),
}, (ctx) => {
  const { model, spec, report } = ctx;
  if (!spec) return;
  for (const section of spec.sections) {
    const found = findSection(model, section);
    if (!found) {
      const aka = alsoKnownAs(section.title, section.aliases);
      report(`${spec.kind}-${section.id}`, fill({
        en: 'missing section "{en}"{akaEn}: add a "## {en}" heading',
        zh: '缺少章节“{zh}”{akaZh}：请添加“## {zh}”标题',
      }, { en: section.title.en, zh: section.title.zh, akaEn: aka.en, akaZh: aka.zh }));
      continue;
    }
    // Structured sections (fields, items, table, list) are checked by their own rules, which say what is missing.
    if (section.require !== 'content') continue;
    const body = found.nodes.filter((n) => n.type !== 'html' || !/^<!--[\s\S]*-->$/.test(n.value.trim()));
    const blank = spec.placeholders === 'allowed' && body.some((n) => n.type === 'thematicBreak');
    if (toText(body) === '' && !blank && !body.some((n) => n.type === 'code' || n.type === 'table')) {
      report(`${spec.kind}-${section.id}`, fill({
        en: 'section "{title}" is empty: write its content under the heading',
        zh: '章节“{title}”为空：请在标题下填写内容',
      }, { title: found.title }), found.heading);
    }
  }
});
