import { parseArgs } from 'node:util';
import type { Verb } from '../cli.js';
import { EXIT, UsageError, say } from '../errors.js';
import type { Status } from '../standard/types.js';
import { STATUSES } from '../standard/types.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, docsOf, noteArg, opsDirArg, standardFor, taskArg, timeArg } from './task-args.js';

export const verb: Verb = {
  summary: { en: 'show or move a task\'s status (planned → approved → in-progress → done)', zh: '查看或变更任务状态（planned → approved → in-progress → done）' },
  help: {
    en: `Usage: ops-docs status <task> [STATE] [--by NAME] [--at TIME] [--note TEXT] [--force]

Without STATE, prints the task's status and dates. With STATE, moves it and records who and when in the
frontmatter of all four documents (status, approved/started/finished, approved_by, history).

  planned → approved → in-progress → done | rolled-back | cancelled   (planned/approved → cancelled)

  --by NAME        who (default: git config user.name, else $USER)
  --at TIME        when (default: now): HH:MM, "YYYY-MM-DD HH:MM" or ISO 8601
  --note TEXT      a note for the history line
  --force          start (in-progress) a change that was never approved
${OPS_DIR_HELP.en}

Exit: 0 moved · 1 refused (impossible move, unknown task) · 2 usage`,
    zh: `用法：ops-docs status <任务> [状态] [--by 姓名] [--at 时间] [--note 备注] [--force]

不带状态时输出任务的状态和日期。带状态时变更状态，并在四份文档的 frontmatter 中记录操作人和时间
（status、approved/started/finished、approved_by、history）。

  planned → approved → in-progress → done | rolled-back | cancelled   （planned/approved → cancelled）

  --by 姓名        操作人（默认：git config user.name，否则 $USER）
  --at 时间        时间（默认：现在）：HH:MM、"YYYY-MM-DD HH:MM" 或 ISO 8601
  --note 备注      写入 history 的备注
  --force          开始（in-progress）一个未经审批的变更
${OPS_DIR_HELP.zh}

退出码：0 已变更 · 1 拒绝（不可能的状态变更、任务不存在）· 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...OPS_DIR_OPTION,
        by: { type: 'string' }, at: { type: 'string' }, note: { type: 'string' },
        force: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 2) throw new UsageError({ en: 'status takes a task and at most one state', zh: 'status 只接受一个任务和至多一个状态' });
    const target = positionals[1];
    if (target !== undefined && !(STATUSES as readonly string[]).includes(target)) {
      throw new UsageError({ en: `unknown state "${target.slice(0, 40)}": one of ${STATUSES.join(', ')}`, zh: `未知状态“${target.slice(0, 40)}”：可选 ${STATUSES.join('、')}` });
    }
    const at = timeArg(values.at);
    const note = noteArg(values.note);
    const task = taskArg(positionals[0], opsDirArg(values['ops-dir']));
    const docs = await docsOf(task);
    const { taskStatus, statusMismatches } = await import('../workspace/task-docs.js');
    const current = taskStatus(docs);

    if (target === undefined) {
      const fm = (docs.get('checklist') ?? [...docs.values()][0]!).model.frontmatter.data ?? {};
      if (values.json) {
        process.stdout.write(JSON.stringify({ task: task.name, dir: task.dir, location: task.location, status: current ?? null,
          ...Object.fromEntries(['created', 'approved', 'approved_by', 'started', 'finished', 'archived', 'owner'].map((k) => [k, fm[k] ?? null])) }) + '\n');
      } else {
        process.stdout.write(`${task.name}  ${current ?? '?'}\n`);
        for (const k of ['created', 'approved', 'approved_by', 'started', 'finished', 'archived', 'owner']) {
          if (fm[k] !== undefined && fm[k] !== null) process.stdout.write(`  ${k}: ${String(fm[k])}\n`);
        }
      }
      return EXIT.ok;
    }

    const { resolveSigner } = await import('../workspace/signer.js');
    const by = resolveSigner(values.by, task.dir);
    const { moveTask } = await import('../workspace/move-status.js');
    const standard = await standardFor(task);
    const result = moveTask(docs, standard, { from: current, to: target as Status, by, at, note, force: values.force, mismatched: statusMismatches(docs).length > 0 });
    if (result === 'synced') {
      process.stdout.write(say({ en: `${task.name}: every document now says ${target}\n`, zh: `${task.name}：所有文档的状态已统一为 ${target}\n` }));
    } else {
      process.stdout.write(say({
        en: `${task.name}: ${current} → ${target} (by ${by}${values.force ? ', forced' : ''})\n`,
        zh: `${task.name}：${current} → ${target}（操作人 ${by}${values.force ? '，强制' : ''}）\n`,
      }));
    }
    return EXIT.ok;
  },
};

