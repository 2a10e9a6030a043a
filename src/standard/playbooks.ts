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

/** What every request reading yields (see generate/offline.ts): versions, endpoints, a domain, a count. */
export type RequestFact = 'version-from' | 'version-to' | 'endpoint-from' | 'endpoint-to' | 'domain' | 'count';
export const REQUEST_FACTS: readonly RequestFact[] = ['version-from', 'version-to', 'endpoint-from', 'endpoint-to', 'domain', 'count'];

/**
 * One way of reading a variable out of the request, declared by the playbook: a request fact, the name written
 * after (or before) one of some words ("cluster prod-eu", "orders-db database"), a regular expression whose first
 * group is the value, or a vocabulary of words → value ("gke" → gke). The first that yields a value wins.
 */
export type Extractor =
  | NamedExtractor
  | { fact: RequestFact }
  | { after: string[] }
  | { before: string[] }
  | { pattern: string }
  | { words: Record<string, string>; in?: RequestFact; otherwise?: string };
/** A reader named in the vocabulary's `extractors` (templates/vocabulary.yaml), written once for every playbook. */
export type NamedExtractor = { named: string };

/** `hosting` of a playbook: a managed service is never given a self-hosted playbook, nor the reverse. */
export type Hosting = 'self-hosted' | 'managed' | 'any';
export const HOSTINGS: readonly Hosting[] = ['self-hosted', 'managed', 'any'];

export interface PlaybookSource {
  title: string;
  url: string;
  versions?: string;
}

