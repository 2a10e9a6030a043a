/**
 * The offline provider: no key, no network. A description is matched to a playbook, the values it names
 * (versions, endpoints, hosts, a domain, a count) are read out of it, and the playbook becomes a Plan in the
 * chosen language; render.ts writes the four documents from the Plan and the validator checks them.
 *
 * User text is data. What reaches a command is only ever a plain token (see `commandSafe`); the description
 * itself appears in documents as escaped markdown text, never in a code block.
 */
import { KINDS, LANGS, type Kind, type Lang, type Standard, type Text } from '../standard/types.js';
import { StandardError } from '../standard/yaml-file.js';
import { requestNames, usedIn } from '../validate/review.js';
import { SectionDataError, sectionsContent } from './sections.js';
import { planPrefixes } from './plan-schema.js';
import type { Finding } from '../validate/rule.js';
import type { GenerateRequest, GenerateResult } from './types.js';
import { parseExtractors, type AnyText, type Extractor, type Playbook, type PlaybookVariable, type RequestFact } from '../standard/playbooks.js';
import { hasWord, isVocabularyWord, readRequest, type RequestReading, type TaskNameParts, type Vocabulary } from '../naming.js';
import type { Plan } from './plan.js';

export interface MatchResult {
  playbook: Playbook;
  score: number;
  /** Set when no playbook covers the request and the generic one was taken: the one-line notice `new` prints. */
  notice?: Text;
}

