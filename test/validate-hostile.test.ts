/** Hostile input: every file gets a clean finding, never a crash, and the run ends with exit 1, not 70. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { tmp } from './helpers/tmp.js';

const TASK = '2025-01-01-app-deploy-hostile';

function taskWith(files: Record<string, string | Buffer>): string {
  const dir = join(tmp(), 'ops', 'active', TASK);
  mkdirSync(dir, { recursive: true });
  for (const [kind, body] of Object.entries(files)) writeFileSync(join(dir, `${TASK}-${kind}.md`), body);
  return dir;
}

async function run(dir: string): Promise<{ code: number | null; findings: { file: string; ruleId: string; line: number; message: string }[] }> {
  const r = (await main(['validate', '--format', 'json', dir]));
  expect(r.stderr).toBe('');
  return { code: r.code, findings: JSON.parse(r.stdout) };
}

const kindsOf = (fs: { file: string; ruleId: string }[], kind: string) =>
  fs.filter((f) => f.file.endsWith(`-${kind}.md`)).map((f) => f.ruleId);

describe('hostile input', () => {
  it('an empty file: no frontmatter, every section missing', async () => {
    const { code, findings } = await run(taskWith({ rollback: '' }));
    expect(code).toBe(1);
    expect(kindsOf(findings, 'rollback')).toEqual([
      'frontmatter', 'rollback-data-recovery', 'rollback-steps', 'rollback-time', 'rollback-triggers', 'rollback-verification',
      'task-files', 'task-files', 'task-files',
    ]);
  });

  it('a binary file → document-readable, and it is not reported as missing', async () => {
    const { code, findings } = await run(taskWith({ runbook: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]) }));
    expect(code).toBe(1);
    expect(findings.map((f) => f.ruleId)).toEqual(['document-readable', 'task-files', 'task-files', 'task-files']);
    expect(findings[0]!.message).toBe('file is binary (it contains NUL bytes), not a markdown document');
    expect(findings.slice(1).map((f) => f.message)).toEqual([
      `the task has no rollback document: add ${TASK}-rollback.md`,
      `the task has no checklist document: add ${TASK}-checklist.md`,
      `the task has no postmortem-template document: add ${TASK}-postmortem-template.md`,
    ]);
  });

  it('invalid UTF-8 → document-readable', async () => {
    const { findings } = await run(taskWith({ checklist: Buffer.from([0x23, 0x20, 0xc3, 0x28, 0xff]) }));
    expect(findings.map((f) => f.ruleId)).toEqual(['document-readable', 'task-files', 'task-files', 'task-files']);
    expect(findings[0]!.message).toBe('file is not valid UTF-8: save it as UTF-8');
  });

  it('a 5 MB file → document-readable naming its size', async () => {
    const big = '---\nkind: runbook\n---\n' + '- a line of a very long list\n'.repeat(190_000);
    const { findings } = await run(taskWith({ runbook: big }));
    expect(findings.map((f) => f.ruleId)).toEqual(['document-readable', 'task-files', 'task-files', 'task-files']);
    expect(findings[0]!.message).toBe('file is 5.3 MB; documents over 2 MB are not checked: split it or remove what does not belong');
  });

  it('broken frontmatter → frontmatter with the YAML error, the rest still checked', async () => {
    const { findings } = await run(taskWith({ 'postmortem-template': '---\ntask: [unclosed\n---\n\n## Summary\n\ntext\n' }));
    const ids = kindsOf(findings, 'postmortem-template');
    expect(ids[0]).toBe('frontmatter');
    expect(findings[0]!.message).toMatch(/^frontmatter is not valid YAML \(.+\): fix the --- block at the top of the file$/);
    expect(ids).toContain('postmortem-template-timeline');
    expect(ids).not.toContain('postmortem-template-summary');
  });

  it('frontmatter that is a list, not a mapping → frontmatter', async () => {
    const { findings } = await run(taskWith({ runbook: '---\n- a\n- b\n---\n' }));
    expect(findings[0]!.ruleId).toBe('frontmatter');
    expect(findings[0]!.message).toContain('frontmatter is not a mapping');
  });

  it('deeply nested lists and blockquotes are parsed and checked without a stack overflow', async () => {
    const lists = Array.from({ length: 400 }, (_, i) => '  '.repeat(i) + '- item\n').join('');
    const quotes = '> '.repeat(1000) + 'deep\n';
    const { code, findings } = await run(taskWith({ runbook: lists, rollback: quotes }));
    expect(code).toBe(1);
    expect(findings.filter((f) => f.ruleId === 'document-readable')).toEqual([]);
    expect(kindsOf(findings, 'runbook')[0]).toBe('frontmatter');
    expect(kindsOf(findings, 'rollback')[0]).toBe('frontmatter');
  });
});
