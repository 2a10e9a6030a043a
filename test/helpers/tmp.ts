import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tmp(prefix = 'ops-docs-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** A temporary ops/ tree with the given fixture task copied into active/. */
export function opsWith(fixtureDir: string): { root: string; ops: string; taskDir: string; task: string } {
  const root = tmp();
  const task = fixtureDir.split('/').pop()!;
  const ops = join(root, 'ops');
  const taskDir = join(ops, 'active', task);
  cpSync(fixtureDir, taskDir, { recursive: true });
  return { root, ops, taskDir, task };
}
