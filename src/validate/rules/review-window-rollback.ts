/**
 * review-window-rollback — a No-Go at the last decision point still leaves room to roll back inside the window.
 * A change board asks it of every plan with a window: if the last Go/No-Go says No-Go, the rollback starts there,
 * so the time the steps before that point take plus the rollback plan's total must fit the stated window. The
 * point is where the decision point places itself (`after S5`, `before S6`, `步骤 5 之后`); the rollback's time is
 * its stated total, or the sum of its steps when it states none. Nothing is checked when the runbook states no
 * window, no decision point is placed, or a step before the point has no time that can be added (`15 min per
 * node`).
 *
 * Objective — an error under --strict — because it is arithmetic on the documents' own numbers, like
 * `review-window`: the window, the step times and the rollback total are what the runbook and the rollback plan
 * state, and a rollback that ends after the window is the plan telling the board it will overrun if it fails.
 * The remedy is in the message: move the decision earlier, shorten the rollback or ask for a wider window.
 *
 * Rule id: `review-window-rollback`.
 *
 * Passes: `inside the 240 min window`, G3 `(after S5)` with S1–S5 taking 140 min, a 45 min rollback (ends at 185 min).
 * Fails (`review-window-rollback`): the same plan `inside the 180 min window` (the rollback ends at 185 min).
 * Passes: `在 180 分钟变更窗口内`，G3（S5 之后）前各步共 120 分钟，回滚 55 分钟（第 175 分钟结束）。
 * Fails (`review-window-rollback`): 同一计划写 `在 170 分钟变更窗口内`（回滚在第 175 分钟结束）。
 * (Task folders — the offline EKS and kubeadm plans: test/review.test.ts runs these.)
 */
import { toText } from '../../document/model.js';
import { defineTaskRule, fill } from '../rule.js';
import { fmt, itemsOfSection, readTime, reviewIds, reviewSeverity, stepsOf } from '../review.js';
import { guardedStep } from './review-gates.js';

export const reviewWindowRollback = defineTaskRule({
  origin: 'ops-docs:review-window-rollback',
  ids: (standard) => reviewIds(standard, 'review-window-rollback'),
}, ({ docs, standard, strict, report }) => {
  const runbook = docs.get('runbook');
  const rollback = docs.get('rollback');
  if (!runbook || !rollback) return; // task-files reports the missing document
  const time = readTime(runbook, standard);
  if (time?.window === undefined) return;
  // The last decision point: the one standing before the highest-numbered step.
  let last: { id: string; guards: number } | undefined;
  for (const gate of itemsOfSection(runbook, standard, 'go-no-go')) {
    const { guards } = guardedStep(gate.header ? gate.title : toText(gate.heading), standard);
    if (guards !== undefined && (!last || guards > last.guards)) last = { id: gate.id, guards };
  }
  if (!last) return;
  const before = stepsOf(runbook, standard).filter((s) => s.number !== undefined && s.number < last!.guards);
  // Every step before the point must be there with a time that adds up: S1…S<guards-1>.
  if (before.length !== last.guards - 1 || before.some((s) => s.minutes === undefined)) return;
  const elapsed = before.reduce((a, s) => a + s.minutes!, 0);
  const rollbackSteps = stepsOf(rollback, standard);
  const stated = readTime(rollback, standard)?.total;
  const summed = rollbackSteps.length && rollbackSteps.every((s) => s.minutes !== undefined)
    ? rollbackSteps.reduce((a, s) => a + s.minutes!, 0) : undefined;
  const back = stated ?? summed;
  if (back === undefined) return;
  const end = elapsed + back;
  if (end <= time.window + 1e-9) return;
  // The step id prefix is the standard's (S by default), as the findings' readers wrote their steps.
  const step = standard.docs.runbook.sections.find((s) => s.id === 'steps')?.items?.prefix ?? '';
  report(runbook, 'review-window-rollback', fill({
    en: 'if {gate} ({place}, at {elapsed} min) says No-Go, the {back}-min rollback ends at {end} min, past the {window}-min window: move the decision earlier, shorten the rollback or widen the window',
    zh: '若 {gate}（{placeZh}，第 {elapsed} 分钟）决定不放行，{back} 分钟的回滚将在第 {end} 分钟结束，超出 {window} 分钟的窗口：请提前决策点、缩短回滚或扩大窗口',
  }, {
    gate: last.id,
    place: last.guards > 1 ? `after ${step}${last.guards - 1}` : `before ${step}1`,
    placeZh: last.guards > 1 ? `${step}${last.guards - 1} 之后` : `${step}1 之前`,
    elapsed: fmt(elapsed), back: fmt(back), end: fmt(end), window: fmt(time.window) }), time.hit.node,
  reviewSeverity(standard, 'review-window-rollback', strict));
});
