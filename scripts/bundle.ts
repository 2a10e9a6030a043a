/**
 * The shipped bundle in dist/bin/, from the compiled dist/src/:
 * - ops-docs.cjs: the whole CLI as one CommonJS script, which only launch.ts runs through V8's code cache (Node 20 caches
 *   compiled code for scripts, not for ES modules). The Anthropic SDK (1.3 MB, needed only with an API key) stays
 *   in node_modules, required when a run uses it. `import()` becomes `require()`: V8 drops a script's dynamic-import
 *   host from code it reads back from the cache.
 * - cli.js (the command, from launch.ts) and worker.js (a validate run's worker threads), as ES modules.
 * dist/bin is emptied first: stale chunks of an earlier build would be packed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { PACKAGE_ROOT } from '../src/standard/root.js';

const src = join(PACKAGE_ROOT, 'dist', 'src');
const out = join(PACKAGE_ROOT, 'dist', 'bin');
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync(out, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: [join(src, 'cli.js')],
    format: 'cjs',
    outfile: join(out, 'ops-docs.cjs'),
    external: ['@anthropic-ai/sdk'],
    supported: { 'dynamic-import': false },
    // launch.ts hands the script its own URL as a parameter: a banner line would come before its "use strict".
    define: { 'import.meta.url': '__importMetaUrl' },
  }),
  build({
    ...common,
    entryPoints: { cli: join(src, 'launch.js'), worker: join(src, 'validate', 'worker.js') },
    format: 'esm',
    splitting: true,
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies (yaml) call require(); an ES module has none of its own.
    banner: { js: "import{createRequire as __opsRequire}from'node:module';const require=__opsRequire(import.meta.url);" },
  }),
]);
