/**
 * Plan + standard → the four markdown documents. Every heading, label and column header comes from the standard
 * (templates/standard/*.yaml or a team's override), so a section added there is rendered too: the renderer knows
 * how to fill the sections it has plan data for, and writes any other one as its heading, its guidance and a
 * TODO skeleton of the right shape, which `validate` then reports as a blank to fill in.
 *
 * The checklist and the postmortem template read only the plan's skeleton (ids, titles, minutes, decisions,
 * prerequisites, post-checks): the Anthropic provider renders them here from the model's skeleton, so they cannot
 * disagree with it and cost no tokens.
 */
import type { DocSpec, FieldSpec, ItemsSpec, Kind, Labelled, Lang, SectionSpec, Standard, TableSpec } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { frontmatterLines } from './frontmatter.js';
import { rollbackMinutes, sectionKey, totalMinutes, type Code, type FieldValue, type ItemContent, type Plan, type PlanSkeleton, type SectionContent } from './plan.js';

type Value = FieldValue;

/** What a section renderer reads: the full plan for the runbook and the rollback plan, the skeleton for the rest. */
interface Ctx<P extends PlanSkeleton = Plan> {
  plan: P;
  lang: Lang;
  standard: Standard;
}

const TODO = 'TODO';

const WORDS = {
  minutes: { en: (n: number) => `${n} min`, zh: (n: number) => `${n} 分钟` },
  total: {
    en: (t: number, b: number, w?: number) => `${t} min, including ${b} min buffer${w ? `, inside the ${w} min window` : ''}`,
    zh: (t: number, b: number, w?: number) => `${t} 分钟，含 ${b} 分钟缓冲${w ? `，在 ${w} 分钟变更窗口内` : ''}`,
  },
  rollbackTotal: {
    en: (t: number, parts: string) => `${t} min (${parts})`,
    zh: (t: number, parts: string) => `${t} 分钟（${parts}）`,
  },
  after: { en: (id: string) => ` (after ${id})`, zh: (id: string) => `（${id} 之后）` },
  prerequisites: { en: 'Prerequisites', zh: '前置条件' },
  windowOpened: { en: 'Change window opened', zh: '变更窗口开始' },
  windowClosed: { en: 'Change closed (all-clear)', zh: '变更结束（确认恢复）' },
  decision: { en: 'decision', zh: '决策' },
  planned: { en: 'Planned', zh: '计划' },
  actual: { en: 'Actual', zh: '实际' },
};

const colon = (lang: Lang) => (lang === 'zh' ? '：' : ': ');

/** `- **Label:** value`, or a label followed by an indented code block (several lines, blank-separated). */
function fieldLines(lang: Lang, label: string, value: Value): string[] {
  const head = lang === 'zh' ? `- **${label}：**` : `- **${label}:**`;
  if (typeof value === 'string') return [value ? `${head} ${value}` : head];
  return [head, '', indent(fence(value), '  '), ''];
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

/** A fence longer than any run of backticks inside, so a command can never close its own block. */
function fence({ code, lang }: Code): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${code.replace(/\n+$/, '')}\n${f}`;
}

function fields(ctx: Ctx<PlanSkeleton>, specs: FieldSpec[], values: Record<string, Value>): string[] {
  const out = specs.flatMap((f) => fieldLines(ctx.lang, f.label[ctx.lang], values[f.id] ?? (f.empty === 'allowed' ? '' : TODO)));
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function table(ctx: Ctx<PlanSkeleton>, columns: Labelled[], rows: Record<string, string>[]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`.replace(/ {2,}\|/g, ' |');
  return [
    line(columns.map((c) => cell(c.label[ctx.lang]))),
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => line(columns.map((c) => cell(r[c.id] ?? '')))),
  ];
}

type ItemData = ItemContent;

/**
 * One sub-heading per item. Steps read "Step S1: …" / "步骤 S1：…"; decision points carry only their id
 * ("G1: …"), as in the standard's own examples, because "Decision point G1" says the section's title twice.
 */
function items(ctx: Ctx<PlanSkeleton>, spec: ItemsSpec, depth: number, list: ItemData[]): string[] {
  const out: string[] = [];
  for (const it of list) {
    const label = spec.command ? `${spec.label[ctx.lang]} ${it.id}` : it.id;
    out.push(`${'#'.repeat(depth)} ${label}${colon(ctx.lang).trimEnd()}${ctx.lang === 'zh' ? '' : ' '}${it.title}`, '');
    if (spec.command) out.push(fence(it.command ?? { code: `# ${TODO}`, lang: 'bash' }), '');
    out.push(...fields(ctx, spec.fields, it.fields), '');
  }
  return out;
}

