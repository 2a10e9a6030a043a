/**
 * The offline playbooks as typed data: templates/playbooks/<id>.yaml, one common operation each, with the real
 * steps, checks, decisions, metrics and rollback an SRE would write. The offline provider renders them; the model
 * provider receives the matching one as guidance. A team's `<ops>/templates/playbooks/<id>.yaml` replaces the
 * built-in file of the same id (or adds a new playbook), whole, as loadStandard does for the standard.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_TEMPLATES, fileVersions, StandardError } from './load.js';
import { readYamlCached } from './yaml-file.js';
import { LANGS, type Text } from './types.js';

/** Text that differs by language, or a string that reads the same in both (a command output, a path). */
export type AnyText = Text | string;

/** How a variable is read from the description; see generate/offline.ts. */
export type Extract = 'version-from' | 'version-to' | 'endpoint-from' | 'endpoint-to' | 'domain' | 'host' | 'count';
export const EXTRACTS: readonly Extract[] = ['version-from', 'version-to', 'endpoint-from', 'endpoint-to', 'domain', 'host', 'count'];

export interface PlaybookVariable {
  /** What the variable is, for the "assumed values" line of the summary. */
  label: Text;
  default: string;
  extract?: Extract;
  /**
   * For a from-version the description did not give: derive it from the target version — the previous minor
   * (1.28 → 1.27), the previous major (15 → 14), or an explicit table (MySQL 8.0 → 5.7).
   */
  previousOf?: string;
  previous?: 'minor' | 'major' | Record<string, string>;
}

export interface PlaybookStep {
  id: string;
  title: Text;
  command: string;
  lang: string;
  verification: Text;
  expected: AnyText;
  onError: Text;
  minutes: number;
}

export interface PlaybookDecision {
  id: string;
  /** The step this decision follows. */
  after: string;
  title: Text;
  criteria: Text;
  noGo: Text;
  owner: Text;
}

export interface PlaybookMetric {
  name: Text;
  threshold: AnyText;
  source: AnyText;
}

export interface PlaybookRollbackStep {
  id: string;
  title: Text;
  command: string;
  lang: string;
  verification: Text;
  minutes: number;
}

export interface Playbook {
  id: string;
  /** Frontmatter defaults when the description does not name them. */
  system: string;
  operation: string;
  name: Text;
  /** The catch-all: matched when nothing else is, and allowed to leave placeholders. */
  generic?: boolean;
  match: {
    /** Every group must have at least one word in the description. */
    require: string[][];
    /** Each group with a word in the description adds its weight. */
    prefer: { weight: number; words: string[] }[];
  };
  variables: Record<string, PlaybookVariable>;
  summary: Text;
  impact: { services: Text; users: Text; downtime: Text; risk: Text };
  prerequisites: Text[];
  steps: PlaybookStep[];
  decisions: PlaybookDecision[];
  metrics: PlaybookMetric[];
  bufferMinutes: number;
  windowMinutes?: number;
  rollback: {
    triggers: Text[];
    steps: PlaybookRollbackStep[];
    dataRecovery: { backupSource: Text; restore: string; restoreLang: string; lossWindow: Text };
    verification: Text[];
  };
  postChecks: Text[];
  /**
   * Content of any section of the standard, by `<kind>/<section id>`, shaped by the section's `require` (a text,
   * a list, field id → value, rows of column id → text, items with id, title, command and field ids). Checked
   * against the standard when the plan is built. A section a team adds to the standard is filled here.
   */
  sections: Record<string, unknown>;
  /** Where it was read from. */
  source: string;
}

