/**
 * Edit the YAML frontmatter of a document by lines: only the lines of the keys that change are rewritten, so
 * comments, key order, quoting and everything after the `---` block keep their bytes. The result is parsed
 * again and compared with what was intended; anything unexpected (anchors, flow mappings, a hand-written
 * oddity) is refused rather than written.
 */
import { parse as parseYaml } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { OpsDocsError } from '../errors.js';

export interface FrontmatterChange {
  /** Keys to set to a scalar (written as given: a plain date/time, or a quoted string). */
  set?: Record<string, string>;
  /** Entries to append to a list-valued key, e.g. `history`. */
  append?: Record<string, string[]>;
}

export class FrontmatterEditError extends OpsDocsError {
  constructor(path: string, why: string) {
    super({
      en: `cannot edit the frontmatter of ${path} safely (${why}): edit it by hand, then run the command again`,
      zh: `无法安全地修改 ${path} 的 frontmatter（${why}）：请手动修改后再运行该命令`,
    });
  }
}

/** A YAML scalar for user text: plain when that reads back as the same string, double-quoted otherwise. */
export function yamlString(value: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9 ._@+-]*$/.test(value) && !/\s$/.test(value) && /[A-Za-z]/.test(value)
    && !/^(?:true|false|yes|no|on|off|null|~)$/i.test(value)) return value;
  return JSON.stringify(value);
}

interface Block {
  /** Offset of the first inner line and the end of the inner text (start of the closing fence line). */
  start: number;
  end: number;
}

function findBlock(text: string): Block | undefined {
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!open) return undefined;
  const start = open[0].length;
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(start);
  const m = close.exec(rest);
  if (!m) return undefined;
  return { start, end: start + m.index };
}

const KEY_LINE = (key: string) => new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[ \\t]*:(?:[ \\t]|$)`);

/** Lines that belong to the value of the key on line i: indented lines and compact `- ` items below it. */
function valueEnd(lines: string[], i: number): number {
  let j = i + 1;
  let last = i;
  while (j < lines.length) {
    const l = lines[j]!;
    if (/^[ \t]+\S/.test(l) || /^-(?:[ \t]|$)/.test(l)) last = j;
    else if (l.trim() !== '') break;
    j++;
  }
  return last + 1;
}

export function editFrontmatter(path: string, text: string, change: FrontmatterChange): string {
  const block = findBlock(text);
  if (!block) throw new FrontmatterEditError(path, 'no --- block at the top');
  const inner = text.slice(block.start, block.end);
  const eol = inner.includes('\r\n') || text.includes('\r\n') ? '\r\n' : '\n';
  const lines = inner.replace(/\r?\n$/, '').split(/\r?\n/);
  if (lines.length === 1 && lines[0] === '') lines.pop();
  let before: Record<string, unknown>;
  try {
    before = (parseYaml(inner, { schema: 'core' }) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new FrontmatterEditError(path, (err as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
  if (typeof before !== 'object' || Array.isArray(before)) throw new FrontmatterEditError(path, 'not a mapping');

  const expected: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(change.set ?? {})) {
    const idx = lines.findIndex((l) => KEY_LINE(key).test(l));
    const line = `${key}: ${value}`;
    if (idx < 0) {
      // New keys go above `history`, so the history stays the last, growing part of the block.
      const history = lines.findIndex((l) => KEY_LINE('history').test(l));
      if (history >= 0 && key !== 'history') lines.splice(history, 0, line);
      else lines.push(line);
    } else {
      // Keep a trailing comment on a one-line value: `status: planned  # see CAB-123`.
      const end = valueEnd(lines, idx);
      const comment = end === idx + 1 ? /^[^#'"]*?:[ \t]*(?:[^#'"\s][^#]*?|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')?([ \t]+#.*)$/.exec(lines[idx]!)?.[1] : undefined;
      lines.splice(idx, end - idx, line + (comment ?? ''));
    }
    expected[key] = parseYaml(value, { schema: 'core' });
  }
  for (const [key, entries] of Object.entries(change.append ?? {})) {
    const old = before[key];
    if (old !== undefined && old !== null && !Array.isArray(old)) throw new FrontmatterEditError(path, `"${key}" is not a list`);
    const items = entries.map((e) => yamlString(e));
    const idx = lines.findIndex((l) => KEY_LINE(key).test(l));
    if (idx < 0) {
      lines.push(`${key}:`, ...items.map((v) => `  - ${v}`));
    } else {
      const end = valueEnd(lines, idx);
      const firstItem = lines.slice(idx + 1, end).find((l) => /^[ \t]*-(?:[ \t]|$)/.test(l));
      const inlineValue = lines[idx]!.replace(KEY_LINE(key), '').trim();
      if (firstItem && inlineValue === '') {
        const indent = /^[ \t]*/.exec(firstItem)![0];
        lines.splice(end, 0, ...items.map((v) => `${indent}- ${v}`));
      } else {
        // Empty, `[]`, or a flow list: rewrite this one key as a block list.
        const all = [...((old as unknown[] | null | undefined) ?? []).map((v) => yamlString(String(v))), ...items];
        lines.splice(idx, end - idx, `${key}:`, ...all.map((v) => `  - ${v}`));
      }
    }
    expected[key] = [...((old as unknown[] | null | undefined) ?? []), ...entries];
  }

  const newInner = lines.join(eol) + eol;
  let after: unknown;
  try {
    after = parseYaml(newInner, { schema: 'core' });
  } catch (err) {
    throw new FrontmatterEditError(path, (err as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
  if (!isDeepStrictEqual(after, expected)) throw new FrontmatterEditError(path, 'the edited block does not read back as intended');
  return text.slice(0, block.start) + newInner + text.slice(block.end);
}
