/**
 * ops-docs: parse the verb, import only that verb (the SDK and the markdown stack are slow to load), map errors
 * to exit codes: 0 ok, 1 failed (findings, refusals), 2 usage, 3 model provider, 70 internal.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './standard/root.js';
import { EXIT, FS_ERRORS, OpsDocsError, UsageError, say } from './errors.js';

import type { Verb } from './verbs/verb.js';

const VERBS: Record<string, () => Promise<{ verb: Verb }>> = {
  validate: () => import('./verbs/validate.js'),
  name: () => import('./verbs/name.js'),
  new: () => import('./verbs/new.js'),
  init: () => import('./verbs/init.js'),
  status: () => import('./verbs/status.js'),
  record: () => import('./verbs/record.js'),
  list: () => import('./verbs/list.js'),
  archive: () => import('./verbs/archive.js'),
  doctor: () => import('./verbs/doctor.js'),
  print: () => import('./verbs/print.js'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function usage(): Promise<string> {
  const lines = [
    say({ en: 'ops-docs — documents for a planned production change: runbook, rollback plan, checklist, postmortem template',
      zh: 'ops-docs —— 为计划内的生产变更生成文档：runbook、回滚方案、检查清单、事后总结模板' }),
    '',
    say({ en: 'Usage: ops-docs <verb> [options]   (ops-docs help <verb> for one verb)', zh: '用法：ops-docs <动词> [选项]   （ops-docs help <动词> 查看单个动词）' }),
    '',
  ];
  for (const [name, load] of Object.entries(VERBS)) {
    try {
      const { verb } = await load();
      lines.push(`  ${name.padEnd(10)}${say(verb.summary)}`);
    } catch {
      // a verb still being built is simply not listed
    }
  }
  lines.push('', say({ en: 'Exit codes: 0 ok · 1 failed · 2 usage · 3 model provider', zh: '退出码：0 成功 · 1 失败 · 2 用法错误 · 3 模型服务错误' }));
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    process.stdout.write((await usage()) + '\n');
    return EXIT.ok; // help asked for, or given for want of a verb: git and npm exit 0 too
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(version() + '\n');
    return EXIT.ok;
  }
  if (first === 'help') {
    const target = rest[0];
    if (!target) {
      process.stdout.write((await usage()) + '\n');
      return EXIT.ok;
    }
    const load = VERBS[target];
    if (!load) throw new UnknownVerb(target);
    process.stdout.write(say((await load()).verb.help) + '\n');
    return EXIT.ok;
  }
  const load = VERBS[first];
  if (!load) throw new UnknownVerb(first);
  const { verb } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(say(verb.help) + '\n');
    return EXIT.ok;
  }
  try {
    return await verb.run(rest);
  } catch (err) {
    throw argumentError(err, first) ?? err;
  }
}

/** node:util parseArgs errors, said in our words and both languages, naming the verb's help. */
function argumentError(err: unknown, verbName: string): UsageError | undefined {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(e?.message ?? '')?.[1]?.replace(/ <value>$/, '') ?? '';
  const help = `ops-docs ${verbName} --help`;
  switch (e?.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError({ en: `unknown option ${quoted}: see ${help}`, zh: `未知选项 ${quoted}：请查看 ${help}` });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message ?? '')
        ? new UsageError({ en: `option ${quoted} needs a value: see ${help}`, zh: `选项 ${quoted} 需要一个值：请查看 ${help}` })
        : new UsageError({ en: `option ${quoted} takes no value: see ${help}`, zh: `选项 ${quoted} 不接受值：请查看 ${help}` });
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError({ en: `unexpected argument "${quoted}": see ${help}`, zh: `多余的参数“${quoted}”：请查看 ${help}` });
    default:
      return undefined;
  }
}

class UnknownVerb extends OpsDocsError {
  override readonly exitCode: number = EXIT.usage;
  constructor(name: string) {
    super({
      en: `unknown verb "${name.slice(0, 40)}": run ops-docs --help for the list`,
      zh: `未知动词“${name.slice(0, 40)}”：运行 ops-docs --help 查看列表`,
    });
  }
}


let lastErrorMessage = '';

export function reportError(err: unknown): number {
  const emit = (line: string) => {
    lastErrorMessage = line.replace(/^ops-docs: /, '').replace(/\n$/, '').split('\n')[0]!;
    process.stderr.write(line);
  };
  if (err instanceof OpsDocsError) {
    emit(`ops-docs: ${err.message}\n`);
    return err.exitCode;
  }
  const sys = err as NodeJS.ErrnoException;
  // mkdir's EEXIST (recursive mkdir over a file) is a file standing where a folder should be.
  const code = sys?.code === 'EEXIST' && sys.syscall === 'mkdir' ? 'ENOTDIR' : sys?.code;
  if (typeof code === 'string' && typeof sys.syscall === 'string' && FS_ERRORS[code]) {
    // The filesystem said no (permissions, a full disk): the user's problem to fix, not a bug — no stack trace.
    const what = FS_ERRORS[code]!;
    emit(`ops-docs: ${say({
      en: `cannot ${sys.syscall} ${sys.path ?? ''}: ${what.en}; nothing was changed`,
      zh: `无法执行 ${sys.syscall} ${sys.path ?? ''}：${what.zh}；未做任何更改`,
    })}\n`);
    return EXIT.failed;
  }
  emit(`ops-docs: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.internal;
}

/** main() with its errors reported: the exit code, never a throw. Tests call this in-process. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    const code = reportError(err);
    // A script that asked for JSON reads stdout: a failure is JSON there too (the words stay on stderr).
    if (argv.includes('--json')) process.stdout.write(JSON.stringify({ error: lastErrorMessage, exitCode: code }) + '\n');
    return code;
  }
}

/** Run only as the program itself, not when a test imports main(). npm's bin link is a symlink, hence realpath. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * A reader that stops early (`ops-docs validate | head -1`) closes the pipe. What is left to print has nowhere to
 * go, and that is the reader's choice, not a failure of the verb: the rest is dropped without a word and the
 * process ends with the code the verb's work earned (validate's 1 for errors found, 0 for a clean tree), as if the
 * output had been read whole — so `set -o pipefail` scripts see the verb's verdict, not an artefact of `head`.
 */
function dropOutputOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.stdout.write = (() => true) as typeof process.stdout.write;
  });
}

/**
 * Node ends a process whose event loop is empty with exit 0, even when the verb's promise never settled (a lost
 * callback in a dependency). For a CI gate that would be a pass that checked nothing: a process that ends before
 * its verb has answered exits EXIT.internal (70, EX_SOFTWARE) and says so.
 */
function refuseSilentEnd(answered: () => boolean): void {
  process.on('exit', (code) => {
    // An exit asked for on purpose (a signal's 130) has its own code; only the silent 0 is refused.
    if (answered() || code !== 0) return;
    process.stderr.write(say({ en: 'ops-docs: internal error: the command ended before it had an answer; treat this run as failed', zh: 'ops-docs：内部错误：命令在得出结果之前就结束了；请将本次运行视为失败' }) + '\n');
    process.exitCode = EXIT.internal;
  });
}

/** The process as the command: its arguments, its exit code. Called by the launcher (launch.ts) or below. */
export function runAsProgram(): void {
  dropOutputOnClosedPipe();
  let answered = false;
  refuseSilentEnd(() => answered);
  runCli(process.argv.slice(2)).then((code) => {
    answered = true;
    process.exitCode = code;
  });
}

if (isEntryPoint()) runAsProgram();
