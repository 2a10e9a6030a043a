/**
 * Counts the assertions the suite makes, so a change that speeds the suite up can show it lost none.
 * With OPS_DOCS_COUNT_ASSERTIONS=<file> set, each test file appends one line "<assertions>\t<tests>\t<path>" to that
 * file; `node scripts/count-assertions.mjs <file>` sums them. Without the variable this does nothing.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';

const sink = process.env['OPS_DOCS_COUNT_ASSERTIONS'];
if (sink) {
  let assertions = 0;
  let tests = 0;
  let file = '';
  // Registered before the file's own hooks, so (hooks run as a stack) this runs after them and counts their assertions too.
  afterEach((context) => {
    // A test that used its own `expect` (a concurrent test must) counts there, as vitest's own check reads it.
    const local = (context as { _local?: boolean })._local;
    assertions += (local ? context.expect : expect).getState().assertionCalls;
    tests += 1;
    file ||= context.task.file.filepath;
  });
  afterAll(() => {
    if (tests) appendFileSync(sink, `${assertions}\t${tests}\t${relative(process.cwd(), file)}\n`);
  });
}
