/**
 * review-arithmetic — the times add up. A runbook's total equals the sum of its step times plus the buffer it
 * states; a rollback plan's total equals the sum of its steps' times; a stated window holds the total; a stated
 * downtime that names its steps (`about 15 min (S4–S5)`) equals the time of those steps, or — said to fall within
 * them (`10–30 s during the election (S5)`) — is no longer than they are. Only steps whose
 * times can be added are summed: when any step's time multiplies (`15 min per node`) or is missing, the total
 * is not checked. Objective: an error under --strict.
 *
 * Rule ids: `review-total-sum`, `review-window`, `review-downtime`.
 *
 * Passes:
 *   ## Time Estimate
 *   - **Total:** 90 min, including 15 min buffer, inside the 120 min window
 * Fails (`review-window`):
 *   ## Time Estimate
 *   - **Total:** 90 min, including 15 min buffer, inside the 60 min window
 * Passes:
 *   ## 时间估计
 *   - **总计：** 60 分钟，含 15 分钟缓冲，在 120 分钟窗口之内
 * Fails (`review-total-sum`):
 *   ## 时间估计
 *   - **总计：** 50 分钟，含 15 分钟缓冲，在 120 分钟窗口之内
 * Fails (`review-window`):
 *   ## 时间估计
 *   - **总计：** 60 分钟，含 15 分钟缓冲，在半小时窗口之内
 */
import { findField, findSection, labelNames } from '../../document/model.js';
import { defineRule, fill } from '../rule.js';
import { anyOf, durations, fmt, readTime, reviewIds, reviewSeverity, same, stepRefs, stepsOf, type StepRead } from '../review.js';
import type { DocContext } from '../rule.js';

const IDS = ['review-total-sum', 'review-window', 'review-downtime'];

function checkTotals(ctx: DocContext, read: readonly StepRead[]): void {
  let steps = read;
  const { model, standard, strict, report } = ctx;
  const c = readTime(model, standard);
  if (c?.total === undefined) return;
  const { hit } = c;
  // Steps without a time of their own (a rollback plan's) are timed by the total's breakdown: `(R1 5 min, R2 20 min)`.
  if (steps.some((s) => s.minutes === undefined)) {
    const prefix = steps[0]?.item.id.replace(/\d+$/, '') ?? '';
    const given = new Map<string, number>();
    for (const m of hit.value.normalize('NFKC').matchAll(new RegExp(`\\b(${prefix}\\d+)\\b[\\s:：]*([^,，;；()（）]*)`, 'gu'))) {
      const d = durations(m[2]!)[0];
      if (d && !given.has(m[1]!)) given.set(m[1]!, d.minutes);
    }
    if (prefix && given.size) steps = steps.map((s) => (s.minutes === undefined && given.has(s.item.id) ? { ...s, minutes: given.get(s.item.id)! } : s));
  }
  const summable = steps.length > 0 && steps.every((s) => s.minutes !== undefined);
  if (summable) {
    const sum = steps.reduce((a, s) => a + s.minutes!, 0);
    const expected = sum + (model.kind === 'runbook' ? c.buffer : 0);
    if (!same(expected, c.total)) {
      const parts = steps.map((s) => `${s.item.id} ${fmt(s.minutes!)}`).join(' + ');
      report('review-total-sum', fill({
        en: 'the total says {total} min, but the steps add up to {expected} min ({parts}{buffer}): correct the total or the step times',
        zh: '总计写的是 {total} 分钟，但各步骤相加为 {expected} 分钟（{parts}{bufferZh}）：请更正总计或步骤耗时',
      }, {
        total: fmt(c.total), expected: fmt(expected), parts,
        buffer: c.buffer && model.kind === 'runbook' ? ` + ${fmt(c.buffer)} buffer` : '',
        bufferZh: c.buffer && model.kind === 'runbook' ? ` + 缓冲 ${fmt(c.buffer)}` : '',
      }), hit.node, reviewSeverity(standard, 'review-total-sum', strict));
    }
  }
  if (c.window !== undefined && c.total > c.window) {
    report('review-window', fill({
      en: 'the total ({total} min) does not fit the stated window ({window} min): shorten the plan or ask for a longer window',
      zh: '总计（{total} 分钟）超出了所写的变更窗口（{window} 分钟）：请缩短计划或申请更长的窗口',
    }, { total: fmt(c.total), window: fmt(c.window) }), hit.node, reviewSeverity(standard, 'review-window', strict));
  }
}

function checkDowntime(ctx: DocContext, steps: readonly StepRead[]): void {
  const { model, standard, strict, report } = ctx;
  const spec = ctx.spec?.sections.find((s) => s.id === 'impact');
  const field = spec?.fields?.find((f) => f.id === 'downtime');
  const section = spec && findSection(model, spec);
  if (!spec || !field || !section) return;
  const hit = findField(section.nodes, labelNames(field));
  if (!hit) return;
  // The steps named in the same clause as the duration: `27 min (S3–S6); standbys rebuilt in S9` names S3–S6.
  const clause = hit.value.split(/[;；]/u).find((c) => durations(c).length) ?? '';
  const refs = [...new Set(stepRefs(clause, 'S'))];
  // A range (`30 s – 3 min`, `10–30 min`) is judged by its upper end.
  const stated = durations(clause).sort((a, b) => b.minutes - a.minutes)[0];
  if (!refs.length || !stated) return;
  const named = refs.map((n) => steps.find((s) => s.number === n));
  if (named.some((s) => s?.minutes === undefined)) return;
  const sum = named.reduce((a, s) => a + s!.minutes!, 0);
  if (same(sum, stated.minutes)) return;
  const within = standard.review.time.within;
  if (within?.length && anyOf(within).test(clause) && stated.minutes <= sum) return;
  report('review-downtime', fill({
    en: 'the stated downtime ({stated} min) does not match the steps it names ({ids}: {sum} min): correct the downtime or the steps it names',
    zh: '所写的停机时间（{stated} 分钟）与其所列步骤（{ids}：{sum} 分钟）不符：请更正停机时间或所列步骤',
  }, { stated: fmt(stated.minutes), ids: named.map((s) => s!.item.id).join(', '), sum: fmt(sum) }), hit.node, reviewSeverity(standard, 'review-downtime', strict));
}

export const reviewArithmetic = defineRule({ origin: 'ops-docs:review-arithmetic', ids: (standard) => reviewIds(standard, ...IDS) }, (ctx) => {
  if (ctx.model.kind !== 'runbook' && ctx.model.kind !== 'rollback') return;
  const steps = stepsOf(ctx.model, ctx.standard);
  // Steps numbered twice are reported by section-items; a sum over them would only repeat that finding.
  if (new Set(steps.map((s) => s.item.id)).size !== steps.length) return;
  checkTotals(ctx, steps);
  if (ctx.model.kind === 'runbook') checkDowntime(ctx, steps);
});
