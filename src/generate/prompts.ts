/**
 * Prompt assembly: the files in prompts/ are the words, this module fills their `{{slots}}` from the standard
 * (every section's heading, guidance, fields, columns and rows in the document language), the request and the plan.
 *
 * The system prompt is the one cached prefix of a run: it must come out byte-identical for the plan call and the
 * document calls, so it holds only what they share and nothing that varies per call (no times, no counters).
 * It describes only the documents a model writes (the runbook and the rollback plan): the checklist and the
 * postmortem template are rendered from the plan's skeleton, and describing them would be cached tokens no call
 * reads.
 */
import { documentFileName } from '../standard/files.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../standard/load.js';
import type { FieldSpec, Kind, Lang, Match, SectionSpec, Standard } from '../standard/types.js';
import { KINDS, kindName } from '../standard/types.js';
import type { Finding } from '../validate/rule.js';
import type { GenerateRequest } from './types.js';
import { totalMinutes, rollbackMinutes, type Plan, type PlanSkeleton } from './plan.js';
import { PLAN_TOOL } from './plan-schema.js';
import { isSkeletonKind, type SkeletonKind } from './render.js';

/** The documents a model writes; the others are rendered from the plan's skeleton. */
export type ModelKind = Exclude<Kind, SkeletonKind>;
export const MODEL_KINDS: ModelKind[] = KINDS.filter((k): k is ModelKind => !isSkeletonKind(k));

export const PROMPTS_DIR = join(PACKAGE_ROOT, 'prompts');

const files = new Map<string, string>();

export function promptFile(name: string): string {
  let text = files.get(name);
  if (text === undefined) {
    text = readFileSync(join(PROMPTS_DIR, `${name}.md`), 'utf8');
    files.set(name, text);
  }
  return text;
}

/**
 * Fill `{{slot}}`s in one pass (a value that itself contains `{{…}}` — a user's description — is never expanded),
 * and refuse a template whose slots are not all given: a silent empty slot would be a prompt that lies.
 */
export function fillSlots(template: string, slots: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    if (!(name in slots)) throw new Error(`prompt slot {{${name}}} has no value`);
    return String(slots[name]);
  });
}

const LANGUAGE_NAME: Record<Lang, string> = { en: 'English', zh: 'Simplified Chinese (简体中文)' };
/** The label separator the standard's documents use: `- **Verification:**`, `- **验证检查点：**`. */
const COLON: Record<Lang, string> = { en: ':', zh: '：' };
const HEADING_SEP: Record<Lang, string> = { en: ': ', zh: '：' };
const DURATIONS: Record<Lang, string> = { en: '`5 min`, `90 min`, `2 h`', zh: '`5 分钟`、`90 分钟`、`2 小时`' };

/** How a pattern reads to a writer: the standard's hint for it (as the validator says it), else its alternatives or regex. */
function describeMatch(standard: Standard, m: Match, lang: Lang): string {
  const named = standard.common.hints?.[m.name ?? m.pattern] ?? standard.common.hints?.[m.pattern];
  if (named) return named[lang];
  if (/^[\p{L}\p{N} \-[\]]+(\|[\p{L}\p{N} \-[\]]+)+$/u.test(m.pattern)) return `contains one of: ${m.pattern.split('|').join(' | ')}`;
  return `matches /${m.pattern}/`;
}

function fieldLine(standard: Standard, f: FieldSpec, lang: Lang, indent: string): string {
  const notes: string[] = [];
  if (f.match) notes.push(describeMatch(standard, f.match, lang));
  if (f.command) notes.push('the value is a fenced code block with a language, indented under the label');
  if (f.empty === 'allowed') notes.push('may be left empty in this template');
  return `${indent}- \`- **${f.label[lang]}${COLON[lang]}** …\`${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function describeSection(standard: Standard, s: SectionSpec, lang: Lang): string[] {
  const out = [`- \`## ${s.title[lang]}\` — ${s.guidance[lang]}`];
  const sp = '  ';
  switch (s.require) {
    case 'content':
      out.push(`${sp}Free text: paragraphs or a list.`);
      break;
    case 'fields':
      out.push(`${sp}Labelled fields, one list item each:`);
      for (const f of s.fields ?? []) out.push(fieldLine(standard, f, lang, sp));
      break;
    case 'items': {
      const it = s.items!;
      const head = (n: number) => `### ${it.label[lang]} ${it.prefix}${n}${HEADING_SEP[lang]}…`;
      out.push(`${sp}One level-3 sub-heading per item, ids ${it.prefix}1, ${it.prefix}2 … in order: \`${head(1)}\`, \`${head(2)}\`.`);
      out.push(`${sp}Under each${it.command ? ', first one fenced code block with a language (the command), then' : ''} these fields:`);
      for (const f of it.fields) out.push(fieldLine(standard, f, lang, sp));
      break;
    }
    case 'table': {
      const t = s.table!;
      out.push(`${sp}A table with these columns, in this order: \`| ${t.columns.map((c) => c.label[lang]).join(' | ')} |\`.`);
      if (t.rows?.length) out.push(`${sp}Rows whose first cell reads exactly: ${t.rows.map((r) => `\`${r.label[lang]}\``).join(', ')}.`);
      if (t.idColumn && t.idPrefix) {
        const col = t.columns.find((c) => c.id === t.idColumn)?.label[lang] ?? t.idColumn;
        out.push(`${sp}Exactly one row per runbook item ${t.idPrefix}1, ${t.idPrefix}2 …, its id in the \`${col}\` column.`);
      } else if (t.minRows) out.push(`${sp}At least ${t.minRows} row${t.minRows > 1 ? 's' : ''}.`);
      break;
    }
    case 'list': {
      const l = s.list!;
      out.push(`${sp}A bullet list of at least ${l.minItems} item${l.minItems > 1 ? 's' : ''}${l.match ? `, each ${describeMatch(standard, l.match, lang)}` : ''}.`);
      break;
    }
  }
  return out;
}

