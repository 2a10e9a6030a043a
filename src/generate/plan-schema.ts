/**
 * The plan as a model answers it — the skeleton (plan.ts): a JSON schema for forced tool use, and our own check
 * of what comes back.
 * The schema guides the model; the check is what we rely on (a model, or the SDK's schema helpers, may not honour
 * every keyword), so every rule the documents depend on — ids in sequence, minutes as numbers, decisions that
 * follow a real step — is verified here.
 */
import type { Kind, Lang, SectionSpec, Standard } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { rollbackMinutes, sectionKey, totalMinutes, type PlanSections, type PlanSkeleton, type SkeletonDecision, type SkeletonStep } from './plan.js';
import { SectionDataError, sectionContent } from './sections.js';

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

/** The sections the standard marks `skeleton: true`, by `<kind>/<id>`: the model answers their content in the plan. */
export function skeletonSections(standard: Standard): { key: string; kind: Kind; spec: SectionSpec }[] {
  return KINDS.flatMap((kind) => standard.docs[kind].sections.filter((s) => s.skeleton).map((spec) => ({ key: sectionKey(kind, spec.id), kind, spec })));
}

/** The JSON schema of one section's content, generated from its `require` and its ids. */
function sectionSchema(spec: SectionSpec): Record<string, unknown> {
  const about = spec.guidance.en || spec.title.en;
  const labelled = (list: { id: string; label: { en: string } }[]) => obj(Object.fromEntries(list.map((x) => [x.id, str(`${x.label.en}, a few words`)])));
  switch (spec.require) {
    case 'content':
      return str(about);
    case 'list':
      return strList(about);
    case 'fields':
      return { ...labelled(spec.fields ?? []), description: about };
    case 'table':
      return { type: 'array', minItems: spec.table!.minRows ?? 1, description: about, items: labelled(spec.table!.columns) };
    case 'items': {
      const it = spec.items!;
      const item = labelled(it.fields);
      return {
        type: 'array', minItems: 1, description: about,
        items: { ...item, properties: { id: str(`${it.prefix}1, ${it.prefix}2, … in order`), title: str('A short phrase'), ...item.properties }, required: ['id', 'title', ...item.required] },
      };
    }
  }
}

/** The item-id prefix of `<kind>/<section>` in the standard: S, G, R. */
function prefixOf(standard: Standard, kind: Kind, section: string): string {
  const prefix = standard.docs[kind].sections.find((s) => s.id === section)?.items?.prefix;
  if (!prefix) throw new SectionDataError(`the ${kind} standard has no items section "${section}" (the plan's ${section} follow its ids)`);
  return prefix;
}

/** The id prefixes the plan's steps, decisions and rollback steps take from the standard. */
export function planPrefixes(standard: Standard): { step: string; decision: string; rollback: string } {
  return { step: prefixOf(standard, 'runbook', 'steps'), decision: prefixOf(standard, 'runbook', 'go-no-go'), rollback: prefixOf(standard, 'rollback', 'steps') };
}

/**
 * The input schema of the plan tool: the skeleton without what we already know (task, language, date, system),
 * plus the content of every section the standard marks `skeleton: true`.
 * Deliberately short — no commands, checks or expected outputs: the runbook and the rollback plan cannot start
 * before this answer ends, so every token here is on the critical path of the run.
 */
