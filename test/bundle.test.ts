/**
 * The shipped bundle (dist/bin/cli.js, in its own process) against the in-process main(argv) the rest of the
 * suite uses: one run per verb on two identical trees gives the same exit code, stdout, stderr and files. The
 * subprocess is what a user runs; this keeps every in-process test honest about it.
 */
import { describe, expect, it } from 'vitest';
import { TASK, setup, snapshot } from './helpers/lifecycle.js';
import { main } from './helpers/main.js';
import { cli } from './helpers/cli.js';

type Tree = ReturnType<typeof setup>;

/** `ops`: the verb takes --ops-dir (the tree's); the others run with the tree's root as working folder. */
const CASES: { verb: string; args: (t: Tree) => string[]; code: number; ops?: false }[] = [
  { verb: 'validate', args: (t) => ['validate', '--no-cache', '--strict', t.taskDir], code: 0, ops: false },
  { verb: 'name', args: () => ['name', '--date', '2025-11-10', 'kubernetes cluster upgrade to v1.28'], code: 0, ops: false },
  { verb: 'new', args: () => ['new', '--date', '2025-11-11', 'redis failover of the cache cluster'], code: 0 },
  { verb: 'init', args: (t) => ['init', t.root, '--lang', 'en'], code: 0, ops: false },
  { verb: 'status', args: () => ['status', TASK, 'approved', '--by', 'alice', '--at', '2025-11-12 09:00'], code: 0 },
  { verb: 'record', args: () => ['record', TASK, 'check', 'approval', '--by', 'eve', '--force', '--at', '2025-11-12 09:00'], code: 0 },
  { verb: 'list', args: () => ['list', '--all'], code: 0 },
  { verb: 'archive', args: () => ['archive', TASK], code: 1 },
  { verb: 'doctor', args: () => ['doctor'], code: 0 },
  { verb: 'print', args: () => ['print', TASK, '--only', 'checklist'], code: 0 },
];

describe('the shipped bundle runs each verb as main(argv) does', () => {
  for (const c of CASES) {
    it(c.verb, async () => {
      const inProcess = setup();
      const bundled = setup();
      const env = { TZ: 'UTC', USER: 'tester' };
      const a = c.ops === false ? await main(c.args(inProcess), { cwd: inProcess.root, env }) : await inProcess.run(c.args(inProcess));
      const b = c.ops === false ? cli(c.args(bundled), { cwd: bundled.root, env }) : bundled.runBundle(c.args(bundled));
      const same = (text: string, t: Tree) => text.split(t.root).join('<root>');
      expect(b.code).toBe(c.code);
      expect({ code: b.code, stdout: same(b.stdout, bundled), stderr: same(b.stderr, bundled) })
        .toEqual({ code: a.code, stdout: same(a.stdout, inProcess), stderr: same(a.stderr, inProcess) });
      expect(snapshot(bundled.root)).toEqual(snapshot(inProcess.root));
    });
  }
});
