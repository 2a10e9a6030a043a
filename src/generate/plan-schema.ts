/**
 * The plan as a model answers it: a JSON schema for forced tool use, and our own check of what comes back.
 * The schema guides the model; the check is what we rely on (a model, or the SDK's schema helpers, may not honour
 * every keyword), so every rule the documents depend on — ids in sequence, minutes as numbers, decisions that
 * follow a real step — is verified here.
 */
import type { Lang } from '../standard/types.js';
import type { Plan, PlanDecision, PlanMetric, PlanRollbackStep, PlanStep } from './plan.js';

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

/** The input schema of the plan tool: the Plan without what we already know (task, language, date, system). */
export const PLAN_INPUT_SCHEMA = obj({
  title: str('Short human title of the change'),
  summary: str('Two to five sentences: what changes, why, when, who executes, the end state'),
  impact: obj({
    services: str('Affected services'),
    users: str('Affected users'),
    downtime: str('Expected downtime'),
    risk: str('Risk level: low, medium, high or critical (低/中/高/严重)'),
  }),
  prerequisites: strList('Prerequisites to confirm before the window'),
  steps: {
    type: 'array',
    minItems: 1,
    description: 'Runbook steps in execution order',
    items: obj({
      id: str('S1, S2, … in order, no gaps'),
      title: str('What the step does'),
      command: str('The executable command(s), without code fences'),
      lang: str('Fence language of the command: bash, sql, yaml …'),
      verification: str('The check that proves the step worked'),
      expectedOutput: str('What the command or the check prints when it worked'),
      onError: str('What to do when the step fails'),
      minutes: num('Time estimate in minutes'),
    }),
  },
  decisions: {
    type: 'array',
    minItems: 1,
    description: 'Go/No-Go points before each point of no return',
    items: obj({
      id: str('G1, G2, … in order'),
      title: str('The decision'),
      afterStep: str('Id of the step this decision follows (S…)'),
      criteria: str('Objective Go criteria'),
      noGoAction: str('What happens on No-Go; refers to the rollback plan'),
      owner: str('The role that decides'),
    }),
  },
  metrics: {
    type: 'array',
    minItems: 1,
    items: obj({ name: str('Metric'), threshold: str('Alert threshold or condition'), source: str('Where to read it') }),
  },
  bufferMinutes: num('Slack added to the sum of step minutes'),
  windowMinutes: num('The change window in minutes, if known'),
  rollback: obj({
    triggers: strList('Measurable rollback triggers: a number, a state or an event'),
    steps: {
      type: 'array',
      minItems: 1,
      items: obj({
        id: str('R1, R2, … in order'),
        title: str('What the rollback step does'),
        command: str('The executable command(s), without code fences'),
        lang: str('Fence language of the command'),
        verification: str('The check that proves the rollback step worked'),
        minutes: num('Time estimate in minutes'),
      }),
    },
    dataRecovery: obj({
      backupSource: str('Where the backup is'),
      restoreCommand: str('The restore command(s), without code fences'),
      restoreLang: str('Fence language of the restore command'),
      lossWindow: str('How much data could be lost'),
    }),
    verification: strList('Checks after a rollback'),
  }),
  postChecks: strList('Checks that close the change'),
});

export interface PlanFrame {
  task: string;
  lang: Lang;
  system: string;
  operation: string;
  created: string;
}

export type PlanCheck = { plan: Plan; problems: [] } | { plan?: undefined; problems: string[] };

