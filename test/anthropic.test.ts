/**
 * The Anthropic provider, driven through the real SDK against the fake Messages API on 127.0.0.1.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { generateWithAnthropic } from '../src/generate/anthropic.js';
import type { AnthropicOptions, GenerateRequest, ProgressEvent } from '../src/generate/types.js';
import { ProviderError } from '../src/errors.js';
import { loadStandard } from '../src/standard/load.js';
import { KINDS, type Lang } from '../src/standard/types.js';
import { renderFromSkeleton } from '../src/generate/render.js';
import { validateTaskSources } from '../src/validate/index.js';
import { lastUserText, type RecordedRequest } from './fake-anthropic.js';
import { FIXTURE, happyScript, withoutSection, fixtureBodies, useFakeAnthropic } from './anthropic-script.js';

const KEY = 'sk-ant-api03-TESTKEY-do-not-leak-0123456789';
const fast = { backoffMs: () => 10 };

const server = useFakeAnthropic();
let events: ProgressEvent[];

beforeEach(() => {
  events = [];
});

function request(lang: Lang = 'en'): GenerateRequest {
  const f = FIXTURE[lang];
  return {
    description: f.description,
    task: { ...f.task },
    lang,
    standard: loadStandard(),
    strict: true,
    onProgress: (e) => events.push(e),
  };
}

function options(over: Partial<AnthropicOptions> = {}): AnthropicOptions {
  return { apiKey: KEY, baseURL: server().url, model: 'claude-sonnet-5-5', maxRepairs: 2, timeoutMs: 10_000, maxRetries: 2, ...over };
}

const docCalls = (r: RecordedRequest) => r.call.role === 'document' || r.call.role === 'repair';

async function providerFailure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const pe = err as ProviderError;
  expect(pe.exitCode).toBe(3);
  expect(pe.message).not.toContain(KEY);
  expect(pe.message).toMatch(/^Anthropic API: /);
  return pe;
}

/** The model's first runbook is `drifted`; every other answer is the happy script's. */
async function withDraftedRunbook(drifted: string) {
  server().setScript(happyScript('en', {
    document: (req, kind) => (kind === 'runbook' && req.call.role === 'document' ? { type: 'text', text: drifted } : undefined),
  }));
  return generateWithAnthropic(request('en'), options(), fast);
}