/** Lower-case, width-folded text that keywords are looked up in. */
function normalize(description: string): string {
  return description.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

/** The request's system, operation kind and hosting against what the playbook covers. */
function covers(p: Playbook, text: string, reading: RequestReading): boolean {
  if (!p.covers.systems.some((w) => hasWord(text, w))) return false;
  if (!reading.operation || !p.covers.operations.includes(reading.operation)) return false;
  if (p.covers.hosting === 'self-hosted' && reading.managed) return false;
  if (p.covers.hosting === 'managed' && !reading.managed) return false;
  if (p.match.exclude.some((w) => hasWord(text, w))) return false;
  return p.match.require.every((group) => group.some((w) => hasWord(text, w)));
}

/** Every playbook that covers the request, best first; the generic playbook is the fallback. */
export function rankPlaybooks(description: string, playbooks: Playbook[], vocabulary: Vocabulary): MatchResult[] {
  const text = normalize(description);
  const reading = readRequest(description, vocabulary);
  const out: MatchResult[] = [];
  for (const p of playbooks) {
    if (p.generic || !covers(p, text, reading)) continue;
    let score = 0;
    for (const g of p.match.prefer) if (g.words.some((w) => hasWord(text, w))) score += g.weight;
    out.push({ playbook: p, score });
  }
  // Higher score first; on a tie the order of the ids keeps the result stable from run to run.
  return out.sort((a, b) => b.score - a.score || (a.playbook.id < b.playbook.id ? -1 : 1));
}

const NOT_COVERED: Text = {
  en: 'no playbook covers "{what}": the generic skeleton is used; playbooks: {list}',
  zh: '没有 playbook 覆盖“{what}”：使用通用骨架；现有 playbook：{list}',
};

export function matchPlaybook(description: string, playbooks: Playbook[], vocabulary: Vocabulary): MatchResult {
  const best = rankPlaybooks(description, playbooks, vocabulary)[0];
  if (best) return best;
  const generic = playbooks.find((p) => p.generic)!;
  const reading = readRequest(description, vocabulary);
  const what = [reading.system ?? '?', reading.operation ?? '?'].join(' ');
  const list = playbooks.filter((p) => !p.generic).map((p) => p.id).join(', ');
  const notice = { en: NOT_COVERED.en, zh: NOT_COVERED.zh };
  for (const l of LANGS) notice[l] = notice[l].replace('{what}', () => what).replace('{list}', () => list);
  return { playbook: generic, score: 0, notice };
}

// ---------------------------------------------------------------- extraction

const VERSION = String.raw`v?(\d+(?:\.\d+){0,2})(?![\w.]*[a-z_-])`;
const NOT_IN_WORD = String.raw`(?<![\w.-])`;
const TO_WORDS = String.raw`(?:\bto\b|\binto\b|->|→|升级到|升级至|迁移到|迁移至|切换到|切换至|更换为|更换到|到|至)`;
const FROM_WORDS = String.raw`(?:\bfrom\b|从)`;

export type Extracted = Partial<Record<RequestFact, string>>;

/** Words that end an endpoint phrase: "from Cloudflare to AWS CloudFront for the EU zone". */
const ENDPOINT_STOP = /\s+(?:for|on|in|at|with|during|before|after|by|via|using|and|then|provider|cdn|dns|switchover|migration|cutover)\b.*$/i;
const ENDPOINT_STOP_ZH = /(?:的|上的|进行|切换|迁移|升级|更换|服务商|提供商|供应商).*$/;

function endpoint(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let s = raw.replace(ENDPOINT_STOP, '').replace(ENDPOINT_STOP_ZH, '');
  s = s.replace(/[^\p{L}\p{N} ._-]/gu, ' ').replace(/\s+/g, ' ').trim();
  s = s.split(' ').slice(0, 3).join(' ').replace(/^(?:the|a|an)\s+/i, '');
  if (!s || /^v?\d+(?:\.\d+)*$/i.test(s)) return undefined;
  return s.slice(0, 40);
}

/**
 * Read the facts every request may carry (versions, endpoints, a domain, a count). Only what is plainly there;
 * anything else keeps the playbook's default. Names (a cluster, a database, a host) are read by the extractors
 * each playbook declares, see `readVariable`.
 */
export function extractValues(description: string): Extracted {
  const text = description.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const out: Extracted = {};
  const from = new RegExp(`${FROM_WORDS}\\s*(?:version\\s*|版本\\s*)?${NOT_IN_WORD}${VERSION}`, 'i').exec(text);
  const to = new RegExp(`${TO_WORDS}\\s*(?:version\\s*|版本\\s*)?${NOT_IN_WORD}${VERSION}`, 'i').exec(text);
  if (from) out['version-from'] = from[1];
  if (to) out['version-to'] = to[1];
  const versions = [...text.matchAll(new RegExp(`${NOT_IN_WORD}${VERSION}`, 'gi'))]
    // a number followed by a unit is a count or a size, not a version
    .filter((m) => !/^\s*(?:%|brokers?|nodes?|shards?|replicas?|masters?|partitions?|min|minutes?|h|hours?|gb|tb|mb|个|台|节点|分钟|小时)/i.test(text.slice(m.index! + m[0].length)));
  if (to && !from) {
    const before = versions.filter((m) => m.index! < to.index);
    if (before.length) out['version-from'] = before[before.length - 1]![1];
  }
  if (!to && !from && versions.length) out['version-to'] = versions[versions.length - 1]![1];
  if (!to && from) {
    // "release 1.4.0 from 1.3.2": the target stands before "from"; "from 12 … 15" after it.
    const fromEnd = from.index + from[0].length;
    const before = versions.filter((m) => m.index! < from.index);
    const after = versions.filter((m) => m.index! >= fromEnd);
    const target = before.length ? before[before.length - 1] : after[0];
    if (target) out['version-to'] = target[1];
  }
  if (out['version-from'] === out['version-to']) delete out['version-from'];

  // Endpoints: "from A to B", "从 A 切换到 B", or only "to B" / "迁移到 B".
  const ep = new RegExp(`${FROM_WORDS}\\s*(.+?)\\s*${TO_WORDS}\\s*(.+)$`, 'i').exec(text);
  if (ep) {
    const a = endpoint(ep[1]);
    const b = endpoint(ep[2]);
    if (a && b) {
      out['endpoint-from'] = a;
      out['endpoint-to'] = b;
    }
  }
  if (!out['endpoint-to']) {
    const only = new RegExp(`${TO_WORDS}\\s*(.+)$`, 'i').exec(text);
    const b = endpoint(only?.[1]);
    if (b) out['endpoint-to'] = b;
  }

  const domain = /(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w.-]*\w)/i.exec(text);
  if (domain && !/^v?\d/.test(domain[1]!) && /\.[a-z]{2,24}$/i.test(domain[1]!)) out.domain = domain[1]!.toLowerCase();
  const count = /(?<![\w.])(\d{1,3})\s*(?:new\s+|more\s+|additional\s+)?(?:brokers?|nodes?|shards?|masters?|replicas?|个|台|节点)/i.exec(text);
  if (count) out.count = count[1];
  return out;
}

