/**
 * What the review rules share: their severities and vocabularies from review.yaml, durations read as minutes,
 * the steps of a document with their commands, and step references (`S3`, `step 3`, `步骤 3`, `第三步`).
 */
import type { Code, Nodes, RootContent } from 'mdast';
import type { ReviewSpec, Standard } from '../standard/types.js';
import type { DocModel, Item } from '../document/model.js';
import type { FieldHit } from '../document/model.js';
import { descendants, findField, findSection, isCommandBlock, itemField, itemsOf, labelNames, toText } from '../document/model.js';
import { NUMBER, parseNumber } from '../document/numbering.js';
import type { Severity } from './rule.js';
import { fieldOptions } from './fields.js';

/**
 * A review rule's severity: its default from review.yaml; an objective rule (`error`) is a warning while drafting
 * and an error under --strict. The team's `rules:` setting then applies as for every rule (severityFor).
 */
export function reviewSeverity(standard: Standard, id: string, strict: boolean): Severity {
  const own = standard.review.rules[id]?.severity ?? 'warning';
  return own === 'error' && strict ? 'error' : 'warning';
}

/** The ids the review rules declare, all in review.yaml: a rule file claims those with its prefix list. */
export function reviewIds(standard: Standard, ...ids: string[]): string[] {
  return ids.filter((id) => id in standard.review.rules);
}

