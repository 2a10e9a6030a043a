/** The check of labelled fields, shared by section-fields (a section's fields) and section-items (each item's). */
import type { RootContent, Nodes } from 'mdast';
import type { FieldSpec, Standard } from '../standard/types.js';
import { patternSource } from '../standard/load.js';
import { findField, hasCommand, labelNames } from './model.js';
import type { DocContext } from './rule.js';
import { fill } from './rule.js';

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

/**
 * @param stem rule-id stem: `runbook-impact` → field ids `runbook-impact-risk`.
 * @param where where the fields live, for the message: "section Impact Assessment", "step S3".
 */
export function checkFields(
  ctx: DocContext,
  nodes: RootContent[],
  fields: FieldSpec[],
  stem: string,
  where: { en: string; zh: string },
  at: Nodes,
): void {
  for (const field of fields) {
    const ruleId = `${stem}-${field.id}`;
    const hit = findField(nodes, labelNames(field));
    const vars = { en: field.label.en, zh: field.label.zh, whereEn: where.en, whereZh: where.zh };
    if (!hit) {
      ctx.report(ruleId, fill({
        en: '{whereEn} lacks "{en}": add a line "**{en}:** …"',
        zh: '{whereZh}缺少“{zh}”：请添加一行“**{zh}：** …”',
      }, vars), at);
      continue;
    }
    if (field.empty === 'allowed') continue;
    const hasCode = hit.valueNodes.some((n) => hasCommand([n]) || n.type === 'code');
    if (hit.value.trim() === '' && !hasCode) {
      ctx.report(ruleId, fill({
        en: '"{en}" in {whereEn} is empty: write its value after the label',
        zh: '{whereZh}中的“{zh}”为空：请在标签后填写内容',
      }, vars), hit.node);
      continue;
    }
    if (field.command && !hit.valueNodes.some((n) => hasCommand([n]))) {
      ctx.report(ruleId, fill({
        en: '"{en}" in {whereEn} needs a fenced code block with a language (```bash … ```)',
        zh: '{whereZh}中的“{zh}”需要带语言标记的代码块（```bash … ```）',
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