describe('generateWithAnthropic against the fake API', () => {
  it('plans once, writes the runbook and rollback plan concurrently, renders the other two, and all pass validate --strict', async () => {
    // Hold every document answer until both requests are open (or 3 s pass): a provider that wrote them one
    // after another would show one request in flight, whatever the machine's speed.
    let arrived = 0;
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    const script = happyScript('en');
    server().setScript(async (req) => {
      if (req.call.role === 'document' && ++arrived === 2) release();
      if (req.call.role === 'document') await Promise.race([both, new Promise((r) => setTimeout(r, 3000))]);
      return script(req);
    });
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(result.ok).toBe(true);
    expect(result.provider).toBe('anthropic');
    expect(result.model).toBe('claude-sonnet-5-5');
    expect(result.attempts).toEqual({ runbook: 1, rollback: 1, checklist: 1, 'postmortem-template': 1 });
    expect(result.plan?.steps.map((s) => s.id)).toEqual(['S1', 'S2', 'S3']);
    expect(result.plan?.task).toBe(FIXTURE.en.task.name);

    // 1 plan call, then exactly one call for each document a model writes; none for the rendered two.
    expect(server().requests.map((r) => r.call.role)).toEqual(['plan', 'document', 'document']);
    expect(server().requests.slice(1).map((r) => r.call.kind).sort()).toEqual(['rollback', 'runbook']);
    // The documents start only after the plan ended, and run side by side.
    const plan = server().requests[0]!;
    for (const r of server().requests.slice(1)) expect(r.startedAt).toBeGreaterThanOrEqual(plan.endedAt!);
    expect(server().maxInFlightOf(docCalls)).toBe(2);
    expect(server().maxInFlight()).toBe(2);
    // The checklist and the postmortem template are the skeleton rendered: one row per skeleton step and decision.
    const standard = loadStandard();
    expect(result.docs.checklist).toBe(renderFromSkeleton('checklist', result.plan!, standard));
    expect(result.docs['postmortem-template']).toBe(renderFromSkeleton('postmortem-template', result.plan!, standard));
    expect(result.docs.checklist.split('\n').filter((l) => /^\| [SG]\d+ \|/.test(l))).toEqual([
      '| S1 | Back up etcd | 5 min | | | |',
      '| S2 | Upgrade the first control-plane node | 20 min | | | |',
      '| S3 | Upgrade worker nodes one at a time | 15 min | | | |',
      '| G1 | Before upgrading worker nodes (after S2) | | | |',
    ]);

    // What would be written passes the validator as a task, strictly.
    const task = FIXTURE.en.task.name;
    const files = KINDS.map((k) => ({ path: `/x/${task}/${task}-${k}.md`, bytes: Buffer.from(result.docs[k]) }));
    expect(validateTaskSources(`/x/${task}`, files, loadStandard(), { strict: true }).filter((f) => f.severity === 'error')).toEqual([]);
    // Our frontmatter, the model's body.
    expect(result.docs.runbook.startsWith(`---\ntask: ${task}\nkind: runbook\nlanguage: en\nsystem: k8s\noperation: upgrade\nstatus: planned\ncreated: 2025-11-10\nrequest: ${request('en').description}\n---\n\n# Runbook: `)).toBe(true);
    expect(result.docs.runbook).toContain(fixtureBodies('en').runbook.trim());
    expect(result.docs.rollback).toContain(fixtureBodies('en').rollback.trim());
  });

  it('sends the shared instructions as one cached system prefix, identical in every call, so documents read the cache', async () => {
    const result = await generateWithAnthropic(request('en'), options(), fast);
    const bodies = server().requests.map((r) => r.body);
    for (const b of bodies) {
      expect(b.stream).toBe(true);
      expect(b.model).toBe('claude-sonnet-5-5');
      expect(b.system).toHaveLength(1);
      expect(b.system[0].cache_control).toEqual({ type: 'ephemeral' });
      expect(JSON.stringify(b.system)).toBe(JSON.stringify(bodies[0].system));
      expect(JSON.stringify(b.tools)).toBe(JSON.stringify(bodies[0].tools));
    }
    // The plan is forced tool use; documents may not call the tool.
    expect(bodies[0].tool_choice).toEqual({ type: 'tool', name: 'submit_plan' });
    for (const b of bodies.slice(1)) expect(b.tool_choice).toEqual({ type: 'none' });
    // The plan call wrote the cache, every document call read it (the fake caches as the API does).
    expect(server().requests[0]!.usage!.cache_creation_input_tokens).toBeGreaterThan(1024);
    for (const r of server().requests.slice(1)) {
      expect(r.usage!.cache_read_input_tokens).toBe(server().requests[0]!.usage!.cache_creation_input_tokens);
      expect(r.usage!.cache_creation_input_tokens).toBe(0);
      // Only the document's own prompt is billed as uncached input.
      expect(r.usage!.input_tokens).toBeGreaterThan(0);
      expect(r.usage!.input_tokens).toBeLessThan(r.usage!.cache_read_input_tokens);
    }
    // Usage is the sum over all calls.
    const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') =>
      server().requests.reduce((s, r) => s + r.usage![k], 0);
    expect(result.usage).toEqual({
      inputTokens: sum('input_tokens'), outputTokens: sum('output_tokens'),
      cacheReadTokens: sum('cache_read_input_tokens'), cacheCreationTokens: sum('cache_creation_input_tokens'),
    });
    expect(server().requests).toHaveLength(3);
    expect(result.usage.cacheReadTokens).toBe(2 * server().requests[0]!.usage!.cache_creation_input_tokens);
  });

  it('puts the standard, the language and the plan into the prompts (Chinese titles and labels for a zh task)', async () => {
    server().setScript(happyScript('zh'));
    const result = await generateWithAnthropic(request('zh'), options(), fast);
    expect(result.ok).toBe(true);
    const system: string = server().requests[0]!.body.system[0].text;
    for (const s of ['`## 执行概要`', '`### 步骤 S1：…`', '`- **验证检查点：** …`', '`## 回滚触发条件`', '`### 步骤 R1：…`', 'Simplified Chinese', FIXTURE.zh.description]) {
      expect(system).toContain(s);
    }
    const runbookCall = server().requests.find((r) => r.call.kind === 'runbook')!;
    const prompt = lastUserText(runbookCall.body);
    expect(prompt).toContain('<document kind="runbook" file="2025-11-03-postgres-upgrade-v12-to-v15-runbook.md">');
    expect(prompt).toContain('# 操作手册：PostgreSQL 数据库从 12 升级到 15');
    expect(prompt).toContain('"id": "S3"');
    expect(prompt).toContain('"title": "执行升级"');
    expect(prompt).toContain('60 minutes'); // 20 + 10 + 15 step minutes + 15 buffer
    expect(result.docs.runbook).toContain('language: zh');
    expect(result.docs.checklist).toContain('| S3 | 执行升级 | 15 分钟 | | | |');
  });

  it('repairs a draft that lacks a mandatory section, sending the rule id back, and passes on the second attempt', async () => {
    const bodies = fixtureBodies('en');
    server().setScript(happyScript('en', {
      document: (req, kind) => (kind === 'runbook' && req.call.role === 'document'
        ? { type: 'text', text: withoutSection(bodies.runbook, 'Impact Assessment') } : undefined),
    }));
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(result.ok).toBe(true);
    expect(result.attempts).toEqual({ runbook: 2, rollback: 1, checklist: 1, 'postmortem-template': 1 });
    const repairs = server().requests.filter((r) => r.call.role === 'repair');
    expect(repairs).toHaveLength(1);
    const repair = repairs[0]!;
    expect(repair.call.kind).toBe('runbook');
    // The conversation continues: the prompt, the rejected draft, the findings with the rule id.
    expect(repair.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair.body.messages[1].content).not.toContain('## Impact Assessment');
    const findings = lastUserText(repair.body);
    expect(findings).toContain('[runbook-impact]');
    expect(findings).toMatch(/line \d+: /);
    expect(events.some((e) => e.kind === 'runbook' && e.state === 'repairing' && e.attempt === 2)).toBe(true);
    expect(events.filter((e) => e.kind === 'runbook').at(-1)).toMatchObject({ state: 'valid', attempt: 2 });
  });

  it('gives up on a draft that stays bad after maxRepairs repairs: ok false, the drafts and their findings', async () => {
    const bodies = fixtureBodies('en');
    const bad = withoutSection(bodies.rollback, 'Data Recovery Procedure');
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'rollback' ? { type: 'text', text: bad } : undefined) }));
    const result = await generateWithAnthropic(request('en'), options({ maxRepairs: 2 }), fast);
    expect(result.ok).toBe(false);
    expect(result.attempts.rollback).toBe(3);
    expect(result.attempts.runbook).toBe(1);
    expect(server().requests.filter((r) => r.call.kind === 'rollback').map((r) => r.call.role)).toEqual(['document', 'repair', 'repair']);
    expect(result.findings.rollback.map((f) => f.ruleId)).toContain('rollback-data-recovery');
    expect(result.findings.rollback.every((f) => f.file === `${FIXTURE.en.task.name}/${FIXTURE.en.task.name}-rollback.md`)).toBe(true);
    expect(result.findings.runbook.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.docs.rollback).toContain('kind: rollback');
    expect(result.docs.rollback).not.toContain('## Data Recovery Procedure');
    expect(events.filter((e) => e.kind === 'rollback').at(-1)).toMatchObject({ state: 'invalid', attempt: 3 });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('repairs a runbook that drifts from the plan (another step, another title), so it agrees with the rendered checklist', async () => {
    const bodies = fixtureBodies('en');
    const drifted = bodies.runbook
      .replace('### Step S2: Upgrade the first control-plane node', '### Step S2: Upgrade the control plane')
      .replace(/\n### Step S3:[\s\S]*?(?=\n## )/, '\n')
      // Without S3 the total is the two steps and the buffer, so that only the drift from the plan is reported.
      .replace('**Total:** 90 min', '**Total:** 40 min');
    const result = await withDraftedRunbook(drifted);
    expect(result.ok).toBe(true);
    expect(result.attempts).toEqual({ runbook: 2, rollback: 1, checklist: 1, 'postmortem-template': 1 });
    const repairs = server().requests.filter((r) => r.call.role === 'repair');
    expect(repairs.map((r) => r.call.kind)).toEqual(['runbook']);
    const text = lastUserText(repairs[0]!.body);
    // The item ids disagree first (the checklist, rendered from the plan, has S3 the runbook lacks).
    expect(text).toContain('[plan-agreement]');
    expect(text).toContain('"Detailed Steps" has items S1, S2 but the plan has S1, S2, S3');
    expect(text).not.toContain('checklist-steps-coverage');
    expect(server().requests.filter((r) => r.call.kind === 'checklist' || r.call.kind === 'postmortem-template')).toEqual([]);
  });

  it('hands the review rules\' findings back like the structural ones: a total that does not add up is repaired', async () => {
    const bodies = fixtureBodies('en');
    // S3 timed as one 15 min block instead of "per node": S1 5 + S2 20 + S3 15 + 15 buffer is 55 min, not 90.
    const drifted = bodies.runbook.replace('- **Time estimate:** 15 min per node', '- **Time estimate:** 15 min');
    expect(drifted).not.toBe(bodies.runbook);
    const result = await withDraftedRunbook(drifted);
    expect(result.ok).toBe(true);
    expect(result.attempts.runbook).toBe(2);
    const text = lastUserText(server().requests.find((r) => r.call.role === 'repair')!.body);
    expect(text).toMatch(/- \[review-total-sum\] line \d+: the total says 90 min, but the steps add up to 55 min \(S1 5 \+ S2 20 \+ S3 15 \+ 15 buffer\): correct the total or the step times/);
    expect(result.findings.runbook.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('sends back a step titled or timed differently from the plan', async () => {
    const bodies = fixtureBodies('en');
    const drifted = bodies.runbook
      .replace('### Step S2: Upgrade the first control-plane node', '### Step S2: Upgrade the control plane')
      .replace('- **Time estimate:** 20 min', '- **Time estimate:** 2 h');
    const result = await withDraftedRunbook(drifted);
    expect(result.ok).toBe(true);
    expect(result.attempts.runbook).toBe(2);
    const text = lastUserText(server().requests.find((r) => r.call.role === 'repair')!.body);
    expect(text).toMatch(/- \[plan-agreement\] line \d+: S2 is titled "Upgrade the control plane" but the plan calls it "Upgrade the first control-plane node": use the plan's title/);
    expect(text).toMatch(/- \[plan-agreement\] line \d+: S2 takes 120 min in "Time estimate" but 20 min in the plan: use the plan's minutes/);
  });

  it('a runbook that keeps drifting from the plan: ok false after maxRepairs, the rendered documents untouched', async () => {
    const bodies = fixtureBodies('en');
    const drifted = bodies.runbook.replace('### Step S2: Upgrade the first control-plane node', '### Step S2: Upgrade the control plane');
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'runbook' ? { type: 'text', text: drifted } : undefined) }));
    const result = await generateWithAnthropic(request('en'), options({ maxRepairs: 1 }), fast);
    expect(result.ok).toBe(false);
    expect(result.attempts).toEqual({ runbook: 2, rollback: 1, checklist: 1, 'postmortem-template': 1 });
    expect(result.findings.runbook.map((f) => f.ruleId)).toEqual(['plan-agreement']);
    expect(result.findings.checklist.filter((f) => f.severity === 'error')).toEqual([]);
    expect(server().requests.map((r) => r.call.role)).toEqual(['plan', 'document', 'document', 'repair']);
  });

  it('sends the plan back when its ids are out of order, and uses the corrected plan', async () => {
    const good = (await import('./anthropic-script.js')).planInput('en');
    const broken = structuredClone(good) as { steps: { id: string }[]; decisions: { afterStep: string }[] };
    broken.steps[1]!.id = 'S7';
    broken.decisions[0]!.afterStep = 'S9';
    server().setScript(happyScript('en', {
      plan: (req) => ({ type: 'tool', name: 'submit_plan', input: req.call.nth === 1 ? broken : good }),
    }));
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(result.ok).toBe(true);
    const plans = server().requests.filter((r) => r.call.role === 'plan');
    expect(plans).toHaveLength(2);
    const reply = JSON.stringify(plans[1]!.body.messages[2]);
    expect(reply).toContain('"is_error":true');
    expect(reply).toContain('plan.steps[1].id: must be S2');
    expect(reply).toContain('plan.decisions[0].afterStep: names step \\"S9\\"');
  });
});

