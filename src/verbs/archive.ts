import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import type { Verb } from './verb.js';
import { EXIT, UsageError, say } from '../errors.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, checkTimeOrder, docsOf, standardFor, taskArg, timeArg, underTaskLock } from './task-args.js';

const EXAMPLE = '2025-11-10-k8s-cluster-upgrade-v1.28';

export const verb: Verb = {
  summary: { en: 'move a finished task to ops/archive/YYYY/MM/', zh: '将已结束的任务移至 ops/archive/YYYY/MM/' },
  help: {
    en: `Usage: ops-docs archive <task> [--by NAME] [--at TIME] [--force]

Moves ops/active/<task>/ to ops/archive/YYYY/MM/<task>/ (the year and month of the task's date) and records
"archived:" in its documents. Uses git mv when the task is tracked by git. Never overwrites: if the destination
exists, nothing moves. On any error the task stays where it was.

  --force          archive a task that is planned or approved (never one in progress)
  --by NAME        who (default: git config user.name, else $USER)
  --at TIME        the archive date (default: today); not before the day the task finished
${OPS_DIR_HELP.en}

Exit: 0 archived · 1 refused or failed (nothing moved) · 2 usage`,
    zh: `用法：ops-docs archive <任务> [--by 姓名] [--at 时间] [--force]

将 ops/active/<任务>/ 移至 ops/archive/YYYY/MM/<任务>/（任务日期的年和月），并在文档中记录 "archived:"。
任务被 git 跟踪时使用 git mv。绝不覆盖：目标已存在时不移动任何内容。出错时任务保持原位。

  --force          归档 planned 或 approved 状态的任务（执行中的任务永远不能归档）
  --by 姓名        操作人（默认：git config user.name，否则 $USER）
  --at 时间        归档日期（默认：今天）；不能早于任务结束的日期
${OPS_DIR_HELP.zh}

退出码：0 已归档 · 1 拒绝或失败（未移动任何内容）· 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...OPS_DIR_OPTION, by: { type: 'string' }, at: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (positionals.length === 0) throw new UsageError({ en: `name the task to archive, e.g. ops-docs archive ${EXAMPLE}`, zh: `请指明要归档的任务，例如 ops-docs archive ${EXAMPLE}` });
    if (positionals.length > 1) throw new UsageError({ en: `archive takes one task at a time, got ${positionals.length}`, zh: `archive 一次只接受一个任务，收到了 ${positionals.length} 个` });
    const at = timeArg(values.at);
    const task0 = taskArg(positionals[0], values['ops-dir']);
    const { resolveSigner } = await import('../workspace/signer.js');
    const by = resolveSigner(values.by, task0.dir);
    // Under the task's lock: a record or status written while the folder moves would land in the old place.
    const done = await underTaskLock(task0, async (task) => {
      const docs = await docsOf(task);
      checkTimeOrder(docs, 'archived', at);
      const { archiveTask } = await import('../workspace/archive.js');
      return archiveTask(task, docs, await standardFor(task), { by, at, force: values.force });
    });
    const rel = (p: string) => relative(process.cwd(), p) || p;
    process.stdout.write(say({
      en: `archived: ${rel(done.from)} → ${rel(done.to)}${done.git ? ' (git mv)' : ''}\n`,
      zh: `已归档：${rel(done.from)} → ${rel(done.to)}${done.git ? '（git mv）' : ''}\n`,
    }));
    return EXIT.ok;
  },
};
