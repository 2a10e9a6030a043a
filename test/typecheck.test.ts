/**
 * The sources, tests, benchmark and scripts type-check under the strict tsconfig.json. The build only transpiles
 * (esbuild, scripts/build.mjs), so this is where a type error fails `npm test`. tsc runs incrementally with its
 * build info in dist/: an unchanged tree is checked in two seconds, a fresh clone whole. `-p`, not `-b`: build mode
 * trusts the times of the project's own files and would miss a dependency's types changed by an install.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/fixtures.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

describe('types', () => {
  it('tsc finds no error in src/, test/, bench/ and scripts/', async () => {
    // Asynchronous: the other files of this worker go on meanwhile.
    const r = await new Promise<{ code: number | null; out: string }>((done) => {
      const child = execFile(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' }, (_err, stdout, stderr) => done({ code: child.exitCode, out: stdout + stderr }));
    });
    expect(r).toEqual({ code: 0, out: '' });
  }, 120_000);
});
