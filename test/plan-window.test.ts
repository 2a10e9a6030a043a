/**
 * The model's plan meets the window rules before any document is drafted: the drafts must keep the plan's minutes,
 * so a plan whose total or whose rollback after the last Go/No-Go overruns its window is sent back as a plan
 * problem (review-window and review-window-rollback would otherwise fail every draft with nothing to repair).
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../src/generate/plan-schema.js';
import { loadStandard } from '../src/standard/load.js';
import { FIXTURE, planInput } from './anthropic-script.js';

const standard = loadStandard();
const frame = { task: FIXTURE.en.task.name, lang: 'en' as const, system: 'k8s', operation: 'upgrade', created: '2025-11-10' };
type Input = { windowMinutes?: number; bufferMinutes: number; steps: { minutes: number }[]; rollbackSteps: { minutes: number }[] };
const input = () => planInput('en') as unknown as Input;

describe('the plan holds its window', () => {
  it('the fixture plan (40 min of steps + 15 buffer, G1 after S2 at 25 min, a 45-min rollback, a 120-min window) passes', () => {
    expect(checkPlan(input(), frame, standard).problems).toEqual([]);
  });

  it('a rollback that no longer fits after the last decision point is a plan problem naming the numbers', () => {
    const p = input();
    p.windowMinutes = 60; // total 55 fits; 25 + 45 = 70 does not
    expect(checkPlan(p, frame, standard)).toEqual({ problems: [
      'plan.decisions: a No-Go at G1 (after S2, at 25 min) starts the 45-min rollback, which ends at 70 min, past windowMinutes 60: place the decision earlier, shorten the rollback or widen the window',
    ] });
  });

  it('a total over the window is a plan problem, and no window stated checks nothing', () => {
    const p = input();
    p.windowMinutes = 50;
    expect(checkPlan(p, frame, standard).problems).toEqual([
      'plan.windowMinutes: is 50, but the steps and bufferMinutes take 55 min: ask for a window that holds them, shorten the plan, or leave windowMinutes out when no window is set',
      'plan.decisions: a No-Go at G1 (after S2, at 25 min) starts the 45-min rollback, which ends at 70 min, past windowMinutes 50: place the decision earlier, shorten the rollback or widen the window',
    ]);
    delete p.windowMinutes;
    p.rollbackSteps[1]!.minutes = 600;
    expect(checkPlan(p, frame, standard).problems).toEqual([]);
  });
});
