import { parseArgs } from 'node:util';
import type { Verb } from './verb.js';
import { EXIT, UsageError, say } from '../errors.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, requireOpsDir } from './task-args.js';

export const verb: Verb = {
  summary: { en: 'list tasks with status, dates, checklist progress and validation', zh: '列出任务及其状态、日期、检查清单进度和校验结果' },
  help: {
    en: `Usage: ops-docs list [--archived | --all] [--json]

One line per task: name, status, created / started / finished, checklist rows signed / total, validation.
Active tasks by default (like ls ops/active/); --archived for ops/archive/YYYY/MM/, --all for both.

  --json           [{"task","dir","location","status","created","approved","started","finished","archived",
                     "owner","progress":{"signed","total"},"validation":{"errors","warnings"},"mismatched"}]
${OPS_DIR_HELP.en}

Exit: 0 · 2 usage (no ops folder: --ops-dir must hold active/ or archive/)`,
    zh: `用法：ops-docs list [--archived | --all] [--json]

每个任务一行：名称、状态、创建/开始/结束时间、检查清单已签字行数/总行数、校验结果。
默认列出进行中的任务（相当于 ls ops/active/）；--archived 列出 ops/archive/YYYY/MM/，--all 列出全部。

  --json           [{"task","dir","location","status","created","approved","started","finished","archived",
                     "owner","progress":{"signed","total"},"validation":{"errors","warnings"},"mismatched"}]
${OPS_DIR_HELP.zh}

退出码：0 · 2 用法错误（没有 ops 目录：--ops-dir 中须有 active/ 或 archive/）`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...OPS_DIR_OPTION, archived: { type: 'boolean', default: false }, all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length) throw new UsageError({ en: 'list takes no arguments, only options', zh: 'list 不接受参数，只接受选项' });
    if (values.archived && values.all) throw new UsageError({ en: 'give --archived or --all, not both', zh: '--archived 与 --all 只能选一个' });
    const opsDir = requireOpsDir(values['ops-dir']);
    const { listTasks } = await import('../workspace/task.js');
    const { summarize } = await import('../workspace/summary.js');
    const { loadStandard } = await import('../standard/load.js');
    const { overrideDirOf } = await import('../workspace/paths.js');
    const standard = loadStandard(overrideDirOf(opsDir));
    const tasks = listTasks(opsDir, values.all ? 'all' : values.archived ? 'archive' : 'active');
    const rows = [];
    for (const t of tasks) rows.push((await summarize(t, standard)).summary);
    if (values.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return EXIT.ok;
    }
    if (rows.length === 0) {
      process.stderr.write(say({ en: 'no tasks\n', zh: '没有任务\n' }));
      return EXIT.ok;
    }
    const short = (v: string | null) => (v ? v.replace('T', ' ').slice(0, 16) : '-');
    const head = say({ en: 'TASK|STATUS|CREATED|STARTED|FINISHED|SIGNED|VALID', zh: '任务|状态|创建|开始|结束|签字|校验' }).split('|');
    const table = rows.map((r) => [
      (values.all && r.location === 'archive' ? 'archive/' : '') + r.task,
      (r.status ?? '?') + (r.mismatched.length ? '*' : ''),
      r.created ?? '-', short(r.started), short(r.finished),
      `${r.progress.signed}/${r.progress.total}`,
      r.validation.errors ? say({ en: `${r.validation.errors} error(s)`, zh: `${r.validation.errors} 个错误` }) : r.validation.warnings ? say({ en: `ok, ${r.validation.warnings} warning(s)`, zh: `通过，${r.validation.warnings} 个警告` }) : say({ en: 'ok', zh: '通过' }),
    ]);
    const { displayWidth, padDisplay } = await import('../render/text-width.js');
    const widths = head.map((h, i) => Math.max(displayWidth(h), ...table.map((r) => displayWidth(r[i]!))));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padDisplay(c, widths[i]!))).join('  ');
    process.stdout.write([line(head), ...table.map(line)].join('\n') + '\n');
    if (rows.some((r) => r.mismatched.length)) {
      process.stdout.write(say({ en: '* the documents disagree about the status: the checklist\'s is shown; run ops-docs doctor\n', zh: '* 各文档的状态不一致：显示的是检查清单中的状态；请运行 ops-docs doctor\n' }));
    }
    return EXIT.ok;
  },
};
