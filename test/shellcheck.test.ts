/**
 * ShellCheck's warnings reach the findings the same way on every path: in the command's own thread (one task,
 * where ShellCheck runs as a child process while the next document is parsed), in a worker (--workers 1), and
 * under remark (the preset, where it runs before the rule returns).
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, RUNTIME_PARTS, VALID } from './helpers/fixtures.js';
import { cli } from './helpers/cli.js';
import { tmp } from './helpers/tmp.js';

const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';
const REMARK = join(ROOT, 'node_modules', 'remark-cli', 'cli.js');
const SC2164 = 'ShellCheck SC2164: Use \'cd ... || exit\' or \'cd ... || return\' in case cd fails.';

function taskWithUnguardedCd(): { root: string; dir: string; runbook: string; line: number } {
  const root = tmp();
  const dir = join(root, 'ops', 'active', TASK);
  cpSync(VALID.en, dir, { recursive: true });
  const runbook = join(dir, `${TASK}-runbook.md`);
  const text = readFileSync(runbook, 'utf8');
  writeFileSync(runbook, text.replace('kubeadm upgrade apply v1.28.4 --yes\n', 'cd /etc/kubernetes\nkubeadm upgrade apply v1.28.4 --yes\n'));
  const line = text.split('\n').indexOf('kubeadm upgrade apply v1.28.4 --yes') + 1;
  return { root, dir, runbook, line };
}

interface Row { file: string; line: number; column: number; ruleId: string; severity: string; message: string }

describe('review-shellcheck', () => {
  const shellcheck = spawnSync('shellcheck', ['--version']);
  it('shellcheck is installed here (.ci/run installs it)', () => {
    expect(shellcheck.error).toBeUndefined();
  });

  it('in-thread, in a worker and under remark: the same finding at the line of the unguarded cd', () => {
    const { root, dir, runbook, line } = taskWithUnguardedCd();
    const expected = [{ file: runbook, line, column: 1, ruleId: 'review-shellcheck', severity: 'warning', message: SC2164 }];
    const inThread = cli(['validate', '--no-cache', '--format', 'json', dir], { cwd: root });
    expect(inThread.code).toBe(0);
    expect(JSON.parse(inThread.stdout) as Row[]).toEqual(expected);
    const inWorker = cli(['validate', '--no-cache', '--workers', '1', '--format', 'json', dir], { cwd: root });
    expect(JSON.parse(inWorker.stdout) as Row[]).toEqual(expected);
    const remark = spawnSync(process.execPath, [REMARK, '--use', join(ROOT, 'dist', 'src', 'validate', 'preset.js'), '--no-stdout', '--no-color', runbook], {
      encoding: 'utf8', cwd: root, env: { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1' },
    });
    expect(remark.stderr).toMatch(new RegExp(`\\n${line}:1\\s+warning\\s+ShellCheck SC2164: .*review-shellcheck\\s+ops-docs`));
  });

  it('a block that does not parse: its review-shell-parse finding, and ShellCheck still on the blocks that parse, the same on every path', () => {
    const { root, dir, runbook, line } = taskWithUnguardedCd();
    const text = readFileSync(runbook, 'utf8');
    writeFileSync(runbook, text.replace('kubectl uncordon node-1\n', 'kubectl uncordon node-1 --selector="role=worker\n'));
    const broken = text.split('\n').indexOf('kubectl uncordon node-1') + 1;
    const rows = (stdout: string) => (JSON.parse(stdout) as Row[]).map((f) => [f.line, f.ruleId, f.severity]);
    const expected = [[line, 'review-shellcheck', 'warning'], [broken, 'review-shell-parse', 'warning']];
    const inThread = cli(['validate', '--no-cache', '--format', 'json', dir], { cwd: root });
    expect(inThread.code).toBe(0);
    expect(rows(inThread.stdout)).toEqual(expected);
    expect((JSON.parse(inThread.stdout) as Row[])[1]!.message).toMatch(/^the bash block does not parse: .* \(line 3 of the block\): fix the command$/);
    const inWorker = cli(['validate', '--no-cache', '--workers', '1', '--format', 'json', dir], { cwd: root });
    expect(inWorker.stdout).toBe(inThread.stdout);
    const strict = cli(['validate', '--no-cache', '--strict', '--format', 'json', dir], { cwd: root });
    expect(strict.code).toBe(1);
    expect(rows(strict.stdout)).toEqual([[line, 'review-shellcheck', 'warning'], [broken, 'review-shell-parse', 'error']]);
    const remark = spawnSync(process.execPath, [REMARK, '--use', join(ROOT, 'dist', 'src', 'validate', 'preset.js'), '--no-stdout', '--no-color', runbook], {
      encoding: 'utf8', cwd: root, env: { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1' },
    });
    expect(remark.stderr).toMatch(new RegExp(`\\n${line}:1\\s+warning\\s+ShellCheck SC2164: .*review-shellcheck\\s+ops-docs`));
    expect(remark.stderr).toMatch(new RegExp(`\\n${broken}:1\\s+warning\\s+the bash block does not parse: .*review-shell-parse\\s+ops-docs`));
  });

  it('a shell parser that cannot start is a document-readable finding, the same in-thread and in a worker', () => {
    // A copy of the bundle without node_modules/sh-syntax: the WebAssembly parser cannot be loaded anywhere.
    const copy = mkdtempSync(join(tmpdir(), 'ops-docs-no-sh-syntax-'));
    for (const part of RUNTIME_PARTS.filter((p) => p !== 'node_modules/sh-syntax')) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const { root, dir } = taskWithUnguardedCd();
    const run = (extra: string[]) => spawnSync(process.execPath, [join(copy, 'dist', 'bin', 'cli.js'), 'validate', '--no-cache', '--format', 'json', ...extra, dir], {
      encoding: 'utf8', cwd: root, env: { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1' },
    });
    const inThread = run([]);
    const inWorker = run(['--workers', '1']);
    expect(inThread.status).toBe(1);
    const rows = (JSON.parse(inThread.stdout) as Row[]).map((f) => [f.file.split('/').pop(), f.ruleId, f.message.split('(')[0]]);
    expect(rows).toEqual([
      [`${TASK}-rollback.md`, 'document-readable', 'rule review-commands could not read this document '],
      [`${TASK}-runbook.md`, 'document-readable', 'rule review-commands could not read this document '],
    ]);
    expect(inWorker.stdout).toBe(inThread.stdout);
    expect(inThread.stderr).toBe('');
  });

  it('without shellcheck on PATH: no ShellCheck finding, and no wait for its 10 s timeout, in-thread or in a worker', () => {
    const { root, dir } = taskWithUnguardedCd();
    const empty = mkdtempSync(join(tmpdir(), 'ops-docs-no-shellcheck-'));
    for (const extra of [[], ['--workers', '1']]) {
      const started = Date.now();
      const r = cli(['validate', '--no-cache', ...extra, dir], { cwd: root, env: { PATH: empty } });
      expect(r).toEqual({ code: 0, stdout: '', stderr: '4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n' });
      // spawn's own `timeout` option kept a process whose shellcheck never started alive for the whole 10 s.
      expect(Date.now() - started).toBeLessThan(8_000);
    }
  });
});
