import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Verb } from './verb.js';
import { EXIT, UsageError, say } from '../errors.js';
import { checkDate, checkTaskName, deriveTaskName, NamingError, taskDate, type TaskNameParts, type Vocabulary } from '../naming.js';
import type { Lang } from '../standard/types.js';
import type { ProgressEvent } from '../generate/types.js';
import { readStdin } from './io.js';
import type { ProviderName } from '../generate/run.js';

export const DEFAULT_MODEL = 'claude-sonnet-5-5';
/** A 3–5k-token runbook streams for 60–100 s at typical speeds; the limit is for a stalled request, not a slow one. */
const DEFAULT_TIMEOUT_S = 300;
const DEFAULT_MAX_REPAIRS = 2;
const MAX_RETRIES = 4;

export const verb: Verb = {
  summary: { en: 'create the four documents of a change in ops/active/<task>/', zh: '在 ops/active/<任务>/ 中生成变更的四份文档' },
  help: {
    en: `Usage: ops-docs new <description...> [options]

Creates ops/active/<task>/ with the runbook, rollback plan, checklist and postmortem template, checked by
the validator before anything is written. Example:
  ops-docs new "kubernetes cluster upgrade to v1.28"

  --lang en|zh            document language (default: zh when the description contains Chinese, else en)
  --provider offline|anthropic
                          offline: built-in playbooks, no network (default without ANTHROPIC_API_KEY)
                          anthropic: Claude via the Anthropic API (default when ANTHROPIC_API_KEY is set)
  --model ID              model for the anthropic provider (env OPS_DOCS_MODEL; default ${DEFAULT_MODEL})
  --date YYYY-MM-DD       the change date, first part of the task name (default: today)
  --name TASK             use this task name instead of the derived one (still checked)
  --ops-dir DIR           the ops folder (default: ./ops); DIR/templates/ overrides the standard and playbooks
  --force                 replace an existing task of the same name; the old one is kept in DIR/.trash/
  --dry-run               print the task name and the plan; write nothing, call no model
  --json                  print a machine-readable summary on stdout
  --stdin                 read the description from standard input (keeps it off the shell line)
  --max-repairs N         repair rounds per document with the anthropic provider (default ${DEFAULT_MAX_REPAIRS})
  --timeout SECONDS       hard limit per model request (default ${DEFAULT_TIMEOUT_S})

Exit: 0 written · 1 refused or documents still invalid (drafts kept in DIR/.drafts/<task>/) · 2 usage · 3 provider`,
    zh: `用法：ops-docs new <描述...> [选项]

生成 ops/active/<任务>/，包含 runbook、回滚方案、检查清单和事后总结模板，写入前先经过校验。例如：
  ops-docs new "Kubernetes 集群升级到 v1.28"

  --lang en|zh            文档语言（默认：描述含中文时为 zh，否则为 en）
  --provider offline|anthropic
                          offline：内置 playbook，无需联网（未设置 ANTHROPIC_API_KEY 时的默认值）
                          anthropic：通过 Anthropic API 使用 Claude（设置了 ANTHROPIC_API_KEY 时的默认值）
  --model ID              anthropic 所用模型（环境变量 OPS_DOCS_MODEL；默认 ${DEFAULT_MODEL}）
  --date YYYY-MM-DD       变更日期，即任务名的第一部分（默认今天）
  --name TASK             使用指定任务名代替自动生成的名称（仍会校验）
  --ops-dir DIR           ops 目录（默认 ./ops）；DIR/templates/ 可覆盖标准与 playbook
  --force                 替换同名任务；旧任务保留在 DIR/.trash/ 中
  --dry-run               只输出任务名和计划；不写入任何文件，不调用模型
  --json                  在标准输出打印机器可读的摘要
  --stdin                 从标准输入读取描述（避免描述出现在 shell 命令行中）
  --max-repairs N         anthropic 每份文档的修复轮数（默认 ${DEFAULT_MAX_REPAIRS}）
  --timeout SECONDS       每次模型请求的硬性超时（默认 ${DEFAULT_TIMEOUT_S}）

退出码：0 已写入 · 1 被拒绝或文档仍未通过校验（草稿保存在 DIR/.drafts/<任务>/）· 2 用法错误 · 3 模型服务错误`,
  },
  run,
};

type Provider = ProviderName;

interface Options {
  description: string;
  lang: Lang;
  provider: Provider;
  providerReason: { en: string; zh: string };
  model: string;
  opsDir: string;
  task: TaskNameParts;
  vocabulary: Vocabulary;
  force: boolean;
  dryRun: boolean;
  json: boolean;
  maxRepairs: number;
  timeoutMs: number;
}

