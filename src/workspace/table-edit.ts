/**
 * Fill cells of one GFM table row in place. The row's bytes are found through its mdast position and split on
 * unescaped pipes (the GFM rule: a pipe splits a cell unless backslash-escaped, even inside code spans); only
 * the cells being filled are rewritten, every other byte of the file stays as the human left it.
 */
import type { TableRow } from 'mdast';

/**
 * User text as a cell will read back: one line, no control characters, and angle brackets turned into ‹ ›.
 * An escaped `\<host\>` still reads back as `<host>`, which the no-placeholders rule rightly takes for a blank
 * left unfilled; a note quoting such a word is not one, so it must not look like one.
 */
export function cellReading(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\s+/g, ' ')
    .trim();
}

/** User text made safe for one cell: as cellReading says, with markdown punctuation escaped. */
export function escapeCell(text: string): string {
  // Markdown punctuation is escaped so the cell reads back as exactly what was typed (a `|` would split the
  // cell, `*`/`_` would turn into emphasis, `&amp;` would turn into `&`).
  return cellReading(text).replace(/[\\|*_`[\]~&]/g, (c) => `\\${c}`);
}

interface SplitRow {
  lead: string;
  cells: string[];
  /** Whether the row ends with a closing pipe (and what follows it). */
  closed: boolean;
  trail: string;
}

function splitRow(raw: string): SplitRow {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      cur += ch + raw[i + 1]!;
      i++;
    } else if (ch === '|') {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  // parts[0] is what precedes the first pipe; the last part follows the closing pipe (blank when the row is closed).
  const lead = parts.shift()!;
  const last = parts[parts.length - 1] ?? '';
  const closed = parts.length > 1 && last.trim() === '';
  const trail = closed ? parts.pop()! : '';
  if (lead.trim() !== '') {
    // A row written without its leading pipe: the first cell is the lead.
    return { lead: '', cells: [lead, ...parts], closed, trail };
  }
  return { lead, cells: parts, closed, trail };
}

/**
 * Return the text with the given cells of `row` replaced. `values` maps a cell index to already-escaped
 * content; cells missing at the end of a short row are added.
 */
export function fillRow(text: string, row: TableRow, values: Map<number, string>): string {
  const start = row.position?.start.offset;
  const end = row.position?.end.offset;
  if (start === undefined || end === undefined) throw new Error('table row without a source position');
  const raw = text.slice(start, end);
  const split = splitRow(raw);
  const cells = [...split.cells];
  const width = Math.max(cells.length, ...[...values.keys()].map((i) => i + 1));
  while (cells.length < width) cells.push(' ');
  for (const [i, v] of values) cells[i] = v === '' ? ' ' : ` ${v} `;
  const rebuilt = split.lead + '|' + cells.join('|') + (split.closed || cells.length > split.cells.length ? '|' + split.trail : '');
  return text.slice(0, start) + rebuilt + text.slice(end);
}

const BOX = /☐|☑|☒|\[[ xX]\]/gu;
const TICKED = /☑|☒|\[[xX]\]/u;

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A cell printed with boxes to tick, ticked: `☐ Pass ☐ Fail` with "Pass" → `☑ Pass ☐ Fail`; a lone `☐` (or
 * `[ ]`) with no word → `☑` (`[x]`). Any box ticked before is cleared first (a --force re-record). Undefined when
 * the cell has no box for the word: then the word is written instead.
 * @param synonyms words a box may stand before, per word (`Pass` → `Pass`, `OK`, `Yes`).
 */
export function tickBox(cell: string, word: string, synonyms: Record<string, string[]> = {}): string | undefined {
  if (!cell.match(BOX)) return undefined;
  const cleared = cell.replace(BOX, (b) => (b.startsWith('[') ? '[ ]' : '☐'));
  if (word === '') {
    if (TICKED.test(cell)) return cell;
    return cleared.replace(/☐|\[ \]/u, (b) => (b === '☐' ? '☑' : '[x]'));
  }
  for (const w of synonyms[word] ?? [word]) {
    const re = new RegExp(`(☐|\\[ \\])(\\s*)(${reEscape(w)})(?![\\p{L}-])`, 'iu');
    if (re.test(cleared)) return cleared.replace(re, (_m, b: string, sp: string, text: string) => `${b === '☐' ? '☑' : '[x]'}${sp}${text}`);
  }
  return undefined;
}

/** The word after the ticked box of a cell (`☐ Pass ☑ Fail` → `Fail`); '' when boxes are all empty; undefined without boxes. */
export function tickedWord(cell: string): string | undefined {
  if (!cell.match(BOX)) return undefined;
  const m = /(?:☑|☒|\[[xX]\])\s*([^\s☐☑☒[]*)/u.exec(cell);
  return m ? m[1] ?? '' : '';
}
