/**
 * Markdown → one self-contained, printable HTML page (unified: remark-parse + gfm + frontmatter → remark-rehype →
 * rehype-stringify). Raw HTML in the documents is dropped, not passed through (remark-rehype's default), so a
 * document cannot inject script or style into the page. No external assets: the CSS is inline, boxes are CSS.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import type { Root as HastRoot, Element, ElementContent, Text as HastText } from 'hast';
import type { Kind, Lang, Standard } from '../standard/types.js';
import { kindName } from '../standard/types.js';
import { printCss } from './print-css.js';

export interface PrintDoc {
  kind: Kind;
  lang: Lang;
  markdown: string;
  /** Frontmatter facts shown above the document: status, dates. */
  meta: [string, string][];
}

export interface PrintOptions {
  task: string;
  lang: Lang;
  /** Whether an h2 heading is the checklist's sign-off section (its table gets room to sign). */
  isSignoffHeading: (text: string) => boolean;
  /** For the documents' names in the page header. */
  standard: Standard;
}


/** Documents a reviewer signs before the change (the standard: at least two people review the runbook). */
const REVIEW_LINES: Partial<Record<Kind, Record<Lang, string[]>>> = {
  runbook: { en: ['Reviewed by (1)', 'Date', 'Reviewed by (2)', 'Date'], zh: ['评审人（1）', '日期', '评审人（2）', '日期'] },
  rollback: { en: ['Reviewed by', 'Date'], zh: ['评审人', '日期'] },
};

/** Schemes a printed page may link to; anything else (javascript:, data:, vbscript:, file:) loses its link. */
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** A document is user text: a link or image that would run script when the page is opened keeps only its words. */
function dropUnsafeUrls(tree: HastRoot): void {
  const walk = (n: HastRoot | Element) => {
    for (const c of n.children) {
      if (c.type !== 'element') continue;
      for (const attr of ['href', 'src'] as const) {
        const v = c.properties[attr];
        // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"): so does this check.
        const scheme = typeof v === 'string' ? /^([a-z][a-z0-9+.-]*):/i.exec(v.replace(/[\u0000-\u0020\u007f]/g, ''))?.[1] : undefined;
        if (scheme && !SAFE_SCHEMES.has(scheme.toLowerCase())) delete c.properties[attr];
      }
      walk(c);
    }
  };
  walk(tree);
}

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkRehype).use(() => dropUnsafeUrls);

function el(tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element {
  return { type: 'element', tagName, properties, children };
}

function text(value: string): HastText {
  return { type: 'text', value };
}

function textOf(node: ElementContent | HastRoot): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return (node.children as ElementContent[]).map(textOf).join('');
  return '';
}

function box(checked: boolean): Element {
  return el('span', { className: checked ? ['box', 'checked'] : ['box'], role: 'img', ariaLabel: checked ? 'checked' : 'unchecked' });
}

const CELL_BOX = /^\s*\[( |x|X)\]\s*$/;

/**
 * Column widths from content: each column first gets the room its longest header word and its short codes
 * ("S1", "[ ]", "10:05") need, so those never break; the rest of the width is shared by how much text each holds.
 */
