/**
 * Bounded parsing: documents under the size cap built to stall a markdown parser (the shapes reported in the
 * issue, generated here) become `document-readable` findings naming the limit; the run neither hangs nor
 * crashes, the other documents are still checked, and validating one file does not parse its large siblings.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VALID } from './helpers/fixtures.js';
import { cli } from './helpers/cli.js';
import { tmp } from './helpers/tmp.js';
import { PARSE_DEADLINE_MS } from '../src/validate/runner.js';

const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';
const MB = 1024 * 1024;
const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));
const SHAPES: Record<string, string> = {
  'flat-list-1.98mb': fill('- a\n', 1.98 * MB),
  'flat-list-800kb': fill('- a\n', 800 * 1024),
  'nested-quote-100kb': fill('>', 100 * 1024),
  'table-rows-100kb': '|a|b|\n|-|-|\n' + fill('|a|b|\n', 100 * 1024),
};
/**
 * The runs that hit the budget use a 2 s deadline (OPS_DOCS_PARSE_DEADLINE_MS) instead of the real 15 s: each
 * stalling document burns its whole deadline in CPU, on two cores for the long lists (the collector works beside
 * the parser). 2 s leaves a cold worker's first valid document room on a machine busy with the rest of the suite.
 * These shapes take far longer than 15 s (or 512 MB) to parse; the real deadline is asserted below, on the run that
 * must finish well inside it.
 */
const SHORT_DEADLINE = { OPS_DOCS_PARSE_DEADLINE_MS: '2000' };
const LIMIT = /^document (took longer than 2 s|needed more than 512 MB of memory) to parse and check \(the limit per document\)/;

interface Finding { file: string; ruleId: string; message: string }

describe('bounded parsing', () => {
  it('each hostile shape is a document-readable finding naming the limit; the rest of each task is still checked', () => {
    const root = tmp();
    for (const shape of Object.keys(SHAPES)) {
      const dir = join(root, 'ops', shape, TASK);
      cpSync(VALID.en, dir, { recursive: true });
      writeFileSync(join(dir, `${TASK}-runbook.md`), SHAPES[shape]!);
    }
    const r = cli(['validate', 'ops', '--no-cache', '--format', 'json', '--workers', '4'], { cwd: root, timeout: 60_000, env: SHORT_DEADLINE });
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout) as Finding[];
    const unreadable = found.filter((f) => f.ruleId === 'document-readable');
    expect(unreadable.map((f) => f.file.split('/').slice(-3, -2)[0]).sort()).toEqual(Object.keys(SHAPES).sort());
    for (const f of unreadable) {
      expect(f.file.endsWith(`${TASK}-runbook.md`)).toBe(true);
      expect(f.message).toMatch(LIMIT);
    }
    // The other three documents of each task were checked and, being the valid fixture's, have nothing to report.
    expect(found.filter((f) => !f.file.endsWith('-runbook.md'))).toEqual([]);
    expect(r.stderr).toBe('');
  }, 60_000);

  it('validating one file parses that file only: a stalling sibling is neither parsed nor reported', () => {
    const root = tmp();
    const dir = join(root, 'ops', 'active', TASK);
    cpSync(VALID.en, dir, { recursive: true });
    writeFileSync(join(dir, `${TASK}-postmortem-template.md`), SHAPES['flat-list-1.98mb']!);
    const started = Date.now();
    const r = cli(['validate', join(dir, `${TASK}-rollback.md`), '--no-cache'], { cwd: root, timeout: 30_000 });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '1 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n' });
    // Parsing the sibling alone takes longer than its 15 s budget on this machine; this run has the real budget.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(PARSE_DEADLINE_MS).toBe(15_000);
  }, 30_000);

  it('a lifecycle verb on a task with a stalling runbook ends with the limit named, writing nothing', () => {
    const root = tmp();
    const dir = join(root, 'ops', 'active', TASK);
    cpSync(VALID.en, dir, { recursive: true });
    writeFileSync(join(dir, `${TASK}-runbook.md`), SHAPES['nested-quote-100kb']!);
    const r = cli(['status', TASK, 'approved', '--by', 'alice'], { cwd: root, timeout: 30_000, env: SHORT_DEADLINE });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ops-docs: cannot read ops/active/${TASK}/${TASK}-runbook\\.md: document (took longer than 2 s|needed more than 512 MB)`));
  }, 30_000);
});
