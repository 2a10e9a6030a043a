/**
 * The plan as a model answers it — the skeleton (plan.ts): a JSON schema for forced tool use, and our own check
 * of what comes back.
 * The schema guides the model; the check is what we rely on (a model, or the SDK's schema helpers, may not honour
 * every keyword), so every rule the documents depend on — ids in sequence, minutes as numbers, decisions that
 * follow a real step — is verified here.
 */
import type { Lang } from '../standard/types.js';
import type { PlanSkeleton, SkeletonDecision, SkeletonStep } from './plan.js';

export const PLAN_TOOL = 'submit_plan';

const str = (description: string) => ({ type: 'string', description });
const num = (description: string) => ({ type: 'number', description });
const strList = (description: string, minItems = 1) => ({ type: 'array', items: { type: 'string' }, minItems, description });
const obj = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => k !== 'windowMinutes'),
  additionalProperties: false,
});

/**
 * The input schema of the plan tool: the skeleton without what we already know (task, language, date, system).
 * Deliberately short — no commands, checks or expected outputs: the runbook and the rollback plan cannot start
 * before this answer ends, so every token here is on the critical path of the run.
 */
export const PLAN_INPUT_SCHEMA = obj({
  title: str('Short human title of the change'),
  impact: obj({
    services: str('Affected services, a few words'),
    users: str('Affected users, a few words'),
    downtime: str('Expected downtime, a few words'),
    risk: str('Risk level: low, medium, high or critical (低/中/高/严重)'),
  }),
  prerequisites: strList('Prerequisites to confirm before the window, a short line each'),
  steps: {
    type: 'array',
    minItems: 1,
    description: 'Runbook steps in execution order: id, short title, minutes — no commands',
    items: obj({
      id: str('S1, S2, … in order, no gaps'),
      title: str('What the step does, a short phrase'),
      minutes: num('Time estimate in minutes'),
    }),
  },
  decisions: {
    type: 'array',
    minItems: 1,
    description: 'Go/No-Go points before each point of no return',
    items: obj({
      id: str('G1, G2, … in order'),
      title: str('The decision, a short phrase'),
      afterStep: str('Id of the step this decision follows (S…)'),
      owner: str('The role that decides'),
    }),
  },
  rollbackSteps: {
    type: 'array',
    minItems: 1,
    description: 'Rollback steps in order: id, short title, minutes — no commands',
    items: obj({
      id: str('R1, R2, … in order'),
      title: str('What the rollback step does, a short phrase'),
      minutes: num('Time estimate in minutes'),
    }),
  },
  bufferMinutes: num('Slack added to the sum of step minutes'),
  windowMinutes: num('The change window in minutes, if known'),
  postChecks: strList('Checks that close the change, a short line each'),
  facts: strList('Names and values both the runbook and the rollback plan must use as they are: versions, hosts, clusters, the backup location', 0),
});

export interface PlanFrame {
  task: string;
  lang: Lang;
  system: string;
  operation: string;
  created: string;
  request?: string;
}

export type PlanCheck = { plan: PlanSkeleton; problems: [] } | { plan?: undefined; problems: string[] };

/**
 * Turn the tool input into a skeleton, or say precisely what is wrong with it (these sentences go back to the
 * model, so they name the JSON path and the fix).
 */
