/**
 * A process whose event loop empties before its verb answers would end with Node's exit 0: a CI gate passing a
 * tree it never finished checking. The CLI refuses that end with exit 70 and a message. Provoked here by a
 * preloaded module that makes every child process a stub that never closes and holds no handle (so ShellCheck's
 * result, which validate awaits, never comes). ShellCheck's timer holds the process until it kills the stub (which
 * ends nothing); OPS_DOCS_SHELLCHECK_TIMEOUT_MS shortens that wait from 10 s.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VALID } from './helpers/fixtures.js';
import { cli } from './helpers/cli.js';
import { tmp } from './helpers/tmp.js';

const NEVER_CLOSING_CHILD = `
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
cp.spawn = () => Object.assign(new EventEmitter(), { stdin: new PassThrough(), stdout: new PassThrough(), kill() {} });
syncBuiltinESMExports();
`;

describe('a verb that never answers', () => {
  it('exits 70 with a message, not 0', () => {
    const root = tmp();
    const dir = join(root, 'ops', 'active', '2025-11-10-k8s-cluster-upgrade-v1.28');
    cpSync(VALID.en, dir, { recursive: true });
    const preload = join(root, 'never-closing-child.mjs');
    writeFileSync(preload, NEVER_CLOSING_CHILD);
    const r = cli(['validate', '--no-cache', dir], {
      cwd: root,
      env: { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}`, OPS_DOCS_SHELLCHECK_TIMEOUT_MS: '500' },
    });
    expect(r).toEqual({ code: 70, stdout: '', stderr: 'ops-docs: internal error: the command ended before it had an answer; treat this run as failed\n' });
  });

  it('the same run without the stub answers 0', () => {
    const root = tmp();
    const dir = join(root, 'ops', 'active', '2025-11-10-k8s-cluster-upgrade-v1.28');
    cpSync(VALID.en, dir, { recursive: true });
    expect(cli(['validate', '--no-cache', dir], { cwd: root })).toEqual({ code: 0, stdout: '', stderr: '4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n' });
  });
});
