/**
 * How people number things: `Step S1:`, `Step 1 —`, `S1.`, `1.`, `1)`, `GNG-1`, `Checkpoint 2`, `步骤 1`, `步骤一`,
 * `第一步`, `第1步`, `决策点一：`. Chinese numerals stand wherever a number may.
 */

const DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export const ZH_NUMERAL = '[〇零一二两三四五六七八九十百千]+';
export const NUMBER = `(?:\\d+|${ZH_NUMERAL})`;

/** `12` → 12, `十二` → 12, `二十` → 20, `一百零五` → 105, `半` → 0.5; undefined for anything else. */
export function parseNumber(text: string): number | undefined {
  const t = text.normalize('NFKC').trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (t === '半') return 0.5;
  if (!new RegExp(`^${ZH_NUMERAL}$`, 'u').test(t)) return undefined;
  let total = 0;
  let digit = 0;
  for (const ch of t) {
    if (ch in DIGITS) digit = DIGITS[ch]!;
    else {
      total += (digit || 1) * UNITS[ch]!;
      digit = 0;
    }
  }
  return total + digit;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');
}

const SEPARATOR = '(?:\\s*[:：—–\\-.、)）]\\s*(?!\\d)|\\s+|$)';
const cache = new Map<string, RegExp[]>();

/**
 * The patterns a numbered item heading (or checklist cell) may take, for items with this id prefix and these
 * words before the number (`Step`, `Checkpoint`, `决策点`). Longest words first, so `Rollback step 1` is not
 * read as `step 1` of something else.
 */
function patterns(prefix: string, words: string[]): RegExp[] {
  const cacheKey = `${prefix}\u0000${words.join('\u0000')}`;
  let hit = cache.get(cacheKey);
  if (hit) return hit;
  const w = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  const p = escapeRe(prefix);
  hit = [
    // Step S1 / Step 1 / GNG-1 / Checkpoint #2 / 步骤一 / 决策点 G1
    ...(w ? [new RegExp(`^\\s*(?:${w})\\s*[-#№]?\\s*(?:${p})?\\s*(${NUMBER})${SEPARATOR}`, 'iu')] : []),
    // 第一步 / 第1步 / 第二个决策点
    new RegExp(`^\\s*第\\s*(${NUMBER})\\s*(?:步|个|项|阶段)?(?:${w})?\\s*(?:[:：—–\\-.、)）]\\s*|\\s+|$)`, 'u'),
    // S1 / S1. / R1 恢复 / G2:
    new RegExp(`^\\s*(?:${p})(\\d+)(?!\\d|\\.\\d)${SEPARATOR}`, 'u'),
    // 1. / 1) / 1 — / 一、
    new RegExp(`^\\s*(\\d+)\\s*(?:[:：—–\\-.、)）]\\s*(?!\\d)|$)`, 'u'),
    new RegExp(`^\\s*(${ZH_NUMERAL})\\s*[、.．:：)）]\\s*`, 'u'),
  ];
  cache.set(cacheKey, hit);
  return hit;
}

export interface Numbered {
  number: number;
  /** The text after the numbering: the item's own title. */
  rest: string;
}

/** The number a heading or cell gives its item, and the title after it; undefined when it carries none. */
export function readNumbering(text: string, prefix: string, words: string[]): Numbered | undefined {
  const t = text.normalize('NFKC');
  for (const re of patterns(prefix, words)) {
    const m = re.exec(t);
    if (!m) continue;
    const n = parseNumber(m[1]!);
    if (n === undefined || !Number.isInteger(n)) continue;
    return { number: n, rest: t.slice(m[0].length).trim() };
  }
  return undefined;
}