export function checkPlan(input: unknown, frame: PlanFrame): PlanCheck {
  const problems: string[] = [];
  const at = (path: string, what: string) => problems.push(`${path}: ${what}`);
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

  const text = (o: Record<string, unknown>, k: string, path: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || !v.trim()) {
      at(`${path}.${k}`, 'must be a non-empty string');
      return '';
    }
    return v.trim();
  };
  const minutes = (o: Record<string, unknown>, k: string, path: string, allowZero = false): number => {
    const v = o[k];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0) || n > 7 * 24 * 60) {
      at(`${path}.${k}`, `must be a number of minutes${allowZero ? '' : ' above 0'} (got ${JSON.stringify(v)?.slice(0, 40)})`);
      return 0;
    }
    return n;
  };
  const list = (o: Record<string, unknown>, k: string, path: string, minItems = 1): unknown[] => {
    const v = o[k];
    if (!Array.isArray(v) || v.length < minItems) {
      at(`${path}.${k}`, minItems ? 'must be a non-empty array' : 'must be an array');
      return [];
    }
    return v;
  };
  const strings = (o: Record<string, unknown>, k: string, path: string, minItems = 1): string[] =>
    list(o, k, path, minItems).map((v, i) => {
      if (typeof v !== 'string' || !v.trim()) at(`${path}.${k}[${i}]`, 'must be a non-empty string');
      return typeof v === 'string' ? v.trim() : '';
    });
  const ids = <T extends { id: string }>(items: T[], prefix: string, path: string) => {
    items.forEach((item, i) => {
      if (item.id !== `${prefix}${i + 1}`) at(`${path}[${i}].id`, `must be ${prefix}${i + 1} (ids run ${prefix}1, ${prefix}2 … in order; got ${JSON.stringify(item.id)})`);
    });
  };
  const timedSteps = (o: Record<string, unknown>, k: string, path: string, prefix: string): SkeletonStep[] => {
    const steps = list(o, k, path).map((s, i) => {
      const at_ = `${path}.${k}[${i}]`;
      const so = isObj(s) ? s : (at(at_, 'must be an object'), {});
      return { id: typeof so.id === 'string' ? so.id.trim() : '', title: text(so, 'title', at_), minutes: minutes(so, 'minutes', at_) };
    });
    ids(steps, prefix, `${path}.${k}`);
    return steps;
  };

  if (!isObj(input)) return { problems: ['the plan must be a JSON object with the properties of the tool schema'] };
  const p = input;
  const title = text(p, 'title', 'plan');
  const impactIn = isObj(p.impact) ? p.impact : (at('plan.impact', 'must be an object'), {});
  const impact = {
    services: text(impactIn, 'services', 'plan.impact'),
    users: text(impactIn, 'users', 'plan.impact'),
    downtime: text(impactIn, 'downtime', 'plan.impact'),
    risk: text(impactIn, 'risk', 'plan.impact'),
  };
  const prerequisites = strings(p, 'prerequisites', 'plan');

  const steps = timedSteps(p, 'steps', 'plan', 'S');
  const stepIds = new Set(steps.map((s) => s.id));

  const decisions: SkeletonDecision[] = list(p, 'decisions', 'plan').map((d, i) => {
    const path = `plan.decisions[${i}]`;
    const o = isObj(d) ? d : (at(path, 'must be an object'), {});
    const afterStep = text(o, 'afterStep', path);
    if (afterStep && !stepIds.has(afterStep)) at(`${path}.afterStep`, `names step ${JSON.stringify(afterStep)}, which is not in plan.steps (${[...stepIds].join(', ')})`);
    return {
      id: typeof o.id === 'string' ? o.id.trim() : '',
      title: text(o, 'title', path),
      afterStep,
      owner: text(o, 'owner', path),
    };
  });
  ids(decisions, 'G', 'plan.decisions');

  const rollbackSteps = timedSteps(p, 'rollbackSteps', 'plan', 'R');
  const bufferMinutes = minutes(p, 'bufferMinutes', 'plan', true);
  const windowMinutes = p.windowMinutes === undefined || p.windowMinutes === null ? undefined : minutes(p, 'windowMinutes', 'plan');
  const postChecks = strings(p, 'postChecks', 'plan');
  const facts = p.facts === undefined || p.facts === null ? [] : strings(p, 'facts', 'plan', 0);

  if (problems.length) return { problems };
  const plan: PlanSkeleton = {
    ...frame,
    title,
    impact,
    prerequisites,
    steps,
    decisions,
    bufferMinutes,
    ...(windowMinutes !== undefined ? { windowMinutes } : {}),
    rollback: { steps: rollbackSteps },
    postChecks,
    facts,
  };
  return { plan, problems: [] };
}
