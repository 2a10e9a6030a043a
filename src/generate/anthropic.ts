/**
 * The Anthropic provider: a short plan first, then the runbook and the rollback plan at once, each checked by the
 * validator and sent back with its findings until it passes or runs out of repairs; the checklist and the
 * postmortem template are rendered from the plan, with no model call.
 *
 * Wall time and cost drive the shape:
 * - the plan is a skeleton (forced tool use): ids, titles, minutes, Go/No-Go points, prerequisites and post-checks
 *   — what the four documents must agree on, and no more. Nothing can start before it ends, so it is kept short:
 *   the run takes about one plan plus the longest document, not the plan plus a full restatement of the documents;
 * - the checklist and the postmortem template need nothing but the skeleton, so the offline renderer writes them
 *   from it: they cannot drift from the plan, and they cost no tokens;
 * - one system prompt (the standard, the change, the playbook guidance), byte-identical in every call of a run
 *   and marked `cache_control`, together with one identical tool list: the plan call writes the cache, the two
 *   document calls (which start only after it) read it;
 * - the runbook and the rollback plan are held to the skeleton (plan-agreement: same ids, titles and minutes);
 * - repairs continue the document's own conversation, so only the findings are new input.
 */
import type { MessageCreateParamsBase, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { ProviderError } from '../errors.js';
import type { Kind, Standard, Text } from '../standard/types.js';
import { KINDS, kindName } from '../standard/types.js';
import type { Finding } from '../validate/index.js';
import type { DocModel } from '../document/model.js';
import { addUsage, callModel, NO_USAGE, scrub, type CallContext, type Sdk } from './anthropic-call.js';
import { assemble, checkAcross, checkDraft, cleanBody, frontmatter } from './drafts.js';
import type { PlanSkeleton } from './plan.js';
import { checkPlan, planInputSchema, PLAN_TOOL } from './plan-schema.js';
import { documentPrompt, planPrompt, planRepairPrompt, repairPrompt, systemPrompt } from './prompts.js';
import { isSkeletonKind, renderFromSkeleton } from './render.js';
import type { AnthropicOptions, DocState, GenerateRequest, GenerateResult, Usage } from './types.js';

export const PLAN_MAX_TOKENS = 8192;
export const DOC_MAX_TOKENS = 16384;

const PLAN_WHAT: Text = { en: 'the plan', zh: '变更计划' };

/** What a call writes, for its messages: the plan, or a document by the standard's name for it. */
function what(standard: Standard, kind: Kind | 'plan'): Text {
  return kind === 'plan' ? PLAN_WHAT : { en: `the ${kindName(standard, kind, 'en')}`, zh: kindName(standard, kind, 'zh') };
}

/** Internal knobs for tests (shorter backoff); not part of the contract the verb uses. */
export interface InternalOptions {
  backoffMs?: (retry: number) => number;
}

interface Session {
  kind: Kind;
  /** Rendered from the skeleton: one attempt, no model call, nothing to repair. */
  rendered: boolean;
  messages: MessageParam[];
  attempts: number;
  /** The model's last answer, cleaned: what the repair conversation shows as the assistant turn. */
  body: string;
  text: string;
  model?: DocModel;
  docFindings: Finding[];
  acrossFindings: Finding[];
  outputTokens: number;
}

const hasErrors = (f: Finding[]) => f.some((x) => x.severity === 'error');

/** The SDK's own wait before retry n (0-based) when the API names none: 0.5 s · 2ⁿ, at most 8 s (less up to 25% jitter). */
const sdkBackoffMs = (retry: number) => Math.min(8000, 500 * 2 ** retry);

/** What the SDK retries (its shouldRetry): the API's x-should-retry, else 408, 409, 429 and 5xx. */
function sdkRetries(res: Response): boolean {
  const told = res.headers.get('x-should-retry');
  if (told === 'true' || told === 'false') return told === 'true';
  return res.status === 408 || res.status === 409 || res.status === 429 || res.status >= 500;
}

/** The wait the API asked for (retry-after-ms, retry-after in seconds or as a date), as the SDK reads it. */
function askedWaitMs(res: Response): number | undefined {
  const ms = parseFloat(res.headers.get('retry-after-ms') ?? '');
  if (ms > 0) return ms;
  const after = res.headers.get('retry-after');
  if (!after) return undefined;
  const wait = Number.isNaN(parseFloat(after)) ? Date.parse(after) - Date.now() : parseFloat(after) * 1000;
  return wait > 0 ? wait : undefined;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The SDK retries a refused connection or a 429/5xx by itself, silently; this fetch sees each attempt (the SDK
 * numbers them in X-Stainless-Retry-Count) and says the retry that follows a failed one. Only the origin of the URL
 * is shown: never a path, a query or a header, so never the key.
 */
function announcingFetch(maxRetries: number, onRetry: (notice: Text) => void): typeof fetch {
  return async (input, init) => {
    const retry = Number(new Headers(init?.headers).get('x-stainless-retry-count') ?? 0) || 0;
    const left = maxRetries - retry;
    const origin = new URL(input instanceof Request ? input.url : String(input)).origin;
    const next = `retry ${retry + 1} of ${maxRetries}`;
    const nextZh = `第 ${retry + 1} 次重试（共 ${maxRetries} 次）`;
    let res: Response;
    try {
      res = await fetch(input, init);
    } catch (err) {
      if (left > 0 && !init?.signal?.aborted) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? cause?.message?.slice(0, 60);
        const wait = seconds(sdkBackoffMs(retry));
        onRetry(code === 'ECONNREFUSED'
          ? { en: `connection refused by ${origin}; ${next} in ${wait}`, zh: `${origin} 拒绝连接；${wait}后${nextZh}` }
          : { en: `connection to ${origin} failed (${code ?? 'network error'}); ${next} in ${wait}`, zh: `与 ${origin} 的连接失败（${code ?? '网络错误'}）；${wait}后${nextZh}` });
      }
      throw err;
    }
    if (!res.ok && left > 0 && sdkRetries(res)) {
      const wait = seconds(askedWaitMs(res) ?? sdkBackoffMs(retry));
      onRetry({ en: `${origin} answered HTTP ${res.status}; ${next} in ${wait}`, zh: `${origin} 返回 HTTP ${res.status}；${wait}后${nextZh}` });
    }
    return res;
  };
}

export async function generateWithAnthropic(request: GenerateRequest, options: AnthropicOptions, internal: InternalOptions = {}): Promise<GenerateResult> {
  // The SDK costs ~200 ms to load: only a run that calls the model pays for it.
  const sdk: Sdk = await import('@anthropic-ai/sdk');
  const client = new sdk.default({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    ...(options.onRetry ? { fetch: announcingFetch(options.maxRetries, options.onRetry) } : {}),
  });

  // One controller for the run: the caller's Ctrl-C, or the first fatal error of any call, stops all of them.
  const run = new AbortController();
  const onCallerAbort = () => run.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (request.signal?.aborted) run.abort();

  let usage: Usage = NO_USAGE;
  const progress = (kind: Kind | 'plan', state: DocState, attempt: number, outputTokens: number) =>
    request.onProgress?.({ kind, state, attempt, outputTokens });
  const tokensPerChar = request.lang === 'zh' ? 1 / 1.5 : 1 / 4;

  const system: TextBlockParam[] = [{ type: 'text', text: systemPrompt(request), cache_control: { type: 'ephemeral' } }];
  const tools: Tool[] = [{
    name: PLAN_TOOL,
    description: 'Submit the skeleton of the change (ids, titles, minutes, Go/No-Go points), from which the four documents are written.',
    input_schema: planInputSchema(request.standard) as Tool['input_schema'],
  }];
  const base = { model: options.model, system, tools } satisfies Partial<MessageCreateParamsBase>;

  const context = (kind: Kind | 'plan', onChars?: (n: number) => void): CallContext => ({
    sdk, client, what: what(request.standard, kind), timeoutMs: options.timeoutMs, maxRetries: options.maxRetries,
    apiKey: options.apiKey, signal: run.signal, onChars, onRetry: options.onRetry,
    ...(internal.backoffMs ? { backoffMs: internal.backoffMs } : {}),
  });

  try {
    // ---- the plan -------------------------------------------------------------------------------------------
    const frame = { task: request.task.name, lang: request.lang, system: request.task.system, operation: request.task.operation, created: request.task.date, request: request.description };
    const planMessages: MessageParam[] = [{ role: 'user', content: planPrompt(request) }];
    for (const k of KINDS) progress(k, 'waiting', 0, 0);
    let plan: PlanSkeleton | undefined;
    let problems: string[] = [];
    let planTokens = 0;
    for (let attempt = 1; attempt <= 1 + options.maxRepairs && !plan; attempt++) {
      progress('plan', 'planning', attempt, planTokens);
      let last = 0;
      const r = await callModel({
        ...base, max_tokens: PLAN_MAX_TOKENS, tool_choice: { type: 'tool', name: PLAN_TOOL }, messages: planMessages,
      }, context('plan', (n) => {
        const est = planTokens + Math.round(n * tokensPerChar);
        if (est - last >= 16) progress('plan', 'planning', attempt, (last = est));
      }));
      usage = addUsage(usage, r.usage);
      planTokens += r.usage.outputTokens;
      const toolUse = r.message.content.find((b) => b.type === 'tool_use');
      const checked = toolUse ? checkPlan(r.toolInput, frame, request.standard) : { problems: [`call the tool ${PLAN_TOOL}; do not answer in text`] };
      if (checked.plan) {
        plan = checked.plan;
        break;
      }
      problems = checked.problems;
      planMessages.push({ role: 'assistant', content: r.message.content as MessageParam['content'] });
      planMessages.push({
        role: 'user',
        content: toolUse
          ? [{ type: 'tool_result', tool_use_id: toolUse.id, is_error: true, content: planRepairPrompt(problems) }]
          : planRepairPrompt(problems),
      });
    }
    if (!plan) {
      const list = problems.slice(0, 5).join('; ');
      throw new ProviderError({
        en: scrub(`Anthropic API: the model's plan was still unusable after ${1 + options.maxRepairs} attempts (${list}): try again, or use --provider offline`, options.apiKey),
        zh: scrub(`Anthropic API：模型给出的变更计划在 ${1 + options.maxRepairs} 次尝试后仍不可用（${list}）：请重试，或使用 --provider offline`, options.apiKey),
      });
    }
    progress('plan', 'valid', 1, planTokens);
    const thePlan = plan;

    // ---- the checklist and postmortem template from the skeleton; the runbook and rollback plan, concurrently --
    const sessions: Session[] = KINDS.map((kind) => ({
      kind, rendered: isSkeletonKind(kind), attempts: 0, body: '', text: '', docFindings: [], acrossFindings: [], outputTokens: 0,
      messages: isSkeletonKind(kind) ? [] : [{ role: 'user', content: documentPrompt(request, thePlan, kind) }],
    }));
    const fmLines = frontmatter(thePlan, 'runbook', request.standard).split('\n').length;

    const written = sessions.filter((s) => !s.rendered);
    // Rendered before the model calls start: synchronous and a few milliseconds, it would only hold back the
    // requests' sending if it ran while they were being set up on this same event loop.
    for (const s of sessions) {
      if (!isSkeletonKind(s.kind)) continue;
      s.attempts = 1;
      progress(s.kind, 'validating', 1, 0);
      s.text = renderFromSkeleton(s.kind, thePlan, request.standard);
      // The renderer's own blanks (a section a team added that the skeleton cannot fill) are warnings, as in an
      // offline draft: no repair could remove them, and the team's `validate --strict` names them.
      const checked = checkDraft(thePlan, s.kind, s.text, request.standard, false);
      s.model = checked.model;
      s.docFindings = checked.findings;
    }

    const draft = async (s: Session, findings?: Finding[]) => {
      if (findings) {
        // Line numbers as the model sees its own text: without the frontmatter we put on top.
        const shifted = findings.map((f) => ({ ...f, line: Math.max(1, f.line - fmLines) }));
        // The API refuses an empty turn; an empty answer is still an answer to repair.
        s.messages.push({ role: 'assistant', content: s.body.trim() || '(empty)' }, { role: 'user', content: repairPrompt(request, thePlan, s.kind, shifted) });
      }
      s.attempts++;
      const state: DocState = s.attempts === 1 ? 'writing' : 'repairing';
      progress(s.kind, state, s.attempts, s.outputTokens);
      let last = s.outputTokens;
      const r = await callModel({ ...base, max_tokens: DOC_MAX_TOKENS, tool_choice: { type: 'none' }, messages: s.messages }, context(s.kind, (n) => {
        const est = s.outputTokens + Math.round(n * tokensPerChar);
        if (est - last >= 16) progress(s.kind, state, s.attempts, (last = est));
      }));
      usage = addUsage(usage, r.usage);
      s.outputTokens += r.usage.outputTokens;
      progress(s.kind, 'validating', s.attempts, s.outputTokens);
      s.body = cleanBody(r.text);
      s.text = assemble(thePlan, s.kind, r.text, request.standard);
      const checked = checkDraft(thePlan, s.kind, s.text, request.standard, request.strict);
      s.model = checked.model;
      s.docFindings = checked.findings;
      s.acrossFindings = [];
    };
    const untilValid = async (s: Session, findings?: Finding[]) => {
      await draft(s, findings);
      while (hasErrors(s.docFindings) && s.attempts < 1 + options.maxRepairs) await draft(s, s.docFindings);
    };

    await allOrAbort(written.map((s) => untilValid(s)), run);

    // ---- across the four: task rules and agreement with the plan ------------------------------------------------
    for (;;) {
      const models = new Map<Kind, DocModel>();
      for (const s of sessions) if (s.model) models.set(s.kind, s.model);
      const across = checkAcross(thePlan, models, request.standard, request.strict);
      for (const s of sessions) s.acrossFindings = across.get(s.kind) ?? [];
      // A rendered document is the plan itself: when it disagrees, a written one drifted, and that one is repaired.
      const again = written.filter((s) => !hasErrors(s.docFindings) && hasErrors(s.acrossFindings) && s.attempts < 1 + options.maxRepairs);
      if (!again.length) break;
      await allOrAbort(again.map((s) => untilValid(s, s.acrossFindings)), run);
    }

    const docs = {} as Record<Kind, string>;
    const attempts = {} as Record<Kind, number>;
    const findings = {} as Record<Kind, Finding[]>;
    for (const s of sessions) {
      docs[s.kind] = s.text;
      attempts[s.kind] = s.attempts;
      findings[s.kind] = [...s.docFindings, ...s.acrossFindings];
      progress(s.kind, hasErrors(findings[s.kind]) ? 'invalid' : 'valid', s.attempts, s.outputTokens);
    }
    return {
      provider: 'anthropic',
      model: options.model,
      ...(request.playbook ? { playbook: request.playbook } : {}),
      plan: thePlan,
      docs,
      attempts,
      findings,
      ok: KINDS.every((k) => !hasErrors(findings[k])),
      usage,
    };
  } finally {
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Wait for every call; on the first failure stop the others (they see the run aborted) and report that first
 * failure — not the "cancelled" of the calls it stopped — once all of them have settled, so no request outlives
 * the run.
 */
async function allOrAbort(tasks: Promise<void>[], run: AbortController): Promise<void> {
  let first: unknown;
  const watched = tasks.map((t) => t.catch((err: unknown) => {
    if (first === undefined) first = err;
    run.abort();
  }));
  await Promise.all(watched);
  if (first !== undefined) throw first;
}
