/**
 * The width of text in a terminal: East Asian wide and fullwidth characters (CJK, kana, hangul, fullwidth
 * punctuation such as ，and ：) take two columns, so padding by string length misaligns a table with Chinese in it.
 */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
// Combining marks and zero-width characters take no column of their own.
const ZERO = /[\u0300-\u036F\u200B-\u200F\uFE00-\uFE0F]/u;

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Pad with spaces to a display width (never cuts). */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