function colgroup(table: Element): Element | undefined {
  const rows: Element[] = [];
  const walk = (n: Element) => {
    for (const c of n.children) if (c.type === 'element') (c.tagName === 'tr' ? rows.push(c) : walk(c));
  };
  walk(table);
  const minPct: number[] = [];
  const weight: number[] = [];
  // 186 mm of 9.5 pt text hold about 110 characters: one character is ~0.9% of the width, plus cell padding.
  const pctFor = (chars: number, bold: boolean) => Math.min(30, chars * (bold ? 1.0 : 0.9) + 2);
  for (const r of rows) {
    const cells = r.children.filter((c): c is Element => c.type === 'element');
    cells.forEach((c, i) => {
      const t = textOf(c).trim();
      const words = t.split(/\s+/).filter(Boolean);
      const isHead = c.tagName === 'th';
      const unbreakable = isHead ? Math.max(0, ...words.map((w) => w.length)) : Math.max(0, ...words.filter((w) => w.length <= 6).map((w) => w.length));
      minPct[i] = Math.max(minPct[i] ?? 5, pctFor(Math.max(unbreakable, 3), isHead));
      // An empty cell is filled in by hand during the change: it needs room to write a name or a time.
      weight[i] = Math.max(weight[i] ?? 1, isHead ? 0 : t.length === 0 ? 16 : Math.min(t.length, 60));
    });
  }
  if (minPct.length === 0) return undefined;
  let mins = minPct.reduce((a, b) => a + b, 0);
  if (mins > 100) {
    for (let i = 0; i < minPct.length; i++) minPct[i] = (minPct[i]! * 100) / mins;
    mins = 100;
  }
  const total = weight.reduce((a, b) => a + b, 0);
  const widths = minPct.map((m, i) => m + ((100 - mins) * weight[i]!) / total);
  return el('colgroup', {}, widths.map((w) => el('col', { style: `width:${w.toFixed(2)}%` })));
}

/** Boxes for `[ ]` cells and task-list items, room to write in empty cells, sign-off tables marked. */
function decorate(root: HastRoot, opts: PrintOptions): void {
  let afterSignoff = false;
  const visit = (parent: HastRoot | Element) => {
    for (let i = 0; i < parent.children.length; i++) {
      const n = parent.children[i]!;
      if (n.type !== 'element') continue;
      if (/^h[1-6]$/.test(n.tagName)) {
        if (n.tagName === 'h2') afterSignoff = opts.isSignoffHeading(textOf(n));
      } else if (n.tagName === 'input' && n.properties?.type === 'checkbox') {
        parent.children[i] = box(Boolean(n.properties.checked));
        continue;
      } else if (n.tagName === 'table') {
        const cols = colgroup(n);
        if (cols) n.children.unshift(cols);
        if (afterSignoff) n.properties = { ...n.properties, className: ['signoff'] };
      } else if (n.tagName === 'td' || n.tagName === 'th') {
        const t = textOf(n);
        const m = CELL_BOX.exec(t);
        if (m) n.children = [box(m[1] !== ' ')];
        else if (n.tagName === 'td' && t.trim() === '') n.properties = { ...n.properties, className: ['blank'] };
        continue;
      }
      visit(n);
    }
  };
  visit(root);
}

function docSection(doc: PrintDoc, opts: PrintOptions): Element {
  const hast = processor.runSync(processor.parse(doc.markdown)) as HastRoot;
  decorate(hast, opts);
  const meta = [`${opts.task}`, kindName(opts.standard, doc.kind, doc.lang, true), ...doc.meta.map(([k, v]) => `${k}: ${v}`)].join(' · ');
  const children: ElementContent[] = [el('div', { className: ['doc-meta'] }, [text(meta)]), ...(hast.children as ElementContent[])];
  const lines = REVIEW_LINES[doc.kind]?.[doc.lang];
  if (lines) children.push(el('div', { className: ['signlines'] }, lines.map((l) => el('div', { className: ['signline'] }, [text(l)]))));
  return el('section', { className: ['doc', `doc-${doc.kind}`], lang: doc.lang === 'zh' ? 'zh-CN' : 'en' }, children);
}

export function renderPrintHtml(docs: PrintDoc[], opts: PrintOptions): string {
  const page: HastRoot = {
    type: 'root',
    children: [
      { type: 'doctype' },
      el('html', { lang: opts.lang === 'zh' ? 'zh-CN' : 'en' }, [
        el('head', {}, [
          el('meta', { charset: 'utf-8' }),
          el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          el('title', {}, [text(opts.task)]),
          el('style', {}, [text(printCss(opts.task))]),
        ]),
        el('body', {}, docs.map((d) => docSection(d, opts))),
      ]),
    ],
  };
  return unified().use(rehypeStringify).stringify(page) + '\n';
}