/** What the renderer writes for a section it has no plan data for: the shape, with blanks. */
function skeleton(ctx: Ctx<PlanSkeleton>, section: SectionSpec, depth: number): string[] {
  const guidance = section.guidance[ctx.lang];
  const out = guidance ? [`_${guidance}_`, ''] : [];
  switch (section.require) {
    case 'fields':
      return [...out, ...fields(ctx, section.fields ?? [], {})];
    case 'items':
      return [...out, ...items(ctx, section.items!, depth + 1, [{ id: `${section.items!.prefix}1`, title: TODO, fields: {} }])];
    case 'table': {
      const t = section.table!;
      const rows = t.rows?.length ? t.rows.map((r) => ({ [t.columns[0]!.id]: r.label[ctx.lang] })) : [{ [t.columns[0]!.id]: TODO }];
      return [...out, ...table(ctx, t.columns, rows)];
    }
    case 'list':
      return [...out, `- ${TODO}`];
    default:
      return [...out, TODO];
  }
}

type SectionRenderer<P extends PlanSkeleton = Plan> = (ctx: Ctx<P>, section: SectionSpec, depth: number) => string[] | undefined;

const minutes = (ctx: Ctx<PlanSkeleton>, n: number) => WORDS.minutes[ctx.lang](n);

function signRows(t: TableSpec, first: string, texts: string[], done = '[ ]'): Record<string, string>[] {
  const doneCol = t.columns[1]?.id;
  return texts.map((text) => ({ [first]: text, ...(doneCol ? { [doneCol]: done } : {}) }));
}

/**
 * Any section from its content in the plan, in the shape the standard gives it: the one renderer for sections
 * whose content is data (a playbook's `sections`, a model skeleton's skeleton sections).
 */
function fromContent(ctx: Ctx<PlanSkeleton>, section: SectionSpec, depth: number, content: SectionContent): string[] {
  switch (section.require) {
    case 'content':
      return [String(content)];
    case 'list':
      return (content as string[]).map((x) => `- ${x}`);
    case 'fields':
      return fields(ctx, section.fields ?? [], content as Record<string, Value>);
    case 'table':
      return table(ctx, section.table!.columns, content as Record<string, string>[]);
    case 'items':
      return items(ctx, section.items!, depth + 1, content as ItemContent[]);
  }
}

/**
 * One section as a document has it — its `## ` heading and body — from content in the shape its `require` names
 * (or, without content, the marked blank). For tools that add a section to an existing document.
 */
export function renderSection(section: SectionSpec, content: SectionContent | undefined, lang: Lang, standard: Standard): string {
  // Only the language and the standard are read when a section is written from its content or as a blank.
  const ctx = { lang, standard } as Ctx<PlanSkeleton>;
  const body = content !== undefined ? fromContent(ctx, section, 2, content) : skeleton(ctx, section, 2);
  while (body[body.length - 1] === '') body.pop();
  return [`## ${section.title[lang]}`, '', ...body, ''].join('\n');
}

/** The fields of another section a section quotes as planned (the standard's `planned:`), e.g. downtime; users. */
function planned(plan: PlanSkeleton, section: SectionSpec): string {
  const quoted = (plan.sections[section.planned?.from ?? ''] ?? {}) as Record<string, Value>;
  const text = (v: Value | undefined) => (typeof v === 'string' && v ? v : TODO);
  return (section.planned?.fields ?? []).map((f) => text(quoted[f])).join(plan.lang === 'zh' ? '；' : '; ') || TODO;
}

/** The sections only the full plan can fill (commands, checks, metrics, data recovery), by `<kind>/<section id>`. */
const PLAN_RENDERERS: Record<string, SectionRenderer> = {
  'runbook/summary': ({ plan, lang }) => [
    plan.summary,
    ...(plan.prerequisites.length ? ['', `**${WORDS.prerequisites[lang]}${colon(lang).trimEnd()}**`, '', ...plan.prerequisites.map((p) => `- ${p}`)] : []),
  ],
  'runbook/steps': (ctx, s, depth) => items(ctx, s.items!, depth + 1, ctx.plan.steps.map((st) => ({
    id: st.id,
    title: st.title,
    command: { code: st.command, lang: st.lang },
    fields: { verification: st.verification, 'expected-output': st.expectedOutput, 'on-error': st.onError, time: minutes(ctx, st.minutes) },
  }))),
  'runbook/time': (ctx, s) => fields(ctx, s.fields ?? [], {
    total: WORDS.total[ctx.lang](totalMinutes(ctx.plan), ctx.plan.bufferMinutes, ctx.plan.windowMinutes),
  }),
  'runbook/go-no-go': (ctx, s, depth) => items(ctx, s.items!, depth + 1, ctx.plan.decisions.map((d) => ({
    id: d.id,
    title: `${d.title}${WORDS.after[ctx.lang](d.afterStep)}`,
    fields: { criteria: d.criteria, 'no-go': d.noGoAction, owner: d.owner },
  }))),

  'rollback/steps': (ctx, s, depth) => items(ctx, s.items!, depth + 1, ctx.plan.rollback.steps.map((st) => ({
    id: st.id,
    title: st.title,
    command: { code: st.command, lang: st.lang },
    fields: { verification: st.verification, time: minutes(ctx, st.minutes) },
  }))),
  'rollback/time': (ctx, s) => fields(ctx, s.fields ?? [], {
    total: WORDS.rollbackTotal[ctx.lang](rollbackMinutes(ctx.plan), ctx.plan.rollback.steps.map((st) => `${st.id} ${minutes(ctx, st.minutes)}`).join(ctx.lang === 'zh' ? '，' : ', ')),
  }),
};

