/**
 * `ops-docs validate … | head -1`: the reader closes the pipe after one line. The process must end quietly (no
 * unhandled EPIPE, no stack trace) with the verb's own exit code, as if its output had been read whole.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, VALID } from './helpers/fixtures.js';

/** Runs the bundle with stdout on a real pipe whose read end is closed as soon as the first bytes arrive. */
function runClosingAfterFirstChunk(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; first: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, OPS_DOCS_LANG: 'en' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString('utf8').split('\n')[0]!;
      child.stdout.destroy(); // what head -1 does: read one line, close the pipe
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code, signal) => resolveRun({ code, signal, first, stderr }));
  });
}

describe('a closed stdout', () => {
  it('validate | head -1 on a tree with 1160 errors: first line read, exit 1 (the findings), no EPIPE on stderr', async () => {
    const ops = mkdtempSync(join(tmpdir(), 'ops-docs-pipe-'));
    try {
      // 40 tasks of one-heading documents: about 300 KB of findings, far more than a pipe holds.
      for (let i = 1; i <= 40; i++) {
        const task = `2025-01-${String((i % 28) + 1).padStart(2, '0')}-svc${i}-upgrade`;
        mkdirSync(join(ops, 'active', task), { recursive: true });
        for (const k of ['runbook', 'rollback', 'checklist', 'postmortem-template']) writeFileSync(join(ops, 'active', task, `${task}-${k}.md`), '# x\n');
      }
      const r = await runClosingAfterFirstChunk(['validate', ops]);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      expect(r.first).toMatch(/-upgrade-[a-z-]+\.md:1:1 {2}error {2}/);
      expect(r.stderr).toBe('160 document(s) in 40 task(s): 1160 error(s), 0 warning(s)\n');
    } finally {
      rmSync(ops, { recursive: true, force: true });
    }
  });

  it('a clean run whose reader went away still exits 0', async () => {
    const r = await runClosingAfterFirstChunk(['validate', '--format', 'json', VALID.en]);
    expect(r).toEqual({ code: 0, signal: null, first: '[]', stderr: '' });
  });
});