// ---------------------------------------------------------------- names declared by the playbook

/** A name as a request writes it: `prod-eu`, `orders_db`, `db-primary-1.example.internal`. */
const NAME = String.raw`([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)`;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A word of the request as a regular expression: an ASCII word stands alone, a Chinese one is a substring. */
function wordRe(word: string): string {
  const w = escapeRe(word).replace(/\s+/g, '\\s+');
  return /^[\x20-\x7e]+$/.test(word) ? String.raw`(?<![\w.-])${w}(?![\w-])` : w;
}

/** Not a name: a bare version or a number, or a word the vocabulary (or the extractor itself) gives a meaning to. */
function isName(value: string, vocabulary: Vocabulary, exclude: string[]): boolean {
  return !/^v?\d+(?:\.\d+)*$/i.test(value) && !isVocabularyWord(vocabulary, value) && !exclude.includes(value.toLowerCase());
}

/** A named extractor of the vocabulary, checked once. A named one may not name another (no cycles). */
export function namedExtractors(vocabulary: Vocabulary, name: string): Extractor[] {
  const raw = vocabulary.extractors.get(name);
  if (raw === undefined) throw new StandardError(`${vocabulary.source}: no extractor named "${name}" (a playbook's extract: uses it)`);
  const parsed = parseExtractors(raw, `extractors.${name}`, vocabulary.source);
  if (parsed.some((x) => 'named' in x)) throw new StandardError(`${vocabulary.source}: extractors.${name} may not use another named extractor`);
  return parsed;
}

/**
 * The playbooks agree with the vocabulary: every operation a playbook covers is a kind the vocabulary reads (else the
 * playbook could never be chosen), and every extractor it names exists. Checked when both are loaded.
 */
export function checkNamedExtractors(playbooks: Playbook[], vocabulary: Vocabulary): void {
  for (const p of playbooks) {
    for (const op of p.covers.operations) {
      if (!vocabulary.kinds.includes(op)) throw new StandardError(`${p.source}: covers.operations names "${op}", which is not an operation kind of ${vocabulary.source} (${vocabulary.kinds.join(', ')})`);
    }
    for (const [name, v] of Object.entries(p.variables)) {
      for (const x of v.extract) {
        if (!('named' in x)) continue;
        if (!vocabulary.extractors.has(x.named)) throw new StandardError(`${p.source}: variables.${name}.extract names "${x.named}", which ${vocabulary.source} does not define under extractors`);
        namedExtractors(vocabulary, x.named);
      }
    }
  }
}

/** The first value one of the playbook's declared extractors reads out of the request. */
export function readVariable(extractors: Extractor[], description: string, facts: Extracted, vocabulary: Vocabulary): string | undefined {
  const text = description.normalize('NFKC').replace(/\s+/g, ' ').trim();
  for (const x of extractors) {
    let found: string | undefined;
    if ('named' in x) found = readVariable(namedExtractors(vocabulary, x.named), description, facts, vocabulary);
    else if ('fact' in x) found = facts[x.fact];
    else if ('pattern' in x) {
      const m = new RegExp(x.pattern, 'iu').exec(text);
      found = m ? (m[1] ?? m[0]) : undefined;
    } else if ('words' in x) {
      // In the whole request, or only in one fact of it ("to Route 53": the destination, not the source).
      const within = x.in ? facts[x.in] : text;
      const lower = within?.normalize('NFKC').toLowerCase();
      found = lower === undefined ? undefined : Object.entries(x.words).find(([w]) => hasWord(lower, w))?.[1] ?? x.otherwise;
    } else {
      const words = 'after' in x ? x.after : x.before;
      const link = String.raw`\s*(?:[:：=]\s*|(?:named|called)\s+)?`;
      for (const w of words) {
        const re = 'after' in x ? new RegExp(`${wordRe(w)}${link}${NAME}`, 'giu') : new RegExp(`(?<![\\w.-])${NAME}\\s*${wordRe(w)}`, 'giu');
        for (const m of text.matchAll(re)) {
          if (isName(m[1]!, vocabulary, words)) {
            found = m[1];
            break;
          }
        }
        if (found) break;
      }
    }
    if (found !== undefined && found !== '') return found;
  }
  return undefined;
}