function usage(en: string, zh: string): UsageError {
  return new UsageError({ en, zh });
}

function integer(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw usage(`--${name} must be a whole number from ${min} to ${max}, not "${raw.slice(0, 20)}"`, `--${name} 必须是 ${min} 到 ${max} 之间的整数，而不是“${raw.slice(0, 20)}”`);
  }
  return Number(raw);
}

async function readOptions(argv: string[]): Promise<Options> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lang: { type: 'string' },
      provider: { type: 'string' },
      model: { type: 'string' },
      date: { type: 'string' },
      name: { type: 'string' },
      'ops-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      stdin: { type: 'boolean', default: false },
      'max-repairs': { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') {
    throw usage(`--lang must be en or zh, not "${values.lang.slice(0, 20)}"`, `--lang 只能是 en 或 zh，而不是“${values.lang.slice(0, 20)}”`);
  }
  if (values.provider !== undefined && values.provider !== 'offline' && values.provider !== 'anthropic') {
    throw usage(`--provider must be offline or anthropic, not "${values.provider.slice(0, 20)}"`, `--provider 只能是 offline 或 anthropic，而不是“${values.provider.slice(0, 20)}”`);
  }
  if (values.stdin && positionals.length) {
    throw usage('give the description either as arguments or with --stdin, not both', '描述只能通过参数或 --stdin 之一提供，不能同时使用');
  }
  const maxRepairs = integer('max-repairs', values['max-repairs'], DEFAULT_MAX_REPAIRS, 0, 10);
  const timeoutS = integer('timeout', values.timeout, DEFAULT_TIMEOUT_S, 1, 3600);
  if (values.date !== undefined) {
    try {
      checkDate(values.date);
    } catch {
      throw usage(`--date must be a calendar date YYYY-MM-DD, not "${values.date.slice(0, 20)}"`, `--date 必须是 YYYY-MM-DD 格式的有效日期，而不是“${values.date.slice(0, 20)}”`);
    }
  }
  const opsDir = resolve(values['ops-dir'] ?? 'ops');
  (await import('../workspace/paths.js')).refuseSystemFolder(opsDir, '--ops-dir');
  // The ops folder itself is created when missing (a repository's first task), but never a whole path of folders
  // that a typo in --ops-dir would invent.
  if (existsSync(opsDir) ? !statSync(opsDir).isDirectory() : !existsSync(dirname(opsDir))) {
    throw usage(`--ops-dir ${values['ops-dir'] ?? 'ops'}: ${existsSync(opsDir) ? 'not a folder' : `its parent folder ${dirname(opsDir)} does not exist`}`,
      `--ops-dir ${values['ops-dir'] ?? 'ops'}：${existsSync(opsDir) ? '不是目录' : `其上级目录 ${dirname(opsDir)} 不存在`}`);
  }
  // The task-name convention of the standard in force: the team's override (ops/templates) when there is one.
  const { readStandard } = await import('../generate/run.js');
  const { overrideDirOf } = await import('../workspace/paths.js');
  const rule = (await readStandard(overrideDirOf(opsDir))).common.taskName;
  if (values.name !== undefined) {
    try {
      checkTaskName(values.name, rule);
    } catch (err) {
      throw usage(`--name: ${(err as Error).message}`, `--name：任务名“${values.name.slice(0, 80)}”不符合 [日期]-[系统]-[操作类型]-[简要描述] 规范（小写 ASCII，例如 2025-11-10-k8s-cluster-upgrade-v1.28）`);
    }
  }
  const description = (values.stdin ? await readStdin() : positionals.join(' ')).trim();
  if (!description) {
    throw usage('describe the change, e.g. ops-docs new "kubernetes cluster upgrade to v1.28"', '请描述变更，例如 ops-docs new "Kubernetes 集群升级到 v1.28"');
  }
  const lang: Lang = (values.lang as Lang | undefined) ?? (/[\u4e00-\u9fff]/.test(description) ? 'zh' : 'en');

  const hasKey = Boolean(process.env.ANTHROPIC_API_KEY);
  let provider: Provider;
  let providerReason: { en: string; zh: string };
  if (values.provider) {
    provider = values.provider as Provider;
    providerReason = { en: 'chosen with --provider', zh: '由 --provider 指定' };
  } else if (hasKey) {
    provider = 'anthropic';
    providerReason = { en: 'ANTHROPIC_API_KEY is set', zh: '已设置 ANTHROPIC_API_KEY' };
  } else {
    provider = 'offline';
    providerReason = { en: 'no ANTHROPIC_API_KEY: built-in playbooks, no network', zh: '未设置 ANTHROPIC_API_KEY：使用内置 playbook，不联网' };
  }
  if (provider === 'anthropic' && !hasKey && !values['dry-run']) {
    throw usage('--provider anthropic needs ANTHROPIC_API_KEY in the environment (or use --provider offline)', '--provider anthropic 需要在环境变量中设置 ANTHROPIC_API_KEY（或改用 --provider offline）');
  }

  // The request is read with the repository's own vocabulary when it has one (DIR/templates/vocabulary.yaml).
  const ownTemplates = join(opsDir, 'templates');
  const { loadVocabulary } = await import('../generate/vocabulary.js');
  const vocabulary: Vocabulary = await readStandard(undefined, () => loadVocabulary(existsSync(ownTemplates) ? ownTemplates : undefined));
  let task: TaskNameParts;
  try {
    task = deriveTaskName(description, { date: values.date, rule, vocabulary });
  } catch (err) {
    if (!(err instanceof NamingError)) throw err;
    if (values.name === undefined) {
      throw usage(`cannot name the task: ${err.text.en}; or give a name with --name`, `无法生成任务名（${err.text.zh}）；也可以用 --name 指定任务名`);
    }
    task = { date: '', system: '', operation: '', desc: '', name: '' };
  }
  if (values.name !== undefined) {
    const d = taskDate(values.name);
    const date = `${d.year}-${d.month}-${d.day}`;
    if (values.date !== undefined && values.date !== date) {
      throw usage(`--name starts with ${date} but --date is ${values.date}: give one of them, or make them agree`, `--name 以 ${date} 开头，但 --date 为 ${values.date}：请只提供其一，或使两者一致`);
    }
    task = { ...task, date, name: values.name };
  }
  return {
    description,
    lang,
    provider,
    providerReason,
    // An empty --model or OPS_DOCS_MODEL means "not set", never an empty model id.
    model: values.model || process.env.OPS_DOCS_MODEL || DEFAULT_MODEL,
    opsDir,
    task,
    vocabulary,
    force: values.force,
    dryRun: values['dry-run'],
    json: values.json,
    maxRepairs,
    timeoutMs: timeoutS * 1000,
  };
}

