import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from './helpers/main.js';
import { CLI, ROOT, VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

const STANDARD = readdirSync(join(ROOT, 'templates', 'standard')).filter((f) => f.endsWith('.yaml')).sort();
const PLAYBOOKS = existsSync(join(ROOT, 'templates', 'playbooks'))
  ? readdirSync(join(ROOT, 'templates', 'playbooks'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name).slice(join(ROOT, 'templates', 'playbooks').length + 1))
    .sort()
  : [];

/** Every file init lays down, in the order it reports them. */
const EXPECTED = [
  'ops/README.md',
  'ops/.gitignore',
  'ops/active/.gitkeep',
  'ops/archive/.gitkeep',
  ...STANDARD.map((f) => `ops/templates/standard/${f}`),
  ...PLAYBOOKS.map((f) => `ops/templates/playbooks/${f}`),
  '.claude/commands/ops-docs.md',
];

const read = (p: string) => readFileSync(p);
const SHIPPED = readFileSync(join(ROOT, '.claude/commands/ops-docs.md'), 'utf8');
/** This checkout run by path (no project or global install around it): the command calls the bin by its path. */
const BY_PATH = `node "${realpathSync(CLI)}"`;
const commandIn = (dir: string) => readFileSync(join(dir, '.claude/commands/ops-docs.md'), 'utf8');
const allowedToolsOf = (command: string) => /^allowed-tools: (.*)$/m.exec(command)?.[1];
const lines = (out: string) => out.trim().split('\n');

describe('ops-docs init', () => {
  it('lays down the workspace, a copy of the standard, the README and the command', async () => {
    const dir = tmp();
    const r = (await main(['init', dir, '--lang', 'en']));
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(EXPECTED.map((p) => `created     ${p}`));
    expect(r.stderr).toContain(`${EXPECTED.length} file(s) written, 0 kept as they were`);
    for (const d of ['ops/active', 'ops/archive', 'ops/templates/standard']) expect(statSync(join(dir, d)).isDirectory()).toBe(true);
    for (const f of STANDARD) expect(read(join(dir, 'ops/templates/standard', f))).toEqual(read(join(ROOT, 'templates/standard', f)));
    for (const f of PLAYBOOKS) expect(read(join(dir, 'ops/templates/playbooks', f))).toEqual(read(join(ROOT, 'templates/playbooks', f)));
    expect(read(join(dir, 'ops/README.md'))).toEqual(read(join(ROOT, 'templates/workspace/README.en.md')));
    expect(commandIn(dir)).toBe(SHIPPED.replaceAll('npx --no ops-docs', BY_PATH));
    expect(readFileSync(join(dir, 'ops/.gitignore'), 'utf8')).toMatch(/^\.drafts\/$/m);
  });

  it('writes the README in Chinese with --lang zh and speaks Chinese under a Chinese locale', async () => {
    const dir = tmp();
    const r = (await main(['init', dir, '--lang', 'zh'], { env: { OPS_DOCS_LANG: 'zh' } }));
    expect(r.code).toBe(0);
    expect(read(join(dir, 'ops/README.md'))).toEqual(read(join(ROOT, 'templates/workspace/README.zh.md')));
    expect(lines(r.stdout)[0]).toBe('已创建'.padEnd(12) + 'ops/README.md');
    expect(r.stderr).toContain('运维工作区已就绪');
  });

  it('takes the README language from the locale when --lang is not given', async () => {
    const dir = tmp();
    expect((await main(['init', dir], { env: { OPS_DOCS_LANG: 'zh' } })).code).toBe(0);
    expect(read(join(dir, 'ops/README.md'))).toEqual(read(join(ROOT, 'templates/workspace/README.zh.md')));
  });

  it('defaults to the current folder', async () => {
    const dir = tmp();
    expect((await main(['init', '--lang', 'en'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, 'ops/README.md'))).toBe(true);
    expect(existsSync(join(dir, '.claude/commands/ops-docs.md'))).toBe(true);
  });

  it('keeps every existing file without --force and names each one it skipped', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ops/templates/standard'), { recursive: true });
    writeFileSync(join(dir, 'ops/README.md'), '# our own README\n');
    writeFileSync(join(dir, 'ops/templates/standard/runbook.yaml'), '# our stricter runbook\n');
    const r = (await main(['init', dir, '--lang', 'en']));
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toContain('skipped     ops/README.md  (exists; --force overwrites)');
    expect(lines(r.stdout)).toContain('skipped     ops/templates/standard/runbook.yaml  (exists; --force overwrites)');
    expect(lines(r.stdout).filter((l) => l.startsWith('skipped'))).toHaveLength(2);
    expect(readFileSync(join(dir, 'ops/README.md'), 'utf8')).toBe('# our own README\n');
    expect(readFileSync(join(dir, 'ops/templates/standard/runbook.yaml'), 'utf8')).toBe('# our stricter runbook\n');
    expect(r.stderr).toContain(`${EXPECTED.length - 2} file(s) written, 2 kept as they were`);

    const again = (await main(['init', dir, '--lang', 'en']));
    expect(again.code).toBe(0);
    expect(lines(again.stdout).every((l) => l.startsWith('skipped'))).toBe(true);
    expect(lines(again.stdout)).toHaveLength(EXPECTED.length);
  });

  it('overwrites with --force and leaves everything else alone', async () => {
    const dir = tmp();
    cpSync(VALID.en, join(dir, 'ops/active', VALID.en.split('/').pop()!), { recursive: true });
    mkdirSync(join(dir, '.claude/commands'), { recursive: true });
    writeFileSync(join(dir, '.claude/commands/ops-docs.md'), 'old command\n');
    writeFileSync(join(dir, '.claude/commands/other.md'), 'another command\n');
    const before = readdirSync(join(dir, 'ops/active'), { recursive: true }).sort();
    const r = (await main(['init', dir, '--lang', 'en', '--force']));
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toContain('overwritten .claude/commands/ops-docs.md');
    expect(commandIn(dir)).toBe(SHIPPED.replaceAll('npx --no ops-docs', BY_PATH));
    expect(readFileSync(join(dir, '.claude/commands/other.md'), 'utf8')).toBe('another command\n');
    expect(readdirSync(join(dir, 'ops/active'), { recursive: true }).sort()).toEqual([...before, '.gitkeep'].sort());
  });

  it('writes nothing when a path is in the way (a file where a folder belongs)', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ops'));
    writeFileSync(join(dir, 'ops/archive'), 'not a folder');
    const r = (await main(['init', dir, '--lang', 'en']));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ops-docs: nothing written: these paths exist but are the wrong kind (file vs folder): ops/archive\n');
    expect(readdirSync(join(dir, 'ops'))).toEqual(['archive']);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });

  it('writes nothing when a folder sits where a file belongs, and says so in Chinese too', async () => {
    const dir = tmp();
    mkdirSync(join(dir, '.claude/commands/ops-docs.md'), { recursive: true });
    const r = (await main(['init', dir, '--lang', 'en'], { env: { OPS_DOCS_LANG: 'zh' } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ops-docs: 未写入任何内容：以下路径已存在但类型不符（文件与目录冲突）：.claude/commands/ops-docs.md\n');
    expect(existsSync(join(dir, 'ops'))).toBe(false);
  });

  it('refuses a folder that does not exist, a file, a bad --lang and extra arguments (exit 2)', async () => {
    const dir = tmp();
    const missing = (await main(['init', join(dir, 'nope')]));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ops-docs: ${join(dir, 'nope')} is not an existing folder\n`);
    expect(existsSync(join(dir, 'nope'))).toBe(false);

    writeFileSync(join(dir, 'file'), 'x');
    expect((await main(['init', join(dir, 'file')])).code).toBe(2);

    const lang = (await main(['init', dir, '--lang', 'fr']));
    expect(lang.code).toBe(2);
    expect(lang.stderr).toBe('ops-docs: --lang must be en or zh, not "fr"\n');
    const langZh = (await main(['init', dir, '--lang', 'fr'], { env: { OPS_DOCS_LANG: 'zh' } }));
    expect(langZh.stderr).toBe('ops-docs: --lang 只能是 en 或 zh，而不是“fr”\n');

    const two = (await main(['init', dir, dir]));
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('ops-docs: init takes one folder, got 2\n');

    expect((await main(['init', dir, '--bogus'])).code).toBe(2);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('has help in both languages', async () => {
    expect((await main(['help', 'init'])).stdout).toContain('Usage: ops-docs init [DIR] [--lang en|zh] [--force]');
    expect((await main(['init', '--help'], { env: { OPS_DOCS_LANG: 'zh' } })).stdout).toContain('用法：ops-docs init [目录] [--lang en|zh] [--force]');
  });
});

describe('init writes a /ops-docs command for the install it runs from, and says which', () => {
  const ALLOWED = (cli: string) => `Bash(${cli} new:*), Bash(${cli} validate:*), Edit(ops/**)`;
  /** How often the body asks for each line it has Claude run: new once, validate in steps 2 and 3. */
  const commandLines = (command: string, cli: string) => [
    `\n${cli} new --stdin --json < ops/.drafts/request.txt\n`,
    `\`${cli} validate --strict <dir>\``,
  ].map((line) => command.split(line).length - 1);

  it('project install (node_modules/ops-docs is this package): npx --no ops-docs, the shipped command byte for byte', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules/ops-docs'));
    symlinkSync('../ops-docs/dist/bin/cli.js', join(dir, 'node_modules/.bin/ops-docs'));
    // Run through the project's bin, as npx would.
    const r = (await main(['init', '--lang', 'en'], { cwd: dir, env: { PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}` } }));
    expect(r.code, r.stderr).toBe(0);
    expect(commandIn(dir)).toBe(SHIPPED);
    expect(allowedToolsOf(SHIPPED)).toBe(ALLOWED('npx --no ops-docs'));
    expect(r.stderr).toContain(`\n/ops-docs runs npx --no ops-docs: the project install this init ran from (${join(dir, 'node_modules/ops-docs')}).\n`);
    expect(r.stderr).toContain('Next: /ops-docs <the change> in Claude Code, or npx --no ops-docs new "<the change>".\n');
  });

  it('global install (the first ops-docs on PATH is this package): plain ops-docs, nothing broader allowed', async () => {
    const dir = tmp();
    const bin = join(tmp(), 'bin');
    mkdirSync(bin);
    symlinkSync(CLI, join(bin, 'ops-docs'));
    const r = (await main(['init', dir, '--lang', 'en'], { env: { PATH: `${bin}:${process.env.PATH}` } }));
    expect(r.code, r.stderr).toBe(0);
    const command = commandIn(dir);
    expect(command).toBe(SHIPPED.replaceAll('npx --no ops-docs', 'ops-docs'));
    expect(allowedToolsOf(command)).toBe(ALLOWED('ops-docs'));
    expect(commandLines(command, 'ops-docs')).toEqual([1, 2]);
    expect(command).not.toContain('npx');
    expect(r.stderr).toContain(`\n/ops-docs runs ops-docs: the global install this init ran from (${join(bin, 'ops-docs')} on PATH).\n`);
    expect(r.stderr).toContain('Next: /ops-docs <the change> in Claude Code, or ops-docs new "<the change>".\n');
  });

  it('an ops-docs earlier on PATH that is not this package: the command calls this copy by path instead', async () => {
    const dir = tmp();
    const other = join(tmp(), 'bin');
    mkdirSync(other);
    writeFileSync(join(other, 'ops-docs'), '#!/bin/sh\necho another tool\n', { mode: 0o755 });
    const mine = join(tmp(), 'bin');
    mkdirSync(mine);
    symlinkSync(CLI, join(mine, 'ops-docs'));
    const r = (await main(['init', dir, '--lang', 'en'], { env: { PATH: `${other}:${mine}:${process.env.PATH}` } }));
    expect(r.code, r.stderr).toBe(0);
    expect(allowedToolsOf(commandIn(dir))).toBe(ALLOWED(BY_PATH));
  });

  it('a copy run by path: node "<its bin>", and the output says it breaks if the copy moves', async () => {
    const dir = tmp();
    const r = (await main(['init', dir, '--lang', 'en']));
    expect(r.code, r.stderr).toBe(0);
    const command = commandIn(dir);
    expect(allowedToolsOf(command)).toBe(ALLOWED(BY_PATH));
    expect(commandLines(command, BY_PATH)).toEqual([1, 2]);
    expect(r.stderr).toContain(`\n/ops-docs runs ${BY_PATH}: this copy, by its path (neither a project nor a global install); it stops working if the copy moves`);
    const zh = (await main(['init', tmp(), '--lang', 'en'], { env: { OPS_DOCS_LANG: 'zh' } }));
    expect(zh.stderr).toContain(`\n/ops-docs 调用 ${BY_PATH}：按路径调用本副本（既非项目依赖也非全局安装）`);
  });

  it('a copy whose path a command line cannot hold safely: no command written, the reason given, the rest laid down', async () => {
    const copy = join(tmp(), 'ops-docs $(touch PWNED)');
    for (const part of ['dist', 'templates', 'prompts', '.claude', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const dir = tmp();
    const run = spawnSync(process.execPath, [join(copy, 'dist/bin/cli.js'), 'init', dir, '--lang', 'en'], { encoding: 'utf8', env: { ...process.env, OPS_DOCS_LANG: 'en' } });
    const r = { code: run.status, stderr: run.stderr };
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    expect(existsSync(join(dir, 'ops/README.md'))).toBe(true);
    expect(r.stderr).toContain(`\nno /ops-docs command written: the path of this copy (${join(copy, 'dist/bin/cli.js')}) has characters a command line cannot hold safely`);
    expect(r.stderr).not.toContain('Next:');
    expect(readdirSync(dir).sort()).toEqual(['ops']);
  });

  it('the Claude Code plugin (CLAUDE_PLUGIN_ROOT is this package): no project command — the plugin\'s skill is /ops-docs', async () => {
    const dir = tmp();
    const r = (await main(['init', dir, '--lang', 'en'], { env: { CLAUDE_PLUGIN_ROOT: ROOT } }));
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    expect(lines(r.stdout)).toEqual(EXPECTED.filter((p) => !p.startsWith('.claude/')).map((p) => `created     ${p}`));
    expect(r.stderr).toContain(`\nno /ops-docs command written: this is the Claude Code plugin (${realpathSync(ROOT)}), whose own skill answers /ops-docs.\nNext: /ops-docs <the change> in Claude Code.\n`);
  });
});

describe('a team standard in ops/templates after init', () => {
  it('is what validate checks against: a section the team adds becomes mandatory', async () => {
    const dir = tmp();
    expect((await main(['init', dir, '--lang', 'en'])).code).toBe(0);
    const task = VALID.en.split('/').pop()!;
    cpSync(VALID.en, join(dir, 'ops/active', task), { recursive: true });
    expect((await main(['validate', '--strict', '--no-cache', join(dir, 'ops/active')])).code).toBe(0);

    const runbookSpec = join(dir, 'ops/templates/standard/runbook.yaml');
    writeFileSync(runbookSpec, readFileSync(runbookSpec, 'utf8').replace(/^sections:\n/m, `sections:
  - id: comms
    title: { en: Communication Plan, zh: 沟通计划 }
    guidance: { en: Who is told what and when., zh: 何时通知谁什么内容。 }
    require: content

`));
    const r = (await main(['validate', '--strict', '--no-cache', '--format', 'json', join(dir, 'ops/active')]));
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as { ruleId: string; file: string }[];
    expect(findings.map((f) => f.ruleId)).toEqual(['runbook-comms']);
    expect(findings[0]!.file).toBe(join(dir, 'ops/active', task, `${task}-runbook.md`));

    // The same task outside that ops folder is still judged by the built-in standard.
    const other = tmp();
    cpSync(VALID.en, join(other, 'ops/active', task), { recursive: true });
    expect((await main(['validate', '--strict', '--no-cache', join(other, 'ops/active')])).code).toBe(0);
  });

  it('is what new writes from: a renamed section comes out under the team\'s title and still validates', async () => {
    const dir = tmp();
    expect((await main(['init', dir, '--lang', 'en'])).code).toBe(0);
    const runbookSpec = join(dir, 'ops/templates/standard/runbook.yaml');
    const spec = readFileSync(runbookSpec, 'utf8');
    expect(spec).toContain('title: { en: Executive Summary, zh: 执行概要 }');
    writeFileSync(runbookSpec, spec.replace('title: { en: Executive Summary, zh: 执行概要 }', 'title: { en: Change Overview, zh: 变更总览 }'));
    const r = (await main(['new', '--provider', 'offline', '--date', '2025-11-10', '--json', 'kubernetes cluster upgrade to v1.28'], { cwd: dir }));
    expect(r.code, r.stderr).toBe(0);
    const task = '2025-11-10-k8s-cluster-upgrade-v1.28';
    const runbook = readFileSync(join(dir, 'ops/active', task, `${task}-runbook.md`), 'utf8');
    expect(runbook).toMatch(/^## Change Overview$/m);
    expect(runbook).not.toMatch(/^## Executive Summary$/m);
    expect((await main(['validate', '--strict', '--no-cache', join(dir, 'ops/active')])).code).toBe(0);

    // Without the team's copy the built-in title is used.
    const plain = tmp();
    expect((await main(['new', '--provider', 'offline', '--date', '2025-11-10', 'kubernetes cluster upgrade to v1.28'], { cwd: plain })).code).toBe(0);
    expect(readFileSync(join(plain, 'ops/active', task, `${task}-runbook.md`), 'utf8')).toMatch(/^## Executive Summary$/m);
  });
});