describe('faults', () => {
  it('529 overloaded twice, then success: the SDK retries, the run succeeds', async () => {
    server().setScript(happyScript('en', {
      plan: (req) => (req.call.nth <= 2 ? { type: 'http-error', status: 529, retryAfterMs: 10 } : undefined),
    }));
    const result = await generateWithAnthropic(request('en'), options({ maxRetries: 2 }), fast);
    expect(result.ok).toBe(true);
    expect(server().requests.filter((r) => r.call.role === 'plan').map((r) => r.outcome)).toEqual(['529', '529', 'ok']);
  });

  it('every retry is told through onRetry in both languages: the SDK\'s (a 529) and our own (a stream broken off)', async () => {
    server().setScript(happyScript('en', {
      plan: (req) => (req.call.nth === 1 ? { type: 'http-error', status: 529, retryAfterMs: 1500 } : undefined),
      document: (req, kind) => (kind === 'rollback' && req.call.nth === 1 ? { type: 'stream-error', text: '# Rollback Plan: half' } : undefined),
    }));
    const notices: { en: string; zh: string }[] = [];
    const result = await generateWithAnthropic(request('en'), options({ maxRetries: 2, onRetry: (n) => notices.push(n) }), fast);
    expect(result.ok).toBe(true);
    const origin = new URL(server().url).origin;
    expect(notices).toEqual([
      { en: `${origin} answered HTTP 529; retry 1 of 2 in 1.5 s`, zh: `${origin} 返回 HTTP 529；1.5 s后第 1 次重试（共 2 次）` },
      { en: 'the API broke off the stream (overloaded_error) while writing the rollback plan; retry 1 of 2 in 0 s', zh: '生成回滚方案时API 中断了流式响应（overloaded_error）；0 s后第 1 次重试（共 2 次）' },
    ]);
    expect(JSON.stringify(notices)).not.toContain(KEY);
  });

  it('529 that does not stop: exit 3 with status, type and request id', async () => {
    server().setScript(happyScript('en', { plan: () => ({ type: 'http-error', status: 529, retryAfterMs: 10 }) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options({ maxRetries: 2 }), fast));
    expect(err.message).toMatch(/HTTP 529 overloaded_error, request req_fake_err_\d+ while writing the plan/);
    expect(server().requests).toHaveLength(3);
    expect(server().requests.filter(docCalls)).toHaveLength(0);
  });

  it('a 401 is not retried and says to check the key, without showing it', async () => {
    server().setScript(() => ({ type: 'http-error', status: 401, errorType: 'authentication_error', message: `invalid x-api-key ${KEY}` }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options(), fast));
    expect(err.message).toContain('HTTP 401 authentication_error');
    expect(err.message).toContain('check ANTHROPIC_API_KEY');
    expect(err.message).toContain('***');
    expect(server().requests).toHaveLength(1);
  });

  it('an error event in the middle of a stream is retried by us (the SDK does not)', async () => {
    server().setScript(happyScript('en', {
      document: (req, kind) => (kind === 'rollback' && req.call.nth === 1 ? { type: 'stream-error', text: '# Rollback Plan: half' } : undefined),
    }));
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(result.ok).toBe(true);
    expect(server().requests.filter((r) => r.call.kind === 'rollback').map((r) => r.outcome)).toEqual(['stream-error', 'ok']);
    // A retry, not a repair: the same single-turn request again.
    const [a, b] = server().requests.filter((r) => r.call.kind === 'rollback');
    expect(b!.rawBody).toBe(a!.rawBody);
    expect(result.attempts.rollback).toBe(1);
  });

  it('an error event on every try ends in exit 3 naming the stream error', async () => {
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'runbook' ? { type: 'stream-error' } : undefined) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options({ maxRetries: 2 }), fast));
    expect(err.message).toMatch(/broke off the stream while writing the runbook \(overloaded_error, request req_fake_\d+\)/);
    expect(server().requests.filter((r) => r.call.kind === 'runbook')).toHaveLength(3);
  });

  it('a connection reset mid-stream is retried', async () => {
    server().setScript(happyScript('en', {
      document: (req, kind) => (kind === 'rollback' && req.call.nth === 1 ? { type: 'reset', text: '# Rollback Plan: par' } : undefined),
    }));
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(result.ok).toBe(true);
    expect(server().requests.filter((r) => r.call.kind === 'rollback').map((r) => r.outcome)).toEqual(['reset', 'ok']);
  });

  it('connection resets that do not stop: exit 3 naming the connection', async () => {
    server().setScript(happyScript('en', { plan: () => ({ type: 'reset' }) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options({ maxRetries: 1 }), fast));
    expect(err.message).toContain(`the connection to ${server().url}`);
    expect(err.message).toContain('while writing the plan');
    expect(server().requests.map((r) => r.outcome)).toEqual(['reset', 'reset']);
  });

  it('a stalled stream hits the hard per-request timeout: exit 3, not retried', async () => {
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'rollback' ? { type: 'stall' } : undefined) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options({ timeoutMs: 1500 }), fast));
    expect(err.message).toMatch(/no complete answer for the rollback plan within 1\.5 s \(timeout, request req_fake_\d+\)/);
    expect(server().requests.filter((r) => r.call.kind === 'rollback')).toHaveLength(1);
  });

  it('stop_reason max_tokens is an explicit failure', async () => {
    server().setScript(happyScript('en', { document: (_req, kind) => (kind === 'runbook' ? { type: 'text', text: '# Runbook: cut', stopReason: 'max_tokens' } : undefined) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options(), fast));
    expect(err.message).toMatch(/output limit \(stop_reason max_tokens, \d+ tokens, request req_fake_\d+\) while writing the runbook/);
    expect(server().requests.filter((r) => r.call.kind === 'runbook')).toHaveLength(1);
  });

  it('stop_reason refusal is an explicit failure that suggests the offline provider', async () => {
    server().setScript(happyScript('en', { plan: () => ({ type: 'text', text: 'I cannot help with that.', stopReason: 'refusal' }) }));
    const err = await providerFailure(generateWithAnthropic(request('en'), options(), fast));
    expect(err.message).toMatch(/declined to write the plan \(stop_reason refusal, request req_fake_\d+\).*--provider offline/);
  });

  it('the caller can cancel: every request stops and nothing is returned', async () => {
    server().setScript(happyScript('en', { document: () => ({ type: 'stall' }) }));
    const ac = new AbortController();
    const req = { ...request('en'), signal: ac.signal, onProgress: (e: ProgressEvent) => {
      if (e.kind !== 'runbook' || e.state !== 'writing') return;
      // Abort only once both stalled document requests have reached the server: on a loaded machine the
      // second one can start later than any fixed delay, and the test is about closing every request in flight.
      const abortWhenBothArrived = () => {
        if (server().requests.filter(docCalls).length >= 2) ac.abort();
        else setTimeout(abortWhenBothArrived, 10);
      };
      abortWhenBothArrived();
    } };
    const err = await providerFailure(generateWithAnthropic(req, options(), fast));
    expect(err.message).toContain('cancelled while writing the');
    // Every stalled request was closed by the client, none left hanging.
    for (let i = 0; i < 100 && server().requests.some((r) => r.endedAt === undefined); i++) await new Promise((r) => setTimeout(r, 10));
    expect(server().requests.filter(docCalls).map((r) => r.endedAt !== undefined)).toEqual([true, true]);
  });

  it('messages exist in Chinese too', async () => {
    server().setScript(happyScript('en', { plan: () => ({ type: 'http-error', status: 529, retryAfterMs: 10 }) }));
    const prev = process.env.OPS_DOCS_LANG;
    process.env.OPS_DOCS_LANG = 'zh';
    try {
      const err = await providerFailure(generateWithAnthropic(request('en'), options({ maxRetries: 0 }), fast));
      expect(err.message).toContain('生成变更计划时返回 HTTP 529 overloaded_error');
    } finally {
      if (prev === undefined) delete process.env.OPS_DOCS_LANG;
      else process.env.OPS_DOCS_LANG = prev;
    }
  });
});

