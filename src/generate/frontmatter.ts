/**
 * The frontmatter of a generated document — the one writer, for rendered documents and a model's drafts alike:
 * the keys common.yaml requires, in its order, with the values the plan knows (a model never writes them).
 */
import type { Kind, Standard } from '../standard/types.js';
import type { PlanSkeleton } from './plan.js';

export function frontmatterLines(plan: PlanSkeleton, kind: Kind, standard: Standard): string[] {
  const known: Record<string, string> = {
    task: plan.task, kind, language: plan.lang, system: plan.system, operation: plan.operation, status: 'planned', created: plan.created,
  };
  return ['---', ...standard.common.frontmatter.required.map((k) => `${k}: ${known[k] ?? 'TODO'}`), '---'];
}