const regexCache = new Map<string, RegExp>();
/** Escapes that mean something only under the `u` flag: a vocabulary that uses one is compiled with it. */
const UNICODE_ONLY = /\\[pP]\{|\\u\{/;
/**
 * One case-insensitive regex out of a list of sources (or one source), cached. Without the `u` flag unless a source
 * needs it: V8 runs these long alternations with `\b` about 30 times slower under `iu` than under `i` (Unicode case
 * folding), and for commands and the words of the standard both flags match alike.
 */
export function anyOf(sources: string[] | string): RegExp {
  const src = typeof sources === 'string' ? sources : sources.map((x) => `(?:${x})`).join('|');
  let re = regexCache.get(src);
  if (!re) regexCache.set(src, (re = new RegExp(src, UNICODE_ONLY.test(src) ? 'iu' : 'i')));
  return re;
}

/** Every list of a vocabulary: destructive and backup commands are read whatever the document's system. */
export function vocabulary(lists: Record<string, string[]>): string[] {
  return Object.values(lists).flat().filter(Boolean);
}

const UNIT_MINUTES: [RegExp, number][] = [
  [/^(?:s|sec|secs|seconds?|秒)$/iu, 1 / 60],
  [/^(?:m|min|mins|minutes?|分钟|分)$/iu, 1],
  [/^(?:h|hr|hrs|hours?|小时|钟头)$/iu, 60],
  [/^(?:d|days?|天)$/iu, 1440],
];
const DURATION = new RegExp(`(\\d+(?:\\.\\d+)?|[〇零一二两三四五六七八九十百半]+)\\s*个?\\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|秒|分钟|分|小时|钟头|天)(?![A-Za-z])`, 'giu');

/** Every duration in a text, in minutes, in order: `1 h 30 min` gives [60, 30], `两个半小时` 150. */
export function durations(text: string): { minutes: number; index: number; end: number }[] {
  const out: { minutes: number; index: number; end: number }[] = [];
  // `两个半小时`, `一个半小时`: a whole number and a half of the unit, written as `2.5小时` for the reader below.
  const t = text.normalize('NFKC').replace(/(\d+|[〇零一二两三四五六七八九十百]+)\s*个半\s*(小时|钟头|天)/gu,
    (m, n: string, unit: string) => { const v = parseNumber(n); return v === undefined ? m : `${v + 0.5}${unit}`; });
  for (const m of t.matchAll(DURATION)) {
    const n = parseNumber(m[1]!);
    const unit = UNIT_MINUTES.find(([re]) => re.test(m[2]!))?.[1];
    if (n === undefined || unit === undefined) continue;
    out.push({ minutes: n * unit, index: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/**
 * A step's time in minutes: the first duration, plus an adjacent `h … min` pair (`1 h 30 min`); undefined when
 * none is written or when it multiplies (`15 min per node`), since such a step cannot be summed.
 */
export function stepMinutes(text: string, review: ReviewSpec): number | undefined {
  if (anyOf(review.time.perUnit).test(text)) return undefined;
  const ds = durations(text);
  if (!ds.length) return undefined;
  const [a, b] = ds;
  if (b && a!.minutes >= 60 && b.minutes < 60 && /^\s*(?:and|,|\s)?\s*$/u.test(text.normalize('NFKC').slice(a!.end, b.index))) return a!.minutes + b.minutes;
  return a!.minutes;
}

/** Minutes close enough to be the same estimate: "about 15 min" for 14.5, rounding of hours. */
export function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1, 0.1 * Math.max(a, b));
}

/** Minutes for a message: whole minutes as they are, others to one decimal. */
export function fmt(min: number): string {
  return Number.isInteger(min) ? String(min) : min.toFixed(1);
}

export interface TimeRead {
  /** The total field of the time section, where a finding about the total or the window is reported. */
  hit: FieldHit;
  total?: number;
  buffer: number;
  window?: number;
}

/** The words between a duration and its neighbours, up to punctuation: `including 15 min buffer`. */
function near(text: string, all: { index: number; end: number }[], i: number, words: string[]): boolean {
  const at = all[i]!;
  const before = text.slice(Math.max(all[i - 1]?.end ?? 0, at.index - 14), at.index).split(/[,，;；(（]/u).pop() ?? '';
  const after = text.slice(at.end, Math.min(all[i + 1]?.index ?? text.length, at.end + 10)).split(/[,，;；)）]/u)[0] ?? '';
  const re = anyOf(words);
  return re.test(before) || re.test(after);
}

const SUBTOTAL_WORDS = ['step', 'steps', '步骤'];

/**
 * A document's time section read: its total field, and the durations of the section sorted by the word next to
 * them — buffer, window, or the total (the first other one in the total's own text). A duration qualified by the
 * steps (`步骤 60 分钟`) is a subtotal, skipped. Each sentence and table row is read on its own, so that a row's
 * words stay in that row. Undefined when the document has no total field.
 */
export function readTime(model: DocModel, standard: Standard): TimeRead | undefined {
  const spec = model.kind ? standard.docs[model.kind]?.sections.find((s) => s.id === 'time') : undefined;
  const field = spec?.fields?.find((f) => f.id === 'total');
  const section = spec && findSection(model, spec);
  if (!spec || !field || !section) return undefined;
  const hit = findField(section.nodes, labelNames(field), fieldOptions(standard, field));
  if (!hit) return undefined;
  const { buffer, window } = standard.review.time;
  const out: TimeRead = { hit, buffer: 0 };
  for (const n of descendants(section.nodes)) {
    if (n.type !== 'paragraph' && n.type !== 'tableRow') continue;
    const t = toText(n).normalize('NFKC');
    const all = durations(t);
    all.forEach((_, i) => {
      if (near(t, all, i, buffer)) out.buffer += all[i]!.minutes;
      else if (near(t, all, i, window) && out.window === undefined) out.window = all[i]!.minutes;
    });
  }
  const tt = hit.value.normalize('NFKC');
  const all = durations(tt);
  for (let i = 0; i < all.length; i++) {
    if (near(tt, all, i, buffer) || near(tt, all, i, window) || near(tt, all, i, SUBTOTAL_WORDS)) continue;
    out.total = all[i]!.minutes;
    break;
  }
  return out;
}

export interface StepRead {
  item: Item;
  /** 1-based position among the steps. */
  index: number;
  number: number | undefined;
  code: Code[];
  /** The command lines of the step's shell/SQL blocks, continuation lines joined, comment lines left out. */
  lines: string[];
  minutes: number | undefined;
}

/** The items (steps, rollback steps, decision points) of a document's section with the given id. */
export function itemsOfSection(model: DocModel, standard: Standard, sectionId: string): Item[] {
  const spec = model.kind ? standard.docs[model.kind]?.sections.find((s) => s.id === sectionId) : undefined;
  if (!spec?.items) return [];
  const found = findSection(model, spec);
  return found ? itemsOf(found, spec.items) : [];
}

/** A comment names commands without running them (`# pg_upgrade makes a new system …`): it is not a command line. */
export function commandLines(code: Code): string[] {
  return code.value.replace(/\\\r?\n/g, ' ').split(/\r?\n/).filter((line) => !/^\s*(?:#|--)/.test(line));
}

export function codeBlocks(nodes: RootContent[] | Nodes[], standard: Standard): Code[] {
  const out: Code[] = [];
  for (const n of descendants(nodes)) if (isCommandBlock(n, standard.common.outputLanguages)) out.push(n as Code);
  return out;
}

const stepsRead = new WeakMap<DocModel, WeakMap<Standard, readonly StepRead[]>>();

/**
 * The steps of a runbook (`steps`) or a rollback plan (`steps`), with their commands and times. Read once per
 * document and standard: four review rules (two of them task rules) read the same steps.
 */
export function stepsOf(model: DocModel, standard: Standard): readonly StepRead[] {
  let byStandard = stepsRead.get(model);
  if (!byStandard) stepsRead.set(model, (byStandard = new WeakMap()));
  let steps = byStandard.get(standard);
  if (!steps) byStandard.set(standard, (steps = readSteps(model, standard)));
  return steps;
}

function readSteps(model: DocModel, standard: Standard): StepRead[] {
  const spec = model.kind ? standard.docs[model.kind]?.sections.find((s) => s.id === 'steps') : undefined;
  const timeField = spec?.items?.fields.find((f) => f.id === 'time');
  return itemsOfSection(model, standard, 'steps').map((item, i) => {
    const code = codeBlocks(item.nodes, standard);
    const time = timeField ? itemField(item, labelNames(timeField)) : undefined;
    const n = /\d+$/.exec(item.id);
    return {
      item, index: i + 1, number: n ? Number(n[0]) : undefined, code,
      lines: code.flatMap(commandLines),
      minutes: time ? stepMinutes(time.value, standard.review) : undefined,
    };
  });
}

/** Step numbers a text refers to with the prefix (`S3`, `R2`, `S4–S6`), or in words (`step 3`, `步骤 3`, `第三步`). */
export function stepRefs(text: string, prefix: string): number[] {
  const t = text.normalize('NFKC');
  const out: number[] = [];
  const range = new RegExp(`\\b${prefix}(\\d+)\\s*(?:[-–—~～到至]|to)\\s*${prefix}?(\\d+)\\b`, 'gu');
  let rest = t;
  for (const m of t.matchAll(range)) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (b >= a && b - a < 100) for (let i = a; i <= b; i++) out.push(i);
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(new RegExp(`\\b${prefix}(\\d+)\\b`, 'gu'))) out.push(Number(m[1]));
  if (prefix === 'S') {
    for (const m of rest.matchAll(new RegExp(`(?:\\bstep\\s+(\\d+)\\b|步骤\\s*(${NUMBER})|第\\s*(${NUMBER})\\s*步)`, 'giu'))) {
      const n = parseNumber(m[1] ?? m[2] ?? m[3] ?? '');
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names in a request that commands should use: hosts, clusters, databases, services, domains and versions —
 * tokens with a digit, dot, hyphen or underscore inside (`orders-db`, `prod-eu`, `v1.28`, `api.example.com`,
 * `5.7`), less the hyphenated vocabulary of review.yaml's notNames. A bare number (`from 12 to 15`) is too
 * ambiguous to demand.
 */
export function requestNames(request: string, review: ReviewSpec): string[] {
  const stop = new Set((review.notNames ?? []).map((w) => w.toLowerCase()));
  const out = new Set<string>();
  for (const raw of request.normalize('NFKC').split(/[\s,;:!?()[\]{}"'“”‘’`，。；：！？、（）【】《》]+|(?<=[\u4e00-\u9fff])|(?=[\u4e00-\u9fff])/u)) {
    const t = raw.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (t.length < 2 || !/^[A-Za-z0-9][\w.-]*$/.test(t) || stop.has(t.toLowerCase())) continue;
    if (/^\d+$/.test(t)) continue;
    if (/[._-]/.test(t) || /^v\d/i.test(t)) out.add(t);
  }
  return [...out];
}

/** Whether commands use a name: as written, or a version without its `v` (`v1.28` in `kubeadm=1.28.*`). */
export function usedIn(commands: string, name: string): boolean {
  const c = commands.toLowerCase();
  const n = name.toLowerCase();
  return c.includes(n) || (/^v\d/.test(n) && c.includes(n.slice(1)));
}