export function planInputSchema(standard: Standard) {
  const p = planPrefixes(standard);
  const skeleton = skeletonSections(standard);
  return obj({
    title: str('Short human title of the change'),
    ...(skeleton.length ? { sections: obj(Object.fromEntries(skeleton.map(({ key, spec }) => [key, sectionSchema(spec)]))) } : {}),
    prerequisites: strList('Prerequisites to confirm before the window, a short line each'),
    steps: {
      type: 'array',
      minItems: 1,
      description: 'Runbook steps in execution order: id, short title, minutes — no commands',
      items: obj({
        id: str(`${p.step}1, ${p.step}2, … in order, no gaps`),
        title: str('What the step does, a short phrase'),
        minutes: num('Time estimate in minutes'),
      }),
    },
    decisions: {
      type: 'array',
      minItems: 1,
      description: 'Go/No-Go points before each point of no return',
      items: obj({
        id: str(`${p.decision}1, ${p.decision}2, … in order`),
        title: str('The decision, a short phrase'),
        afterStep: str(`Id of the step this decision follows (${p.step}…)`),
        owner: str('The role that decides'),
      }),
    },
    rollbackSteps: {
      type: 'array',
      minItems: 1,
      description: 'Rollback steps in order: id, short title, minutes — no commands',
      items: obj({
        id: str(`${p.rollback}1, ${p.rollback}2, … in order`),
        title: str('What the rollback step does, a short phrase'),
        minutes: num('Time estimate in minutes'),
      }),
    },
    bufferMinutes: num('Slack added to the sum of step minutes'),
    windowMinutes: num('The change window in minutes, if known'),
    postChecks: strList('Checks that close the change, a short line each'),
    facts: strList('Names and values both the runbook and the rollback plan must use as they are: versions, hosts, clusters, the backup location', 0),
  });
}

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
export function checkPlan(input: unknown, frame: PlanFrame, standard: Standard): PlanCheck {
  const prefix = planPrefixes(standard);
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
  const sections: PlanSections = {};
  const skeleton = skeletonSections(standard);
  const sectionsIn = isObj(p.sections) ? p.sections : (skeleton.length && at('plan.sections', 'must be an object'), {});
  for (const { key, spec } of skeleton) {
    const where = `plan.sections.${key}`;
    if (sectionsIn[key] === undefined) {
      at(where, 'is missing');
      continue;
    }
    try {
      sections[key] = sectionContent(spec, sectionsIn[key], {
        text: (raw, path) => {
          if (typeof raw !== 'string' || !raw.trim()) throw new SectionDataError(`${path}: must be a non-empty string`);
          return raw.trim();
        },
        command: (raw) => raw,
      }, where, true);
    } catch (err) {
      if (!(err instanceof SectionDataError)) throw err;
      problems.push(err.message);
    }
  }
  const prerequisites = strings(p, 'prerequisites', 'plan');

  const steps = timedSteps(p, 'steps', 'plan', prefix.step);
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
  ids(decisions, prefix.decision, 'plan.decisions');

  const rollbackSteps = timedSteps(p, 'rollbackSteps', 'plan', prefix.rollback);
  const bufferMinutes = minutes(p, 'bufferMinutes', 'plan', true);
  const windowMinutes = p.windowMinutes === undefined || p.windowMinutes === null ? undefined : minutes(p, 'windowMinutes', 'plan');
  const postChecks = strings(p, 'postChecks', 'plan');
  const facts = p.facts === undefined || p.facts === null ? [] : strings(p, 'facts', 'plan', 0);

  if (problems.length) return { problems };
  const plan: PlanSkeleton = {
    ...frame,
    title,
    sections,
    prerequisites,
    steps,
    decisions,
    bufferMinutes,
    ...(windowMinutes !== undefined ? { windowMinutes } : {}),
    rollback: { steps: rollbackSteps },
    postChecks,
    facts,
  };
  // The review rules the documents will meet (review-window, review-window-rollback), asked of the plan's numbers
  // while the model can still change them: the drafts must keep the plan's minutes, so they could not.
  if (windowMinutes !== undefined) {
    const total = totalMinutes(plan);
    if (total > windowMinutes) at('plan.windowMinutes', `is ${windowMinutes}, but the steps and bufferMinutes take ${total} min: ask for a window that holds them, shorten the plan, or leave windowMinutes out when no window is set`);
    const last = decisions.map((d) => ({ d, i: steps.findIndex((x) => x.id === d.afterStep) })).sort((a, b) => b.i - a.i)[0];
    if (last && last.i >= 0) {
      const elapsed = steps.slice(0, last.i + 1).reduce((a, x) => a + x.minutes, 0);
      const back = rollbackMinutes(plan);
      if (elapsed + back > windowMinutes) at('plan.decisions', `a No-Go at ${last.d.id} (after ${last.d.afterStep}, at ${elapsed} min) starts the ${back}-min rollback, which ends at ${elapsed + back} min, past windowMinutes ${windowMinutes}: place the decision earlier, shorten the rollback or widen the window`);
    }
  }
  return problems.length ? { problems } : { plan, problems: [] };
}
