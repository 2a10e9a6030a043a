// @ts-check
/**
 * The build: esbuild, no type-checking (that is `npm run typecheck`, and a test of `npm test`).
 * - dist/src, dist/bench, dist/scripts, dist/test: every TypeScript file transpiled one to one, as ES modules (the
 *   package's exports, the benchmark and its fake API, the scripts).
 * - dist/bin/ops-docs.cjs: the whole CLI as one CommonJS script, which only launch.ts runs through V8's code cache
 *   (Node 20 caches compiled code for scripts, not for ES modules). The Anthropic SDK (1.3 MB, needed only with an
 *   API key) stays in node_modules, required when a run uses it. `import()` becomes `require()`: V8 drops a
 *   script's dynamic-import host from code it reads back from the cache.
 * - dist/bin/cli.js (the command, from launch.ts) and worker.js (a validate run's worker threads), as ES modules.
 * - dist/yaml/: every YAML file under templates/ parsed, named as the YAML cache names it (standard/yaml-file.ts),
 *   so that no run parses the package's own standard and playbooks, not even the first one on a CI runner.
 * Every install from the sources runs this (npm's `prepare`: `npm ci`, `npm pack`, a git dependency, pre-commit's
 * hook install), so it does only what the package needs to run: type-checking took ten times longer than all of this.
 * The output folders are emptied first: files of deleted sources, or stale chunks, would be packed.
 *
 * Plain JavaScript, because it is what turns the TypeScript into JavaScript (checked by tsc all the same).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const SOURCE_DIRS = ['src', 'bench', 'scripts', 'test'];

/** @param {string} dir @param {RegExp} name @returns {string[]} */
function filesUnder(dir, name) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : filesUnder(p, name);
    return name.test(e.name) ? [p] : [];
  });
}
const sources = (/** @type {string} */ dir) => filesUnder(dir, /^(?!.*\.d\.ts$).*\.(ts|js)$/);

for (const dir of [...SOURCE_DIRS, 'bin', 'yaml']) rmSync(join(dist, dir), { recursive: true, force: true });

/** @type {import('esbuild').BuildOptions} */
const common = { platform: 'node', target: 'node20', logLevel: 'warning' };

// One to one first: the bundles start from dist/src, as a user's `import 'ops-docs'` does.
await build({
  ...common,
  entryPoints: SOURCE_DIRS.flatMap((d) => sources(join(root, d))).map((f) => relative(root, f)),
  absWorkingDir: root,
  outdir: dist,
  outbase: '.',
  format: 'esm',
});

const src = join(dist, 'src');
const out = join(dist, 'bin');
await Promise.all([
  build({
    ...common,
    bundle: true,
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
    bundle: true,
    entryPoints: { cli: join(src, 'launch.js'), worker: join(src, 'validate', 'worker.js') },
    format: 'esm',
    splitting: true,
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies (yaml) call require(); an ES module has none of its own.
    banner: { js: "import{createRequire as __opsRequire}from'node:module';const require=__opsRequire(import.meta.url);" },
  }),
]);

// With the code that reads them: the entry names and the parse are the YAML cache's own.
/** @type {{ yamlEntryName(text: string): string; parseYaml(text: string, file: string): unknown }} */
const yamlCache = await import(pathToFileURL(join(src, 'standard', 'yaml-file.js')).href);
mkdirSync(join(dist, 'yaml'));
for (const file of filesUnder(join(root, 'templates'), /\.ya?ml$/)) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(join(dist, 'yaml', yamlCache.yamlEntryName(text)), JSON.stringify(yamlCache.parseYaml(text, file)));
}
