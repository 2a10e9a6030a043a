/**
 * Model text → a document we can check: our own frontmatter (the model never writes it: the task, kind and date
 * are ours, not its guess), the model's body cleaned of wrappers, and the validator's findings — per document,
 * across the four (checkTask), and against the plan they were written from (same step and decision ids).
 */
import type { Kind, Standard } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { checkDocument, checkTask, readDocument, type Finding } from '../validate/index.js';
import type { DocModel } from '../validate/model.js';
import { findSection, itemsOf } from '../validate/model.js';
import { fill } from '../validate/rule.js';
import type { Plan } from './plan.js';
import { documentFile } from './prompts.js';

export function frontmatter(plan: Plan, kind: Kind): string {
  return [
    '---',
    `task: ${plan.task}`,
    `kind: ${kind}`,
    `language: ${plan.lang}`,
    `system: ${plan.system}`,
    `operation: ${plan.operation}`,
    'status: planned',
    `created: ${plan.created}`,
    '---',
    '',
  ].join('\n');
}

/**
 * What a model wraps around a document despite being asked not to: a ```markdown fence around the whole, its own
 * frontmatter, a sentence before the title. Only the wrappers go; the body is kept byte for byte.
 */
export function cleanBody(text: string): string {
  let t = text.replace(/\r\n/g, '\n').trim();
  const fenced = /^(`{3,}|~{3,})(?:markdown|md)?[ \t]*\n([\s\S]*?)\n\1[ \t]*$/i.exec(t);
  if (fenced) t = fenced[2]!.trim();
  if (t.startsWith('---\n')) {
    const end = t.indexOf('\n---', 4);
    if (end > 0) t = t.slice(end + 4).trim();
  }
  const title = /^# /m.exec(t);
  if (title && title.index > 0 && !/^(`{3,}|~{3,})/m.test(t.slice(0, title.index))) t = t.slice(title.index);
  return t + '\n';
}

export function assemble(plan: Plan, kind: Kind, modelText: string): string {
  return `${frontmatter(plan, kind)}\n${cleanBody(modelText)}`;
}

export interface DraftCheck {
  model?: DocModel;
  findings: Finding[];
}

export function draftPath(plan: Plan, kind: Kind): string {
  return `${plan.task}/${documentFile(plan.task, kind)}`;
}

export function checkDraft(plan: Plan, kind: Kind, text: string, standard: Standard, strict: boolean): DraftCheck {
  const read = readDocument({ path: draftPath(plan, kind), bytes: Buffer.from(text, 'utf8') });
  if ('finding' in read) return { findings: [read.finding] };
  return { model: read.model, findings: checkDocument(read.model, standard, { strict }) };
}

/** The task-level rules over the four drafts, and the plan agreement; findings grouped by the document they are on. */
export function checkAcross(plan: Plan, models: Map<Kind, DocModel>, standard: Standard, strict: boolean): Map<Kind, Finding[]> {
  const findings = [
    ...checkTask({ task: plan.task, dir: plan.task, files: KINDS.map((k) => documentFile(plan.task, k)), docs: models }, standard, { strict }),
    ...planAgreement(plan, models, standard),
  ];
  const byKind = new Map<Kind, Finding[]>(KINDS.map((k) => [k, []]));
  for (const f of findings) {
    const kind = KINDS.find((k) => f.file === draftPath(plan, k)) ?? 'runbook';
    byKind.get(kind)!.push(f);
  }
  return byKind;
}

/**
 * The runbook and the rollback plan carry the plan's item ids, in order: the checklist is checked against the
 * runbook (checklist-coverage), so the runbook must in turn be the plan, or the four drift apart together.
 */
export function planAgreement(plan: Plan, models: Map<Kind, DocModel>, standard: Standard): Finding[] {
  const out: Finding[] = [];
  const expect: [Kind, string, string[]][] = [
    ['runbook', 'S', plan.steps.map((s) => s.id)],
    ['runbook', 'G', plan.decisions.map((d) => d.id)],
    ['rollback', 'R', plan.rollback.steps.map((s) => s.id)],
  ];
  for (const [kind, prefix, want] of expect) {
    const model = models.get(kind);
    const spec = standard.docs[kind].sections.find((s) => s.items?.prefix === prefix);
    if (!model || !spec) continue;
    const section = findSection(model, spec);
    if (!section) continue; // required-sections reports it
    const got = itemsOf(section, prefix).map((i) => i.id ?? '?');
    if (got.join(',') === want.join(',')) continue;
    const msg = fill({
      en: '"{title}" has items {got} but the plan has {want}: write one sub-heading per plan item, same ids, same order',
      zh: '“{title}”中的条目为 {got}，但计划为 {want}：请按计划逐项编写小标题，编号与顺序保持一致',
    }, { title: section.title, got: got.join(', ') || '—', want: want.join(', ') });
    out.push({
      file: model.path, line: section.start.line, column: section.start.column,
      ruleId: 'plan-agreement', severity: 'error', message: msg[model.lang],
    });
  }
  return out;
}
