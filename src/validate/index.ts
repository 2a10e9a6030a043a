/**
 * The validator: documents in, findings out. No filesystem here — callers hand over bytes (the validate verb
 * walks the ops tree; the remark preset reads siblings itself).
 */
import { dirname, basename } from 'node:path';
import type { Kind, Standard } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { StandardError } from '../standard/load.js';
import { sortFindings } from './sort.js';
import { buildModel, type DocModel } from '../document/model.js';
import { parseMarkdown } from '../document/parse.js';
import { docContext, fill, severityFor, type DocRule, type Finding, type Options, type Rule, type TaskContext, type TaskRule } from './rule.js';
import { documentKind } from './rules/document-kind.js';
import { frontmatterSchema } from './rules/frontmatter-schema.js';
import { requiredSections } from './rules/required-sections.js';
import { sectionFields } from './rules/section-fields.js';
import { sectionItems } from './rules/section-items.js';
import { sectionTable } from './rules/section-table.js';
import { sectionList } from './rules/section-list.js';
import { printableTables } from './rules/printable-tables.js';
import { noPlaceholders } from './rules/no-placeholders.js';
import { taskFiles } from './rules/task-files.js';
import { checklistCoverage } from './rules/checklist-coverage.js';
import { reviewArithmetic } from './rules/review-arithmetic.js';
import { reviewCommands } from './rules/review-commands.js';
import { reviewGates } from './rules/review-gates.js';
import { reviewBackup } from './rules/review-backup.js';
import { reviewRestoreSource } from './rules/review-restore-source.js';
import { reviewRequestNames } from './rules/review-request-names.js';
import { reviewChecklistTimes } from './rules/review-checklist-times.js';
import { reviewWindowRollback } from './rules/review-window-rollback.js';

export type { Finding, Severity, Options } from './rule.js';
export { sortFindings };

export const DOCUMENT_RULES: DocRule[] = [
  documentKind, frontmatterSchema, requiredSections, sectionFields, sectionItems, sectionTable, sectionList, printableTables, noPlaceholders,
  reviewArithmetic, reviewCommands, reviewGates, reviewBackup, reviewRequestNames,
];
export const TASK_RULES: TaskRule[] = [taskFiles, checklistCoverage, reviewRestoreSource, reviewChecklistTimes, reviewWindowRollback];
export const RULES: Rule[] = [...DOCUMENT_RULES, ...TASK_RULES];

/** Larger files are reported, not parsed: no runbook is 2 MB, and parsing one would stall a CI run. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export interface SourceFile {
  path: string;
  bytes: Uint8Array;
  /** Set when the document was not read (or not parsed within its budget): the finding that says why. */
  finding?: Finding;
}

export type ReadResult = { model: DocModel } | { finding: Finding };

const decoder = new TextDecoder('utf-8', { fatal: true });

function unreadable(path: string, lang: 'en' | 'zh', en: string, zh: string): { finding: Finding } {
  return { finding: { file: path, line: 1, column: 1, ruleId: 'document-readable', severity: 'error', message: lang === 'zh' ? zh : en } };
}

/** Bytes → model, or a `document-readable` finding for what cannot be read as a markdown document. */
export function readDocument(file: SourceFile): ReadResult {
  const { path, bytes } = file;
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    return unreadable(path, 'en', `file is ${mb} MB; documents over ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB are not checked: split it or remove what does not belong`,
      `文件大小 ${mb} MB；超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 的文档不做检查：请拆分或删除无关内容`);
  }
  if (bytes.includes(0)) {
    return unreadable(path, 'en', 'file is binary (it contains NUL bytes), not a markdown document', '文件是二进制文件（包含 NUL 字节），不是 markdown 文档');
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return unreadable(path, 'en', 'file is not valid UTF-8: save it as UTF-8', '文件不是有效的 UTF-8 编码：请以 UTF-8 保存');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { model: buildModel(path, text, parseMarkdown(text)) };
  } catch (err) {
    return unreadable(path, 'en', `file could not be parsed (${(err as Error).message.slice(0, 120)}): simplify its structure`,
      `文件无法解析（${(err as Error).message.slice(0, 120)}）：请简化其结构`);
  }
}

const settingsChecked = new WeakSet<Standard>();
/**
 * A team's `rules:` settings name rule ids that exist and set them to error, warning or off; anything else is
 * refused (a misspelt id would silently change nothing). Checked once per standard.
 */
export function checkRuleSettings(standard: Standard): void {
  if (settingsChecked.has(standard)) return;
  const settings = standard.common.rules ?? {};
  if (typeof settings !== 'object' || Array.isArray(settings)) throw new StandardError('common.yaml: rules must map rule ids to error, warning or off');
  const known = new Set(['document-readable', ...RULES.flatMap((r) => r.ids(standard))]);
  for (const [id, value] of Object.entries(settings)) {
    if (!known.has(id)) throw new StandardError(`common.yaml: rules names "${id}", which is no rule id (see README, Rule ids)`);
    if (!['error', 'warning', 'off'].includes(String(value))) throw new StandardError(`common.yaml: rules.${id} is "${String(value)}"; expected error, warning or off`);
  }
  settingsChecked.add(standard);
}

