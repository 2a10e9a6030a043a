import { parseArgs } from 'node:util';
import { basename, dirname, resolve } from 'node:path';
import { opsDirOf } from '../workspace/paths.js';
import type { Verb } from './verb.js';
import { EXIT, OpsDocsError, UsageError, say } from '../errors.js';
import { runValidation, formatFindings } from '../workspace/validate-run.js';
import { githubAnnotation } from './github-annotations.js';

export const verb: Verb = {
  summary: { en: 'check documents against the standard', zh: '按标准检查文档' },
  help: {
    en: `Usage: ops-docs validate [PATH...] [--strict] [--format text|json|github]

Checks documents, task folders or whole ops/ trees (default: ops/active) against the standard. A file outside a
task folder (one named after its documents, or in active/ or archive/YYYY/MM/) is checked as a document alone.

  --strict         leftover placeholders (TODO, TBD, <…>, 待填写) are errors, not warnings
  --format text    path:line:column  severity  message  rule-id (default)
  --format json    [{"file","line","column","ruleId","severity","message"}]
  --format github  ::error file=…,line=…,col=…,title=<rule-id>::message — annotations in a GitHub Actions job
  --no-cache       do not read or write the result cache (~/.cache/ops-docs, or $OPS_DOCS_CACHE_DIR)
  --workers N      threads to check with (default: one per core for 1,000+ documents)

Exit: 0 no errors · 1 errors found · 2 usage`,
    zh: `用法：ops-docs validate [路径...] [--strict] [--format text|json|github]

按标准检查文档、任务目录或整个 ops/ 目录（默认：ops/active）。任务目录（以其中文档命名，或位于 active/、
archive/YYYY/MM/ 下）之外的单个文件只按文档本身检查。

  --strict         残留占位符（TODO、TBD、<…>、待填写）视为错误而非警告
  --format text    路径:行:列  级别  消息  规则 ID（默认）
  --format json    [{"file","line","column","ruleId","severity","message"}]
  --format github  ::error file=…,line=…,col=…,title=<规则 ID>::消息——GitHub Actions 任务中的注释
  --no-cache       不读写结果缓存（~/.cache/ops-docs 或 $OPS_DOCS_CACHE_DIR）
  --workers N      检查所用线程数（默认：1,000 个以上文档时每核一个）

退出码：0 无错误 · 1 有错误 · 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      // `--workers -1` would read as an option named -1: join a negative number to its option, so the range check
      // below answers it.
      args: argv.flatMap((a, i) => (a === '--workers' && /^-\d/.test(argv[i + 1] ?? '') ? [] : /^-\d/.test(a) && argv[i - 1] === '--workers' ? [`--workers=${a}`] : [a])),
      allowPositionals: true,
      options: {
        strict: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        'no-cache': { type: 'boolean', default: false },
        workers: { type: 'string' },
      },
    });
    if (values.format !== 'text' && values.format !== 'json' && values.format !== 'github') {
      throw new UsageError({ en: `--format must be text, json or github, not "${values.format}"`, zh: `--format 只能是 text、json 或 github，而不是“${values.format}”` });
    }
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) {
      throw new UsageError({ en: `--workers must be a whole number from 1 to 64, not "${values.workers}"`, zh: `--workers 必须是 1 到 64 的整数，而不是“${values.workers}”` });
    }
    const paths = positionals.length ? positionals : ['ops/active'];
    const result = await runValidation(paths, { strict: values.strict, cache: !values['no-cache'], workers });
    // An ops tree's own active/ folder, named or by default, with nothing in it is a quiet day: the same answer.
    const quiet = positionals.every((p) => basename(resolve(p)) === 'active' && opsDirOf(p) === dirname(resolve(p)));
    if (result.files === 0 && positionals.length && !quiet) {
      // A path that was named but holds no task documents is a mistake (a typo, the wrong folder), and a CI job
      // that checks nothing must not pass. An empty ops/active, the default, is simply a quiet day.
      throw new OpsDocsError({
        en: `no task documents under ${positionals.join(', ')}: documents are named <task>-<kind>.md (runbook, rollback, checklist, postmortem-template)`,
        zh: `${positionals.join('、')} 下没有任务文档：文档应命名为 <task>-<kind>.md（runbook、rollback、checklist、postmortem-template）`,
      });
    }
    if (values.format === 'json') {
      process.stdout.write(JSON.stringify(result.findings, null, 2) + '\n');
    } else {
      const text = values.format === 'github'
        ? result.findings.map((f) => githubAnnotation({ ...f, title: f.ruleId }, process.cwd())).join('\n')
        : formatFindings(result.findings, process.cwd());
      if (text) process.stdout.write(text + '\n');
      const errors = result.findings.filter((f) => f.severity === 'error').length;
      const warnings = result.findings.length - errors;
      process.stderr.write(say({
        en: `${result.files} document(s) in ${result.tasks} task(s): ${errors} error(s), ${warnings} warning(s)\n`,
        zh: `${result.tasks} 个任务中的 ${result.files} 个文档：${errors} 个错误，${warnings} 个警告\n`,
      }));
    }
    return result.findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
  },
};
