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

/** A command block: the code without fences and its fence language. */
export interface Code {
  code: string;
  lang: string;
}

export type FieldValue = string | Code;

/** One sub-heading of an `items` section: `Step S1: …` with its command and its fields by the standard's ids. */
export interface ItemContent {
  id: string;
  title: string;
  command?: Code;
  fields: Record<string, FieldValue>;
}

/**
 * The content of one section of the standard, in the shape its `require` names: `content` a paragraph, `list`
 * lines, `fields` values by field id, `table` rows by column id, `items` sub-headings.
 */
export type SectionContent = string | string[] | Record<string, FieldValue> | Record<string, string>[] | ItemContent[];

/** Section content by `<kind>/<section id>` (`runbook/impact`): what one generic renderer writes. */
export type PlanSections = Record<string, SectionContent>;

/** The key of a section in PlanSections. */
export function sectionKey(kind: string, id: string): string {
  return `${kind}/${id}`;
}

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
  /**
   * Sections filled from data, by `<kind>/<section id>`: a model's skeleton has the sections the standard marks
   * `skeleton: true`; a playbook's plan has every section its data names.
   */
  sections: PlanSections;
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

export interface PlanRollbackStep extends SkeletonStep {
  command: string;
  lang: string;
  verification: string;
}

export interface Plan extends PlanSkeleton {
  summary: string;
  steps: PlanStep[];
  decisions: PlanDecision[];
  rollback: {
    steps: PlanRollbackStep[];
  };
}

export function totalMinutes(plan: PlanSkeleton): number {
  return plan.steps.reduce((s, x) => s + x.minutes, 0) + plan.bufferMinutes;
}

export function rollbackMinutes(plan: PlanSkeleton): number {
  return plan.rollback.steps.reduce((s, x) => s + x.minutes, 0);
}

/** One line per step, decision and rollback step: what a dry run shows. */
export function planOutline(plan: PlanSkeleton): string[] {
  return [
    ...plan.steps.map((s) => `${s.id}  ${s.title} (${s.minutes} min)`),
    ...plan.decisions.map((d) => `${d.id}  ${d.title} ← ${d.afterStep}`),
    ...plan.rollback.steps.map((s) => `${s.id}  ${s.title} (${s.minutes} min)`),
  ];
}
