/**
 * Model text → a document we can check: our own frontmatter (the model never writes it: the task, kind and date
 * are ours, not its guess), the model's body cleaned of wrappers, and the validator's findings — per document,
 * across the four (checkTask), and against the plan they were written from (same ids, titles and minutes).
 */
import type { Kind, Standard } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { checkDocument, checkTask, readDocument, type Finding } from '../validate/index.js';
import type { DocModel, Item } from '../document/model.js';
import { findField, findSection, itemsOf, key, labelNames } from '../document/model.js';
import { parseNumber } from '../document/numbering.js';
import { fill } from '../validate/rule.js';
import { patternSource } from '../standard/load.js';
import type { PlanSkeleton, SkeletonStep } from './plan.js';
import { documentFileName } from '../standard/files.js';
import { frontmatterLines } from './frontmatter.js';
import { planPrefixes } from './plan-schema.js';

export function frontmatter(plan: PlanSkeleton, kind: Kind, standard: Standard): string {
  return `${frontmatterLines(plan, kind, standard).join('\n')}\n`;
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

export function assemble(plan: PlanSkeleton, kind: Kind, modelText: string, standard: Standard): string {
  return `${frontmatter(plan, kind, standard)}\n${cleanBody(modelText)}`;
}

export interface DraftCheck {
  model?: DocModel;
  findings: Finding[];
}

export function draftPath(plan: PlanSkeleton, kind: Kind): string {
  return `${plan.task}/${documentFileName(plan.task, kind)}`;
}

export function checkDraft(plan: PlanSkeleton, kind: Kind, text: string, standard: Standard, strict: boolean): DraftCheck {
  const read = readDocument({ path: draftPath(plan, kind), bytes: Buffer.from(text, 'utf8') });
  if ('finding' in read) return { findings: [read.finding] };
  return { model: read.model, findings: checkDocument(read.model, standard, { strict }) };
}

/** The task-level rules over the four drafts, and the plan agreement; findings grouped by the document they are on. */
export function checkAcross(plan: PlanSkeleton, models: Map<Kind, DocModel>, standard: Standard, strict: boolean): Map<Kind, Finding[]> {
  const findings = [
    ...checkTask({ task: plan.task, dir: plan.task, files: KINDS.map((k) => documentFileName(plan.task, k, standard)), docs: models }, standard, { strict }),
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
 * The runbook and the rollback plan carry the plan's items: the same ids in the same order, each under the plan's
 * title, and — where the standard gives an item a duration field (a runbook step's time estimate) — the plan's
 * minutes. The checklist and the postmortem template are rendered from the same plan, so a runbook that keeps to
 * it agrees with them too; one that drifts is sent back with this finding.
 */
export function planAgreement(plan: PlanSkeleton, models: Map<Kind, DocModel>, standard: Standard): Finding[] {
  const out: Finding[] = [];
  const p = planPrefixes(standard);
  const expect: [Kind, string, SkeletonStep[] | PlanSkeleton['decisions']][] = [
    ['runbook', p.step, plan.steps],
    ['runbook', p.decision, plan.decisions],
    ['rollback', p.rollback, plan.rollback.steps],
  ];
  const durationRe = new RegExp(patternSource(standard, 'duration'), 'iu');
  for (const [kind, prefix, want] of expect) {
    const model = models.get(kind);
    const spec = standard.docs[kind].sections.find((s) => s.items?.prefix === prefix);
    if (!model || !spec) continue;
    const section = findSection(model, spec);
    if (!section) continue; // required-sections reports it
    const report = (line: number, column: number, msg: { en: string; zh: string }) => out.push({
      file: model.path, line, column, ruleId: 'plan-agreement', severity: 'error', message: msg[model.lang],
    });
    const items = itemsOf(section, spec.items ?? prefix);
    const got = items.map((i) => i.id ?? '?');
    if (got.join(',') !== want.map((w) => w.id).join(',')) {
      report(section.start.line, section.start.column, fill({
        en: '"{title}" has items {got} but the plan has {want}: write one sub-heading per plan item, same ids, same order',
        zh: '“{title}”中的条目为 {got}，但计划为 {want}：请按计划逐项编写小标题，编号与顺序保持一致',
      }, { title: section.title, got: got.join(', ') || '—', want: want.map((w) => w.id).join(', ') }));
      continue; // titles and minutes are compared item by item only once the items line up
    }
    const durationField = spec.items!.fields.find((f) => f.match?.pattern === 'duration');
    items.forEach((item, i) => {
      const planned = want[i]!;
      const pos = item.heading.position?.start ?? section.start;
      const title = itemTitle(item);
      if (!sameTitle(title, planned.title)) {
        report(pos.line, pos.column, fill({
          en: '{id} is titled "{got}" but the plan calls it "{want}": use the plan\'s title',
          zh: '{id} 的标题为“{got}”，但计划中为“{want}”：请使用计划中的标题',
        }, { id: planned.id, got: title, want: planned.title }));
      }
      if (!durationField || !('minutes' in planned)) return;
      const hit = findField(item.nodes, labelNames(durationField));
      const found = hit ? durationRe.exec(hit.value)?.[0] : undefined;
      const minutes = found === undefined ? undefined : toMinutes(found);
      if (minutes === undefined || Math.abs(minutes - planned.minutes) < 0.5) return; // a missing or odd value is section-items' finding
      const at = hit?.node.position?.start ?? pos;
      report(at.line, at.column, fill({
        en: '{id} takes {got} min in "{label}" but {want} min in the plan: use the plan\'s minutes',
        zh: '{id} 的“{label}”为 {got} 分钟，但计划为 {want} 分钟：请使用计划中的时间',
      }, { id: planned.id, got: String(Math.round(minutes * 10) / 10), want: String(planned.minutes), label: durationField.label[model.lang] }));
    });
  }
  return out;
}

/** The title of an item heading without its label and number: "Step S1: Back up etcd", "1. Back up etcd" → "Back up etcd". */
function itemTitle(item: Item): string {
  return item.name.replace(/^\s*[:：.．、\-–—]\s*/u, '').trim();
}

/**
 * Titles agree when their words do: case, width, punctuation and spacing aside (the key of model.ts), and a trailing
 * parenthetical such as "(after S2)" / "（S2 之后）" aside.
 */
function sameTitle(a: string, b: string): boolean {
  const bare = (t: string) => key(t.normalize('NFKC').replace(/\s*\([^()]*\)\s*$/u, ''));
  return bare(a) === bare(b);
}

const UNIT_MINUTES: [RegExp, number][] = [
  [/^(?:s|secs?|seconds?|秒)$/iu, 1 / 60],
  [/^(?:m|mins?|minutes?|分钟|分)$/iu, 1],
  [/^(?:h|hrs?|hours?|小时)$/iu, 60],
  [/^(?:d|days?|天)$/iu, 24 * 60],
];

/** "15 min" → 15, "2 h" → 120, "30 秒" → 0.5; what the standard's duration pattern matched. */
function toMinutes(duration: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百半]+)个?\s*(\S+)$/u.exec(duration.trim());
  if (!m) return undefined;
  const factor = UNIT_MINUTES.find(([re]) => re.test(m[2]!))?.[1];
  const n = parseNumber(m[1]!);
  return factor === undefined || n === undefined ? undefined : n * factor;
}
