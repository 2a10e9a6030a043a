/**
 * Description → task name: `[date]-[system]-[operation]-[short-desc]`.
 *
 * A rule-based reading rather than a slug of the whole sentence, because the standard's own names are
 * *summaries*: "database migration from PostgreSQL 12 to 15" is filed as `postgres-upgrade-v12-to-v15`.
 * Chinese is read through a keyword map (slugify alone drops Chinese and the dot in `v1.28`).
 */
import slugify from 'slugify';

export interface TaskNameParts {
  date: string;
  system: string;
  operation: string;
  desc: string;
  name: string;
}

/** A name that cannot be made or is malformed; `text` holds the message in both languages. */
export class NamingError extends Error {
  override name = 'NamingError';
  constructor(readonly text: { en: string; zh: string }) {
    super(text.en);
  }
}

/**
 * The task-name convention, from the standard (common.yaml `taskName`, or a team's override): a regex whose first
 * three groups are the year, month and day, and a length limit. Passed in, never assumed: naming imports nothing.
 */
export interface TaskNameRule {
  pattern: string;
  maxLength: number;
}

/**
 * The request vocabulary (templates/vocabulary.yaml): which words name an operation, a system, a provider, a managed
 * service. Read here and by the offline playbook matching, so that a word added to the data names tasks and picks
 * playbooks alike. The caller reads the file (this module touches no filesystem) and compiles it once.
 */
export interface VocabularyData {
  operations: Record<string, { words: string[]; patterns?: string[] }>;
  managed: string[];
  zh: Record<string, string>;
  systems: Record<string, string>;
  genericSystems: Record<string, string>;
  providers: Record<string, string>;
  qualifiers: string[];
  countNouns: string[];
  stopwords: string[];
  /** Named readers for playbooks' `extract:`, kept as data for the playbook loader to check. */
  extractors?: Record<string, unknown>;
}

export interface Vocabulary {
  /** English word → operation kind. */
  operations: Map<string, string>;
  /** Every kind, in the data's order. */
  kinds: string[];
  /** Multi-word English phrases, read as one token ("scale out" → scale-out). */
  phrases: [RegExp, string][];
  patterns: [RegExp, string][];
  /** Chinese phrase → English word, longest first. */
  zh: [string, string][];
  managed: string[];
  systems: Map<string, string>;
  genericSystems: Map<string, string>;
  providers: Map<string, string>;
  qualifiers: Set<string>;
  countNouns: Set<string>;
  stopwords: Set<string>;
  extractors: Map<string, unknown>;
  /** The file it was read from, for messages. */
  source: string;
}

export class VocabularyError extends Error {
  override name = 'VocabularyError';
}