export interface PlaybookVariable {
  /** What the variable is, for the "assumed values" line of the summary. */
  label: Text;
  default: string;
  extract: Extractor[];
  /**
   * For a from-version the description did not give: derive it from the target version — the previous minor
   * (1.28 → 1.27), the previous major (15 → 14), or an explicit table (MySQL 8.0 → 5.7).
   */
  previousOf?: string;
  previous?: 'minor' | 'major' | Record<string, string>;
  /**
   * A value that follows from another variable through a table, looked up by the exact value, then major.minor, then
   * major: the syntax a version needs (5.7 → `SLAVE`, 8.0.22+ → `REPLICA`), the package that backs it up. `fact`
   * marks a mapping that is documented behaviour rather than a guess, so it is not listed with the assumptions.
   */
  derive?: { from: string; table: Record<string, string>; fact?: boolean };
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
  /**
   * What the playbook is for: one of `systems` must be named in the request, the request's operation kind (see
   * templates/vocabulary.yaml) must be one of `operations`, and a managed service needs `hosting: managed` (or any).
   */
  covers: { systems: string[]; operations: string[]; hosting: Hosting };
  /** The official documentation the procedure follows, for the maintainers. */
  sources: PlaybookSource[];
  match: {
    /** Every group must have at least one word in the description (on top of `covers`). */
    require: string[][];
    /** Each group with a word in the description adds its weight. */
    prefer: { weight: number; words: string[] }[];
    /** Words that say the request is about another variant ("ingress": a Kubernetes Secret, not a host's file). */
    exclude: string[];
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
  words(v: unknown, where: string): string[] {
    return this.list(v, where, (w) => this.str(w, where).toLowerCase());
  }
  /** `extract: version-to`, `extract: {after: [cluster]}` or a list of them. */
  extractors(v: unknown, where: string): Extractor[] {
    if (v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).map((x: any, i): Extractor => {
      const at = `${where}[${i}]`;
      if (typeof x === 'string') {
        if (REQUEST_FACTS.includes(x as RequestFact)) return { fact: x as RequestFact };
        if (!/^[a-z][a-z0-9-]*$/.test(x)) this.fail(`${at}: "${x}" is neither one of ${REQUEST_FACTS.join(', ')} nor the name of a vocabulary extractor`);
        return { named: x };
      }
      const keys = x && typeof x === 'object' ? Object.keys(x).filter((k) => k !== 'in' && k !== 'otherwise') : [];
      if (keys.length !== 1) this.fail(`${at} needs exactly one of fact, after, before, pattern, words`);
      if ('fact' in x) return this.extractors(x.fact, at)[0]!;
      if ('after' in x) return { after: this.words(x.after, `${at}.after`) };
      if ('before' in x) return { before: this.words(x.before, `${at}.before`) };
      if ('pattern' in x) {
        const p = this.str(x.pattern, `${at}.pattern`);
        try {
          new RegExp(p, 'iu');
        } catch (err) {
          this.fail(`${at}.pattern: ${(err as Error).message}`);
        }
        return { pattern: p };
      }
      if ('words' in x && x.words && typeof x.words === 'object') {
        const words: Record<string, string> = {};
        for (const [k, val] of Object.entries(x.words)) words[k.toLowerCase()] = this.str(val, `${at}.words.${k}`);
        if (x.in !== undefined && !REQUEST_FACTS.includes(x.in)) this.fail(`${at}.in: "${x.in}" is not one of ${REQUEST_FACTS.join(', ')}`);
        return { words, ...(x.in ? { in: x.in as RequestFact } : {}), ...(x.otherwise !== undefined ? { otherwise: this.str(x.otherwise, `${at}.otherwise`) } : {}) };
      }
      return this.fail(`${at} needs exactly one of fact, after, before, pattern, words`);
    });
  }
}

/** Extractors written outside a playbook (the vocabulary's named ones), checked as a playbook's are. */
export function parseExtractors(raw: unknown, where: string, file: string): Extractor[] {
  return new Checker(file).extractors(raw, where);
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
    exclude: c.list(m.exclude ?? [], 'match.exclude', (w) => c.str(w, 'match word').toLowerCase(), 0),
  };
  const cv = p.covers ?? {};
  const covers = {
    systems: p.generic ? [] : c.words(cv.systems, 'covers.systems'),
    operations: p.generic ? [] : c.words(cv.operations, 'covers.operations'),
    hosting: (HOSTINGS.includes(cv.hosting) ? cv.hosting : p.generic && cv.hosting === undefined ? 'any' : c.fail(`covers.hosting must be one of ${HOSTINGS.join(', ')}`)) as Hosting,
  };
  const sources = c.list(p.sources ?? [], 'sources', (x: any, i) => {
    const url = c.str(x?.url, `sources[${i}].url`);
    if (!/^https:\/\/\S+$/.test(url)) c.fail(`sources[${i}].url must be an https address`);
    return { title: c.str(x?.title, `sources[${i}].title`), url, ...(x?.versions !== undefined ? { versions: String(x.versions) } : {}) };
  }, p.generic ? 0 : 1);
  const variables: Record<string, PlaybookVariable> = {};
  for (const [name, v] of Object.entries((p.variables ?? {}) as Record<string, any>)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) c.fail(`variable name "${name}" must be lower-case letters, digits and _`);
    variables[name] = {
      ...v,
      label: c.text(v?.label, `variables.${name}.label`),
      default: String(c.str(String(v?.default ?? ''), `variables.${name}.default`)),
      extract: c.extractors(v?.extract, `variables.${name}.extract`),
      derive: v?.derive === undefined ? undefined : {
        from: c.str(v.derive?.from, `variables.${name}.derive.from`),
        table: Object.fromEntries(Object.entries(v.derive?.table ?? {}).map(([k, x]) => [k, c.str(String(x), `variables.${name}.derive.table.${k}`)])),
        fact: v.derive?.fact === true,
      },
    };
  }
  for (const [name, v] of Object.entries(variables)) {
    if (v.derive && !variables[v.derive.from]) c.fail(`variables.${name}.derive.from names no variable: ${v.derive.from}`);
    if (v.derive && variables[v.derive.from]!.derive) c.fail(`variables.${name}.derive.from must name a variable that is not itself derived`);
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
    covers,
    sources,
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
