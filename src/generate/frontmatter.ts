/**
 * The one frontmatter writer, for the offline renderer and the model's drafts alike: the task, kind and date are
 * ours, never a model's guess, and `request:` keeps the description as the user gave it, so that the review rules
 * can check that its names reach the commands.
 */
import type { Kind } from '../standard/types.js';
import type { PlanSkeleton } from './plan.js';

/** The fields every document gets, in order, when the standard in use does not say otherwise. */
const FIELDS = ['task', 'kind', 'language', 'system', 'operation', 'status', 'created'];

/**
 * A YAML scalar for a value: plain when it reads back as the same string (the validator's fast path reads such
 * lines without a YAML parser), else double-quoted — JSON strings are YAML 1.2 double-quoted scalars.
 */
export function yamlScalar(value: string): string {
  const plain = /^[^\s'"[\]{}#&*!|>%@`,?:-][^#\n]*$/.test(value) && !/:\s|:$|\s#|\s$|\t/.test(value)
    && !/^(?:true|false|null|~|yes|no|on|off)$/i.test(value) && !/^[-+]?[\d.]/.test(value);
  return plain ? value : JSON.stringify(value);
}

/** The frontmatter block of a document, with `TODO` for a required field the plan does not know. */
export function frontmatter(plan: PlanSkeleton, kind: Kind, required: readonly string[] = FIELDS): string {
  const known: Record<string, string> = {
    task: plan.task, kind, language: plan.lang, system: plan.system, operation: plan.operation, status: 'planned', created: plan.created,
  };
  const lines = ['---', ...required.map((k) => `${k}: ${known[k] ?? 'TODO'}`)];
  if (plan.request !== undefined && !required.includes('request')) lines.push(`request: ${yamlScalar(plan.request.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())}`);
  return [...lines, '---', ''].join('\n');
}
