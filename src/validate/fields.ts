/** The check of labelled fields, shared by section-fields (a section's fields) and section-items (each item's). */
import type { RootContent, Nodes } from 'mdast';
import type { FieldSpec, Standard } from '../standard/types.js';
import { patternSource } from '../standard/load.js';
import { findField, hasCommand, itemField, labelNames, type FieldHit, type FieldOptions, type Item } from '../document/model.js';
import type { DocContext } from './rule.js';
import { alsoKnownAs, fill } from './rule.js';

const regexCache = new Map<string, RegExp>();
export function valueRegex(standard: Standard, pattern: string): RegExp {
  const src = patternSource(standard, pattern);
  let re = regexCache.get(src);
  if (!re) {
    re = new RegExp(src, 'iu');
    regexCache.set(src, re);
  }
  return re;
}

/** How a value pattern reads to a person: common.yaml's `hints`, else the pattern itself. */
export function matchHint(standard: Standard, name: string): { en: string; zh: string } {
  return standard.common.hints?.[name] ?? { en: `text matching /${name}/`, zh: `符合 /${name}/ 的内容` };
}

/** How a field may be found: by label, and for `sentence: true` fields also in a sentence with a matching value. */
export function fieldOptions(standard: Standard, field: FieldSpec): FieldOptions {
  if (!field.sentence || !field.match) return {};
  return {
    sentence: {
      words: [field.label.en, field.label.zh, ...field.aliases.en, ...field.aliases.zh],
      value: valueRegex(standard, field.match.pattern),
    },
  };
}

/** A field among the given nodes, or of an item (a heading's content, or a table row's cells). */
export function locateField(standard: Standard, where: RootContent[] | Item, field: FieldSpec): FieldHit | undefined {
  const options = fieldOptions(standard, field);
  return Array.isArray(where) ? findField(where, labelNames(field), options) : itemField(where, labelNames(field), options);
}

/**
 * @param stem rule-id stem: `runbook-impact` → field ids `runbook-impact-risk`.
 * @param where where the fields live, for the message: "section Impact Assessment", "step S3".
 */
export function checkFields(
  ctx: DocContext,
  nodes: RootContent[] | Item,
  fields: FieldSpec[],
  stem: string,
  where: { en: string; zh: string },
  at: Nodes,
): void {
  const output = ctx.standard.common.outputLanguages;
  for (const field of fields) {
    const ruleId = `${stem}-${field.id}`;
    const hit = locateField(ctx.standard, nodes, field);
    const aka = alsoKnownAs(field.label, field.aliases);
    const vars = { en: field.label.en, zh: field.label.zh, whereEn: where.en, whereZh: where.zh, akaEn: aka.en, akaZh: aka.zh };
    if (!hit) {
      ctx.report(ruleId, fill({
        en: '{whereEn} lacks "{en}"{akaEn}: add a line "**{en}:** …"',
        zh: '{whereZh}缺少“{zh}”{akaZh}：请添加一行“**{zh}：** …”',
      }, vars), at);
      continue;
    }
    if (field.empty === 'allowed') continue;
    const hasCode = hit.valueNodes.some((n) => hasCommand([n], output));
    if (hit.value.trim() === '' && !hasCode) {
      ctx.report(ruleId, fill({
        en: '"{en}" in {whereEn} is empty: write its value after the label',
        zh: '{whereZh}中的“{zh}”为空：请在标签后填写内容',
      }, vars), hit.node);
      continue;
    }
    if (field.command && !hasCode) {
      ctx.report(ruleId, fill({
        en: '"{en}" in {whereEn} needs a fenced code block with a language (```bash … ```); a `text`/`console` block is output, not a command',
        zh: '{whereZh}中的“{zh}”需要带语言标记的代码块（```bash … ```）；`text`/`console` 代码块是输出，不是命令',
      }, vars), hit.node);
    }
    if (field.match && !valueRegex(ctx.standard, field.match.pattern).test(hit.value)) {
      const hint = matchHint(ctx.standard, field.match.name ?? field.match.pattern);
      ctx.report(ruleId, fill({
        en: '"{en}" in {whereEn} should be {hintEn}',
        zh: '{whereZh}中的“{zh}”应为{hintZh}',
      }, { ...vars, hintEn: hint.en, hintZh: hint.zh }), hit.node);
    }
  }
}
