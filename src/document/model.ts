/**
 * A document read for checking: its frontmatter, language, kind and the heading tree, with helpers that find
 * the standard's elements (sections, labelled fields, items, tables) in the words a human might write.
 * Shared by the rules, the lifecycle verbs (which edit checklist rows) and the task-level checks.
 */
import { parse as parseYaml } from 'yaml';
import type { Root, RootContent, Heading, Table, TableRow, Code, List, Nodes, Yaml } from 'mdast';
import type { Aliases, ItemsSpec, Kind, Labelled, Lang, SectionSpec, Text } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { readNumbering } from './numbering.js';

export interface Position {
  line: number;
  column: number;
  offset?: number;
}

export interface Section {
  heading: Heading;
  depth: number;
  title: string;
  /** Nodes after the heading up to the next heading of the same or a higher level. */
  nodes: RootContent[];
  start: Position;
}

export interface FrontmatterRead {
  present: boolean;
  data: Record<string, unknown> | undefined;
  error?: string;
  node?: Yaml;
}

export interface DocModel {
  path: string;
  text: string;
  tree: Root;
  kind: Kind | undefined;
  lang: Lang;
  frontmatter: FrontmatterRead;
  sections: Section[];
}

const textCache = new WeakMap<Nodes | Nodes[], string>();

/**
 * The text of a node (or nodes), whitespace collapsed. A parsed tree is never changed, so a node's text is kept,
 * and so is a list's (a section's nodes are one array that many rules read).
 */
export function toText(node: Nodes | Nodes[] | undefined): string {
  if (!node) return '';
  let t = textCache.get(node);
  if (t === undefined) textCache.set(node, (t = nodesText(Array.isArray(node) ? node : [node])));
  return t;
}

function nodesText(node: Nodes[]): string {
  const out: string[] = [];
  const stack: Nodes[] = [...node].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if ('value' in n && typeof n.value === 'string' && n.type !== 'yaml') out.push(n.value);
    else if ('children' in n) {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
      if (n.type === 'paragraph' || n.type === 'listItem' || n.type === 'tableCell' || n.type === 'heading') out.push(' ');
    }
  }
  return out.join('').replace(/\s+/g, ' ').trim();
}

/**
 * The comparison key of a heading, label or alias: case, width, numbering, punctuation and spacing do not matter,
 * so `## 7. Go / No-Go decision points ✅` and `Go/No-Go Decision Points` are the same heading.
 */
const keyCache = new Map<string, string>();

export function key(text: string): string {
  let k = keyCache.get(text);
  if (k === undefined) {
    if (keyCache.size > 50_000) keyCache.clear(); // a bound, not a policy: keys are short and mostly repeat
    keyCache.set(text, (k = computeKey(text)));
  }
  return k;
}

function computeKey(text: string): string {
  const norm = text.normalize('NFKC').toLowerCase();
  const k = norm
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)、:]?|[一二三四五六七八九十]+[、.．])\s+/u, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)、]|[一二三四五六七八九十]+[、.．])/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
  // A header that is only a symbol (`✓`, `☐`, `#`) is known by the symbol itself.
  return k || norm.replace(/\s+/g, '');
}

/** The keys a heading may be known by: the whole text, without its parenthetical, and the parenthetical alone. */
function headingKeys(text: string): string[] {
  const norm = text.normalize('NFKC');
  const keys = [key(norm)];
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(norm);
  if (m) keys.push(key(m[1]!), key(m[2]!));
  // "Threshold / alert condition": either half names the column.
  if (norm.includes('/') && !/go\s*\/\s*no/i.test(norm)) for (const part of norm.split('/')) keys.push(key(part));
  return keys.filter(Boolean);
}

const namesCache = new WeakMap<Text, Set<string>>();
/** The keys of a title and its aliases (cached per spec object: the standard is read once per run). */
export function namesOf(title: Text, aliases: Aliases): Set<string> {
  let names = namesCache.get(title);
  if (!names) {
    names = new Set([title.en, title.zh, ...aliases.en, ...aliases.zh].map(key).filter(Boolean));
    namesCache.set(title, names);
  }
  return names;
}

