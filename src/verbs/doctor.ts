import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import type { Verb } from './verb.js';
import { EXIT, UsageError, say, uiLang } from '../errors.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, requireOpsDir } from './task-args.js';
import { githubAnnotation } from './github-annotations.js';

export const verb: Verb = {
  summary: { en: 'find tasks that break the lifecycle rules (--check for CI)', zh: '找出违反生命周期规则的任务（CI 使用 --check）' },
  help: {
    en: `Usage: ops-docs doctor [--check] [--format text|json|github]

Checks the ops folder and every task in it:
  layout-missing / layout-stray / archive-misplaced   the ops/ tree is not active/, archive/YYYY/MM/<task>/, templates/
  task-name              a task name breaks [date]-[system]-[operation]-[short-desc]
  invalid                a task's documents fail validation
  status-mismatch        the four documents disagree about the status
  archive-overdue        finished more than 30 days ago and still in active/
  stale                  in-progress for more than 48 hours (a change window is hours, not days)
  unsigned               done, with checklist rows nobody signed
  postmortem-unwritten   done or rolled back, with postmortem sections still blank as the template left them

  --check          exit 1 when there is any finding (for CI); without it doctor reports and exits 0
  --format json    [{"task","path","code","message"}] (--json says the same)
  --format github  ::error file=<path>,title=<code>::message — annotations in a GitHub Actions job
${OPS_DIR_HELP.en}

Exit: 0 healthy (or no --check) · 1 findings under --check · 2 usage`,
    zh: `用法：ops-docs doctor [--check] [--format text|json|github]

检查 ops 目录及其中的每个任务：
  layout-missing / layout-stray / archive-misplaced   ops/ 目录结构不是 active/、archive/YYYY/MM/<任务>/、templates/
  task-name              任务名不符合 [日期]-[系统]-[操作类型]-[简要描述]
  invalid                任务文档未通过校验
  status-mismatch        四份文档的状态不一致
  archive-overdue        结束超过 30 天仍在 active/ 中
  stale                  执行中超过 48 小时（变更窗口以小时计，而非以天计）
  unsigned               已完成，但检查清单有无人签字的行
  postmortem-unwritten   已完成或已回滚，但事后总结仍有保持模板原样的空白章节

  --check          有任何发现时以退出码 1 结束（用于 CI）；不加时只报告，退出码为 0
  --format json    [{"task","path","code","message"}]（与 --json 相同）
  --format github  ::error file=<路径>,title=<代码>::消息——GitHub Actions 任务中的注释
${OPS_DIR_HELP.zh}

退出码：0 健康（或未加 --check）· 1 --check 下有发现 · 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...OPS_DIR_OPTION, check: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, format: { type: 'string' } },
    });
    if (positionals.length) throw new UsageError({ en: 'doctor takes no arguments, only options', zh: 'doctor 不接受参数，只接受选项' });
    const format = values.format ?? (values.json ? 'json' : 'text');
    if ((format !== 'text' && format !== 'json' && format !== 'github') || (values.json && format !== 'json')) {
      throw new UsageError({ en: `--format must be text, json or github (json, if --json is given too), not "${format}"`, zh: `--format 只能是 text、json 或 github（同时给出 --json 时只能是 json），而不是“${format}”` });
    }
    const opsDir = requireOpsDir(values['ops-dir']);
    const { loadStandard } = await import('../standard/load.js');
    const { overrideDirOf } = await import('../workspace/paths.js');
    const { doctor } = await import('../workspace/doctor.js');
    const { findings, tasks } = await doctor({ opsDir, standard: loadStandard(overrideDirOf(opsDir)), lang: uiLang(), now: new Date() });
    if (format === 'json') {
      process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
    } else {
      for (const f of findings) {
        // Under --check every finding fails the job, so each is an error; without it, only a warning.
        process.stdout.write(format === 'github'
          ? githubAnnotation({ severity: values.check ? 'error' : 'warning', file: f.path, title: f.code, message: f.message }, process.cwd()) + '\n'
          : `${relative(process.cwd(), f.path) || f.path}  ${f.code}  ${f.message}\n`);
      }
      process.stderr.write(say({
        en: `${tasks} task(s): ${findings.length ? `${findings.length} finding(s)` : 'all healthy'}\n`,
        zh: `${tasks} 个任务：${findings.length ? `${findings.length} 个发现` : '全部健康'}\n`,
      }));
    }
    return values.check && findings.length ? EXIT.failed : EXIT.ok;
  },
};