/** The structure of one document kind, in the document language: what the writer and the validator agree on. */
export function describeDocument(standard: Standard, kind: Kind, lang: Lang): string {
  const spec = standard.docs[kind];
  const lines = [`### ${kind} — file \`${documentFileName('<task>', kind, standard)}\``, `Title line: \`# ${spec.title[lang]}\` ({title} is the plan's title).`];
  if (spec.maxTableColumns) lines.push(`Tables have at most ${spec.maxTableColumns} columns, so that they print on one page.`);
  lines.push('Sections, in this order, each a level-2 heading written exactly as shown:');
  for (const s of spec.sections) lines.push(...describeSection(standard, s, lang));
  return lines.join('\n');
}

function placeholderRule(standard: Standard, lang: Lang, kinds: Kind[]): string {
  const blanks = kinds.filter((k) => standard.docs[k].placeholders === 'allowed').map((k) => kindName(standard, k, 'en'));
  const words = lang === 'zh' ? 'TODO, TBD, FIXME, `<…>`, 待填写, 待定, 待补充' : 'TODO, TBD, FIXME, `<…>`';
  const rule = `No placeholders (${words}) in any document${blanks.length ? ` except the ${blanks.join(', ')}` : ''}: where a value is not
   known, write the command that finds it out.`;
  return blanks.length ? `${rule} The ${blanks.join(', ')} is filled in after the change: there, leave blanks where the facts of the day go.` : rule;
}

/** The one shared, cached system prompt of a run. */
export function systemPrompt(request: GenerateRequest): string {
  const { standard, lang, task } = request;
  const kinds = standard.common.kinds.filter((k) => !isSkeletonKind(k));
  const guidance = request.guidance
    ? fillSlots(promptFile('guidance'), {
      playbook: request.playbook ?? 'playbook',
      playbook_plan: JSON.stringify(stripFrame(request.guidance), null, 1),
    })
    : '';
  return fillSlots(promptFile('system'), {
    language_name: LANGUAGE_NAME[lang],
    colon: COLON[lang],
    placeholder_rule: placeholderRule(standard, lang, kinds),
    duration_examples: DURATIONS[lang],
    standard: kinds.map((k) => describeDocument(standard, k, lang)).join('\n\n'),
    task: task.name,
    date: task.date,
    system: task.system,
    operation: task.operation,
    description: asData(request.description),
    guidance,
  }).trimEnd() + '\n';
}

/** The fields of a plan a model should learn from: not the frame (task, date), which belong to this run. */
function stripFrame(plan: Plan): Omit<Plan, 'task' | 'lang' | 'created'> {
  const { task: _t, lang: _l, created: _c, ...rest } = plan;
  return rest;
}

/** User text goes inside a tag; it must not be able to close that tag and speak as the prompt. */
function asData(text: string): string {
  return text.replace(/<\s*\/\s*description\s*>/gi, '</ description>').trim();
}

export function planPrompt(request: GenerateRequest): string {
  return fillSlots(promptFile('plan'), { tool: PLAN_TOOL, language_name: LANGUAGE_NAME[request.lang] });
}


export function titleLine(standard: Standard, kind: Kind, lang: Lang, title: string): string {
  return `# ${standard.docs[kind].title[lang].replace('{title}', title)}`;
}


/** The skeleton as the document prompt shows it: not the frame (task, language, date), which the system prompt has. */
function planForPrompt(plan: PlanSkeleton): Omit<PlanSkeleton, 'task' | 'lang' | 'created' | 'system' | 'operation'> {
  const { task: _t, lang: _l, created: _c, system: _s, operation: _o, ...rest } = plan;
  return rest;
}

export function documentPrompt(request: GenerateRequest, plan: PlanSkeleton, kind: ModelKind): string {
  const stepMinutes = plan.steps.reduce((s, x) => s + x.minutes, 0);
  const notes = fillSlots(promptFile(`document-${kind}`), {
    total_minutes: totalMinutes(plan),
    step_minutes: stepMinutes,
    buffer_minutes: plan.bufferMinutes,
    window_note: plan.windowMinutes ? `, inside the ${plan.windowMinutes}-minute window` : '',
    rollback_minutes: rollbackMinutes(plan),
  }).trimEnd();
  return fillSlots(promptFile('document'), {
    kind,
    file: documentFileName(plan.task, kind, request.standard),
    doc_name: kindName(request.standard, kind, 'en'),
    title_line: titleLine(request.standard, kind, plan.lang, plan.title),
    kind_notes: notes,
    plan: JSON.stringify(planForPrompt(plan), null, 1),
  }).trimEnd() + '\n';
}

/** Only errors are sent back: they are what must change; a warning list would invite needless rewrites. */
export function repairPrompt(request: GenerateRequest, plan: PlanSkeleton, kind: Kind, findings: Finding[]): string {
  const lines = findings
    .filter((f) => f.severity === 'error')
    .map((f) => `- [${f.ruleId}] line ${f.line}: ${f.message}`);
  return fillSlots(promptFile('repair'), {
    file: documentFileName(plan.task, kind, request.standard),
    findings: lines.join('\n'),
    title_line: titleLine(request.standard, kind, plan.lang, plan.title),
  }).trimEnd() + '\n';
}

export function planRepairPrompt(problems: string[]): string {
  return fillSlots(promptFile('plan-repair'), { tool: PLAN_TOOL, problems: problems.map((p) => `- ${p}`).join('\n') });
}