const compiled = new WeakMap<object, Vocabulary>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Check and index the vocabulary data; `where` names the file in an error. */
export function compileVocabulary(raw: unknown, where: string): Vocabulary {
  if (raw && typeof raw === 'object' && compiled.has(raw)) return compiled.get(raw)!;
  const fail = (what: string): never => {
    throw new VocabularyError(`${where}: ${what}`);
  };
  const d = (raw ?? {}) as Partial<VocabularyData>;
  const words = (v: unknown, name: string): string[] => {
    if (!Array.isArray(v) || v.some((w) => typeof w !== 'string' || !w.trim())) fail(`${name} needs a list of words`);
    return (v as string[]).map((w) => w.toLowerCase());
  };
  const map = (v: unknown, name: string): Map<string, string> => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) fail(`${name} needs a mapping of word: value`);
    const out = new Map<string, string>();
    for (const [k, x] of Object.entries(v as object)) {
      if (typeof x !== 'string' || !x.trim()) fail(`${name}.${k} needs a value`);
      out.set(k.toLowerCase(), x as string);
    }
    return out;
  };
  if (!d.operations || typeof d.operations !== 'object') fail('operations needs a mapping of kind: {words}');
  const operations = new Map<string, string>();
  const phrases: [RegExp, string][] = [];
  const patterns: [RegExp, string][] = [];
  const zh: [string, string][] = [];
  const kinds = Object.keys(d.operations!);
  for (const kind of kinds) {
    if (!/^[a-z]+(?:-[a-z]+)*$/.test(kind)) fail(`operation kind "${kind}" must be lower-case words joined by hyphens`);
    const spec = d.operations![kind]!;
    for (const w of words(spec?.words, `operations.${kind}.words`)) {
      if (!/^[\x20-\x7e]+$/.test(w)) zh.push([w, kind]);
      else if (/\s/.test(w)) phrases.push([new RegExp(`\\b${w.split(/\s+/).map(escapeRe).join('[\\s-]+')}\\b`, 'g'), kind]);
      else operations.set(w, kind);
    }
    for (const p of spec.patterns ?? []) {
      try {
        patterns.push([new RegExp(p, 'i'), kind]);
      } catch (err) {
        fail(`operations.${kind}.patterns: ${(err as Error).message}`);
      }
    }
  }
  for (const [k, v] of map(d.zh, 'zh')) zh.push([k, v]);
  // Longest first: 主从切换 is read before 切换, 生产环境 before 生产.
  zh.sort((a, b) => b[0].length - a[0].length);
  const out: Vocabulary = {
    operations, kinds, phrases, patterns, zh,
    managed: words(d.managed, 'managed'),
    systems: map(d.systems, 'systems'),
    genericSystems: map(d.genericSystems, 'genericSystems'),
    providers: map(d.providers, 'providers'),
    qualifiers: new Set(words(d.qualifiers, 'qualifiers')),
    countNouns: new Set(words(d.countNouns, 'countNouns')),
    stopwords: new Set(words(d.stopwords, 'stopwords')),
    extractors: new Map(Object.entries(d.extractors ?? {})),
    source: where,
  };
  if (raw && typeof raw === 'object') compiled.set(raw, out);
  return out;
}

/** A word the vocabulary gives a meaning to: never a host, cluster or database name. */
export function isVocabularyWord(vocab: Vocabulary, word: string): boolean {
  const w = word.toLowerCase();
  return vocab.stopwords.has(w) || vocab.operations.has(w) || vocab.systems.has(w) || vocab.genericSystems.has(w)
    || vocab.qualifiers.has(w) || vocab.providers.has(w) || vocab.countNouns.has(w);
}

function isoToday(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function checkDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new NamingError({ en: `invalid date "${date}": expected YYYY-MM-DD`, zh: `日期“${date}”无效：应为 YYYY-MM-DD` });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new NamingError({ en: `invalid date "${date}": no such day`, zh: `日期“${date}”无效：没有这一天` });
  }
  return date;
}

const VERSION_RE = /^v?\d+(?:\.\d+){0,3}$/;
/** Operations whose subject is named by the request itself ("deploy billing-service v2.3.1"). */
const DEPLOYISH = new Set(['deploy', 'restart', 'patching', 'rollback', 'decommission']);
const VERSION_WORDS = new Set(['version', 'to', 'from', 'v', 'release']);

/** Lower-case text with Chinese read through the vocabulary and multi-word phrases joined into one token. */
function foldText(description: string, vocab: Vocabulary): string {
  // Accents go (résumé → resume); Chinese is read through the vocabulary.
  let text = description.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFKC');
  for (const [zh, en] of vocab.zh) text = text.split(zh).join(` ${en} `);
  text = text.toLowerCase();
  for (const [re, kind] of vocab.phrases) text = text.replace(re, kind);
  return text.replace(/\bcontrol[\s-]+plane\b/g, 'control-plane').replace(/\bload[\s-]+balancer\b/g, 'load-balancer')
    .replace(/\bon[\s-]+prem(?:ise|ises)?\b/g, 'on-prem').replace(/\blet'?s\s*encrypt\b/g, 'letsencrypt')
    .replace(/\broute\s+53\b/g, 'route53');
}

function tokenize(text: string): string[] {
  // Split on anything that is not a word character, a dot inside a version, or a hyphen inside a word.
  return text.match(/v?\d+(?:\.\d+)+|[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9-]*)*/g) ?? [];
}

function version(token: string): string {
  return token.startsWith('v') ? token : `v${token}`;
}