/** Shown paths are relative to where the user stands, so they can be pasted. */
function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

interface Progress {
  (line: string): void;
}

function progressWriter(quiet: boolean): Progress {
  const live = !quiet && process.stderr.isTTY === true;
  return (line) => {
    if (live) process.stderr.write(line + '\n');
  };
}

function describeProgress(e: ProgressEvent): string {
  return say({
    en: `  ${e.kind.padEnd(19)} ${e.state} (attempt ${e.attempt}, ${e.outputTokens} tokens)`,
    zh: `  ${e.kind.padEnd(19)} ${e.state}（第 ${e.attempt} 次，${e.outputTokens} tokens）`,
  });
}

async function run(argv: string[]): Promise<number> {
  const opts = await readOptions(argv);
  const progress = progressWriter(opts.json);
  const templates = join(opts.opsDir, 'templates');
  const overrideDir = existsSync(templates) ? templates : undefined;
  const { prepare, generate } = await import('../generate/run.js');
  const prepared = await prepare({ description: opts.description, lang: opts.lang, task: opts.task, overrideDir, vocabulary: opts.vocabulary });
  const { task, plan, playbook, notice } = prepared;
  const dir = join(opts.opsDir, 'active', task.name);
  const model = opts.provider === 'anthropic' ? opts.model : null;
  const providerLine = say({
    en: `provider: ${opts.provider}${model ? ` (${model})` : ''} — ${opts.providerReason.en}; playbook: ${playbook.id}`,
    zh: `提供方：${opts.provider}${model ? `（${model}）` : ''}——${opts.providerReason.zh}；playbook：${playbook.id}`,
  });

  if (opts.dryRun) {
    if (opts.json) {
      process.stdout.write(JSON.stringify({ dryRun: true, task: task.name, dir: shown(dir), provider: opts.provider, model, playbook: playbook.id, ...(notice ? { notice: say(notice) } : {}), lang: opts.lang, plan }, null, 2) + '\n');
    } else {
      const { planOutline } = await import('../generate/plan.js');
      const lines = [
        providerLine,
        ...(notice ? [say(notice)] : []),
        say({ en: `task: ${task.name}`, zh: `任务：${task.name}` }),
        say({ en: `would write: ${shown(dir)}/ (dry run: nothing written)`, zh: `将写入：${shown(dir)}/（试运行：未写入任何内容）` }),
        '',
        ...planOutline(plan).map((l) => `  ${l}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return EXIT.ok;
  }

  // Refuse before any work (and before any model call) when the task is already there; writeTask checks again.
  const { refuseReplacing } = await import('../workspace/replace-guard.js');
  refuseReplacing(opts.opsDir, task.name, opts.force, shown);
  if (!opts.json) process.stdout.write(providerLine + '\n' + (notice ? say(notice) + '\n' : ''));
  const controller = new AbortController();
  let staged: { discard(): void } | undefined;
  // Set once the task folder is in place: a signal that arrives during the (synchronous, milliseconds long) write
  // is handled right after it, and must then neither claim that nothing was written nor exit as if it failed.
  let published = false;
  const onSigint = () => {
    if (published) return;
    controller.abort();
    staged?.discard();
    process.stderr.write(say({ en: 'ops-docs: interrupted; no task was written\n', zh: 'ops-docs：已中断；未写入任何任务\n' }));
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    progress(say({ en: `generating ${task.name} …`, zh: `正在生成 ${task.name} …` }));
    const outcome = await generate({
      description: opts.description,
      lang: opts.lang,
      task,
      provider: opts.provider,
      overrideDir,
      vocabulary: opts.vocabulary,
      anthropic: opts.provider === 'anthropic' ? {
        apiKey: process.env.ANTHROPIC_API_KEY ?? '',
        baseURL: process.env.ANTHROPIC_BASE_URL || undefined,
        model: opts.model,
        maxRepairs: opts.maxRepairs,
        timeoutMs: opts.timeoutMs,
        maxRetries: MAX_RETRIES,
      } : undefined,
      onProgress: (e) => progress(describeProgress(e)),
      signal: controller.signal,
    }, prepared);
    const { result, files, findings, errors, warnings } = outcome;
    const { writeTask, writeDrafts } = await import('../workspace/task-writer.js');
    const summary = {
      task: task.name,
      dir: '',
      files: [] as string[],
      provider: result.provider,
      model: result.model ?? model,
      playbook: result.playbook ?? playbook.id,
      ...(notice ? { notice: say(notice) } : {}),
      lang: opts.lang,
      attempts: result.attempts,
      tokens: { input: result.usage.inputTokens, output: result.usage.outputTokens, cacheRead: result.usage.cacheReadTokens, cacheCreation: result.usage.cacheCreationTokens },
      // strict: the documents would pass `validate --strict` as they stand.
      validation: { ok: result.ok, strict: result.ok && errors === 0 && warnings === 0, errors, warnings, findings },
      trashed: [] as string[],
    };
    if (!result.ok) {
      const report = JSON.stringify(findings, null, 2) + '\n';
      const written = writeDrafts(opts.opsDir, task.name, [...files, { name: 'findings.json', content: report }]);
      summary.dir = shown(written.dir);
      summary.files = written.files.map(shown);
      if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      const shownFindings = findings.filter((f) => f.severity === 'error').slice(0, 10)
        .map((f) => `  ${f.file}:${f.line}:${f.column}  ${f.message}  ${f.ruleId}\n`).join('');
      process.stderr.write(say({
        en: `ops-docs: the documents still fail validation (${errors} error(s)); nothing was written to active/. Drafts and findings: ${shown(written.dir)}/\n`,
        zh: `ops-docs：文档仍未通过校验（${errors} 个错误）；未写入 active/。草稿和检查结果见：${shown(written.dir)}/\n`,
      }) + shownFindings);
      return EXIT.failed;
    }
    const written = writeTask({ opsDir: opts.opsDir, task: task.name, files, force: opts.force, onStaged: (s) => { staged = s; } });
    published = true;
    summary.dir = shown(written.dir);
    summary.files = written.files.map(shown);
    summary.trashed = written.trashed.map(shown);
    if (opts.json) {
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    } else {
      const lines = [
        say({ en: `task: ${task.name}`, zh: `任务：${task.name}` }),
        say({ en: `folder: ${summary.dir}/`, zh: `目录：${summary.dir}/` }),
        ...summary.files.map((f) => `  ${f}`),
        ...summary.trashed.map((t) => say({ en: `previous task kept in: ${t}/`, zh: `原任务已保留在：${t}/` })),
        say({
          en: `validation: passed${warnings === 0 ? ' (strict)' : ''}, ${warnings} warning(s)${warnings ? ' — fill in the blanks marked TODO / <…>, then run ops-docs validate --strict' : ''}`,
          zh: `校验：通过${warnings === 0 ? '（严格模式）' : ''}，${warnings} 个警告${warnings ? '——请填写标记为 TODO / <…> 的空白，然后运行 ops-docs validate --strict' : ''}`,
        }),
        say({ en: 'next: have two people review the runbook and rehearse it outside production', zh: '下一步：至少两人评审 runbook，并在非生产环境演练' }),
        say({ en: `then approve it: ops-docs status ${task.name} approved --by NAME`, zh: `然后审批：ops-docs status ${task.name} approved --by 姓名` }),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
}
