/**
 * src/document/vendor/from-markdown.js is mdast-util-from-markdown with a faster compile loop and a compiler
 * reused across documents. Its trees must be the published package's, byte for byte: on every markdown file of
 * the repository (the standard's examples, the hand-written corpus, ops/, the README) and on shapes chosen to
 * exercise the compiler's state between events and between documents (references, lists, setext headings, HTML,
 * character references, tables, frontmatter, CRLF).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { fromMarkdownWith } from '../src/document/vendor/from-markdown.js';
import { parseMarkdown } from '../src/document/parse.js';
import { ROOT } from './helpers/fixtures.js';

const options = {
  extensions: [gfmTable(), frontmatter(['yaml'])],
  mdastExtensions: [gfmTableFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
};

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === 'node_modules' || n.startsWith('.') || n === 'dist') return [];
    return statSync(p).isDirectory() ? markdownFiles(p) : p.endsWith('.md') ? [p] : [];
  });
}

const SHAPES: Record<string, string> = {
  references: 'See [the dashboard][dash] and [dash].\n\n[dash]: https://grafana.example/d/1 "Grafana"\n\n![img][dash]\n',
  'reference left open': '[a][b\n\n# Next\n\ntext [c]\n',
  'ordered list starting at 3': '3. three\n4. four\n\n   continued\n\n- a\n\n  - b\n',
  'first list item value then a second list': '7. seven\n8. eight\n\n1. one\n',
  setext: 'Title\n=====\n\nSub\n---\n\ntext\n',
  html: '<!-- ops-docs: note -->\n<div>\n\n**x**\n\n</div>\n\ninline <b>bold</b>\n',
  'character references': '&amp; &#35; &#x41; &copy; &nosuch;\n',
  'code fenced and indented': '```bash\necho "$X"\n```\n\n    indented\n\n``code `span` ``\n',
  table: '| Step | Time |\n|:-----|-----:|\n| S1 | 5 min |\n| **Total** | `10` min |\n',
  frontmatter: '---\ntask: x\nstatus: draft\n---\n\n# T\n',
  crlf: '# A\r\n\r\n- one\r\n- two\r\n\r\ntext  \r\nbreak\r\n',
  'hard breaks and escapes': 'a\\\nb  \nc \\* d\n',
  autolinks: '<https://example.com> <ops@example.com>\n',
};

describe('vendored mdast-util-from-markdown', () => {
  const files = markdownFiles(ROOT);

  it('covers the repository: the examples, the corpus, ops/ and the README', () => {
    expect(files.some((f) => f.includes('/test/fixtures/corpus/'))).toBe(true);
    expect(files.some((f) => f.includes('/ops/active/'))).toBe(true);
    expect(files.length).toBeGreaterThan(40);
  });

  it('gives the published package\'s tree for every markdown file of the repository', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(parseMarkdown(text), f).toEqual(fromMarkdown(text, options));
    }
  });

  it('gives the published package\'s tree for each shape, also when one compiler reads them one after another', () => {
    const reused = fromMarkdownWith(options);
    // Twice over, in order: each document gets the tree it gets from a fresh compiler.
    for (const round of [1, 2]) {
      for (const [name, text] of Object.entries(SHAPES)) {
        expect(reused(text), `${name} (round ${round})`).toEqual(fromMarkdown(text, options));
      }
    }
  });
});