function cleanSegment(s: string): string {
  const slug = slugify(s, { lower: true, strict: false, remove: /[^\w\s.-]/g });
  return slug.replace(/[^a-z0-9.-]/g, '').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
}

/** What a request says, read once for the task name and for choosing a playbook. */
export interface RequestReading {
  /** The folded, lower-case words. */
  tokens: string[];
  /** The system's short name (postgres, k8s …), when one is named. */
  system?: string;
  /** The operation kind; a migration between two versions of one system reads as an upgrade. */
  operation?: string;
  /** Every operation kind the request names, in order. */
  operations: string[];
  /** A cloud provider runs the service (Aurora, RDS, EKS …). */
  managed: boolean;
  qualifiers: string[];
  desc: string[];
}

/** An ASCII word must stand as a word ("pg" is not in "upgrade"); a Chinese one is a substring. */
export function hasWord(text: string, word: string): boolean {
  if (!/^[\x20-\x7e]+$/.test(word)) return text.includes(word);
  let from = 0;
  for (;;) {
    const i = text.indexOf(word, from);
    if (i < 0) return false;
    const before = text[i - 1];
    const after = text[i + word.length];
    if ((before === undefined || !/[a-z0-9_]/.test(before)) && (after === undefined || !/[a-z0-9_]/.test(after))) return true;
    from = i + 1;
  }
}