// ---------------------------------------------------------------- variables

/** The previous version: 1.28 → 1.27, 15 → 14, or a table entry. */
function previousVersion(v: string, how: PlaybookVariable['previous']): string | undefined {
  if (how && typeof how === 'object') return how[v] ?? how[v.split('.').slice(0, 2).join('.')] ?? how[v.split('.')[0]!];
  const parts = v.split('.').map(Number);
  if (how === 'major' || parts.length === 1) return parts[0]! > 1 ? String(parts[0]! - 1) : undefined;
  return parts[1]! > 0 ? `${parts[0]}.${parts[1]! - 1}` : undefined;
}

/** A value that may go into a command: no spaces, quotes or shell metacharacters. */
function commandSafe(v: string): boolean {
  return /^[A-Za-z0-9._,-]*$/.test(v);
}

function slug(v: string): string {
  return v.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

export interface Values {
  /** name → value, including the derived `<name>_slug`, `<name>_minor`, `<name>_major`. */
  vars: Record<string, string>;
  /** Variables the description gave. */
  given: string[];
  /** Variables left at the playbook's default. */
  assumed: string[];
}

export function resolveVariables(playbook: Playbook, description: string, vocabulary: Vocabulary): Values {
  const facts = extractValues(description);
  const vars: Record<string, string> = {};
  const given: string[] = [];
  const assumed: string[] = [];
  const names = Object.keys(playbook.variables);
  // Variables without a previousOf first, so that a derived from-version can look at its target.
  const spec = (n: string) => playbook.variables[n]!;
  // Derived values last: each looks at a variable resolved before it.
  const order = [
    ...names.filter((n) => !spec(n).previousOf && !spec(n).derive),
    ...names.filter((n) => spec(n).previousOf && !spec(n).derive),
    ...names.filter((n) => spec(n).derive),
  ];
  const documented: string[] = [];
  for (const name of order) {
    const spec = playbook.variables[name]!;
    let value = readVariable(spec.extract, description, facts, vocabulary);
    if (value !== undefined) {
      given.push(name);
    } else if (spec.previousOf && given.includes(spec.previousOf)) {
      // Derived, not said: listed with the assumptions so that the reader checks it.
      value = previousVersion(vars[spec.previousOf]!, spec.previous);
    } else if (spec.derive) {
      value = previousVersion(vars[spec.derive.from]!, spec.derive.table);
      if (value !== undefined && spec.derive.fact) documented.push(name);
    }
    if (value === undefined) value = spec.default;
    if (!given.includes(name) && !documented.includes(name)) assumed.push(name);
    vars[name] = value;
  }
  for (const [name, value] of Object.entries({ ...vars })) {
    vars[`${name}_slug`] = slug(value);
    // The zone a host name lives in, for NS lookups: www.example.com → example.com.
    if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(value) && /[a-z]$/.test(value)) vars[`${name}_zone`] = value.split('.').slice(-2).join('.');
    const parts = value.split('.');
    if (/^\d+(?:\.\d+)*$/.test(value)) {
      vars[`${name}_major`] = parts[0]!;
      vars[`${name}_minor`] = parts.slice(0, 2).join('.');
    }
  }
  return { vars, given: names.filter((n) => given.includes(n)), assumed: names.filter((n) => assumed.includes(n)) };
}

