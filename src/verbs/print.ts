import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Verb } from './verb.js';
import { EXIT, FS_ERRORS, OpsDocsError, UsageError, say } from '../errors.js';
import { KINDS, type Kind } from '../standard/types.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, docsOf, standardFor, taskArg } from './task-args.js';

/** Why a page could not be written: the shared words, except where a page's write means something narrower. */
const WRITE_FAILURE: Record<string, { en: string; zh: string }> = {
  ...FS_ERRORS,
  EACCES: { en: 'no permission to create a file in its folder', zh: '没有在该目录中创建文件的权限' },
  ENOENT: { en: 'its folder does not accept new files (a virtual file system such as /proc?)', zh: '该目录不接受新文件（/proc 之类的虚拟文件系统？）' },
};

/** The --out target, checked before any work: a folder that exists, a file that does not (or --force). */
function outPath(given: string, force: boolean): string {
  if (given.trim() === '') throw new UsageError({ en: '--out needs a file name, e.g. --out task.html (or - for standard output)', zh: '--out 需要一个文件名，例如 --out task.html（或 - 表示标准输出）' });
  const out = resolve(given);
  const folder = dirname(out);
  let folderStat;
  try {
    folderStat = statSync(folder);
  } catch {
    throw new OpsDocsError({ en: `--out ${given}: the folder ${folder} does not exist; create it first`, zh: `--out ${given}：目录 ${folder} 不存在，请先创建` });
  }
  if (!folderStat.isDirectory()) throw new OpsDocsError({ en: `--out ${given}: ${folder} is a file, not a folder`, zh: `--out ${given}：${folder} 是文件而不是目录` });
  let target;
  try {
    target = statSync(out);
  } catch {
    return out; // a new file
  }
  if (target.isDirectory()) throw new OpsDocsError({ en: `--out ${given} is a folder: name a file in it, e.g. ${join(given, 'task.html')}`, zh: `--out ${given} 是目录：请指定其中的文件，例如 ${join(given, 'task.html')}` });
  if (!target.isFile()) throw new OpsDocsError({ en: `--out ${given} is not a regular file (a device or a socket): name a file`, zh: `--out ${given} 不是普通文件（设备或套接字）：请指定一个文件` });
  if (!force) throw new OpsDocsError({ en: `${given} exists: --force to replace it`, zh: `${given} 已存在：如需替换请使用 --force` });
  return out;
}

export const verb: Verb = {
  summary: { en: 'write a task\'s documents as one printable HTML page (A4)', zh: '将任务文档输出为一个可打印的 HTML 页面（A4）' },
  help: {
    en: `Usage: ops-docs print <task> [--out FILE] [--only KIND,...] [--force]

Writes one self-contained HTML page (inline CSS, no external files) with the runbook, rollback plan,
checklist and postmortem, each starting on a new A4 page: tables fit the page, [ ] cells and task lists
print as boxes to tick, sign-off lines for the reviewers. Print it from a browser, or to PDF:
  chromium --headless --no-pdf-header-footer --print-to-pdf=task.pdf task.html

  --out FILE       write to FILE (default: standard output); an existing FILE needs --force
  --only KINDS     only these documents, e.g. --only checklist
${OPS_DIR_HELP.en}

Exit: 0 written · 1 unknown task, or FILE cannot be written (missing folder, exists, no permission) · 2 usage`,
    zh: `用法：ops-docs print <任务> [--out 文件] [--only 类型,...] [--force]

输出一个自包含的 HTML 页面（内联 CSS，无外部文件），包含 runbook、回滚方案、检查清单和事后总结，
每份文档从新的 A4 页开始：表格适应页宽，[ ] 单元格和任务列表打印为可勾选的方框，并为评审人留有签字线。
可在浏览器中打印，或输出为 PDF：
  chromium --headless --no-pdf-header-footer --print-to-pdf=task.pdf task.html

  --out 文件       写入该文件（默认：标准输出）；文件已存在时需要 --force
  --only 类型      只输出这些文档，例如 --only checklist
${OPS_DIR_HELP.zh}

退出码：0 已写入 · 1 任务不存在，或无法写入文件（目录不存在、文件已存在、无权限）· 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...OPS_DIR_OPTION, out: { type: 'string' }, only: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError({ en: 'print takes exactly one task', zh: 'print 只接受一个任务' });
    let only: Kind[] = [...KINDS];
    if (values.only !== undefined) {
      only = values.only.split(',').map((s) => s.trim()) as Kind[];
      const bad = only.find((k) => !KINDS.includes(k));
      if (bad !== undefined || only.length === 0) throw new UsageError({ en: `--only takes ${KINDS.join(', ')}`, zh: `--only 可选 ${KINDS.join('、')}` });
    }
    const out = values.out === undefined || values.out === '-' ? undefined : outPath(values.out, values.force);
    const task = taskArg(positionals[0], values['ops-dir']);
    const docs = await docsOf(task);
    const standard = await standardFor(task);
    const picked = KINDS.filter((k) => only.includes(k) && docs.has(k)).map((k) => docs.get(k)!);
    if (picked.length === 0) throw new OpsDocsError({ en: `${task.name} has none of: ${only.join(', ')}`, zh: `${task.name} 中没有以下文档：${only.join('、')}` });
    const { renderPrintHtml } = await import('../render/html.js');
    const { key } = await import('../document/model.js');
    const names = new Set(standard.docs.checklist.sections.filter((s) => s.signatures)
      .flatMap((s) => [s.title.en, s.title.zh, ...s.aliases.en, ...s.aliases.zh]).map(key));
    const html = renderPrintHtml(picked.map((d) => {
      const fm = d.model.frontmatter.data ?? {};
      const meta: [string, string][] = [];
      for (const k of ['status', 'created', 'approved', 'started', 'finished']) {
        const v = fm[k];
        if (v !== undefined && v !== null && v !== '') meta.push([k, v instanceof Date ? v.toISOString().slice(0, 10) : String(v)]);
      }
      return { kind: d.kind, lang: d.model.lang, markdown: d.text, meta };
    }), { task: task.name, lang: picked[0]!.model.lang, isSignoffHeading: (t) => names.has(key(t)), standard });
    if (out) {
      const { writeFileAtomic } = await import('../workspace/atomic.js');
      try {
        writeFileAtomic(out, html);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new OpsDocsError({
          en: `cannot write ${values.out!} (${code}: ${WRITE_FAILURE[code]?.en ?? 'the system refused'}): nothing written`,
          zh: `无法写入 ${values.out!}（${code}：${WRITE_FAILURE[code]?.zh ?? '系统拒绝'}）：未写入任何内容`,
        });
      }
      process.stderr.write(say({ en: `wrote ${values.out} (${picked.length} document(s))\n`, zh: `已写入 ${values.out}（${picked.length} 份文档）\n` }));
    } else {
      process.stdout.write(html);
    }
    return EXIT.ok;
  },
};
