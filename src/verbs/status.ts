import { parseArgs } from 'node:util';
import type { Verb } from './verb.js';
import { EXIT, OpsDocsError, UsageError, say, uiLang } from '../errors.js';
import { stateName } from '../workspace/lifecycle.js';
import type { Status } from '../standard/types.js';
import { STATUSES } from '../standard/types.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, checkTimeOrder, docsOf, noteArg, standardFor, taskArg, timeArg, underTaskLock } from './task-args.js';

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
  --force          start (in-progress) a change that was never approved, or mark it done although a step
                   failed (give the reason in --note)
${OPS_DIR_HELP.en}

Times go forward: --at may not be more than 5 minutes ahead of now, nor before the task's earlier dates
(created ≤ approved ≤ started ≤ finished). done is refused while a step's recorded result is Fail (the change
was rolled back, or needs --force and a --note), and warns about steps with no result yet.

Exit: 0 moved · 1 refused (impossible move, failed step, unknown task, task busy) · 2 usage (bad state or time)`,
    zh: `用法：ops-docs status <任务> [状态] [--by 姓名] [--at 时间] [--note 备注] [--force]

不带状态时输出任务的状态和日期。带状态时变更状态，并在四份文档的 frontmatter 中记录操作人和时间
（status、approved/started/finished、approved_by、history）。

  planned → approved → in-progress → done | rolled-back | cancelled   （planned/approved → cancelled）

  --by 姓名        操作人（默认：git config user.name，否则 $USER）
  --at 时间        时间（默认：现在）：HH:MM、"YYYY-MM-DD HH:MM" 或 ISO 8601
  --note 备注      写入 history 的备注
  --force          开始（in-progress）一个未经审批的变更，或在有步骤失败时仍标记为 done（在 --note 中写明原因）
${OPS_DIR_HELP.zh}

时间只能向前：--at 不能比现在晚 5 分钟以上，也不能早于任务已有的时间（created ≤ approved ≤ started ≤ finished）。
有步骤记录为失败时拒绝 done（应为已回滚，或使用 --force 并附 --note），有步骤尚未记录结果时给出警告。

退出码：0 已变更 · 1 拒绝（不可能的状态变更、步骤失败、任务不存在、任务正被修改）· 2 用法错误（状态或时间无效）`,
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
    const task = taskArg(positionals[0], values['ops-dir']);

    if (target === undefined) {
      const docs = await docsOf(task);
      const { taskStatus } = await import('../workspace/task-docs.js');
      const current = taskStatus(docs);
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
    // Read, check and write under the task's lock: a record running at the same moment must not be lost.
    const outcome = await underTaskLock(task, async (task) => {
      const docs = await docsOf(task);
      const { taskStatus, statusMismatches } = await import('../workspace/task-docs.js');
      const current = taskStatus(docs);
      const { STAMP, checkMove } = await import('../workspace/lifecycle.js');
      const stamp = STAMP[target as Status];
      // An impossible move is refused by moveTask with its own message; the time matters only for a real move.
      if (stamp && current !== target && (!current || values.force || checkMove(current, target as Status).ok)) checkTimeOrder(docs, stamp, at);
      const standard = await standardFor(task);
      let unrecorded: string[] = [];
      let overrides = false;
      if (current === 'in-progress' && target === 'done') {
        const checklist = docs.get('checklist');
        const { stepStates } = await import('../workspace/record.js');
        const steps = checklist ? stepStates(checklist.model, standard) : [];
        const { doneCheck } = await import('../workspace/lifecycle.js');
        const check = doneCheck(steps);
        if (check.failed.length) {
          const list = check.failed.join(', ');
          if (!values.force) {
            throw new OpsDocsError({
              en: `step ${list} failed, so the change is not done: if it was rolled back, run ops-docs status ${task.name} rolled-back; if it is done anyway, --force with the reason in --note`,
              zh: `步骤 ${list} 失败，变更不能标记为已完成（done）：如已回滚，请运行 ops-docs status ${task.name} rolled-back；如确已完成，请使用 --force 并在 --note 中写明原因`,
            });
          }
          if (!note) throw new UsageError({ en: `--force done over failed step ${list} needs the reason in --note`, zh: `对失败的步骤 ${list} 强制标记 done 时，需要在 --note 中写明原因` });
          overrides = true;
        }
        unrecorded = check.unrecorded;
      }
      const { moveTask } = await import('../workspace/move-status.js');
      const result = moveTask(docs, standard, { from: current, to: target as Status, by, at, note, force: values.force, overrides, mismatched: statusMismatches(docs).length > 0 });
      return { current, result, unrecorded };
    });
    const lang = uiLang();
    if (outcome.result === 'synced') {
      process.stdout.write(say({ en: `${task.name}: every document now says ${target}\n`, zh: `${task.name}：所有文档的状态已统一为 ${stateName(target as Status, lang)}\n` }));
    } else {
      process.stdout.write(say({
        en: `${task.name}: ${outcome.current} → ${target} (by ${by}${values.force ? ', forced' : ''})\n`,
        zh: `${task.name}：${outcome.current} → ${target}（操作人 ${by}${values.force ? '，强制' : ''}）\n`,
      }));
      // The name went into the documents without being typed: say where it came from.
      if (values.by === undefined) {
        process.stderr.write(say({
          en: `note: signed as "${by}" (from git config user.name, else $USER); pass --by NAME to sign as someone else\n`,
          zh: `注意：以“${by}”的名义签署（来自 git config user.name，否则为 $USER）；如需以他人名义签署，请用 --by 姓名\n`,
        }));
      }
    }
    if (outcome.unrecorded.length) {
      process.stderr.write(say({
        en: `warning: step(s) ${outcome.unrecorded.join(', ')} have no recorded result: record them (ops-docs record ${task.name} <step> --result pass|fail|skipped) or doctor will report them\n`,
        zh: `警告：步骤 ${outcome.unrecorded.join('、')} 没有记录结果：请记录（ops-docs record ${task.name} <步骤> --result pass|fail|skipped），否则 doctor 会报告\n`,
      }));
    }
    return EXIT.ok;
  },
};

