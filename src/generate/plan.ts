/**
 * The plan: one structured description of a change from which all four documents are written, so that they
 * agree (same step ids, same Go/No-Go points, same timings). Offline it comes from a playbook; with a model it is
 * the model's first, structured answer. Every string is already in the document language.
 *
 * Two layers. The skeleton is what the documents must agree on — ids, titles, minutes, the Go/No-Go points and
 * who decides them, the checks that open and close the change — and is all the checklist and the postmortem
 * template need, so they can be rendered from it without a model. The full plan adds what only the runbook and
 * the rollback plan carry (commands, verifications, expected outputs, metrics, data recovery).
 */
import type { Lang } from '../standard/types.js';

export interface SkeletonStep {
  /** S1, S2 … (R1, R2 … for rollback steps) in order. */
  id: string;
  title: string;
  minutes: number;
}

export interface SkeletonDecision {
  /** G1, G2 … */
  id: string;
  title: string;
  /** The step this decision comes after (the point of no return it guards). */
  afterStep: string;
  /** The role that decides. */
  owner: string;
}

export interface PlanSkeleton {
  task: string;
  lang: Lang;
  /** Human title: "Kubernetes cluster upgrade to v1.28". */
  title: string;
  system: string;
  operation: string;
  created: string;
  /** The description as the user gave it (frontmatter `request:`). */
  request?: string;
  impact: { services: string; users: string; downtime: string; risk: string };
  prerequisites: string[];
  steps: SkeletonStep[];
  decisions: SkeletonDecision[];
  /** Buffer and window for the total estimate. */
  bufferMinutes: number;
  windowMinutes?: number;
  rollback: { steps: SkeletonStep[] };
  postChecks: string[];
  /**
   * Names and values the runbook and the rollback plan, written side by side, must both use as they are
   * (versions, hosts, the backup location …). Only a model's skeleton has them; a playbook's plan has the commands.
   */
  facts?: string[];
}

export interface PlanStep extends SkeletonStep {
  /** The executable command(s), without fences. */
  command: string;
  /** The fence language: bash, sql, yaml … */
  lang: string;
  verification: string;
  expectedOutput: string;
  onError: string;
}

export interface PlanDecision extends SkeletonDecision {
  criteria: string;
  noGoAction: string;
}

export interface PlanMetric {
  name: string;
  threshold: string;
  source: string;
}

export interface PlanRollbackStep extends SkeletonStep {
  command: string;
  lang: string;
  verification: string;
}

export interface Plan extends PlanSkeleton {
  summary: string;
  steps: PlanStep[];
  decisions: PlanDecision[];
  metrics: PlanMetric[];
  rollback: {
    triggers: string[];
    steps: PlanRollbackStep[];
    dataRecovery: { backupSource: string; restoreCommand: string; restoreLang: string; lossWindow: string };
    verification: string[];
  };
}

export function totalMinutes(plan: PlanSkeleton): number {
  return plan.steps.reduce((s, x) => s + x.minutes, 0) + plan.bufferMinutes;
}

export function rollbackMinutes(plan: PlanSkeleton): number {
  return plan.rollback.steps.reduce((s, x) => s + x.minutes, 0);
}
