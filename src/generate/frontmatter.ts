/**
 * The frontmatter of a generated document — the one writer, for rendered documents and a model's drafts alike:
 * the keys common.yaml requires, in its order, with the values the plan knows (a model never writes them), and
 * `request:` keeping the description as the user gave it, so that the review rules can check that its names reach
 * the commands.
 */
import type { Kind, Standard } from '../standard/types.js';
import type { PlanSkeleton } from './plan.js';

/**
 * A YAML scalar for a value: plain when it reads back as the same string (the validator's fast path reads such
 * lines without a YAML parser), else double-quoted — JSON strings are YAML 1.2 double-quoted scalars.
 */
export function yamlScalar(value: string): string {
  const plain = /^[^\s'"[\]{}#&*!|>%@`,?:-][^#\n]*$/.test(value) && !/:\s|:$|\s#|\s$|\t/.test(value)
    && !/^(?:true|false|null|~|yes|no|on|off)$/i.test(value) && !/^[-+]?[\d.]/.test(value);
  return plain ? value : JSON.stringify(value);
}

export function frontmatterLines(plan: PlanSkeleton, kind: Kind, standard: Standard): string[] {
  const known: Record<string, string> = {
    task: plan.task, kind, language: plan.lang, system: plan.system, operation: plan.operation, status: 'planned', created: plan.created,
  };
  const required = standard.common.frontmatter.required;
  const lines = ['---', ...required.map((k) => `${k}: ${known[k] ?? 'TODO'}`)];
  if (plan.request !== undefined && !required.includes('request')) lines.push(`request: ${yamlScalar(plan.request.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())}`);
  return [...lines, '---'];
}
