/**
 * `ops-docs new` wall time. With the anthropic provider the model's pace is the cost, so the fake Messages API
 * answers at a realistic pace (60 output tokens/s per stream, 1 s to the first token) and we compare one whole
 * `new` (the built CLI, as a user runs it) with the sum of the model calls it made — the plan, the runbook and the
 * rollback plan one after another — with its critical path (the plan, then the longest document), the floor for a
 * run that must plan before it writes, and with the longest single call (the goal). The fake's plan answer is a
 * skeleton sized like a real one (test/anthropic-script.ts); its documents are the fixture documents. Tokens: what was billed as uncached input, against what
 * every call would have paid without the cached system prefix. Offline `new` is timed as a whole process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic, type FakeServer, type RecordedRequest } from '../test/fake-anthropic.js';
import { happyScript } from '../test/anthropic-script.js';
import { median, runOnce } from './measure.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const DESCRIPTION = 'Kubernetes cluster upgrade to v1.28';
const PACING = { tokensPerSecond: 60, firstTokenMs: 1000 };
const ANTHROPIC_RUNS = 3;
const OFFLINE_RUNS = 7;

function runAsync(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout, stderr }));
  });
}

const span = (r: RecordedRequest) => (r.endedAt ?? r.startedAt) - r.startedAt;

interface AnthropicRun {
  wallMs: number;
  sumOfCallsMs: number;
  criticalPathMs: number;
  longestCallMs: number;
  calls: number;
  maxInFlight: number;
  inputUncached: number;
  cacheCreation: number;
  cacheRead: number;
  output: number;
}

async function anthropicRun(fake: FakeServer): Promise<AnthropicRun> {
  fake.reset();
  const cwd = mkdtempSync(join(tmpdir(), 'ops-docs-bench-'));
  try {
    const r = await runAsync(['new', '--json', '--provider', 'anthropic', '--date', '2025-11-10', '--ops-dir', 'ops', DESCRIPTION], {
      ANTHROPIC_API_KEY: 'sk-ant-bench-dummy', ANTHROPIC_BASE_URL: fake.url, OPS_DOCS_LANG: 'en', OPS_DOCS_MODEL: 'claude-sonnet-5-5',
    }, cwd);
    if (r.code !== 0) throw new Error(`anthropic new exited ${r.code}: ${r.stderr.slice(0, 300)}`);
    const reqs = fake.requests;
    const plan = reqs.filter((x) => x.call.role === 'plan');
    const docs = reqs.filter((x) => x.call.role !== 'plan');
    const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') => reqs.reduce((s, x) => s + (x.usage?.[k] ?? 0), 0);
    return {
      wallMs: r.ms,
      sumOfCallsMs: reqs.reduce((s, x) => s + span(x), 0),
      criticalPathMs: plan.reduce((s, x) => s + span(x), 0) + Math.max(...docs.map(span)),
      longestCallMs: Math.max(...reqs.map(span)),
      calls: reqs.length,
      maxInFlight: fake.maxInFlight(),
      inputUncached: sum('input_tokens'),
      cacheCreation: sum('cache_creation_input_tokens'),
      cacheRead: sum('cache_read_input_tokens'),
      output: sum('output_tokens'),
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function offlineRuns(): number[] {
  const times: number[] = [];
  for (let i = 0; i < OFFLINE_RUNS + 1; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'ops-docs-bench-offline-'));
    try {
      const s = runOnce(process.execPath, [CLI, 'new', '--provider', 'offline', '--date', '2025-11-10', '--ops-dir', join(dir, 'ops'), DESCRIPTION], { ANTHROPIC_API_KEY: '', OPS_DOCS_LANG: 'en' });
      if (s.code !== 0) throw new Error(`offline new exited ${s.code}`);
      if (i > 0) times.push(s.ms); // the first run warms the file cache
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return times;
}

export async function benchGenerate(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const fake = await startFakeAnthropic({ script: happyScript('en'), pacing: PACING });
  const runs: AnthropicRun[] = [];
  try {
    for (let i = 0; i < ANTHROPIC_RUNS; i++) runs.push(await anthropicRun(fake));
  } finally {
    await fake.close();
  }
  const med = (k: keyof AnthropicRun) => median(runs.map((r) => r[k]));
  out.anthropicWallMs = Math.round(med('wallMs'));
  out.anthropicSumOfCallsMs = Math.round(med('sumOfCallsMs'));
  out.anthropicCriticalPathMs = Math.round(med('criticalPathMs'));
  out.anthropicLongestCallMs = Math.round(med('longestCallMs'));
  out.wallOverSumOfCalls = +(median(runs.map((r) => r.wallMs / r.sumOfCallsMs))).toFixed(2);
  out.wallOverCriticalPath = +(median(runs.map((r) => r.wallMs / r.criticalPathMs))).toFixed(2);
  out.calls = med('calls');
  out.maxInFlight = med('maxInFlight');
  out.inputTokensUncached = med('inputUncached');
  out.inputTokensCacheWrite = med('cacheCreation');
  out.inputTokensCacheRead = med('cacheRead');
  out.inputTokensWithoutCache = med('inputUncached') + med('cacheCreation') + med('cacheRead');
  out.uncachedShare = +(out.inputTokensUncached / out.inputTokensWithoutCache).toFixed(2);
  out.outputTokens = med('output');

  const offline = offlineRuns();
  out.offlineNewMs = Math.round(median(offline));

  const rows: [string, string][] = [
    ['anthropic new, wall (median of ' + ANTHROPIC_RUNS + ')', `${out.anthropicWallMs} ms`],
    ['  sum of its model calls, one after another', `${out.anthropicSumOfCallsMs} ms  (wall/sum ${out.wallOverSumOfCalls})`],
    ['  critical path: plan + longest document', `${out.anthropicCriticalPathMs} ms  (wall/path ${out.wallOverCriticalPath})`],
    ['  longest single call', `${out.anthropicLongestCallMs} ms`],
    ['  calls, most in flight at once', `${out.calls}, ${out.maxInFlight}`],
    ['  input tokens billed uncached', `${out.inputTokensUncached}  (${Math.round(out.uncachedShare * 100)}% of ${out.inputTokensWithoutCache} without caching)`],
    ['  input tokens cache write / cache read', `${out.inputTokensCacheWrite} / ${out.inputTokensCacheRead}`],
    ['  output tokens', `${out.outputTokens}`],
    [`offline new, wall (median of ${OFFLINE_RUNS})`, `${out.offlineNewMs} ms`],
  ];
  console.log(`fake API paced at ${PACING.tokensPerSecond} tokens/s per stream, ${PACING.firstTokenMs} ms to first token; tokens are the fake's estimate (4 chars ≈ 1 token)`);
  for (const [k, v] of rows) console.log(`${k.padEnd(48)} ${v}`);
  return out;
}

// Run directly: node dist/bench/generate.js
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchGenerate();
}
