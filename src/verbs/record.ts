import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import type { Verb } from './verb.js';
import type { RecordRequest } from '../workspace/record.js';
import { EXIT, OpsDocsError, UsageError, say } from '../errors.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, checkTimeOrder, docsOf, noteArg, standardFor, taskArg, timeArg, underTaskLock } from './task-args.js';

export const verb: Verb = {
  summary: { en: 'record a step, a Go/No-Go decision or a check in the checklist', zh: '在检查清单中记录步骤、Go/No-Go 决策或检查项' },
  help: {
    en: `Usage:
  ops-docs record <task> <step-id> --result pass|fail|skipped --by NAME [--note TEXT] [--at TIME] [--from TIME]
  ops-docs record <task> <step-id> --start [--at TIME]
  ops-docs record <task> go-nogo <point-id> --decision go|no-go --by NAME [--note TEXT] [--at TIME]
  ops-docs record <task> check <item> --by NAME [--at TIME]

Writes into the checklist row of that step (actual start–end, verification result, signer), Go/No-Go point
(decision, decided by, time) or pre/post-execution check (done, signed, time). Only those cells change; the
rest of the file keeps its bytes (< and > in a note or name are written as ‹ ›, so they never read as a
placeholder). A failed step or a No-Go prints the rollback plan's triggers and first steps. Commands on the
same task run one at a time: a second one waits a few seconds for the first, then gives up writing nothing.

  --start          mark the step as started (the later --result call writes start–end)
  --from TIME      the step's start time, when it was not marked with --start (not for skipped: a skipped
                   step never ran, its actual time reads "—")
  --at TIME        when (default: now): HH:MM, "YYYY-MM-DD HH:MM" or ISO 8601; at most 5 minutes ahead of
                   now and not before the task was created
  --by NAME        who signs (default: git config user.name, else $USER)
  --force          overwrite a row that is already signed, or record outside in-progress
${OPS_DIR_HELP.en}

Exit: 0 recorded · 1 refused (unknown task or row, already signed, not in progress, task busy) · 2 usage (bad time)`,
    zh: `用法：
  ops-docs record <任务> <步骤编号> --result pass|fail|skipped --by 姓名 [--note 备注] [--at 时间] [--from 时间]
  ops-docs record <任务> <步骤编号> --start [--at 时间]
  ops-docs record <任务> go-nogo <决策点编号> --decision go|no-go --by 姓名 [--note 备注] [--at 时间]
  ops-docs record <任务> check <检查项> --by 姓名 [--at 时间]

写入检查清单中对应步骤（实际起止、验证结果、签字）、Go/No-Go 决策点（决策、决策人、时间）或执行前/后检查项
（完成、签字、时间）的那一行。只修改这些单元格，文件其余部分逐字节保持不变（备注或姓名中的 < 和 > 写为 ‹ ›，
以免被当作占位符）。步骤失败或 No-Go 时输出回滚方案的触发条件和最初几个步骤。同一任务上的命令依次执行：
后来的命令最多等待几秒，仍未轮到时放弃且不写入任何内容。

  --start          标记步骤开始（之后的 --result 会写入起止时间）
  --from 时间      步骤开始时间（未用 --start 标记时；skipped 不适用：跳过的步骤没有执行，实际时间写为“—”）
  --at 时间        时间（默认：现在）：HH:MM、"YYYY-MM-DD HH:MM" 或 ISO 8601；最多比现在晚 5 分钟，
                   且不能早于任务的创建日期
  --by 姓名        签字人（默认：git config user.name，否则 $USER）
  --force          覆盖已签字的行，或在非 in-progress 状态下记录
${OPS_DIR_HELP.zh}

退出码：0 已记录 · 1 拒绝（任务或行不存在、已签字、未在执行中、任务正被修改）· 2 用法错误（时间无效）`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...OPS_DIR_OPTION,
        result: { type: 'string' }, decision: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' },
        at: { type: 'string' }, from: { type: 'string' }, start: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
    });
    const [taskName, first, second, ...extra] = positionals;
    const usage = (en: string, zh: string) => new UsageError({ en: `${en} (see ops-docs help record)`, zh: `${zh}（参见 ops-docs help record）` });
    if (!first) throw usage('name the step, go-nogo point or check to record', '请指明要记录的步骤、go-nogo 决策点或检查项');
    const at = timeArg(values.at);
    const note = noteArg(values.note);
    const signer = async (dir: string) => (await import('../workspace/signer.js')).resolveSigner(values.by, dir);
    const mode = first.toLowerCase();
    if (mode === 'go-nogo' || mode === 'gonogo' || mode === 'go/no-go') {
      if (!second || second.length > 80 || extra.length) throw usage('give one Go/No-Go point, e.g. record <task> go-nogo G1 --decision go (or 1, GNG-1, 决策点一)', '请给出一个 Go/No-Go 决策点，例如 record <任务> go-nogo G1 --decision go（也可写 1、GNG-1、决策点一）');
      if (values.decision !== 'go' && values.decision !== 'no-go') throw usage('--decision must be go or no-go', '--decision 只能是 go 或 no-go');
      if (values.result || values.start || values.from) throw usage('--result, --start and --from are for steps', '--result、--start 和 --from 只用于步骤');
    } else if (mode === 'check') {
      if (!second || extra.length) throw usage('give one check, e.g. record <task> check approval', '请给出一个检查项，例如 record <任务> check approval');
      if (values.result || values.decision || values.start || values.from || note) throw usage('a check takes only --by, --at and --force', '检查项只接受 --by、--at 和 --force');
    } else {
      if (first.length > 80 || second !== undefined) throw usage(`"${first.slice(0, 40)}" is not a step (S1, 2, "Step 2", 第二步 …), go-nogo <point> or check <item>`, `“${first.slice(0, 40)}”不是步骤（S1、2、“步骤 2”、第二步 …）、go-nogo <决策点> 或 check <检查项>`);
      if (values.decision) throw usage('--decision is for go-nogo points', '--decision 只用于 go-nogo 决策点');
      if (values.start === Boolean(values.result)) throw usage('give either --result pass|fail|skipped or --start', '请给出 --result pass|fail|skipped 或 --start 之一');
      if (values.result && !['pass', 'fail', 'skipped'].includes(values.result)) throw usage('--result must be pass, fail or skipped', '--result 只能是 pass、fail 或 skipped');
      if (values.start && (values.from || note)) throw usage('--start takes only --at', '--start 只接受 --at');
      if (values.result === 'skipped' && values.from) throw usage('a skipped step never ran, so it has no start time: drop --from', '跳过的步骤没有执行，因此没有开始时间：请去掉 --from');
    }
    const from = values.from === undefined ? undefined : timeArg(values.from, '--from');

    const task0 = taskArg(taskName, values['ops-dir']);
    let req: RecordRequest;
    if (mode === 'go-nogo' || mode === 'gonogo' || mode === 'go/no-go') {
      req = { what: 'go-nogo', id: second!, decision: values.decision as 'go' | 'no-go', by: await signer(task0.dir), at, note, force: values.force };
    } else if (mode === 'check') {
      req = { what: 'check', item: second!, by: await signer(task0.dir), at, force: values.force };
    } else if (values.start) {
      req = { what: 'start', id: first, at };
    } else {
      req = { what: 'step', id: first, result: values.result as 'pass' | 'fail' | 'skipped', by: await signer(task0.dir), at, from, note, force: values.force };
    }
    // Read, fill and write the row under the task's lock: two records at once must both land.
    const { task, docs, standard, done } = await underTaskLock(task0, async (task) => {
      const docs = await docsOf(task);
      const checklist = docs.get('checklist');
      if (!checklist) throw new OpsDocsError({ en: `${task.name} has no checklist (${task.name}-checklist.md)`, zh: `${task.name} 没有检查清单（${task.name}-checklist.md）` });
      const { taskStatus } = await import('../workspace/task-docs.js');
      const status = taskStatus(docs);
      const { mayRecord, stateName } = await import('../workspace/lifecycle.js');
      if (!values.force && !mayRecord(req.what, status)) {
        throw new OpsDocsError({
          en: `${task.name} is ${status ?? 'without a status'}, not in-progress: run ops-docs status ${task.name} in-progress when the change starts, or --force`,
          zh: `${task.name} 当前为${stateName(status, 'zh')}，不在执行中：变更开始时请运行 ops-docs status ${task.name} in-progress，或使用 --force`,
        });
      }
      // Nothing is recorded before the task existed.
      checkTimeOrder(docs, 'record', at);
      if (from) checkTimeOrder(docs, 'record', from, '--from');
      const standard = await standardFor(task);
      const { recordRow } = await import('../workspace/record.js');
      return { task, docs, standard, done: recordRow(checklist, standard, req, docs.get('runbook')?.model) };
    });
    const label = req.what === 'check' ? req.item : done.id ?? req.id;
    process.stdout.write(`${label}: ${Object.entries(done.cells).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n`);
    if (done.alarm) {
      const rollback = docs.get('rollback');
      const what = req.what === 'go-nogo' ? say({ en: `${label} is No-Go`, zh: `${label} 决策为 No-Go` }) : say({ en: `step ${label} failed`, zh: `步骤 ${label} 失败` });
      if (!rollback) {
        process.stdout.write(say({ en: `\n${what}. This task has no rollback plan document!\n`, zh: `\n${what}。该任务没有回滚方案文档！\n` }));
      } else {
        const { rollbackBrief } = await import('../workspace/record.js');
        const brief = rollbackBrief(rollback.model, standard);
        const out: string[] = ['', say({ en: `${what}. Rollback plan: ${relative(process.cwd(), rollback.path)}`, zh: `${what}。回滚方案：${relative(process.cwd(), rollback.path)}` })];
        out.push(say({ en: 'Roll back when:', zh: '回滚触发条件：' }), ...brief.triggers.map((t) => `  - ${t}`));
        out.push(say({ en: 'First steps:', zh: '最初几个步骤：' }));
        for (const s of brief.steps) {
          out.push(`  ${s.title}`);
          if (s.command) out.push(...s.command.split('\n').map((l) => `      $ ${l}`));
        }
        out.push(say({ en: `When the rollback is complete: ops-docs status ${task.name} rolled-back`, zh: `回滚完成后：ops-docs status ${task.name} rolled-back` }));
        process.stdout.write(out.join('\n') + '\n');
      }
    }
    return EXIT.ok;
  },
};
