/**
 * Sums what test/setup/count-assertions.ts wrote: run the suite with OPS_DOCS_COUNT_ASSERTIONS=<file>, then
 * `node dist/scripts/count-assertions.js <file>` prints the total assertions and tests (-v: one line per test file).
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('-'));
if (!file) {
  console.error('usage: node dist/scripts/count-assertions.js <file written by OPS_DOCS_COUNT_ASSERTIONS> [-v]');
  process.exit(2);
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [assertions = '', tests = '', path = ''] = line.split('\t');
    return { assertions: Number(assertions), tests: Number(tests), path };
  });
if (args.includes('-v')) {
  for (const r of [...rows].sort((a, b) => a.path.localeCompare(b.path))) console.log(`${r.assertions}\t${r.tests}\t${r.path}`);
}
const total = (key: 'assertions' | 'tests') => rows.reduce((n, r) => n + r[key], 0);
console.log(`${total('assertions')} assertions in ${total('tests')} tests, ${rows.length} files`);