export function checkDocument(model: DocModel, standard: Standard, opts: Options = {}): Finding[] {
  checkRuleSettings(standard);
  const out: Finding[] = [];
  const ctx = docContext(model, standard, opts, out);
  // The error's first line: Node adds the require stack (paths inside the bundle that ran) to a missing module's.
  const failed = (rule: DocRule, err: unknown) => fill({ en: 'rule {rule} could not read this document ({e})', zh: '规则 {rule} 无法读取此文档（{e}）' },
    { rule: rule.name, e: String((err as Error).message).split('\n')[0]!.slice(0, 120) });
  for (const rule of DOCUMENT_RULES) {
    // Work a rule leaves for later fails the way its synchronous part does: a finding on the document.
    const defer = ctx.defer;
    const ruleCtx = defer ? { ...ctx, defer: (work: Parameters<typeof defer>[0]) => defer(async (report) => {
      try {
        await work(report);
      } catch (err) {
        report('document-readable', failed(rule, err));
      }
    }) } : ctx;
    try {
      rule.check(ruleCtx);
    } catch (err) {
      ctx.report('document-readable', failed(rule, err));
    }
  }
  return out;
}

export interface TaskGroup {
  task: string;
  dir: string;
  /** Every markdown file name in the folder, read or not. */
  files: string[];
  docs: Map<Kind, DocModel>;
}

export function checkTask(group: TaskGroup, standard: Standard, opts: Options = {}): Finding[] {
  const out: Finding[] = [];
  const ctx: TaskContext = {
    ...group,
    standard,
    strict: Boolean(opts.strict),
    report(model, ruleId, message, at, severity = 'error') {
      const set = severityFor(standard, ruleId, severity);
      if (set === 'off') return;
      const doc = typeof model === 'string' ? undefined : model;
      const file = typeof model === 'string' ? `${group.dir}/${model}` : model.path;
      const p = at && 'line' in at && typeof at.line === 'number' ? at as { line: number; column: number }
        : (at as { position?: { start: { line: number; column: number } } } | undefined)?.position?.start ?? { line: 1, column: 1 };
      out.push({ file, line: p.line, column: p.column, ruleId, severity: set, message: message[doc?.lang ?? 'en'] });
    },
  };
  for (const rule of TASK_RULES) rule.check(ctx);
  return out;
}

/**
 * Validate files that belong to tasks. Files are grouped by folder; each folder is one task named after it.
 * Every file given is checked as a document; task rules run once per folder.
 */
export function validateSources(files: SourceFile[], standard: Standard, opts: Options = {}): Finding[] {
  const groups = new Map<string, SourceFile[]>();
  for (const f of files) {
    const dir = dirname(f.path);
    const list = groups.get(dir) ?? [];
    list.push(f);
    groups.set(dir, list);
  }
  const findings: Finding[] = [];
  for (const [dir, list] of groups) findings.push(...validateTaskSources(dir, list, standard, opts));
  return sortFindings(findings);
}

/** Validate documents each on its own, without the task rules: files handed over outside any task folder. */
export function validateDocumentSources(list: SourceFile[], standard: Standard, opts: Options = {}, onDoc: (index: number) => void = () => {}): Finding[] {
  return list.flatMap((f, i) => {
    onDoc(i);
    const read = f.finding ? { finding: f.finding } : readDocument(f);
    return 'finding' in read ? [read.finding] : checkDocument(read.model, standard, opts);
  });
}

/**
 * `names`: every document name of the folder, parsed or not (task-files needs the names only); `onDoc` is told
 * which document is next, so that a runner can tell which one exceeded its budget.
 */
export function validateTaskSources(dir: string, list: SourceFile[], standard: Standard, opts: Options = {},
  names = list.map((f) => basename(f.path)), onDoc: (index: number) => void = () => {}): Finding[] {
  const findings: Finding[] = [];
  const docs = new Map<Kind, DocModel>();
  for (const [i, f] of list.entries()) {
    onDoc(i);
    const read = f.finding ? { finding: f.finding } : readDocument(f);
    if ('finding' in read) {
      findings.push(read.finding);
      continue;
    }
    findings.push(...checkDocument(read.model, standard, opts));
    const kind = read.model.kind;
    if (kind && !docs.has(kind)) docs.set(kind, read.model);
  }
  findings.push(...checkTask({ task: basename(dir), dir, files: names, docs }, standard, opts));
  return findings;
}

export { KINDS };
