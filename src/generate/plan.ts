/**
 * The plan: one structured description of a change from which all four documents are written, so that they
 * agree (same step ids, same Go/No-Go points, same timings). Offline it comes from a playbook; with a model it is
 * the model's first, structured answer. Every string is already in the document language.
 */
import type { Lang } from '../standard/types.js';

export interface PlanStep {
  /** S1, S2 … in order. */
  id: string;
  title: string;
  /** The executable command(s), without fences. */
  command: string;
  /** The fence language: bash, sql, yaml … */
  lang: string;
  verification: string;
  expectedOutput: string;
  onError: string;
  minutes: number;
}

export interface PlanDecision {
  /** G1, G2 … */
  id: string;
  title: string;
  /** The step this decision comes after (the point of no return it guards). */
  afterStep: string;
  criteria: string;
  noGoAction: string;
  owner: string;
}

export interface PlanMetric {
  name: string;
  threshold: string;
  source: string;
}

export interface PlanRollbackStep {
  /** R1, R2 … */
  id: string;
  title: string;
  command: string;
  lang: string;
  verification: string;
  minutes: number;
}

export interface Plan {
  task: string;
  lang: Lang;
  /** Human title: "Kubernetes cluster upgrade to v1.28". */
  title: string;
  system: string;
  operation: string;
  created: string;
  summary: string;
  impact: { services: string; users: string; downtime: string; risk: string };
  prerequisites: string[];
  steps: PlanStep[];
  decisions: PlanDecision[];
  metrics: PlanMetric[];
  /** Buffer and window for the total estimate. */
  bufferMinutes: number;
  windowMinutes?: number;
  rollback: {
    triggers: string[];
    steps: PlanRollbackStep[];
    dataRecovery: { backupSource: string; restoreCommand: string; restoreLang: string; lossWindow: string };
    verification: string[];
  };
  postChecks: string[];
}

export function totalMinutes(plan: Plan): number {
  return plan.steps.reduce((s, x) => s + x.minutes, 0) + plan.bufferMinutes;
}

export function rollbackMinutes(plan: Plan): number {
  return plan.rollback.steps.reduce((s, x) => s + x.minutes, 0);
}
