import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root } from 'mdast';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

/** Markdown → mdast, with GFM tables and YAML frontmatter: the same parser the remark preset runs under. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
}