/** Read a request: its system, operation kind, versions or endpoints, through the vocabulary. */
export function readRequest(description: string, vocab: Vocabulary): RequestReading {
  const folded = foldText(description, vocab);
  const tokens = tokenize(folded);
  const raw = description.normalize('NFKC').toLowerCase();
  const managed = vocab.managed.some((w) => hasWord(raw, w) || hasWord(folded, w));
  const used = new Set<number>();
  // A system is also named by the first part of a name: "the kafka-2 cluster" is Kafka.
  const find = (map: Map<string, string>, byPrefix = false): [number, string] | undefined => {
    for (let i = 0; i < tokens.length; i++) {
      const v = map.get(tokens[i]!);
      if (v && !used.has(i)) return [i, v];
    }
    for (let i = 0; byPrefix && i < tokens.length; i++) {
      const v = /^[a-z]+-/.test(tokens[i]!) ? map.get(tokens[i]!.split('-')[0]!) : undefined;
      if (v && !used.has(i)) return [i, v];
    }
    return undefined;
  };
  const isPlainWord = (t: string) => /^[a-z]/.test(t) && !isVocabularyWord(vocab, t);
  const operations: string[] = [];
  for (const t of tokens) {
    const k = vocab.operations.get(t);
    if (k && !operations.includes(k)) operations.push(k);
  }
  for (const [re, kind] of vocab.patterns) if (re.test(folded) && !operations.includes(kind)) operations.push(kind);

  let operation: string | undefined;
  const op = find(vocab.operations);
  if (op) {
    operation = op[1];
    used.add(op[0]);
  } else if (operations.length) {
    operation = operations[0];
  }

  let system: string | undefined;
  const specific = find(vocab.systems, true);
  const generic = find(vocab.genericSystems);
  // What is deployed is named by the description itself ("deploy billing-service v2.3.1 with a database migration"):
  // its own name says more than a generic word such as "database".
  const own = !specific && operation && DEPLOYISH.has(operation)
    ? tokens.findIndex((t, i) => !used.has(i) && isPlainWord(t))
    : -1;
  if (specific) {
    system = specific[1];
    used.add(specific[0]);
    if (generic) used.add(generic[0]); // "database" adds nothing once PostgreSQL is named
  } else if (own >= 0) {
    system = tokens[own]!;
    used.add(own);
  } else if (generic) {
    system = generic[1];
    used.add(generic[0]);
  }

  // "from A to B" — versions or endpoints.
  const fromIdx = tokens.indexOf('from');
  const toIdx = tokens.indexOf('to', fromIdx + 1);
  let desc: string[] = [];
  const isCount = (i: number) => /^\d+$/.test(tokens[i]!) && vocab.countNouns.has(tokens[i + 1] ?? '');
  const counts = tokens.map((t, i) => [t, i] as const).filter(([, i]) => isCount(i));
  // A bare number is a version only where a version stands: after a system ("PostgreSQL 12"), after "to"/"from"/
  // "version", or in "12 to 15". "rack 12" is not a version; "v12" and "1.28" always are.
  const versionAt = (t: string, i: number) => VERSION_RE.test(t) && !isCount(i)
    && !(tokens[i + 1] === 'to' && isCount(i + 2)) // "from 3 to 6 brokers": the first number is a count too
    && (/^v|\./.test(t) || vocab.systems.has(tokens[i - 1] ?? '') || VERSION_WORDS.has(tokens[i - 1] ?? '')
      || (tokens[i + 1] === 'to' && VERSION_RE.test(tokens[i + 2] ?? '')));
  const versions = tokens.map((t, i) => [t, i] as const).filter(([t, i]) => versionAt(t, i));
  const after = (idx: number, pred: (t: string) => boolean): [string, number] | undefined => {
    for (let i = idx + 1; i < tokens.length && i <= idx + 3; i++) {
      if (pred(tokens[i]!)) return [tokens[i]!, i];
    }
    return undefined;
  };
  if (fromIdx >= 0 && toIdx > fromIdx) {
    const isVersionAt = (t: string) => VERSION_RE.test(t) && versions.some(([v]) => v === t);
    const fromV = after(fromIdx, isVersionAt);
    const toV = after(toIdx, isVersionAt);
    if (fromV && toV && fromV[1] < toIdx) {
      desc = [version(fromV[0]), 'to', version(toV[0])];
      used.add(fromV[1]).add(toV[1]);
      // A migration between two versions of one system is an upgrade (or a downgrade).
      if (operation === 'migration' || !operation) {
        const a = Number.parseFloat(fromV[0].replace(/^v/, ''));
        const b = Number.parseFloat(toV[0].replace(/^v/, ''));
        operation = b < a ? 'downgrade' : 'upgrade';
      }
    } else {
      const word = (t: string) => !vocab.stopwords.has(t) && !VERSION_RE.test(t) && !vocab.operations.has(t);
      const fromW = after(fromIdx, word);
      const toW = after(toIdx, word);
      if (fromW && toW && fromW[1] < toIdx) {
        const norm = (t: string) => vocab.providers.get(t) ?? vocab.systems.get(t) ?? t;
        desc = [norm(fromW[0]), 'to', norm(toW[0])];
        for (let i = fromIdx; i < tokens.length; i++) used.add(i); // the rest names the endpoints
      }
    }
  }
  // "A to B" with two versions and no "from": "MySQL 5.7 to 8.0".
  for (let i = 1; desc.length === 0 && i < versions.length; i++) {
    const [a, ai] = versions[i - 1]!;
    const [b, bi] = versions[i]!;
    if (bi === ai + 2 && tokens[ai + 1] === 'to') {
      desc = [version(a), 'to', version(b)];
      used.add(ai).add(bi);
      if (operation === 'migration' || !operation) operation = 'upgrade';
    }
  }
  if (desc.length === 0 && counts.length) {
    // Scale-outs are named by the size they reach: "kafka-scale-out-6-brokers".
    const [n, i] = counts[counts.length - 1]!;
    desc = [n, tokens[i + 1]!.endsWith('s') ? tokens[i + 1]! : `${tokens[i + 1]!}s`];
    used.add(i).add(i + 1);
    counts.forEach(([, j]) => used.add(j));
  }
  if (desc.length === 0) {
    const last = versions[versions.length - 1];
    if (last) {
      desc = [version(last[0])];
      used.add(last[1]);
    }
  }

  const qualifiers: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const singular = t.replace(/s$/, '');
    if (!used.has(i) && vocab.qualifiers.has(t) && !(system === 'tls' && t === 'certificate') && !qualifiers.some((q) => q.replace(/s$/, '') === singular)) {
      qualifiers.push(t);
      used.add(i);
    }
  }
  if (!system) {
    const firstWord = tokens.findIndex((t, i) => !used.has(i) && !vocab.stopwords.has(t) && !VERSION_RE.test(t) && !vocab.operations.has(t));
    if (firstWord >= 0) {
      system = vocab.providers.get(tokens[firstWord]!) ?? tokens[firstWord]!;
      used.add(firstWord);
    }
  }
  if (desc.length === 0) {
    desc = tokens.filter((t, i) => !used.has(i) && !vocab.stopwords.has(t) && !vocab.operations.has(t) && !vocab.systems.has(t)).slice(0, 3);
  }
  if (operation && !operations.includes(operation)) operations.unshift(operation);
  return { tokens, system, operation, operations, managed, qualifiers, desc };
}