export function labelNames(l: Labelled): Set<string> {
  return namesOf(l.label, l.aliases);
}

const sectionKeys = new WeakMap<Section, string[]>();
function keysOfSection(s: Section): string[] {
  let k = sectionKeys.get(s);
  if (!k) sectionKeys.set(s, (k = headingKeys(s.title)));
  return k;
}

export function matchesName(text: string, names: Set<string>): boolean {
  return headingKeys(text).some((k) => names.has(k));
}

export function detectLang(text: string): Lang {
  const cjk = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  return cjk >= 4 ? 'zh' : 'en';
}

export function kindFromPath(path: string): Kind | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  // Longest suffix first: "-postmortem-template.md" before anything shorter.
  return [...KINDS].sort((a, b) => b.length - a.length).find((k) => base.endsWith(`-${k}.md`));
}

const PLAIN_LINE = /^([A-Za-z_][\w-]*):(?:[ \t]+([^\s'"\[\]{}#&*!|>%@`,?:-][^#\n]*?|[\d-][\w.:+-]*))?[ \t]*$/;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Frontmatter is nearly always flat `key: plain value` lines; reading those directly is ten times cheaper than a
 * YAML parser, which matters over thousands of documents. Anything else (quotes, lists, nesting, comments)
 * goes to the real parser, so the result is always what YAML 1.2's core schema says.
 */
function flatYaml(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = PLAIN_LINE.exec(line);
    if (!m || m[1]! in out) return undefined;
    const v = m[2]?.trim();
    if (v !== undefined && (v.includes(': ') || v.endsWith(':') || v.includes(' #') || v.includes('\t'))) return undefined;
    if (v === undefined || v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL') out[m[1]!] = null;
    else if (/^(?:true|True|TRUE)$/.test(v)) out[m[1]!] = true;
    else if (/^(?:false|False|FALSE)$/.test(v)) out[m[1]!] = false;
    else if (NUMBER.test(v) || /^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(v)) return undefined;
    else out[m[1]!] = v;
  }
  return out;
}

function readFrontmatter(tree: Root): FrontmatterRead {
  const first = tree.children[0];
  if (!first || first.type !== 'yaml') return { present: false, data: undefined };
  const flat = flatYaml(first.value);
  if (flat) return { present: true, data: flat, node: first };
  try {
    const data = parseYaml(first.value, { schema: 'core' }) as unknown;
    if (data === null || data === undefined) return { present: true, data: {}, node: first };
    if (typeof data !== 'object' || Array.isArray(data)) {
      return { present: true, data: undefined, error: 'frontmatter is not a mapping of keys to values', node: first };
    }
    return { present: true, data: data as Record<string, unknown>, node: first };
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0] ?? 'invalid YAML';
    return { present: true, data: undefined, error: msg, node: first };
  }
}

export function sectionsOf(nodes: RootContent[], minDepth = 1): Section[] {
  const out: Section[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const h = nodes[i]!;
    if (h.type !== 'heading' || h.depth < minDepth) continue;
    const body: RootContent[] = [];
    for (let j = i + 1; j < nodes.length; j++) {
      const n = nodes[j]!;
      if (n.type === 'heading' && n.depth <= h.depth) break;
      body.push(n);
    }
    out.push({
      heading: h,
      depth: h.depth,
      title: toText(h),
      nodes: body,
      start: { line: h.position?.start.line ?? 1, column: h.position?.start.column ?? 1, offset: h.position?.start.offset },
    });
  }
  return out;
}

export function buildModel(path: string, text: string, tree: Root): DocModel {
  const frontmatter = readFrontmatter(tree);
  const fmKind = frontmatter.data?.kind;
  const kind = (KINDS as readonly string[]).includes(String(fmKind)) ? (fmKind as Kind) : kindFromPath(path);
  const fmLang = frontmatter.data?.language;
  const lang: Lang = fmLang === 'zh' || fmLang === 'en' ? fmLang : detectLang(text.slice(0, 20000));
  return { path, text, tree, kind, lang, frontmatter, sections: sectionsOf(tree.children) };
}

/**
 * The depth of the document's sections: the shallowest heading level, not counting a lone level-1 title. A
 * sub-heading deeper than that (`#### 预计耗时` inside a step) is never taken for a section of the standard.
 */
function sectionDepth(model: DocModel): number {
  let top = 7;
  let ones = 0;
  for (const s of model.sections) {
    if (s.depth === 1) ones++;
    else if (s.depth < top) top = s.depth;
  }
  return ones > 1 ? 1 : top;
}

/** The first section at the document's section level whose heading is one of the spec's names. */
export function findSection(model: DocModel, spec: SectionSpec): Section | undefined {
  const names = namesOf(spec.title, spec.aliases);
  const depth = sectionDepth(model);
  return model.sections.find((s) => s.depth === depth && keysOfSection(s).some((k) => names.has(k)));
}

export function positionOf(node: Nodes | undefined, fallback: Position = { line: 1, column: 1 }): Position {
  const p = node?.position?.start;
  return p ? { line: p.line, column: p.column, offset: p.offset } : fallback;
}

/** Every node under the given ones, depth first, without recursion (hostile input nests deeply). */
export function* descendants(nodes: RootContent[] | Nodes[]): Generator<Nodes> {
  const stack: Nodes[] = [...(nodes as Nodes[])].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
  }
}

const outputSets = new WeakMap<readonly string[], ReadonlySet<string>>();
/**
 * Whether a code node is a command to run: fenced with a language, and not one of the languages that mark what a
 * command prints (`text`, `console`, `output` — the standard's `outputLanguages`).
 */
export function isCommandBlock(n: Nodes, outputLanguages: readonly string[]): boolean {
  if (n.type !== 'code' || !n.lang) return false;
  let set = outputSets.get(outputLanguages);
  if (!set) outputSets.set(outputLanguages, (set = new Set(outputLanguages.map((l) => l.toLowerCase()))));
  return !set.has(n.lang.toLowerCase());
}

export function hasCommand(nodes: RootContent[] | Nodes[], outputLanguages: readonly string[]): boolean {
  for (const n of descendants(nodes)) if (isCommandBlock(n, outputLanguages)) return true;
  return false;
}

/** The first command block under the nodes, or the first code block of any kind when there is none. */
export function firstCode(nodes: RootContent[] | Nodes[], outputLanguages: readonly string[] = []): Code | undefined {
  let any: Code | undefined;
  for (const n of descendants(nodes)) {
    if (isCommandBlock(n, outputLanguages)) return n as Code;
    if (n.type === 'code') any ??= n as Code;
  }
  return any;
}

export interface FieldHit {
  /** The node the label was found on. */
  node: Nodes;
  /** Text after the label. */
  value: string;
  /** Nodes that belong to the value (a code block under the label, nested lists). */
  valueNodes: Nodes[];
}

const LABEL_RE = /^\s*([^:：]{1,60}?)\s*[:：]\s*([\s\S]*)$/u;
/** `Backup — s3://…`: a label set off by a dash with spaces around it, as lists in prose often are. */
const DASH_LABEL_RE = /^\s*([^:：—–]{1,60}?)\s+[—–]\s*([\s\S]*)$/u;

export interface FieldOptions {
  /**
   * Words that may carry the value in a sentence rather than as a label: `合计约 150 分钟`, `2 hours in all`.
   * A sentence counts when it holds one of the words and a value that `value` accepts.
   */
  sentence?: { words: string[]; value: RegExp };
}

function sentenceRegex(words: string[]): RegExp {
  const parts = words.map((w) => {
    const esc = w.normalize('NFKC').toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    return /^[a-z]/.test(esc) ? `\\b${esc}\\b` : esc;
  });
  return new RegExp(parts.join('|'), 'iu');
}
const sentenceCache = new Map<string, RegExp>();

/** The sentences of a text: split after . ; ! ? (followed by a space or the end) and their Chinese forms. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.;!?])\s+|(?<=[。；！？])/u).map((x) => x.trim()).filter(Boolean);
}

/**
 * Find a labelled field in a block of content. Accepted forms, in the words of either language:
 * `- **Verification:** text` or `- Check — text` (list item, bold or not), `**Verification:** text` (paragraph,
 * value may be the next block), `#### Verification` (a sub-heading whose content is the value), or a table row
 * whose first cell is the label (`| Verification | text |`, `| **Total** | | **180 min** |`). With
 * `options.sentence`, a sentence holding one of its words and an acceptable value is the field too.
 */
export function findField(nodes: RootContent[] | Nodes[], names: Set<string>, options: FieldOptions = {}): FieldHit | undefined {
  const labelled = (text: string): string | undefined => {
    const m = LABEL_RE.exec(text);
    if (m && names.has(key(m[1]!))) return m[2]!.trim();
    const d = DASH_LABEL_RE.exec(text);
    if (d && names.has(key(d[1]!))) return d[2]!.trim();
    // A label alone on its line, bold, followed by its value in the next block: `**Verify**`.
    return names.has(key(text)) && text.length <= 60 ? '' : undefined;
  };
  const stack: { nodes: Nodes[]; }[] = [{ nodes: nodes as Nodes[] }];
  while (stack.length) {
    const { nodes: level } = stack.pop()!;
    for (let i = 0; i < level.length; i++) {
      const n = level[i]!;
      if (n.type === 'paragraph') {
        const v = labelled(toText(n));
        if (v !== undefined) {
          const next = level[i + 1];
          const valueNodes: Nodes[] = v === '' && next && next.type !== 'heading' && next.type !== 'paragraph' ? [next] : [];
          // A paragraph after a label standing alone is its value, unless it is a label line itself.
          if (v === '' && next && next.type === 'paragraph' && !LABEL_RE.test(toText(next))) valueNodes.push(next);
          return { node: n, value: v || toText(valueNodes), valueNodes: [n, ...valueNodes] };
        }
      } else if (n.type === 'listItem') {
        const [head, ...rest] = n.children;
        const v = head && head.type === 'paragraph' ? labelled(toText(head)) : undefined;
        if (v !== undefined) return { node: n, value: (v + ' ' + toText(rest)).trim(), valueNodes: [n] };
        stack.push({ nodes: n.children as Nodes[] });
      } else if (n.type === 'list') {
        stack.push({ nodes: n.children as Nodes[] });
      } else if (n.type === 'heading') {
        if (names.has(key(toText(n)))) {
          const body: Nodes[] = [];
          for (let j = i + 1; j < level.length; j++) {
            const b = level[j]!;
            if (b.type === 'heading' && b.depth <= n.depth) break;
            body.push(b);
          }
          return { node: n, value: toText(body), valueNodes: body };
        }
      } else if (n.type === 'table') {
        for (const row of n.children.slice(1)) {
          const [a, ...others] = row.children;
          if (a && names.has(key(toText(a)))) return { node: row, value: toText(others), valueNodes: others };
        }
      } else if (n.type === 'blockquote') {
        stack.push({ nodes: n.children as Nodes[] });
      }
    }
  }
  const sentence = options.sentence;
  if (!sentence) return undefined;
  const cacheKey = sentence.words.join('\u0000');
  let wordRe = sentenceCache.get(cacheKey);
  if (!wordRe) sentenceCache.set(cacheKey, (wordRe = sentenceRegex(sentence.words)));
  for (const n of descendants(nodes as Nodes[])) {
    if (n.type !== 'paragraph') continue;
    for (const text of sentences(toText(n))) {
      const t = text.normalize('NFKC');
      if (wordRe.test(t) && sentence.value.test(t)) return { node: n, value: text, valueNodes: [n] };
    }
  }
  return undefined;
}

export interface Item {
  /** The written id (`S3`, from `Step 3`, `第三步`, `GNG-3`), or the item's position when none is written. */
  id: string;
  /** Whether the id was written in the heading (or row), rather than given by position. */
  numbered: boolean;
  /** The sub-heading of the item, or the table row when the items are rows of one table. */
  heading: Heading | TableRow;
  title: string;
  /** The title without its numbering: `Step 1 — Snapshot etcd` → `Snapshot etcd`. */
  name: string;
  nodes: RootContent[];
  /** For items written as table rows: the table's header, whose columns are the item's fields. */
  header?: string[];
}

/** The words that may stand before an item's number, from the standard (`Step`, `Checkpoint`, `决策点`). */
export function itemWords(items: ItemsSpec | string): { prefix: string; words: string[] } {
  if (typeof items === 'string') return { prefix: items, words: [] };
  return { prefix: items.prefix, words: [items.label.en, items.label.zh, ...(items.aliases?.en ?? []), ...(items.aliases?.zh ?? [])] };
}

/**
 * The items of a section (steps, decision points): its sub-headings one level below, or — when it has none — the
 * rows of its first table. The n-th item is <prefix><n> unless it writes its own number.
 */
export function itemsOf(section: Section, items: ItemsSpec | string): Item[] {
  const { prefix, words } = itemWords(items);
  const idOf = (text: string, position: number) => {
    const n = readNumbering(text, prefix, words);
    return n ? { id: `${prefix}${n.number}`, numbered: true, name: n.rest } : { id: `${prefix}${position}`, numbered: false, name: text };
  };
  const subs = sectionsOf(section.nodes, section.depth + 1).filter((s) => s.depth === section.depth + 1);
  if (subs.length > 0) {
    return subs.map((s, i) => ({ ...idOf(s.title, i + 1), heading: s.heading, title: s.title, nodes: s.nodes }));
  }
  const table = firstTable(section.nodes);
  if (!table) return [];
  const header = (table.children[0]?.children ?? []).map((c) => toText(c));
  return table.children.slice(1).filter((row) => toText(row) !== '').map((row, i) => {
    const cells = row.children.map((c) => toText(c));
    const id = idOf(cells[0] ?? '', i + 1);
    const name = id.numbered && id.name === '' ? (cells[1] ?? '') : id.name;
    return { ...id, name, heading: row, title: cells.filter(Boolean).join(' — '), nodes: [row] as unknown as RootContent[], header };
  });
}

/** A field of an item: for a row item the cell under the column the field's names head; otherwise findField. */
export function itemField(item: Item, names: Set<string>, options: FieldOptions = {}): FieldHit | undefined {
  if (!item.header) return findField(item.nodes, names, options);
  const row = item.heading as TableRow;
  const idx = item.header.findIndex((h) => matchesName(h, names));
  const cell = idx >= 0 ? row.children[idx] : undefined;
  return cell ? { node: cell, value: toText(cell), valueNodes: [cell] } : undefined;
}

export interface TableRead {
  table: Table;
  header: string[];
  /** Column index of each spec column id that was found. */
  columns: Map<string, number>;
  rows: TableRow[];
}

export function firstTable(nodes: RootContent[]): Table | undefined {
  for (const n of descendants(nodes)) if (n.type === 'table') return n as Table;
  return undefined;
}

export function readTable(table: Table, columns: Labelled[]): TableRead {
  const header = (table.children[0]?.children ?? []).map((c) => toText(c));
  const headerKeys = header.map(headingKeys);
  const map = new Map<string, number>();
  const taken = new Set<number>();
  for (const col of columns) {
    // The label before its aliases, each in order: `| When | … | Time |` gives Time the "Time" column.
    for (const name of [col.label.en, col.label.zh, ...col.aliases.en, ...col.aliases.zh]) {
      const k = key(name);
      const idx = k ? headerKeys.findIndex((keys, i) => !taken.has(i) && keys.includes(k)) : -1;
      if (idx >= 0) {
        map.set(col.id, idx);
        taken.add(idx);
        break;
      }
    }
  }
  return { table, header, columns: map, rows: table.children.slice(1) };
}

export function cellText(row: TableRow, index: number | undefined): string {
  return index === undefined ? '' : toText(row.children[index]);
}

export function listsOf(nodes: RootContent[]): List[] {
  return nodes.filter((n): n is List => n.type === 'list');
}