class Checker {
  constructor(private readonly file: string) {}
  fail(what: string): never {
    throw new StandardError(`${this.file}: ${what}`);
  }
  text(v: unknown, where: string): Text {
    const t = v as Partial<Text> | undefined;
    if (!t || typeof t !== 'object' || LANGS.some((l) => typeof t[l] !== 'string' || !t[l]!.trim())) {
      this.fail(`${where} needs non-empty en and zh text`);
    }
    return t as Text;
  }
  any(v: unknown, where: string): AnyText {
    if (typeof v === 'string' && v.trim()) return v;
    return this.text(v, where);
  }
  str(v: unknown, where: string): string {
    if (typeof v !== 'string' || !v.trim()) this.fail(`${where} needs a non-empty string`);
    return v;
  }
  minutes(v: unknown, where: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(`${where} needs minutes > 0`);
    return v;
  }
  list<T>(v: unknown, where: string, each: (x: unknown, i: number) => T, min = 1): T[] {
    if (!Array.isArray(v) || v.length < min) this.fail(`${where} needs a list of at least ${min}`);
    return v.map(each);
  }
}

export function checkPlaybook(raw: unknown, file: string): Playbook {
  const c = new Checker(file);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) c.fail('expected a playbook mapping');
  const p = raw as Record<string, any>;
  const id = c.str(p.id, 'id');
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) c.fail(`id "${id}" must be lower-case words joined by hyphens`);
  const m = p.match ?? {};
  const match = {
    require: c.list(m.require ?? [], 'match.require', (g, i) => c.list(g, `match.require[${i}]`, (w) => c.str(w, 'match word').toLowerCase()), 0),
    prefer: c.list(m.prefer ?? [], 'match.prefer', (g: any, i) => ({
      weight: typeof g?.weight === 'number' ? g.weight : c.fail(`match.prefer[${i}] needs a weight`),
      words: c.list(g?.words, `match.prefer[${i}].words`, (w) => c.str(w, 'match word').toLowerCase()),
    }), 0),
  };
  if (!p.generic && match.require.length === 0) c.fail('a playbook that is not generic needs match.require');
  const variables: Record<string, PlaybookVariable> = {};
  for (const [name, v] of Object.entries((p.variables ?? {}) as Record<string, any>)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) c.fail(`variable name "${name}" must be lower-case letters, digits and _`);
    if (v?.extract !== undefined && !EXTRACTS.includes(v.extract)) c.fail(`variables.${name}.extract must be one of ${EXTRACTS.join(', ')}`);
    variables[name] = { ...v, label: c.text(v?.label, `variables.${name}.label`), default: String(c.str(String(v?.default ?? ''), `variables.${name}.default`)) };
  }
  const steps = c.list(p.steps, 'steps', (s: any, i) => ({
    id: c.str(s?.id, `steps[${i}].id`),
    title: c.text(s?.title, `steps[${i}].title`),
    command: c.str(s?.command, `steps[${i}].command`).trimEnd(),
    lang: c.str(s?.lang ?? 'bash', `steps[${i}].lang`),
    verification: c.text(s?.verification, `steps[${i}].verification`),
    expected: c.any(s?.expected, `steps[${i}].expected`),
    onError: c.text(s?.onError, `steps[${i}].onError`),
    minutes: c.minutes(s?.minutes, `steps[${i}].minutes`),
  }));
  const stepIds = new Set(steps.map((s) => s.id));
  const decisions = c.list(p.decisions, 'decisions', (d: any, i) => ({
    id: c.str(d?.id, `decisions[${i}].id`),
    after: stepIds.has(d?.after) ? (d.after as string) : c.fail(`decisions[${i}].after must name a step (S1…)`),
    title: c.text(d?.title, `decisions[${i}].title`),
    criteria: c.text(d?.criteria, `decisions[${i}].criteria`),
    noGo: c.text(d?.noGo, `decisions[${i}].noGo`),
    owner: c.text(d?.owner, `decisions[${i}].owner`),
  }));
  const rb = p.rollback ?? {};
  const rollbackSteps = c.list(rb.steps, 'rollback.steps', (s: any, i) => ({
    id: c.str(s?.id, `rollback.steps[${i}].id`),
    title: c.text(s?.title, `rollback.steps[${i}].title`),
    command: c.str(s?.command, `rollback.steps[${i}].command`).trimEnd(),
    lang: c.str(s?.lang ?? 'bash', `rollback.steps[${i}].lang`),
    verification: c.text(s?.verification, `rollback.steps[${i}].verification`),
    minutes: c.minutes(s?.minutes, `rollback.steps[${i}].minutes`),
  }));
  const dr = rb.dataRecovery ?? {};
  const impact = p.impact ?? {};
  return {
    id,
    system: c.str(p.system, 'system'),
    operation: c.str(p.operation, 'operation'),
    name: c.text(p.name, 'name'),
    generic: p.generic === true,
    match,
    variables,
    summary: c.text(p.summary, 'summary'),
    impact: {
      services: c.text(impact.services, 'impact.services'),
      users: c.text(impact.users, 'impact.users'),
      downtime: c.text(impact.downtime, 'impact.downtime'),
      risk: c.text(impact.risk, 'impact.risk'),
    },
    prerequisites: c.list(p.prerequisites, 'prerequisites', (t, i) => c.text(t, `prerequisites[${i}]`)),
    steps,
    decisions,
    metrics: c.list(p.metrics, 'metrics', (x: any, i) => ({
      name: c.text(x?.name, `metrics[${i}].name`),
      threshold: c.any(x?.threshold, `metrics[${i}].threshold`),
      source: c.any(x?.source, `metrics[${i}].source`),
    })),
    bufferMinutes: typeof p.bufferMinutes === 'number' ? p.bufferMinutes : 0,
    windowMinutes: typeof p.windowMinutes === 'number' ? p.windowMinutes : undefined,
    rollback: {
      triggers: c.list(rb.triggers, 'rollback.triggers', (t, i) => c.text(t, `rollback.triggers[${i}]`)),
      steps: rollbackSteps,
      dataRecovery: {
        backupSource: c.text(dr.backupSource, 'rollback.dataRecovery.backupSource'),
        restore: c.str(dr.restore, 'rollback.dataRecovery.restore').trimEnd(),
        restoreLang: c.str(dr.restoreLang ?? 'bash', 'rollback.dataRecovery.restoreLang'),
        lossWindow: c.text(dr.lossWindow, 'rollback.dataRecovery.lossWindow'),
      },
      verification: c.list(rb.verification, 'rollback.verification', (t, i) => c.text(t, `rollback.verification[${i}]`)),
    },
    postChecks: c.list(p.postChecks, 'postChecks', (t, i) => c.text(t, `postChecks[${i}]`)),
    sections: p.sections === undefined ? {} : typeof p.sections === 'object' && p.sections !== null && !Array.isArray(p.sections)
      ? (p.sections as Record<string, unknown>) : c.fail('sections must be a mapping of <kind>/<section id> → content'),
    source: file,
  };
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
}

