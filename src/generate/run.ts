/**
 * One generation, from request to checked documents: load the standard and the playbooks (the team's overrides
 * first), match a playbook, build the plan, hold the documents to the right strictness, call the provider.
 * The `new` verb parses arguments, asks workspace/ to write what comes back, and prints; this file decides.
 */
import { OpsDocsError } from '../errors.js';
import type { TaskNameParts, Vocabulary } from '../naming.js';
import type { Kind, Lang, Standard, Text } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import type { Playbook } from '../standard/playbooks.js';
import type { Finding } from '../validate/rule.js';
import type { Plan } from './plan.js';
import type { AnthropicOptions, GenerateRequest, GenerateResult, ProgressEvent } from './types.js';

export type ProviderName = 'offline' | 'anthropic';

export interface RunRequest {
  description: string;
  lang: Lang;
  /** The task name and its parts; parts the description could not give come from the playbook. */
  task: TaskNameParts;
  provider: ProviderName;
  /** The team's `<ops>/templates`, when there is one. */
  overrideDir?: string;
  /** The request vocabulary in force (the team's own first), the same one that named the task. */
  vocabulary: Vocabulary;
  anthropic?: AnthropicOptions;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface Prepared {
  task: TaskNameParts;
  plan: Plan;
  playbook: Playbook;
  standard: Standard;
  /** Set when no playbook covers the request: the one line saying so, and which playbooks exist. */
  notice?: Text;
}

/** A finding with the document file it is about. */
export type FileFinding = Finding & { file: string };

export interface RunOutcome extends Prepared {
  result: GenerateResult;
  /** Every document's file name and text, in the standard's order. */
  files: { name: string; content: string }[];
  findings: FileFinding[];
  errors: number;
  warnings: number;
}

/** The standard in force (a team's override first), its read errors said as the user's problem to fix. */
export async function readStandard(overrideDir: string | undefined): Promise<Standard>;
export async function readStandard<T>(overrideDir: string | undefined, read: () => T): Promise<T>;
export async function readStandard<T>(overrideDir: string | undefined, read?: () => T): Promise<T | Standard> {
  const { loadStandard, StandardError } = await import('../standard/load.js');
  try {
    return read ? read() : loadStandard(overrideDir);
  } catch (err) {
    if (err instanceof StandardError) throw new OpsDocsError({ en: `the standard cannot be read: ${err.message}`, zh: `无法读取文档标准：${err.message}` });
    throw err;
  }
}

/** The standard, the playbooks, the matching playbook and the plan: everything short of calling a provider. */
export async function prepare(req: Pick<RunRequest, 'description' | 'lang' | 'task' | 'overrideDir' | 'vocabulary'>): Promise<Prepared> {
  const { loadPlaybooks } = await import('../standard/playbooks.js');
  const { matchPlaybook, buildPlan, checkNamedExtractors } = await import('./offline.js');
  const standard = await readStandard(req.overrideDir);
  const playbooks = await readStandard(req.overrideDir, () => {
    const loaded = loadPlaybooks(req.overrideDir);
    checkNamedExtractors(loaded, req.vocabulary);
    return loaded;
  });
  const { playbook, notice } = matchPlaybook(req.description, playbooks, req.vocabulary);
  const task: TaskNameParts = { ...req.task, system: req.task.system || playbook.system, operation: req.task.operation || playbook.operation };
  const plan = buildPlan({ description: req.description, vocabulary: req.vocabulary, task, lang: req.lang, playbook, standard });
  return { task, plan, playbook, standard, ...(notice ? { notice } : {}) };
}

/** Generate the four documents of a prepared task with the chosen provider and check them. Writes nothing. */
export async function generate(req: RunRequest, prepared: Prepared): Promise<RunOutcome> {
  const { task, plan, playbook, standard } = prepared;
  const request: GenerateRequest = {
    description: req.description,
    task,
    lang: req.lang,
    standard,
    // A model's documents are held to the strict standard. Offline documents are drafts for review: a blank the
    // tool itself leaves (the generic playbook's, or a section a team added to its standard that no playbook
    // fills yet) is a warning to act on, not a reason to write nothing.
    strict: req.provider === 'anthropic',
    guidance: playbook.generic ? undefined : plan,
    playbook: playbook.id,
    onProgress: req.onProgress,
    signal: req.signal,
  };
  let result: GenerateResult;
  if (req.provider === 'offline') {
    const { generateOffline } = await import('./offline.js');
    result = await generateOffline(request, plan);
  } else {
    // Loaded only when used: the SDK is slow to import.
    const { generateWithAnthropic } = await import('./anthropic.js');
    if (!req.anthropic) throw new OpsDocsError({ en: 'internal: the anthropic provider needs its options', zh: '内部错误：anthropic 提供方缺少选项' });
    result = await generateWithAnthropic(request, req.anthropic);
  }
  const { documentFileName } = await import('../standard/files.js');
  const files = KINDS.map((k: Kind) => ({ name: documentFileName(task.name, k), content: result.docs[k] }));
  const findings = KINDS.flatMap((k: Kind) => result.findings[k].map((f) => ({ ...f, file: documentFileName(task.name, k) })));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { ...prepared, result, files, findings, errors, warnings: findings.length - errors };
}

/** prepare + generate: request → {task, plan, result}. */
export async function run(req: RunRequest): Promise<RunOutcome> {
  return generate(req, await prepare(req));
}
