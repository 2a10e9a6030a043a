/**
 * review-checklist-times — the checklist plans the runbook's times. The checklist is what the operator reads at
 * the desk; a planned time there that differs from the runbook step's time estimate means one of the two was
 * edited without the other, and the operator is working to the wrong clock (a late step looks on time). Each
 * execution-table row is paired with its runbook step the way checklist-coverage pairs them (by number, else by
 * title); a row whose planned time differs from the step's is a finding. A checklist without a planned-time
 * column, a row or step without a readable time, or one that multiplies (`15 min per node`) is not compared:
 * the checklist standard says which columns are mandatory, this rule compares what is there. Objective: an
 * error under --strict.
 *
 * Rule id: `review-checklist-times`.
 *
 * Passes: runbook S2 `- **Time estimate:** 20 min`, checklist `| S2 | Upgrade the first control-plane node | 20 min | …`.
 * Fails (`review-checklist-times`): the same step with checklist `| S2 | Upgrade the first control-plane node | 35 min | …`.
 * Passes: runbook step 2 `- 预计耗时：四十分钟`, checklist `| 2 | 升级三个从节点 | 40 分钟 | …`.
 * Fails (`review-checklist-times`): the same step with checklist `| 2 | 升级三个从节点 | 半小时 | …`.
 * (Task folders — the valid English fixture, the hand-written Redis corpus task: test/review.test.ts runs these.)
 */
import { cellText, findSection, firstTable, readTable } from '../../document/model.js';
import { matchRows } from '../../document/rows.js';
import { defineTaskRule, fill } from '../rule.js';
import { fmt, reviewIds, reviewSeverity, stepMinutes, stepsOf } from '../review.js';

/** The checklist column that carries a step's planned time, by its id in checklist.yaml. */
const PLANNED = 'planned';

/** A planned time is copied, not estimated again: only rounding to the minute is the same time. */
function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.5 + 1e-9;
}

export const reviewChecklistTimes = defineTaskRule({
  origin: 'ops-docs:review-checklist-times',
  ids: (standard) => reviewIds(standard, 'review-checklist-times'),
}, ({ docs, standard, strict, report }) => {
  const runbook = docs.get('runbook');
  const checklist = docs.get('checklist');
  if (!runbook || !checklist) return; // task-files reports the missing document
  const steps = stepsOf(runbook, standard);
  if (!steps.some((s) => s.minutes !== undefined)) return;
  const rbSection = standard.docs.runbook.sections.find((s) => s.id === 'steps');
  if (!rbSection?.items) return;
  const severity = reviewSeverity(standard, 'review-checklist-times', strict);
  for (const clSection of standard.docs.checklist.sections) {
    const t = clSection.table;
    if (t?.idPrefix !== rbSection.items.prefix || !t.columns.some((c) => c.id === PLANNED)) continue;
    const found = findSection(checklist, clSection);
    const table = found && firstTable(found.nodes);
    if (!table) continue; // required-sections and section-table report it
    const read = readTable(table, t.columns);
    const column = read.columns.get(PLANNED);
    if (column === undefined) continue;
    const { rows } = matchRows(steps.map((s) => s.item), read, rbSection.items, t);
    for (const step of steps) {
      const row = rows.get(step.item.id);
      if (!row || step.minutes === undefined) continue;
      const cell = cellText(row.row, column);
      const planned = cell ? stepMinutes(cell, standard.review) : undefined;
      if (planned === undefined || sameTime(planned, step.minutes)) continue;
      report(checklist, 'review-checklist-times', fill({
        en: 'the checklist plans {planned} min for {id}, but the runbook estimates {minutes} min: write {minutes} min in the checklist, or correct the runbook\'s estimate',
        zh: '检查清单中 {id} 的计划耗时为 {planned} 分钟，但 runbook 预计 {minutes} 分钟：请在检查清单中改为 {minutes} 分钟，或更正 runbook 的预计耗时',
      }, { id: step.item.id, planned: fmt(planned), minutes: fmt(step.minutes) }), row.row.children[column] ?? row.row, severity);
    }
  }
});
