import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Verb } from './verb.js';
import { EXIT, OpsDocsError, UsageError, say, uiLang } from '../errors.js';
import { applyScaffold, conflicts, planScaffold, type Lang, type Outcome } from '../workspace/scaffold.js';
import { detectInstall, type Install } from '../workspace/install.js';

const OUTCOME: Record<Outcome, { en: string; zh: string }> = {
  created: { en: 'created', zh: '已创建' },
  overwritten: { en: 'overwritten', zh: '已覆盖' },
  skipped: { en: 'skipped', zh: '已跳过' },
};
const KEPT = { en: '  (exists; --force overwrites)', zh: '（文件已存在；--force 可覆盖）' };

/** Which install the /ops-docs command calls, so that nobody has to guess why it works here and not there. */
function installNote(install: Install): { en: string; zh: string } {
  const { cli, evidence } = install;
  switch (install.kind) {
    case 'project':
      return { en: `/ops-docs runs ${cli}: the project install this init ran from (${evidence}).`, zh: `/ops-docs 调用 ${cli}：运行本次 init 的项目依赖安装（${evidence}）。` };
    case 'global':
      return { en: `/ops-docs runs ${cli}: the global install this init ran from (${evidence} on PATH).`, zh: `/ops-docs 调用 ${cli}：运行本次 init 的全局安装（PATH 中的 ${evidence}）。` };
    case 'plugin':
      return {
        en: `no /ops-docs command written: this is the Claude Code plugin (${evidence}), whose own skill answers /ops-docs.`,
        zh: `未写入 /ops-docs 命令：这是 Claude Code 插件（${evidence}），插件自带的 skill 即响应 /ops-docs。`,
      };
    case 'path':
      return cli
        ? {
          en: `/ops-docs runs ${cli}: this copy, by its path (neither a project nor a global install); it stops working if the copy moves — install ops-docs globally or as a dev dependency and run init --force from there.`,
          zh: `/ops-docs 调用 ${cli}：按路径调用本副本（既非项目依赖也非全局安装）；副本移动后即失效——请全局安装或作为开发依赖安装 ops-docs，再从那里运行 init --force。`,
        }
        : {
          en: `no /ops-docs command written: the path of this copy (${evidence}) has characters a command line cannot hold safely — install ops-docs globally or as a dev dependency and run init from there.`,
          zh: `未写入 /ops-docs 命令：本副本的路径（${evidence}）含有无法安全放入命令行的字符——请全局安装或作为开发依赖安装 ops-docs，再从那里运行 init。`,
        };
  }
}

export const verb: Verb = {
  summary: { en: 'set up ops/ and the /ops-docs command in a repository', zh: '在仓库中建立 ops/ 目录和 /ops-docs 命令' },
  help: {
    en: `Usage: ops-docs init [DIR] [--lang en|zh] [--force]

Sets up DIR (default: the current folder) for planned production changes:
  ops/active/, ops/archive/          where tasks live while in flight and once finished
  ops/templates/                     a copy of the standard for the team to customise (new and validate use it)
  ops/README.md                      the workflow, in the team's language
  .claude/commands/ops-docs.md       the /ops-docs command for Claude Code, calling the install init runs from:
                                     npx --no ops-docs (project), ops-docs (global, on PATH), or this copy by
                                     path; none when run from the Claude Code plugin, whose skill is /ops-docs

  --lang   language of ops/README.md (default: from OPS_DOCS_LANG or the locale)
  --force  overwrite files that already exist (default: keep them and say so)

Exit: 0 done · 1 a path is in the way · 2 usage`,
    zh: `用法：ops-docs init [目录] [--lang en|zh] [--force]

为计划内生产变更准备目录（默认：当前目录）：
  ops/active/、ops/archive/          进行中与已完成任务的存放处
  ops/templates/                     标准的副本，团队可自行修改（new 与 validate 会使用它）
  ops/README.md                      工作流程说明，使用团队的语言
  .claude/commands/ops-docs.md       Claude Code 的 /ops-docs 命令，调用运行 init 的那份安装：
                                     npx --no ops-docs（项目依赖）、ops-docs（全局安装，位于 PATH），
                                     或按路径调用本副本；从 Claude Code 插件运行时不写（插件自带 /ops-docs）

  --lang   ops/README.md 的语言（默认取自 OPS_DOCS_LANG 或系统区域设置）
  --force  覆盖已存在的文件（默认保留并提示）

退出码：0 完成 · 1 有路径冲突 · 2 用法错误`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { lang: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) {
      throw new UsageError({ en: `init takes one folder, got ${positionals.length}`, zh: `init 只接受一个目录，收到 ${positionals.length} 个` });
    }
    const lang = values.lang ?? uiLang();
    if (lang !== 'en' && lang !== 'zh') {
      throw new UsageError({ en: `--lang must be en or zh, not "${lang.slice(0, 20)}"`, zh: `--lang 只能是 en 或 zh，而不是“${lang.slice(0, 20)}”` });
    }
    const root = resolve(positionals[0] ?? '.');
    (await import('../workspace/paths.js')).refuseSystemFolder(root, 'init');
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) {
      throw new UsageError({ en: `${root} is not an existing folder`, zh: `${root} 不是已存在的目录` });
    }

    const { PACKAGE_ROOT } = await import('../standard/load.js');
    const install = detectInstall(PACKAGE_ROOT, root);
    const plan = planScaffold(PACKAGE_ROOT, lang as Lang, install.cli);
    const inTheWay = conflicts(root, plan);
    if (inTheWay.length) {
      const list = inTheWay.join(', ');
      throw new OpsDocsError({
        en: `nothing written: these paths exist but are the wrong kind (file vs folder): ${list}`,
        zh: `未写入任何内容：以下路径已存在但类型不符（文件与目录冲突）：${list}`,
      });
    }
    let results;
    try {
      results = applyScaffold(root, plan, { force: values.force });
    } catch (err) {
      if (err instanceof OpsDocsError) throw err; // a WriteError names the file and the reason already
      const e = err as NodeJS.ErrnoException;
      throw new OpsDocsError({ en: `cannot write in ${root}: ${e.code ?? e.message}`, zh: `无法在 ${root} 中写入：${e.code ?? e.message}` });
    }

    for (const r of results) {
      process.stdout.write(`${say(OUTCOME[r.outcome]).padEnd(12)}${r.path}${r.outcome === 'skipped' ? say(KEPT) : ''}\n`);
    }
    const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
    const written = count('created') + count('overwritten');
    const skipped = count('skipped');
    const { cli } = install;
    const next = cli
      ? { en: `Next: /ops-docs <the change> in Claude Code, or ${cli} new "<the change>".\n`, zh: `下一步：在 Claude Code 中运行 /ops-docs <变更描述>，或 ${cli} new "<变更描述>"。\n` }
      : install.kind === 'plugin' ? { en: 'Next: /ops-docs <the change> in Claude Code.\n', zh: '下一步：在 Claude Code 中运行 /ops-docs <变更描述>。\n' } : { en: '', zh: '' };
    process.stderr.write(say({
      en: `ops workspace ready in ${root}: ${written} file(s) written, ${skipped} kept as they were.\n${installNote(install).en}\n${next.en}`,
      zh: `运维工作区已就绪：${root}，写入 ${written} 个文件，保留原有 ${skipped} 个。\n${installNote(install).zh}\n${next.zh}`,
    }));
    return EXIT.ok;
  },
};
