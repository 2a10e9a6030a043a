/**
 * The shape of a rule, and the adapter that makes each rule a unified lint plugin (remark-lint style), so the
 * same checks run from our CLI (over cached models, task by task) and under `remark --use ops-docs/preset`.
 */
import type { Root, Nodes } from 'mdast';
import type { VFile } from 'vfile';
import type { DocSpec, Kind, Standard, Text } from '../standard/types.js';
import { buildModel, positionOf, type DocModel, type Position } from '../document/model.js';

export type Severity = 'error' | 'warning';

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
}

interface BaseContext {
  standard: Standard;
  strict: boolean;
}

export interface DocContext extends BaseContext {
  model: DocModel;
  spec: DocSpec | undefined;
  report(ruleId: string, message: Text, at?: Nodes | Position, severity?: Severity): void;
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

export interface DocRule {
  name: string;
  scope: 'document';
  check(ctx: DocContext): void;
}
export interface TaskRule {
  name: string;
  scope: 'task';
  check(ctx: TaskContext): void;
}
export type Rule = DocRule | TaskRule;

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
  return {
    model,
    standard,
    strict: Boolean(opts.strict),
    spec: model.kind ? standard.docs[model.kind] : undefined,
    report(ruleId, message, at, severity = 'error') {
      const p = where(at);
      sink.push({ file: model.path, line: p.line, column: p.column, ruleId, severity, message: message[model.lang] });
    },
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