describe('the API key', () => {
  it('travels only in the auth header: never in a request body, a finding, a progress event or a result', async () => {
    const bodies = fixtureBodies('en');
    server().setScript(happyScript('en', {
      document: (req, kind) => (kind === 'runbook' && req.call.role === 'document' ? { type: 'text', text: withoutSection(bodies.runbook, 'Monitoring Metrics') } : undefined),
    }));
    const result = await generateWithAnthropic(request('en'), options(), fast);
    const authHeaders = server().requests.map((r) => String(r.headers['x-api-key'] ?? r.headers.authorization ?? ''));
    expect(authHeaders.every((h) => h.includes(KEY))).toBe(true);
    for (const r of server().requests) {
      expect(r.rawBody).not.toContain(KEY);
      const others = Object.entries(r.headers).filter(([k]) => k !== 'x-api-key' && k !== 'authorization');
      expect(JSON.stringify(others)).not.toContain(KEY);
    }
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });
});

describe('progress', () => {
  it('reports per document its state, attempt and streamed output tokens', async () => {
    const result = await generateWithAnthropic(request('en'), options(), fast);
    expect(events[0]).toEqual({ kind: 'runbook', state: 'waiting', attempt: 0, outputTokens: 0 });
    expect(events.some((e) => e.kind === 'plan' && e.state === 'planning' && e.attempt === 1)).toBe(true);
    // Rendered from the plan: validated once, no tokens.
    for (const kind of ['checklist', 'postmortem-template'] as const) {
      expect(events.filter((e) => e.kind === kind)).toEqual([
        { kind, state: 'waiting', attempt: 0, outputTokens: 0 },
        { kind, state: 'validating', attempt: 1, outputTokens: 0 },
        { kind, state: 'valid', attempt: 1, outputTokens: 0 },
      ]);
    }
    for (const kind of ['runbook', 'rollback'] as const) {
      const mine = events.filter((e) => e.kind === kind);
      expect(mine.map((e) => e.state).filter((s, i, a) => s !== a[i - 1])).toEqual(['waiting', 'writing', 'validating', 'valid']);
      const last = mine.at(-1)!;
      expect(last.outputTokens).toBe(server().requests.find((r) => r.call.kind === kind)!.usage!.output_tokens);
      // Tokens are reported while streaming, not only at the end.
      expect(mine.filter((e) => e.state === 'writing' && e.outputTokens > 0).length).toBeGreaterThan(0);
    }
    expect(result.usage.outputTokens).toBe(server().requests.reduce((s, r) => s + r.usage!.output_tokens, 0));
  });
});