/**
 * Turn the tool input into a Plan, or say precisely what is wrong with it (these sentences go back to the model,
 * so they name the JSON path and the fix).
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
  const command = (o: Record<string, unknown>, k: string, path: string): string => {
    const c = text(o, k, path);
    if (c.includes('```')) at(`${path}.${k}`, 'must be the bare command, without ``` fences');
    return c;
  };
  const fenceLang = (o: Record<string, unknown>, k: string, path: string): string => {
    const l = text(o, k, path);
    if (l && !/^[A-Za-z0-9][A-Za-z0-9_+.#-]{0,30}$/.test(l)) at(`${path}.${k}`, `must be a fence language such as bash or sql (got ${JSON.stringify(l).slice(0, 40)})`);
    return l;
  };
  const list = (o: Record<string, unknown>, k: string, path: string): unknown[] => {
    const v = o[k];
    if (!Array.isArray(v) || v.length === 0) {
      at(`${path}.${k}`, 'must be a non-empty array');
      return [];
    }
    return v;
  };
  const strings = (o: Record<string, unknown>, k: string, path: string): string[] =>
    list(o, k, path).map((v, i) => {
      if (typeof v !== 'string' || !v.trim()) at(`${path}.${k}[${i}]`, 'must be a non-empty string');
      return typeof v === 'string' ? v.trim() : '';
    });
  const ids = <T extends { id: string }>(items: T[], prefix: string, path: string) => {
    items.forEach((item, i) => {
      if (item.id !== `${prefix}${i + 1}`) at(`${path}[${i}].id`, `must be ${prefix}${i + 1} (ids run ${prefix}1, ${prefix}2 … in order; got ${JSON.stringify(item.id)})`);
    });
  };

  if (!isObj(input)) return { problems: ['the plan must be a JSON object with the properties of the tool schema'] };
  const p = input;
  const title = text(p, 'title', 'plan');
  const summary = text(p, 'summary', 'plan');
  const impactIn = isObj(p.impact) ? p.impact : (at('plan.impact', 'must be an object'), {});
  const impact = {
    services: text(impactIn, 'services', 'plan.impact'),
    users: text(impactIn, 'users', 'plan.impact'),
    downtime: text(impactIn, 'downtime', 'plan.impact'),
    risk: text(impactIn, 'risk', 'plan.impact'),
  };
  const prerequisites = strings(p, 'prerequisites', 'plan');

  const steps: PlanStep[] = list(p, 'steps', 'plan').map((s, i) => {
    const path = `plan.steps[${i}]`;
    const o = isObj(s) ? s : (at(path, 'must be an object'), {});
    return {
      id: typeof o.id === 'string' ? o.id.trim() : '',
      title: text(o, 'title', path),
      command: command(o, 'command', path),
      lang: fenceLang(o, 'lang', path),
      verification: text(o, 'verification', path),
      expectedOutput: text(o, 'expectedOutput', path),
      onError: text(o, 'onError', path),
      minutes: minutes(o, 'minutes', path),
    };
  });
  ids(steps, 'S', 'plan.steps');
  const stepIds = new Set(steps.map((s) => s.id));

  const decisions: PlanDecision[] = list(p, 'decisions', 'plan').map((d, i) => {
    const path = `plan.decisions[${i}]`;
    const o = isObj(d) ? d : (at(path, 'must be an object'), {});
    const afterStep = text(o, 'afterStep', path);
    if (afterStep && !stepIds.has(afterStep)) at(`${path}.afterStep`, `names step ${JSON.stringify(afterStep)}, which is not in plan.steps (${[...stepIds].join(', ')})`);
    return {
      id: typeof o.id === 'string' ? o.id.trim() : '',
      title: text(o, 'title', path),
      afterStep,
      criteria: text(o, 'criteria', path),
      noGoAction: text(o, 'noGoAction', path),
      owner: text(o, 'owner', path),
    };
  });
  ids(decisions, 'G', 'plan.decisions');

  const metrics: PlanMetric[] = list(p, 'metrics', 'plan').map((m, i) => {
    const path = `plan.metrics[${i}]`;
    const o = isObj(m) ? m : (at(path, 'must be an object'), {});
    return { name: text(o, 'name', path), threshold: text(o, 'threshold', path), source: text(o, 'source', path) };
  });
  const bufferMinutes = minutes(p, 'bufferMinutes', 'plan', true);
  const windowMinutes = p.windowMinutes === undefined || p.windowMinutes === null ? undefined : minutes(p, 'windowMinutes', 'plan');

  const rb = isObj(p.rollback) ? p.rollback : (at('plan.rollback', 'must be an object'), {});
  const triggers = strings(rb, 'triggers', 'plan.rollback');
  const rollbackSteps: PlanRollbackStep[] = list(rb, 'steps', 'plan.rollback').map((s, i) => {
    const path = `plan.rollback.steps[${i}]`;
    const o = isObj(s) ? s : (at(path, 'must be an object'), {});
    return {
      id: typeof o.id === 'string' ? o.id.trim() : '',
      title: text(o, 'title', path),
      command: command(o, 'command', path),
      lang: fenceLang(o, 'lang', path),
      verification: text(o, 'verification', path),
      minutes: minutes(o, 'minutes', path),
    };
  });
  ids(rollbackSteps, 'R', 'plan.rollback.steps');
  const dr = isObj(rb.dataRecovery) ? rb.dataRecovery : (at('plan.rollback.dataRecovery', 'must be an object'), {});
  const dataRecovery = {
    backupSource: text(dr, 'backupSource', 'plan.rollback.dataRecovery'),
    restoreCommand: command(dr, 'restoreCommand', 'plan.rollback.dataRecovery'),
    restoreLang: fenceLang(dr, 'restoreLang', 'plan.rollback.dataRecovery'),
    lossWindow: text(dr, 'lossWindow', 'plan.rollback.dataRecovery'),
  };
  const verification = strings(rb, 'verification', 'plan.rollback');
  const postChecks = strings(p, 'postChecks', 'plan');

  if (problems.length) return { problems };
  const plan: Plan = {
    ...frame,
    title,
    summary,
    impact,
    prerequisites,
    steps,
    decisions,
    metrics,
    bufferMinutes,
    ...(windowMinutes !== undefined ? { windowMinutes } : {}),
    rollback: { triggers, steps: rollbackSteps, dataRecovery, verification },
    postChecks,
  };
  return { plan, problems: [] };
}