/** `{{name}}` → value. In a command, a value that is not a plain token is replaced by its slug. */
export function substitute(template: string, vars: Record<string, string>, inCommand = false): string {
  return template.replace(/\{\{([a-z][a-z0-9_]*)\}\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) return m;
    return inCommand && !commandSafe(v) ? (vars[`${name}_slug`] ?? slug(v)) : v;
  });
}

/**
 * Description text made safe to stand in a markdown paragraph or heading: one line, no markup that changes the
 * document's structure, and no angle brackets (which the validator would read as a blank to fill in).
 */
export function markdownText(s: string, max = 160): string {
  const line = s.normalize('NFKC').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const cut = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return cut.replace(/</g, '‹').replace(/>/g, '›').replace(/([\\`*_[\]{}#|!~$])/g, '\\$1').replace(/^(\d+)\./, '$1\\.').replace(/^([-+])/, '\\$1');
}

// ---------------------------------------------------------------- plan

export interface OfflinePlanInput {
  description: string;
  vocabulary: Vocabulary;
  task: TaskNameParts;
  lang: Lang;
  playbook: Playbook;
  standard: Standard;
}

/**
 * The playbook keys that predate its `sections` map, as the sections they fill. A playbook's own `sections`
 * entry for the same key wins.
 */
function legacySections(pb: Playbook): Record<string, unknown> {
  const dr = pb.rollback.dataRecovery;
  return {
    'runbook/impact': pb.impact,
    'runbook/monitoring': pb.metrics.map((m) => ({ metric: m.name, threshold: m.threshold, source: m.source })),
    'rollback/triggers': pb.rollback.triggers,
    'rollback/data-recovery': { 'backup-source': dr.backupSource, restore: { code: dr.restore, lang: dr.restoreLang }, 'loss-window': dr.lossWindow },
    'rollback/verification': pb.rollback.verification,
  };
}

const ASSUMED: Text = { en: 'Assumed values — check them before review: {list}.', zh: '以下为假设值，评审前请核对：{list}。' };
const GIVEN: Text = { en: 'Taken from the request: {list}.', zh: '取自变更描述：{list}。' };
/** Names of the request that no command uses: said, so that a reviewer checks what stands in their place. */
const REPLACED: Text = {
  en: 'Named in the request but written in no command (the commands use the assumed values instead) — check before review: {list}.',
  zh: '以下名称见于变更请求，但没有任何命令原样使用（命令中用的是假设值）——评审前请核对：{list}。',
};
const REQUESTED: Text = { en: 'Requested change: “{d}”. Playbook: {p}.', zh: '变更请求：“{d}”。所用 playbook：{p}。' };

/** Chinese text folded from several YAML lines gets spaces between characters; a Chinese reader sees them. */
function tidyZh(s: string): string {
  return s.replace(/([\u2010-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[\u2010-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])/g, '$1');
}

export function buildPlan(input: OfflinePlanInput): Plan {
  const { playbook: pb, lang } = input;
  const { vars, given, assumed } = resolveVariables(pb, input.description, input.vocabulary);
  const description = markdownText(input.description);
  vars.description = description;
  const t = (x: AnyText): string => {
    const s = substitute(typeof x === 'string' ? x : x[lang], vars);
    return lang === 'zh' ? tidyZh(s) : s;
  };
  const cmd = (x: string): string => substitute(x, vars, true);
  const sep = lang === 'zh' ? '，' : ', ';
  const list = (names: string[]) => names.map((n) => `${pb.variables[n]!.label[lang]} \`${vars[n]}\``).join(sep);
  const id = lang === 'zh' ? `（\`${pb.id}\`）` : ` (\`${pb.id}\`)`;
  const steps = pb.steps.map((s) => ({
    id: s.id, title: t(s.title), command: cmd(s.command), lang: s.lang, verification: t(s.verification),
    expectedOutput: t(s.expected), onError: t(s.onError), minutes: s.minutes,
  }));
  const commands = steps.map((s) => s.command).join('\n');
  const unused = requestNames(input.description, input.standard.review).filter((n) => !usedIn(commands, n));
  const summary = [
    t(pb.summary),
    REQUESTED[lang].replace('{d}', () => description).replace('{p}', () => `${pb.name[lang]}${id}`),
    given.length ? GIVEN[lang].replace('{list}', () => list(given)) : '',
    assumed.length ? ASSUMED[lang].replace('{list}', () => list(assumed)) : '',
    unused.length ? REPLACED[lang].replace('{list}', () => unused.map((n) => `\`${n}\``).join(sep)) : '',
  ].filter(Boolean).join(lang === 'zh' ? '' : ' ');
  let sections;
  try {
    // Ids run prefix 1, 2, 3 … in order, with the standard's prefixes: the documents cross-reference them.
    const prefix = planPrefixes(input.standard);
    const ids = (items: { id: string }[], p: string, where: string) => items.forEach((x, i) => {
      if (x.id !== `${p}${i + 1}`) throw new SectionDataError(`${where}[${i}] has id ${x.id}; expected ${p}${i + 1}`);
    });
    ids(pb.steps, prefix.step, 'steps');
    ids(pb.decisions, prefix.decision, 'decisions');
    ids(pb.rollback.steps, prefix.rollback, 'rollback.steps');
    sections = sectionsContent(input.standard, { ...legacySections(pb), ...pb.sections }, {
      text: (raw, where) => {
        if (typeof raw === 'string' || (typeof raw === 'object' && raw !== null && typeof (raw as Text)[lang] === 'string')) return t(raw as AnyText);
        throw new SectionDataError(`${where} needs text (a string, or en and zh)`);
      },
      command: cmd,
    }, 'sections');
  } catch (err) {
    if (err instanceof SectionDataError) throw new StandardError(`${pb.source}: ${err.message}`);
    throw err;
  }
  const title = lang === 'en' ? description.replace(/^[a-z]/, (c) => c.toUpperCase()) : description;
  return {
    task: input.task.name,
    lang,
    title,
    system: input.task.system || pb.system,
    operation: input.task.operation || pb.operation,
    created: input.task.date,
    request: input.description,
    summary,
    sections,
    prerequisites: pb.prerequisites.map(t),
    steps,
    decisions: pb.decisions.map((d) => ({
      id: d.id, title: t(d.title), afterStep: d.after, criteria: t(d.criteria), noGoAction: t(d.noGo), owner: t(d.owner),
    })),
    bufferMinutes: pb.bufferMinutes,
    windowMinutes: pb.windowMinutes,
    rollback: {
      steps: pb.rollback.steps.map((s) => ({ id: s.id, title: t(s.title), command: cmd(s.command), lang: s.lang, verification: t(s.verification), minutes: s.minutes })),
    },
    postChecks: pb.postChecks.map(t),
  };
}


// ---------------------------------------------------------------- provider

/**
 * The offline provider proper: the request's plan (built by the verb from the matched playbook) rendered through
 * the standard and checked by the validator, exactly as a model's drafts are.
 */
export async function generateOffline(request: GenerateRequest, plan: Plan): Promise<GenerateResult> {
  const { renderTask } = await import('./render.js');
  const { documentFileName } = await import('../standard/files.js');
  const { validateTaskSources } = await import('../validate/index.js');
  const docs = renderTask(plan, request.standard);
  const dir = request.task.name;
  const encoder = new TextEncoder();
  const sources = KINDS.map((k) => ({ path: `${dir}/${documentFileName(dir, k, request.standard)}`, bytes: encoder.encode(docs[k]) }));
  const pending: Promise<Finding[]>[] = [];
  const all = validateTaskSources(dir, sources, request.standard, { strict: request.strict, pending });
  all.push(...(await Promise.all(pending)).flat());
  const findings = {} as Record<Kind, Finding[]>;
  const attempts = {} as Record<Kind, number>;
  for (const k of KINDS) {
    findings[k] = all.filter((f) => f.file === `${dir}/${documentFileName(dir, k, request.standard)}`);
    attempts[k] = 1;
  }
  return {
    provider: 'offline',
    playbook: request.playbook,
    plan,
    docs,
    attempts,
    findings,
    ok: !all.some((f) => f.severity === 'error'),
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 },
  };
}