const cache = new Map<string, Playbook[]>();

/**
 * Every playbook, built-in and the team's (`<overrideDir>/playbooks/`), keyed by file name: a team file with the
 * name of a built-in one replaces it whole. Sorted by id so that matching is deterministic.
 */
export function loadPlaybooks(overrideDir?: string): Playbook[] {
  const files = new Map<string, string>();
  const builtin = join(BUILTIN_TEMPLATES, 'playbooks');
  for (const n of yamlFiles(builtin)) files.set(n.replace(/\.ya?ml$/, ''), join(builtin, n));
  if (overrideDir) {
    const own = join(overrideDir, 'playbooks');
    for (const n of yamlFiles(own)) files.set(n.replace(/\.ya?ml$/, ''), join(own, n));
  }
  const key = fileVersions([...files.values()]);
  const hit = cache.get(key);
  if (hit) return hit;
  const out: Playbook[] = [];
  const ids = new Set<string>();
  for (const file of files.values()) {
    const pb = checkPlaybook(readYamlCached(file), file);
    if (ids.has(pb.id)) throw new StandardError(`${file}: playbook id ${pb.id} is used by another file`);
    ids.add(pb.id);
    out.push(pb);
  }
  if (!out.some((p) => p.generic)) throw new StandardError(`no generic playbook (generic: true) in ${builtin}${overrideDir ? ` or ${overrideDir}/playbooks` : ''}`);
  out.sort((a, b) => (a.id < b.id ? -1 : 1));
  cache.set(key, out);
  return out;
}
