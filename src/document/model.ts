/**
 * A document read for checking: its frontmatter, language, kind and the heading tree, with helpers that find
 * the standard's elements (sections, labelled fields, items, tables) in the words a human might write.
 * Shared by the rules, the lifecycle verbs (which edit checklist rows) and the task-level checks.
 */
import { parse as parseYaml } from 'yaml';
import type { Root, RootContent, Heading, Table, TableRow, Code, List, Nodes, Yaml } from 'mdast';
import type { Aliases, Kind, Labelled, Lang, SectionSpec, Text } from '../standard/types.js';
import { KINDS } from '../standard/types.js';

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

export function toText(node: Nodes | Nodes[] | undefined): string {
  if (!node) return '';
  const out: string[] = [];
  const stack: Nodes[] = Array.isArray(node) ? [...node].reverse() : [node];
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
export function key(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)、:]?|[一二三四五六七八九十]+[、.．])\s+/u, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)、]|[一二三四五六七八九十]+[、.．])/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The keys a heading may be known by: the whole text, without its parenthetical, and the parenthetical alone. */
function headingKeys(text: string): string[] {
  const norm = text.normalize('NFKC');
  const keys = [key(norm)];
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(norm);
  if (m) keys.push(key(m[1]!), key(m[2]!));
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

/** The first section (depth 2 preferred) whose heading is one of the spec's names. */
export function findSection(model: DocModel, spec: SectionSpec): Section | undefined {
  const names = namesOf(spec.title, spec.aliases);
  const hits = model.sections.filter((s) => s.depth >= 2 && keysOfSection(s).some((k) => names.has(k)));
  return hits.find((s) => s.depth === 2) ?? hits[0];
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

export function hasCommand(nodes: RootContent[] | Nodes[]): boolean {
  for (const n of descendants(nodes)) if (n.type === 'code' && (n as Code).lang) return true;
  return false;
}

export function firstCode(nodes: RootContent[] | Nodes[]): Code | undefined {
  for (const n of descendants(nodes)) if (n.type === 'code') return n as Code;
  return undefined;
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

/**
 * Find a labelled field in a block of content. Accepted forms, in the words of either language:
 * `- **Verification:** text` (list item), `**Verification:** text` (paragraph, value may be the next block),
 * `#### Verification` (a sub-heading whose content is the value), or a two-column table row `| Verification | text |`.
 */
export function findField(nodes: RootContent[], names: Set<string>): FieldHit | undefined {
  const labelled = (text: string): string | undefined => {
    const m = LABEL_RE.exec(text);
    if (!m) return undefined;
    return names.has(key(m[1]!)) ? m[2]!.trim() : undefined;
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
          if (v === '' && next && next.type === 'paragraph' && labelled(toText(next)) === undefined) valueNodes.push(next);
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
          const [a, b] = row.children;
          if (a && names.has(key(toText(a)))) return { node: row, value: toText(b), valueNodes: b ? [b] : [] };
        }
      } else if (n.type === 'blockquote') {
        stack.push({ nodes: n.children as Nodes[] });
      }
    }
  }
  return undefined;
}

export interface Item {
  id: string | undefined;
  heading: Heading;
  title: string;
  nodes: RootContent[];
}

/** Sub-headings one level below a section, each an item (a step, a decision point) with its id. */
export function itemsOf(section: Section, prefix: string): Item[] {
  const idRe = new RegExp(`(?:^|[^A-Za-z0-9])(${prefix}\\d+)(?![0-9])`);
  const subs = sectionsOf(section.nodes, section.depth + 1).filter((s) => s.depth === section.depth + 1);
  return subs.map((s) => ({ id: idRe.exec(s.title)?.[1], heading: s.heading, title: s.title, nodes: s.nodes }));
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
  const map = new Map<string, number>();
  for (const col of columns) {
    const names = labelNames(col);
    const idx = header.findIndex((h, i) => ![...map.values()].includes(i) && matchesName(h, names));
    if (idx >= 0) map.set(col.id, idx);
  }
  return { table, header, columns: map, rows: table.children.slice(1) };
}

export function cellText(row: TableRow, index: number | undefined): string {
  return index === undefined ? '' : toText(row.children[index]);
}

export function listsOf(nodes: RootContent[]): List[] {
  return nodes.filter((n): n is List => n.type === 'list');
}
