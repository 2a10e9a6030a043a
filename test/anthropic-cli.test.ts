/**
 * `ops-docs new` with the anthropic provider, pointed at the fake Messages API through ANTHROPIC_BASE_URL with a
 * dummy key: once through the shipped bundle in its own process (the SDK as bundled), the rest in-process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KINDS } from '../src/standard/types.js';
import { CLI } from './helpers/fixtures.js';
import { main } from './helpers/main.js';
import { fixtureBodies, happyScript, useFakeAnthropic, withoutSection } from './anthropic-script.js';

const KEY = 'sk-ant-api03-CLITESTKEY-must-not-appear-987654321';
const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';

const server = useFakeAnthropic();
let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ops-docs-anthropic-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** In-process through main(argv), the fake API on loopback in this same process. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The default model is part of what is tested: OPS_DOCS_MODEL unset.
  return main(args, { cwd: work, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server().url, OPS_DOCS_MODEL: undefined, ...env } });
}

/** The shipped bundle in its own process (spawned asynchronously: a synchronous spawn would block the fake API). */
function runBundle(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const base: Record<string, string | undefined> = { ...process.env, OPS_DOCS_LANG: 'en', NO_COLOR: '1', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server().url, ...env };
    delete base.OPS_DOCS_MODEL; // the default model is part of what is tested
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: work,
      env: base,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** Every file under a folder, relative to it (hidden ones included): what a failed run left behind. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

const NEW = ['new', '--ops-dir', 'ops', '--date', '2025-11-10', 'Kubernetes cluster upgrade to v1.28'];

describe('ops-docs new --provider anthropic (built CLI against the fake API)', () => {
  it('writes the four validated documents into ops/active/<task>/ and reports the provider', async () => {
    const r = await runBundle([...NEW, '--provider', 'anthropic']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('provider: anthropic (claude-sonnet-5-5)');
    const dir = join(work, 'ops', 'active', TASK);
    expect(readdirSync(dir).sort()).toEqual(KINDS.map((k) => `${TASK}-${k}.md`).sort());
    const bodies = fixtureBodies('en');
    for (const k of KINDS) {
      const text = readFileSync(join(dir, `${TASK}-${k}.md`), 'utf8');
      expect(text.startsWith(`---\ntask: ${TASK}\nkind: ${k}\nlanguage: en\n`)).toBe(true);
      // The model wrote the runbook and the rollback plan; the other two are rendered from its plan.
      if (k === 'runbook' || k === 'rollback') expect(text).toContain(bodies[k].trim());
    }
    const checklist = readFileSync(join(dir, `${TASK}-checklist.md`), 'utf8');
    expect(checklist).toContain('\n| S3 | Upgrade worker nodes one at a time | 15 min | | | |\n');
    expect(checklist).toContain('\n| all nodes Ready on v1.28.4 | [ ] | | |\n');
    const check = await run(['validate', '--strict', join('ops', 'active', TASK)]);
    expect(check.code).toBe(0);
    expect(server().requests.map((x) => x.call.role)).toEqual(['plan', 'document', 'document']);
    expect(server().requests.every((x) => x.body.model === 'claude-sonnet-5-5')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('--json reports attempts per document and the tokens, cache reads included; --model picks the model', async () => {
    const bodies = fixtureBodies('en');
    server().setScript(happyScript('en', {
      document: (req, kind) => (kind === 'runbook' && req.call.role === 'document' ? { type: 'text', text: withoutSection(bodies.runbook, 'Executive Summary') } : undefined),
    }));
    const r = await run([...NEW, '--json', '--model', 'claude-haiku-5-5']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.provider).toBe('anthropic');
    expect(out.model).toBe('claude-haiku-5-5');
    expect(out.attempts).toEqual({ runbook: 2, rollback: 1, checklist: 1, 'postmortem-template': 1 });
    const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens') => server().requests.reduce((s, x) => s + x.usage![k], 0);
    expect(out.tokens.input).toBe(sum('input_tokens'));
    expect(out.tokens.output).toBe(sum('output_tokens'));
    expect(out.tokens.cacheRead).toBe(sum('cache_read_input_tokens'));
    expect(out.tokens.cacheRead).toBeGreaterThan(0);
    expect(out.validation.ok).toBe(true);
    expect(server().requests.every((x) => x.body.model === 'claude-haiku-5-5')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('a document that stays bad: exit 1, nothing in ops/active, drafts and findings in ops/.drafts/<task>/', async () => {
    const bad = withoutSection(fixtureBodies('en').rollback, 'Rollback Triggers');
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'rollback' ? { type: 'text', text: bad } : undefined) }));
    const r = await run([...NEW, '--max-repairs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('still fail validation');
    expect(tree(join(work, 'ops', 'active'))).toEqual([]);
    const drafts = join(work, 'ops', '.drafts', TASK);
    expect(tree(drafts)).toEqual([...KINDS.map((k) => `${TASK}-${k}.md`), 'findings.json'].sort());
    expect(readFileSync(join(drafts, `${TASK}-rollback.md`), 'utf8')).not.toContain('## Rollback Triggers');
    const findings = JSON.parse(readFileSync(join(drafts, 'findings.json'), 'utf8')) as { ruleId: string; file: string }[];
    expect(findings.filter((f) => f.ruleId === 'rollback-triggers').map((f) => f.file)).toEqual([`${TASK}-rollback.md`]);
    expect(server().requests.filter((x) => x.call.kind === 'rollback').map((x) => x.call.role)).toEqual(['document', 'repair']);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('a provider failure: exit 3, a clear message, no task and no drafts anywhere, the key not shown', async () => {
    // The API keeps failing the runbook after the plan; it even echoes the key back in its error body.
    server().setScript(happyScript('en', {
      document: (_req, kind) => (kind === 'runbook' ? { type: 'http-error', status: 529, retryAfterMs: 5, message: `Overloaded (key ${KEY})` } : undefined),
    }));
    const r = await run(NEW);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ops-docs: Anthropic API: HTTP 529 overloaded_error, request req_fake_err_\d+ while writing the runbook: the API is overloaded/m);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(tree(join(work, 'ops')).filter((f) => f.endsWith('.md'))).toEqual([]);
    // The SDK retried the 529s (the verb allows 4 retries) before giving up.
    expect(server().requests.filter((x) => x.call.kind === 'runbook')).toHaveLength(5);
  });

  it('a stalled API hits --timeout: exit 3 naming the timeout, nothing written', async () => {
    server().setScript(happyScript('en', { plan: () => ({ type: 'stall' }) }));
    const r = await run([...NEW, '--timeout', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no complete answer for the plan within 1 s (timeout');
    expect(tree(join(work, 'ops')).filter((f) => f.endsWith('.md'))).toEqual([]);
  });
});
