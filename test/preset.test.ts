/** The remark preset reports what the CLI reports: same files, positions, rule ids, severities and messages. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT, VALID } from './helpers/fixtures.js';
import { opsWith } from './helpers/tmp.js';
import { main } from './helpers/main.js';

const REMARK = join(ROOT, 'node_modules', 'remark-cli', 'cli.js');

type Row = [string, number, number, string, string, string];

function viaRemark(dir: string, preset: string): { code: number | null; rows: Row[] } {
  const r = spawnSync(process.execPath, [REMARK, '--use', join(ROOT, 'dist', 'src', 'validate', `${preset}.js`), '--no-stdout', '--no-color', '--frail', dir], {
    encoding: 'utf8', env: { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1' },
  });
  const rows: Row[] = [];
  let file = '';
  for (const line of r.stderr.split('\n')) {
    const head = /^(\S.*\.md)$/.exec(line);
    if (head) file = basename(head[1]!);
    const m = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(error|warning)\s+(.*?)\s+(\S+)\s+ops-docs\s*$/.exec(line);
    if (m) rows.push([file, Number(m[1]), Number(m[2]), m[5]!, m[3]!, m[4]!]);
  }
  return { code: r.status, rows: rows.sort() };
}

async function viaCli(dir: string, strict: boolean): Promise<Row[]> {
  const r = (await main(['validate', '--no-cache', '--format', 'json', ...(strict ? ['--strict'] : []), dir]));
  return (JSON.parse(r.stdout) as { file: string; line: number; column: number; ruleId: string; severity: string; message: string }[])
    .map((f): Row => [basename(f.file), f.line, f.column, f.ruleId, f.severity, f.message]).sort();
}

describe('remark preset', () => {
  it('a broken task: the same findings as ops-docs validate, and remark --frail fails', async () => {
    const { ops, taskDir, task } = opsWith(VALID.en);
    const rb = join(taskDir, `${task}-runbook.md`);
    writeFileSync(rb, readFileSync(rb, 'utf8').replace('- **Risk level:** High\n', '').replace('kubectl uncordon node-1', 'kubectl uncordon <node>'));
    const cl = join(taskDir, `${task}-checklist.md`);
    writeFileSync(cl, readFileSync(cl, 'utf8').replace(/^\| S2 \|.*\n/m, ''));
    const remark = viaRemark(ops, 'preset');
    const ours = await viaCli(ops, false);
    expect(ours.map((r) => r[3])).toEqual(['checklist-steps-coverage', 'runbook-impact-risk', 'no-placeholders']);
    expect(remark.rows).toEqual(ours);
    expect(remark.code).toBe(1);
  });

  it('strict preset turns placeholders into errors, like --strict', async () => {
    const { ops, taskDir, task } = opsWith(VALID.zh);
    const rb = join(taskDir, `${task}-runbook.md`);
    writeFileSync(rb, readFileSync(rb, 'utf8').replace('变更负责人与值班 DBA', '待定'));
    const remark = viaRemark(ops, 'preset-strict');
    expect(remark.rows).toEqual(await viaCli(ops, true));
    expect(remark.rows.map((r) => [r[3], r[4], r[5]])).toEqual([['no-placeholders', 'error', '文档中残留占位符“待定”：请替换为实际值']]);
  });

  it('a valid tree: nothing reported, README and other files ignored', async () => {
    const { ops } = opsWith(VALID.en);
    writeFileSync(join(ops, 'README.md'), '# Our ops folder\n\nNotes.\n');
    const remark = viaRemark(ops, 'preset');
    expect(remark.rows).toEqual([]);
    expect(remark.code).toBe(0);
  });
});
