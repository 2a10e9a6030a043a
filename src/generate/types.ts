/**
 * The contract between the `new` verb and the providers. The verb derives the task, picks a provider, hands it a
 * request, and writes what comes back (into ops/active/<task>/ when every document passes, into
 * ops/.drafts/<task>/ when one still fails). Providers never touch the filesystem.
 */
import type { Kind, Lang, Standard, Text } from '../standard/types.js';
import type { Finding } from '../validate/rule.js';
import type { TaskNameParts } from '../naming.js';
import type { Plan, PlanSkeleton } from './plan.js';

export interface GenerateRequest {
  description: string;
  task: TaskNameParts;
  lang: Lang;
  standard: Standard;
  /** Validation is strict for documents from a known playbook or a model. */
  strict: boolean;
  /** The matching playbook's plan, offered to a model as guidance (not as text to copy). */
  guidance?: Plan;
  /** The playbook's id, when one matched. */
  playbook?: string;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface AnthropicOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  maxRepairs: number;
  /** Hard limit per request, milliseconds. */
  timeoutMs: number;
  /** Retries of one request (SDK retries plus our own for mid-stream errors). */
  maxRetries: number;
  /** Told of every retry about to be made, in both languages, so a user never waits on silence. */
  onRetry?: (notice: Text) => void;
}

export type DocState = 'planning' | 'waiting' | 'writing' | 'validating' | 'repairing' | 'valid' | 'invalid';

export interface ProgressEvent {
  kind: Kind | 'plan';
  state: DocState;
  attempt: number;
  outputTokens: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

export interface GenerateResult {
  provider: 'anthropic' | 'offline';
  model?: string;
  /** The playbook used (offline, or as guidance for the model). */
  playbook?: string;
  /** The plan the documents were written from: a playbook's full plan offline, the model's skeleton otherwise. */
  plan?: PlanSkeleton;
  docs: Record<Kind, string>;
  /** Attempts per document: 1 when the first draft passed (and for a document rendered without a model call). */
  attempts: Record<Kind, number>;
  /** Findings of the final drafts (warnings only, when ok). */
  findings: Record<Kind, Finding[]>;
  ok: boolean;
  usage: Usage;
}
