#!/usr/bin/env node
/**
 * The installed command (dist/bin/cli.js). It runs the bundled CLI, dist/bin/ops-docs.cjs, through V8's code cache:
 * a verb's second run skips compiling the functions its first run compiled, about a tenth of a one-task validate.
 * Node 22 offers this for ES modules (module.enableCompileCache); Node 20 only for scripts (vm.Script's cachedData),
 * hence a CommonJS bundle run from here.
 *
 * One cache file per Node version, build of the bundle (its size and time) and verb, beside the result cache
 * (cacheRoot()): two installs of different versions each keep theirs instead of replacing each other's at every run.
 * V8 checks a file against the source and its own flags and rejects one that does not match (then it is written
 * anew when the run ends); the folder keeps the CODE_CACHE_FILES most recently written. A cache that cannot be read
 * or written only costs the compile. OPS_DOCS_CODE_CACHE=off runs without it.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { cacheRoot, keepNewest, readCacheEntry, writeCacheEntry } from './standard/cache-dir.js';

const CODE_CACHE_FILES = 40;

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'ops-docs.cjs');
const source = readFileSync(bundle, 'utf8');
const verb = /^[a-z][a-z-]{0,19}$/.test(process.argv[2] ?? '') ? process.argv[2]! : 'other';
const build = ((s) => `${s.size.toString(36)}.${Math.floor(s.mtimeMs).toString(36)}`)(statSync(bundle));
const codeDir = join(cacheRoot(), 'code');
const cacheFile = process.env.OPS_DOCS_CODE_CACHE === 'off' ? undefined : join(codeDir, `${process.version}-${process.arch}-${build}-${verb}.bin`);

// None on a verb's first run: compiled from source, and cached when the run ends.
const cachedData = cacheFile ? readCacheEntry(cacheFile) : undefined;
// The CommonJS wrapper, plus the bundle's own URL (its `import.meta.url`), on the bundle's first line: its line
// numbers stay those of the file, and its "use strict" opens the function.
const script = new Script(`(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`, { filename: bundle, cachedData });

if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  process.on('exit', () => {
    // At the end, so that the functions this run compiled are in it. Each build leaves its own files: only the
    // CODE_CACHE_FILES most recently written stay.
    if (!writeCacheEntry(cacheFile, script.createCachedData())) return;
    try {
      keepNewest(codeDir, CODE_CACHE_FILES, '.bin');
    } catch {
      // another run pruned meanwhile
    }
  });
}

const module = { exports: {} as { runAsProgram(): void } };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href);
module.exports.runAsProgram();
