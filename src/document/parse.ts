import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import type { Root } from 'mdast';
import { fromMarkdownWith } from './vendor/from-markdown.js';

/**
 * Markdown → mdast with GFM tables and YAML frontmatter: all of GFM that the standard's elements are written in.
 * The rest of GFM (autolink literals, footnotes, strikethrough, task-list items) changes no check and costs about
 * 30% of the parse, so it is left out here; under remark (the preset) the full GFM tree is read the same way.
 */
const parse = fromMarkdownWith({
  extensions: [gfmTable(), frontmatter(['yaml'])],
  mdastExtensions: [gfmTableFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
});

export function parseMarkdown(text: string): Root {
  return parse(text);
}
