import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Verb } from '../cli.js';
import { EXIT, OpsDocsError, UsageError, say } from '../errors.js';
import { KINDS, type Kind } from '../standard/types.js';
import { OPS_DIR_HELP, OPS_DIR_OPTION, docsOf, opsDirArg, standardFor, taskArg } from './task-args.js';

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

Exit: 0 written · 1 unknown task · 2 usage`,
    zh: `用法：ops-docs print <任务> [--out 文件] [--only 类型,...] [--force]

输出一个自包含的 HTML 页面（内联 CSS，无外部文件），包含 runbook、回滚方案、检查清单和事后总结，
每份文档从新的 A4 页开始：表格适应页宽，[ ] 单元格和任务列表打印为可勾选的方框，并为评审人留有签字线。
可在浏览器中打印，或输出为 PDF：
  chromium --headless --no-pdf-header-footer --print-to-pdf=task.pdf task.html

  --out 文件       写入该文件（默认：标准输出）；文件已存在时需要 --force
  --only 类型      只输出这些文档，例如 --only checklist
${OPS_DIR_HELP.zh}

退出码：0 已写入 · 1 任务不存在 · 2 用法错误`,
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
    const out = values.out === undefined || values.out === '-' ? undefined : resolve(values.out);
    if (out && existsSync(out) && !values.force) {
      throw new OpsDocsError({ en: `${values.out} exists: --force to replace it`, zh: `${values.out} 已存在：如需替换请使用 --force` });
    }
    const task = taskArg(positionals[0], opsDirArg(values['ops-dir']));
    const docs = await docsOf(task);
    const standard = await standardFor(task);
    const picked = KINDS.filter((k) => only.includes(k) && docs.has(k)).map((k) => docs.get(k)!);
    if (picked.length === 0) throw new OpsDocsError({ en: `${task.name} has none of: ${only.join(', ')}`, zh: `${task.name} 中没有以下文档：${only.join('、')}` });
    const { renderPrintHtml } = await import('../render/html.js');
    const { key } = await import('../validate/model.js');
    const signoff = standard.docs.checklist.sections.find((s) => s.id === 'sign-off')!;
    const names = new Set([signoff.title.en, signoff.title.zh, ...signoff.aliases.en, ...signoff.aliases.zh].map(key));
    const html = renderPrintHtml(picked.map((d) => {
      const fm = d.model.frontmatter.data ?? {};
      const meta: [string, string][] = [];
      for (const k of ['status', 'created', 'approved', 'started', 'finished']) {
        const v = fm[k];
        if (v !== undefined && v !== null && v !== '') meta.push([k, v instanceof Date ? v.toISOString().slice(0, 10) : String(v)]);
      }
      return { kind: d.kind, lang: d.model.lang, markdown: d.text, meta };
    }), { task: task.name, lang: picked[0]!.model.lang, isSignoffHeading: (t) => names.has(key(t)) });
    if (out) {
      const { writeFileAtomic } = await import('../workspace/atomic.js');
      writeFileAtomic(out, html);
      process.stderr.write(say({ en: `wrote ${values.out} (${picked.length} document(s))\n`, zh: `已写入 ${values.out}（${picked.length} 份文档）\n` }));
    } else {
      process.stdout.write(html);
    }
    return EXIT.ok;
  },
};
