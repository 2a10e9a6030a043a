/**
 * Validator benchmarks, each against a peer measured in the same run:
 * - the parser: list-heavy markdown against plain paragraphs of the same size (catches a quadratic parser, such as
 *   micromark 4.0.3's container handling, whatever the machine's speed);
 * - one task (four documents) and a 2,000-document corpus as whole processes, against markdownlint-cli2 with an
 *   MD043 required-headings config on the same files; ours cold (no cache) and warm (content-hash cache).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/standard/root.js';
import { parseMarkdown } from '../src/document/parse.js';
import { benchSources, listHeavy, makeCorpus, paragraphs } from './corpus.js';
import { median, race, type Result } from './measure.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'bin', 'cli.js');
const MDL = join(PACKAGE_ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');

/** The regression line: micromark 4.0.2 measures ~4x here, 4.0.3 ~19x. */
export const PARSER_RATIO_LIMIT = 8;

function timeParse(text: string, runs: number): number {
  parseMarkdown(text); // warm the JIT
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    parseMarkdown(text);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function mdlConfig(dir: string): string {
  const file = join(dir, 'md043.markdownlint-cli2.jsonc');
  writeFileSync(file, JSON.stringify({
    config: {
      default: true,
      MD013: false,
      MD043: { headings: ['# *', '## Executive Summary', '## Impact Assessment', '## Detailed Steps', '*', '## Time Estimate', '## Go/No-Go Decision Points', '*', '## Monitoring Metrics'] },
    },
  }));
  return file;
}

function row(r: Result, peer: Result): string {
  return `  ${r.name.padEnd(46)} ${r.medianMs.toFixed(0).padStart(7)} ms  ${(r.maxRssKb / 1024).toFixed(0).padStart(5)} MB  ratio ${(r.medianMs / peer.medianMs).toFixed(2)}x  exit ${r.codes.join('/')}`;
}

export async function benchValidate(opts: { quick?: boolean } = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const micromark = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', 'micromark', 'package.json'), 'utf8')) as { version: string }).version;

  // 1. Parser shape.
  const size = 55 * 1024;
  const lists = timeParse(listHeavy(size), opts.quick ? 3 : 5);
  const plain = timeParse(paragraphs(size), opts.quick ? 3 : 5);
  out.parserRatio = lists / plain;
  console.log(`parser (micromark ${micromark}): 55 KB list-heavy ${lists.toFixed(0)} ms vs 55 KB paragraphs ${plain.toFixed(0)} ms → ${out.parserRatio.toFixed(2)}x (limit ${PARSER_RATIO_LIMIT}x)${out.parserRatio > PARSER_RATIO_LIMIT ? '  REGRESSION: pin a faster micromark in package.json overrides' : ''}`);

  const work = mkdtempSync(join(tmpdir(), 'ops-docs-bench-'));
  const cacheDir = join(work, 'cache');
  const env = { OPS_DOCS_CACHE_DIR: cacheDir };
  const clearCache = () => rmSync(cacheDir, { recursive: true, force: true });
  try {
    const config = mdlConfig(work);
    // 2. One task, whole process.
    const one = makeCorpus(benchSources(PACKAGE_ROOT).slice(2, 3), join(work, 'one'), 1)[0]!;
    const runs = opts.quick ? 5 : 11;
    const single = race([
      { name: 'markdownlint-cli2 (MD043)', cmd: process.execPath, args: [MDL, '--config', config, `${one}/*.md`] },
      { name: 'ops-docs validate (no result cache)', cmd: process.execPath, args: [CLI, 'validate', '--no-cache', one], env },
      { name: 'ops-docs validate (warm cache)', cmd: process.execPath, args: [CLI, 'validate', one], env },
      // The code cache (src/launch.ts) is on in the rows above, as it is for a user after a verb's first run.
      { name: 'ops-docs validate (no result or code cache)', cmd: process.execPath, args: [CLI, 'validate', '--no-cache', one], env: { ...env, OPS_DOCS_CODE_CACHE: 'off' } },
    ], runs);
    console.log('\none task (4 documents), whole process, median of ' + runs);
    for (const r of single) console.log(row(r, single[0]!));
    out.oneTaskColdRatio = single[1]!.medianMs / single[0]!.medianMs;
    out.oneTaskWarmRatio = single[2]!.medianMs / single[0]!.medianMs;
    out.oneTaskNoCodeCacheRatio = single[3]!.medianMs / single[0]!.medianMs;
    console.log(`  → one hand-written task, cold: ${out.oneTaskColdRatio.toFixed(2)}x markdownlint-cli2's wall time (goal: about 0.2x); `
      + `without the code cache ${out.oneTaskNoCodeCacheRatio.toFixed(2)}x; with the result cache ${out.oneTaskWarmRatio.toFixed(2)}x`);

    // 3. The corpus.
    const tasks = opts.quick ? 100 : 500;
    makeCorpus(benchSources(PACKAGE_ROOT), join(work, 'corpus'), tasks);
    const corpus = join(work, 'corpus');
    const cruns = opts.quick ? 3 : 5;
    const many = race([
      { name: 'markdownlint-cli2 (MD043)', cmd: process.execPath, args: [MDL, '--config', config, `${corpus}/**/*.md`] },
      { name: 'ops-docs validate (no result cache, 1 thread)', cmd: process.execPath, args: [CLI, 'validate', '--no-cache', '--workers', '1', corpus], env },
      { name: 'ops-docs validate (no result cache, default)', cmd: process.execPath, args: [CLI, 'validate', '--no-cache', corpus], env },
      { name: 'ops-docs validate (warm cache)', cmd: process.execPath, args: [CLI, 'validate', corpus], env },
    ], cruns);
    console.log(`\ncorpus of ${tasks * 4} documents, whole process, median of ${cruns}`);
    for (const r of many) console.log(row(r, many[0]!));
    out.corpusColdRatio = many[2]!.medianMs / many[0]!.medianMs;
    out.corpusOneThreadRatio = many[1]!.medianMs / many[0]!.medianMs;
    out.corpusWarmRatio = many[3]!.medianMs / many[0]!.medianMs;
    out.corpusPeakMb = many[2]!.maxRssKb / 1024;
    out.corpusPeakRatio = many[2]!.maxRssKb / many[0]!.maxRssKb;
    console.log(`  → ${tasks * 4} documents (8 styles, 6 hand-written), cold: ${out.corpusColdRatio.toFixed(2)}x markdownlint-cli2's wall time (goal ≤ 0.6x), `
      + `peak memory ${out.corpusPeakRatio.toFixed(2)}x (${out.corpusPeakMb.toFixed(0)} MB vs ${(many[0]!.maxRssKb / 1024).toFixed(0)} MB; goal ≤ 1.0x)`);
    void clearCache;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