/** The sections the skeleton alone fills: the checklist and the postmortem template need nothing more. */
const SKELETON_RENDERERS: Record<string, SectionRenderer<PlanSkeleton>> = {
  'checklist/pre-execution': (ctx, s) => {
    const t = s.table!;
    const first = t.columns[0]!.id;
    const rows: Record<string, string>[] = [];
    for (const r of t.rows ?? []) {
      rows.push(...signRows(t, first, [r.label[ctx.lang]]));
      // The runbook's prerequisites, each ticked on its own line, under the row that covers them.
      if (r.id === 'prerequisites') rows.push(...signRows(t, first, ctx.plan.prerequisites.map((p) => `↳ ${p}`)));
    }
    return table(ctx, t.columns, rows);
  },
  'checklist/steps': (ctx, s) => table(ctx, s.table!.columns, ctx.plan.steps.map((st) => ({ id: st.id, step: st.title, planned: minutes(ctx, st.minutes) }))),
  'checklist/go-no-go': (ctx, s) => table(ctx, s.table!.columns, ctx.plan.decisions.map((d) => ({ id: d.id, point: `${d.title}${WORDS.after[ctx.lang](d.afterStep)}` }))),
  'checklist/post-execution': (ctx, s) => table(ctx, s.table!.columns, signRows(s.table!, s.table!.columns[0]!.id, ctx.plan.postChecks)),
  'checklist/sign-off': (ctx, s) => {
    const t = s.table!;
    return table(ctx, t.columns, (t.rows ?? []).map((r) => ({ [t.columns[0]!.id]: r.label[ctx.lang] })));
  },

  'postmortem-template/timeline': (ctx, s) => {
    const { plan, lang } = ctx;
    const [timeCol, eventCol] = [s.table!.columns[0]!.id, s.table!.columns[1]?.id ?? 'event'];
    const events = [
      WORDS.windowOpened[lang],
      ...plan.steps.flatMap((st) => [
        `${st.id} ${st.title}`,
        ...plan.decisions.filter((d) => d.afterStep === st.id).map((d) => `${d.id} ${WORDS.decision[lang]}${colon(lang)}`),
      ]),
      WORDS.windowClosed[lang],
    ];
    return table(ctx, s.table!.columns, events.map((e) => ({ [timeCol]: '', [eventCol]: e })));
  },
  'postmortem-template/impact': ({ plan, lang }, s) => [
    `${WORDS.planned[lang]}${colon(lang)}${planned(plan, s)}`,
    '',
    `${WORDS.actual[lang]}${colon(lang)}${TODO}`,
  ],
  'postmortem-template/lessons': (ctx, s) => fields(ctx, s.fields ?? [], {}),
  'postmortem-template/action-items': (ctx, s) => table(ctx, s.table!.columns, [{}]),
};

/** The documents written from the skeleton alone: a model's plan call is enough for them, no model call is. */
export const SKELETON_KINDS = ['checklist', 'postmortem-template'] as const satisfies readonly Kind[];
export type SkeletonKind = (typeof SKELETON_KINDS)[number];

export function isSkeletonKind(kind: Kind): kind is SkeletonKind {
  return (SKELETON_KINDS as readonly Kind[]).includes(kind);
}

function render<P extends PlanSkeleton>(kind: Kind, plan: P, standard: Standard, renderers: Record<string, SectionRenderer<P>>): string {
  const ctx: Ctx<P> = { plan, lang: plan.lang, standard };
  const spec: DocSpec = standard.docs[kind];
  const out = [...frontmatterLines(plan, kind, standard), '', `# ${spec.title[ctx.lang].replace('{title}', () => plan.title)}`, ''];
  for (const section of spec.sections) {
    out.push(`## ${section.title[ctx.lang]}`, '');
    const key = sectionKey(kind, section.id);
    const content = plan.sections[key];
    const body = renderers[key]?.(ctx, section, 2) ?? (content !== undefined ? fromContent(ctx, section, 2, content) : skeleton(ctx, section, 2));
    out.push(...body);
    if (out[out.length - 1] !== '') out.push('');
  }
  return out.join('\n').replace(/\n*$/, '\n');
}

const ALL_RENDERERS: Record<string, SectionRenderer> = { ...SKELETON_RENDERERS, ...PLAN_RENDERERS };

export function renderDocument(kind: Kind, plan: Plan, standard: Standard): string {
  return render(kind, plan, standard, ALL_RENDERERS);
}

/** The checklist or the postmortem template from a skeleton: byte for byte what renderDocument makes of a full plan. */
export function renderFromSkeleton(kind: SkeletonKind, skeleton: PlanSkeleton, standard: Standard): string {
  return render(kind, skeleton, standard, SKELETON_RENDERERS);
}

export function renderTask(plan: Plan, standard: Standard): Record<Kind, string> {
  const docs = {} as Record<Kind, string>;
  for (const kind of KINDS) docs[kind] = renderDocument(kind, plan, standard);
  return docs;
}
