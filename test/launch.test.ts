/**
 * The installed command runs the bundled CLI through V8's code cache (src/launch.ts): one file per Node version
 * and verb under the cache folder, written when a verb first runs or when V8 rejects the file it finds, and never
 * in the way of the run itself.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, utimesSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CLI, ROOT, RUNTIME_PARTS, VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

/** The cache file of a verb for the bundle beside `cli` (its build is its size and modification time). */
function NAME(verb: string, cli = CLI): string {
  const s = statSync(join(dirname(cli), 'ops-docs.cjs'));
  return `${process.version}-${process.arch}-${s.size.toString(36)}.${Math.floor(s.mtimeMs).toString(36)}-${verb}.bin`;
}

function run(cacheDir: string, args: string[], env: Record<string, string> = {}, cli = CLI) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1', ANTHROPIC_API_KEY: '', OPS_DOCS_CACHE_DIR: cacheDir, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the code cache', () => {
  it('is written by a verb\'s first run, read (not rewritten) by the next, and changes nothing in the output', () => {
    const cache = tmp();
    const first = run(cache, ['validate', '--no-cache', '--format', 'json', VALID.en]);
    expect(first).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const file = join(cache, 'code', NAME('validate'));
    expect(readdirSync(join(cache, 'code'))).toEqual([NAME('validate')]);
    expect(statSync(file).size).toBeGreaterThan(100_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'code')).mode & 0o777).toBe(0o700);
    // The package's YAML came parsed from dist/yaml/: a first run parses none and caches none.
    expect(readdirSync(cache)).toEqual(['code']);
    const bytes = readFileSync(file);
    const before = statSync(file).mtimeMs;
    const second = run(cache, ['validate', '--no-cache', '--format', 'json', VALID.en]);
    expect(second).toEqual(first);
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // Another verb has its own file; an argument that is not a verb name is filed under "other", never as a path.
    expect(run(cache, ['--version']).code).toBe(0);
    expect(run(cache, ['../../escape', '--help']).code).toBe(2);
    expect(readdirSync(join(cache, 'code')).sort()).toEqual([NAME('other'), NAME('validate')]);
  });

  it('a file V8 rejects (damaged, or from another build) is rewritten, and the run is unaffected', () => {
    const cache = tmp();
    mkdirSync(join(cache, 'code'), { recursive: true });
    const file = join(cache, 'code', NAME('validate'));
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(run(cache, ['validate', '--no-cache', VALID.en])).toEqual({ code: 0, stdout: '', stderr: '4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n' });
    expect(statSync(file).size).toBeGreaterThan(100_000);
    expect(readFileSync(file).subarray(0, 4096).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('a cache that cannot be written costs only the compile; OPS_DOCS_CODE_CACHE=off writes nothing', () => {
    // A file where the cache's folder should be: no folder can be made there, whoever runs the test.
    const cache = tmp();
    writeFileSync(join(cache, 'code'), 'not a folder');
    const expected = { code: 0, stdout: '', stderr: '4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n' };
    expect(run(cache, ['validate', '--no-cache', VALID.en])).toEqual(expected);
    expect(readFileSync(join(cache, 'code'), 'utf8')).toBe('not a folder');
    expect(readdirSync(cache, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
    const off = tmp();
    expect(run(off, ['validate', '--no-cache', VALID.en], { OPS_DOCS_CODE_CACHE: 'off' })).toEqual(expected);
    expect(existsSync(join(off, 'code'))).toBe(false);
  });

  it('two builds sharing the cache folder each keep their own file; the folder keeps the 40 most recent', () => {
    const cache = tmp();
    // Another build of the bundle, as a second install of another version would be: a copy with its own time.
    const other = tmp();
    for (const part of RUNTIME_PARTS) cpSync(join(ROOT, part), join(other, part), { recursive: true });
    const otherCli = join(other, 'dist', 'bin', 'cli.js');
    utimesSync(join(other, 'dist', 'bin', 'ops-docs.cjs'), new Date(), new Date(Date.now() - 86_400_000));
    expect(NAME('validate', otherCli)).not.toBe(NAME('validate'));
    const args = ['validate', '--no-cache', VALID.en];
    expect(run(cache, args).code).toBe(0);
    expect(run(cache, args, {}, otherCli).code).toBe(0);
    const mine = statSync(join(cache, 'code', NAME('validate'))).mtimeMs;
    const theirs = statSync(join(cache, 'code', NAME('validate', otherCli))).mtimeMs;
    expect(run(cache, args).code).toBe(0);
    expect(run(cache, args, {}, otherCli).code).toBe(0);
    expect(statSync(join(cache, 'code', NAME('validate'))).mtimeMs).toBe(mine);
    expect(statSync(join(cache, 'code', NAME('validate', otherCli))).mtimeMs).toBe(theirs);
    // 45 older files from earlier builds: writing a new one leaves the 40 most recent, the new one among them.
    for (let i = 0; i < 45; i++) {
      const f = join(cache, 'code', `v0.0.${i}-x64-old-validate.bin`);
      writeFileSync(f, 'old');
      utimesSync(f, new Date(), new Date(Date.now() - (i + 2) * 86_400_000));
    }
    expect(run(cache, ['status', '--help']).code).toBe(0);
    const left = readdirSync(join(cache, 'code'));
    expect(left.length).toBe(40);
    expect(left).toContain(NAME('status'));
    expect(left).toContain(NAME('validate'));
    expect(left).toContain(NAME('validate', otherCli));
    expect(left).toContain('v0.0.0-x64-old-validate.bin');
    expect(left).not.toContain('v0.0.44-x64-old-validate.bin');
  });
});
