/**
 * The shape of a rule, and the adapter that makes each rule a unified lint plugin (remark-lint style), so the
 * same checks run from our CLI (over cached models, task by task) and under `remark --use ops-docs/preset`.
 */
import type { Root, Nodes } from 'mdast';
import type { VFile } from 'vfile';
import type { Aliases, DocSpec, Kind, Requirement, SectionSpec, Standard, Text } from '../standard/types.js';
import { buildModel, findSection, positionOf, type DocModel, type Position, type Section } from '../document/model.js';

export type Severity = 'error' | 'warning';
/** What a team may set a rule id to, in `rules:` of its ops/templates/standard/common.yaml. */
export type Setting = Severity | 'off';

/**
 * The severity a finding is reported with: the team's setting for its rule id when there is one (`rules:` in
 * common.yaml), else the rule's own. Under --strict a warning the rule raises as an error stays an error unless
 * the team turned the id off.
 */
export function severityFor(standard: Standard, ruleId: string, own: Severity): Setting {
  return standard.common.rules?.[ruleId] ?? own;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  severity: Severity;
  message: string;
}

export interface Options {
  strict?: boolean;
  /**
   * Where a rule may leave work that finishes later (ShellCheck runs as a child process while the next document is
   * parsed): the caller awaits these and adds their findings. Without it, rules do that work before returning.
   */
  pending?: Promise<Finding[]>[];
}

interface BaseContext {
  standard: Standard;
  strict: boolean;
}

export type Report = (ruleId: string, message: Text, at?: Nodes | Position, severity?: Severity) => void;

export interface DocContext extends BaseContext {
  model: DocModel;
  spec: DocSpec | undefined;
  report: Report;
  /** Finish `work` after the synchronous pass, reporting through the report it is given; absent: do it now. */
  defer?(work: (report: Report) => Promise<void>): void;
}

export interface TaskContext extends BaseContext {
  /** The task folder's name (or the frontmatter task when the files are not in a task folder). */
  task: string;
  dir: string;
  /** Markdown file names found in the task folder. */
  files: string[];
  docs: Map<Kind, DocModel>;
  report(model: DocModel | string, ruleId: string, message: Text, at?: Nodes | Position, severity?: Severity): void;
}

/** What remark-lint calls a rule's meta: where it comes from, where it is documented, which ids it reports. */
export interface RuleMeta {
  /** `ops-docs:<rule-name>`: the source and name of the rule, as in remark-lint (`remark-lint:<rule-name>`). */
  origin: string;
  /** Where the rule is explained; by default its file in the package (its doc comment is the documentation). */
  url?: string;
  /**
   * The rule ids this rule reports, declared per rule file. Ids that follow the standard (`runbook-steps-time`)
   * are derived from it, so a team's own sections get their own ids. Each id can be set to error, warning or off.
   */
  ids(standard: Standard): string[];
}

interface RuleBase {
  /** The rule's name: the part of `origin` after the colon. */
  name: string;
  origin: string;
  url: string;
  ids(standard: Standard): string[];
}
export interface DocRule extends RuleBase {
  scope: 'document';
  check(ctx: DocContext): void;
}
export interface TaskRule extends RuleBase {
  scope: 'task';
  check(ctx: TaskContext): void;
}

/** The package has no public home page to link to yet: a rule's default url is its file, package-relative. */
const RULES_URL = 'src/validate/rules/';

function base(meta: RuleMeta): RuleBase {
  const name = meta.origin.replace(/^[^:]*:/, '');
  return { name, origin: meta.origin, url: meta.url ?? `${RULES_URL}${name}.ts`, ids: meta.ids };
}

/** A document rule in the remark-lint shape: `defineRule({origin, url, ids}, check)`. */
export function defineRule(meta: RuleMeta, check: (ctx: DocContext) => void): DocRule {
  return { ...base(meta), scope: 'document', check };
}

/** A rule over a whole task folder (it needs the other documents of the task). */
export function defineTaskRule(meta: RuleMeta, check: (ctx: TaskContext) => void): TaskRule {
  return { ...base(meta), scope: 'task', check };
}