/** Read a description into its name parts. */
export function deriveTaskName(description: string, opts: { date?: string; vocabulary: Vocabulary; rule: TaskNameRule }): TaskNameParts {
  const date = checkDate(opts.date ?? isoToday());
  const reading = readRequest(description, opts.vocabulary);
  if (reading.tokens.length === 0) {
    throw new NamingError({
      en: 'the description has no words that can name a task: describe the system and the operation, e.g. "PostgreSQL upgrade from 12 to 15"',
      zh: '描述中没有可用于命名任务的词：请写明系统和操作，例如“PostgreSQL 从 12 升级到 15”',
    });
  }
  const { system, qualifiers } = reading;
  if (!system) {
    throw new NamingError({
      en: 'cannot tell which system the description is about: name it, e.g. "Redis failover" or "DNS migration to Route 53"',
      zh: '无法判断描述涉及哪个系统：请写明系统，例如“Redis 主从切换”或“DNS 迁移到 Route 53”',
    });
  }
  const operation = reading.operation ?? 'change';
  const desc = reading.desc.length ? reading.desc : ['planned'];

  const segments = [system, ...qualifiers, operation, ...desc].map(cleanSegment).filter(Boolean);
  let name = `${date}-${segments.join('-')}`;
  const max = opts.rule.maxLength;
  while (name.length > max && segments.length > 3) {
    segments.pop();
    name = `${date}-${segments.join('-')}`;
  }
  if (name.length > max) name = name.slice(0, max).replace(/[.-]+$/, '');
  checkTaskName(name, opts.rule);
  return { date, system: cleanSegment(system), operation: cleanSegment(operation), desc: desc.map(cleanSegment).join('-'), name };
}

export interface TaskNameProblem {
  code: 'pattern' | 'length' | 'date';
  message: string;
  zh: string;
}

/** Why a name breaks the convention, or undefined when it does not. */
export function taskNameProblem(name: string, rule: TaskNameRule): TaskNameProblem | undefined {
  if (name.length > rule.maxLength) {
    return { code: 'length', message: `task name is ${name.length} characters; the limit is ${rule.maxLength}`, zh: `任务名长 ${name.length} 个字符；上限为 ${rule.maxLength}` };
  }
  const m = new RegExp(rule.pattern).exec(name);
  if (!m) {
    return {
      code: 'pattern',
      message: `task name "${name}" does not follow [date]-[system]-[operation]-[short-desc] in lower-case ASCII, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28`,
      zh: `任务名“${name}”不符合 [日期]-[系统]-[操作类型]-[简要描述] 规范（小写 ASCII），例如 2025-11-10-k8s-cluster-upgrade-v1.28`,
    };
  }
  try {
    checkDate(`${m[1]}-${m[2]}-${m[3]}`);
  } catch {
    return { code: 'date', message: `task name "${name}" starts with ${m[1]}-${m[2]}-${m[3]}, which is not a calendar date`, zh: `任务名“${name}”以 ${m[1]}-${m[2]}-${m[3]} 开头，这不是有效日期` };
  }
  return undefined;
}

export function checkTaskName(name: string, rule: TaskNameRule): string {
  const problem = taskNameProblem(name, rule);
  if (problem) throw new NamingError({ en: problem.message, zh: problem.zh });
  return name;
}

/** The date a task name starts with. */
export function taskDate(name: string): { year: string; month: string; day: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})-/.exec(name);
  if (!m) throw new NamingError({ en: `task name "${name}" does not start with a date`, zh: `任务名“${name}”没有以日期开头` });
  return { year: m[1]!, month: m[2]!, day: m[3]! };
}
