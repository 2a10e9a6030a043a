/** New-user friction from issue 8, each answered: what a first run shows, and what a script reads. */
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { tmp } from './helpers/tmp.js';
import { TASK, setup } from './helpers/lifecycle.js';

describe('friction', () => {
  it('new ends with the command that comes next, with the task name filled in', async () => {
    const cwd = tmp();
    const r = await main(['new', 'kubernetes cluster upgrade to v1.28', '--date', '2026-01-05'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('then approve it: ops-docs status 2026-01-05-k8s-cluster-upgrade-v1.28 approved --by NAME');
  });

  it('status without --by says whose name was signed and how to sign as another', async () => {
    const t = setup();
    const r = await t.run(['status', TASK, 'approved', '--at', '2025-11-12 10:00']);
    expect(r).toEqual({
      code: 0,
      stdout: `${TASK}: planned → approved (by tester)\n`,
      stderr: 'note: signed as "tester" (from git config user.name, else $USER); pass --by NAME to sign as someone else\n',
    });
  });

  it('with --json a failure is JSON on stdout too', async () => {
    const t = setup();
    const r = await t.run(['status', 'no-such-task', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: r.stderr.replace(/^ops-docs: /, '').trimEnd(), exitCode: 1 });
  });

  it('--workers -1 is answered by the range check, not "takes no value"', async () => {
    expect(await main(['validate', '--workers', '-1'], { cwd: tmp() })).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: --workers must be a whole number from 1 to 64, not "-1"\n' });
  });

  it('validate of an empty ops/active: the same answer whether named or by default', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'ops', 'active'), { recursive: true });
    mkdirSync(join(cwd, 'ops', 'archive'));
    const quiet = { code: 0, stdout: '', stderr: '0 document(s) in 0 task(s): 0 error(s), 0 warning(s)\n' };
    expect(await main(['validate'], { cwd })).toEqual(quiet);
    expect(await main(['validate', 'ops/active'], { cwd })).toEqual(quiet);
    // Any other folder without documents is still a mistake.
    expect((await main(['validate', 'ops/archive'], { cwd })).code).toBe(1);
  });

  it('print drops links that would run script (javascript:, JavaScript:, data:), keeps their words and safe links', async () => {
    const t = setup();
    appendFileSync(t.file('runbook'), '\nSee [the dashboard](javascript:alert(1)), [shouting](JavaScript:alert(2)), ![img](data:image/svg+xml,x) and [the wiki](https://wiki.example.com/x).\n');
    const r = await t.run(['print', TASK, '--only', 'runbook']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/href="(javascript|data):|src="data:|alert\(/i);
    expect(r.stdout).toContain('<a>shouting</a>');
    expect(r.stdout).toContain('<a>the dashboard</a>');
    expect(r.stdout).toContain('<a href="https://wiki.example.com/x">the wiki</a>');
  });
});