/** The rule ids a document rule derives from the standard: one per section of a kind, or per field of it. */
export function idsFor(standard: Standard, require: Requirement, parts: (section: SectionSpec) => string[]): string[] {
  const out: string[] = [];
  for (const doc of Object.values(standard.docs)) {
    for (const section of doc.sections) {
      if (section.require === require) for (const p of parts(section)) out.push(`${doc.kind}-${section.id}${p ? `-${p}` : ''}`);
    }
  }
  return out;
}

export type Rule = DocRule | TaskRule;

/**
 * The other names a reader may use for an element, for messages: ` (also: Overview, Summary, …)` in English,
 * `（也可写作：概要、摘要……）` in Chinese; empty when there are none.
 */
export function alsoKnownAs(label: Text, aliases: Aliases, max = 4): Text {
  const list = (own: string[], main: string) => {
    const all = [...new Set(own)].filter((x) => x !== main);
    return { shown: all.slice(0, max), more: all.length > max };
  };
  const en = list(aliases.en, label.en);
  const zh = list(aliases.zh, label.zh);
  return {
    en: en.shown.length ? ` (also: ${en.shown.join(', ')}${en.more ? ', …' : ''})` : '',
    zh: zh.shown.length ? `（也可写作：${zh.shown.join('、')}${zh.more ? '……' : ''}）` : '',
  };
}

/** Fill `{name}` slots of a message. */
export function fill(text: Text, vars: Record<string, string | number>): Text {
  const sub = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  return { en: sub(text.en), zh: sub(text.zh) };
}

function where(at: Nodes | Position | undefined): Position {
  if (!at) return { line: 1, column: 1 };
  if ('line' in at && typeof at.line === 'number') return at as Position;
  return positionOf(at as Nodes);
}

export function docContext(model: DocModel, standard: Standard, opts: Options, sink: Finding[]): DocContext {
  const reportInto = (out: Finding[]): Report => (ruleId, message, at, severity = 'error') => {
    const set = severityFor(standard, ruleId, severity);
    if (set === 'off') return;
    const p = where(at);
    out.push({ file: model.path, line: p.line, column: p.column, ruleId, severity: set, message: message[model.lang] });
  };
  const pending = opts.pending;
  return {
    model,
    standard,
    strict: Boolean(opts.strict),
    spec: model.kind ? standard.docs[model.kind] : undefined,
    report: reportInto(sink),
    defer: pending && ((work) => {
      const late: Finding[] = [];
      pending.push(work(reportInto(late)).then(() => late));
    }),
  };
}

const models = new WeakMap<Root, DocModel>();

/** One model per tree, however many rule plugins look at it. */
export function modelFor(tree: Root, file: VFile): DocModel {
  let m = models.get(tree);
  if (!m) {
    m = buildModel(file.path ?? '', String(file.value ?? ''), tree);
    models.set(tree, m);
  }
  return m;
}

export function toVFile(file: VFile, findings: Finding[]): void {
  for (const f of findings) {
    const msg = file.message(f.message, { place: { line: f.line, column: f.column }, ruleId: f.ruleId, source: 'ops-docs' });
    msg.fatal = f.severity === 'error' ? true : false;
  }
}

export interface SectionFound<R extends Requirement> {
  spec: SectionSpec & Required<Pick<SectionSpec, Exclude<R, 'content'> & keyof SectionSpec>>;
  found: Section;
  /** The rule-id stem of the section: `runbook-steps`. */
  stem: string;
}

/**
 * The sections of the document's standard that require `require`, each with where it was found. A section that
 * is missing is skipped: required-sections reports it, once.
 */
export function* sectionsRequiring<R extends Requirement>(ctx: DocContext, require: R): Generator<SectionFound<R>> {
  const { model, spec } = ctx;
  if (!spec) return;
  for (const section of spec.sections) {
    if (section.require !== require) continue;
    if (require !== 'content' && !section[require as Exclude<Requirement, 'content'>]) continue;
    const found = findSection(model, section);
    if (!found) continue;
    yield { spec: section as SectionFound<R>['spec'], found, stem: `${spec.kind}-${section.id}` };
  }
}
