/**
 * `/ops-docs` in the real Claude Code client (@anthropic-ai/claude-code, node_modules/.bin/claude) against a
 * scripted model on 127.0.0.1. The scripted model reads the expanded command the way a model would, checks it
 * holds the user's arguments, and answers with the tool calls the command asks for — taking the command lines
 * from the command's own text, so the test proves the client pre-approves exactly those lines.
 *
 * Every repository here is an infrastructure repository: a kubeadm config, git, and no package.json. ops-docs
 * reaches it in one of three ways, and `ops-docs init`, run from that install, writes the command for it:
 * - a project install, as `npm install --no-save ops-docs` leaves one: node_modules/ops-docs (a symlink to this
 *   package) and node_modules/.bin/ops-docs; the command runs `npx --no ops-docs`;
 * - a global install: this package packed with `npm pack` and installed with `npm install -g --prefix` into a
 *   temporary prefix whose bin/ is on the client's PATH; the command runs `ops-docs`;
 * - the plugin: `--plugin-dir` set to this package; its skill runs `node "${CLAUDE_PLUGIN_ROOT}/dist/bin/cli.js"`.
 */
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Reply } from '../fake-anthropic.js';
import { happyScript } from '../anthropic-script.js';
import { cli } from '../helpers/cli.js';
import { main } from '../helpers/main.js';
import { CLI, ROOT } from '../helpers/fixtures.js';
import { CLAUDE, runClaude, startAgent, type AgentStep, type Session, type Turn } from './claude-agent.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];
const PROJECT_CLI = 'npx --no ops-docs';
const GLOBAL_CLI = 'ops-docs';
const PLUGIN_CLI = `node "${ROOT}/dist/bin/cli.js"`;
/** A key nobody could mistake for anything else, so that finding it anywhere is proof of a leak. */
const KEY = `sk-ant-e2e-${randomBytes(12).toString('hex')}`;
const TOKEN = `oauth-e2e-${randomBytes(12).toString('hex')}`;

const sessions: Session[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.fake.close()));
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  if (!existsSync(CLAUDE)) throw new Error('@anthropic-ai/claude-code is not installed');
});

interface Repo {
  root: string;
  repo: string;
  home: string;
}

type InstallKind = 'project' | 'global' | 'plugin';

const run = promisify(execFile);

/**
 * `npm pack` of this package, installed with `npm install -g` into a temporary prefix: a global install with its
 * own copy of the package and of its dependencies (from the npm cache; the registry only for what is not there).
 */
async function installGlobally(): Promise<{ prefix: string; bin: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ops-docs-global-'));
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  // dist/ is built already (beforeAll checks); the prepare script would only build it again.
  // Asynchronous: the other describes' sessions run meanwhile, and their fake models answer from this process.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, env });
  const tarball = packed.stdout.trim().split('\n').pop()!;
  const prefix = join(dir, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', join(dir, tarball)], { cwd: dir, env });
  return { prefix, bin: join(prefix, 'bin'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A git repository with a kubeadm config to find and no package.json; ops-docs installed and initialised from that install. */
/**
 * Folders of this file, removed after it. Not tmp()'s, which are removed after each test: the tests here run
 * concurrently, and one test's end would remove a folder a client of another is still writing to.
 */
const folders: string[] = [];
afterAll(() => {
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});
const scratch = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  folders.push(d);
  return d;
};

function makeRepo(expect: ExpectStatic, install: InstallKind, globalBin?: string): Repo {
  const root = scratch('ops-docs-e2e-');
  const repo = join(root, 'repo');
  const home = join(root, 'home');
  mkdirSync(repo);
  mkdirSync(home);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  mkdirSync(join(repo, 'k8s'));
  writeFileSync(join(repo, 'k8s', 'cluster.yaml'), [
    'apiVersion: kubeadm.k8s.io/v1beta3',
    'kind: ClusterConfiguration',
    'clusterName: payments-eu-2',
    'kubernetesVersion: v1.27.9',
    'controlPlaneEndpoint: payments-cp-1.internal:6443',
    '',
  ].join('\n'));
  const shipped = readFileSync(join(ROOT, '.claude/commands/ops-docs.md'), 'utf8');
  if (install === 'project') {
    mkdirSync(join(repo, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(repo, 'node_modules', 'ops-docs'));
    symlinkSync('../ops-docs/dist/bin/cli.js', join(repo, 'node_modules', '.bin', 'ops-docs'));
    const init = cli(['init', repo, '--lang', 'en']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('/ops-docs runs npx --no ops-docs: the project install this init ran from');
    expect(readFileSync(join(repo, '.claude/commands/ops-docs.md'), 'utf8')).toBe(shipped);
  } else if (install === 'global') {
    // The global bin, found on PATH as a user's shell would find it.
    const init = spawnSync('ops-docs', ['init', repo, '--lang', 'en'], {
      cwd: repo, encoding: 'utf8', env: { ...process.env, PATH: `${globalBin}:${process.env.PATH}`, OPS_DOCS_LANG: 'en' },
    });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toContain(`/ops-docs runs ops-docs: the global install this init ran from (${join(globalBin!, 'ops-docs')} on PATH)`);
    expect(readFileSync(join(repo, '.claude/commands/ops-docs.md'), 'utf8')).toBe(shipped.replaceAll(PROJECT_CLI, GLOBAL_CLI));
  }
  expect(existsSync(join(repo, 'package.json'))).toBe(false);
  return { root, repo, home };
}

/** Every file under a folder, recursively, skipping node_modules (a symlink to this package) and .git. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** The text nodes of a markdown document: what a reader sees as prose, with markdown escapes undone. */
/** The values of the nodes of the given types in a markdown document, in order (parsed by remark, not by ops-docs). */
function valuesOf(markdown: string, types: string[]): string[] {
  const out: string[] = [];
  const walk = (n: { type: string; value?: string; children?: unknown[] }): void => {
    if (types.includes(n.type) && n.value) out.push(n.value);
    for (const c of n.children ?? []) walk(c as typeof n);
  };
  walk(unified().use(remarkParse).parse(markdown) as never);
  return out;
}

function textOf(markdown: string): string[] {
  return valuesOf(markdown, ['text']);
}

function findPwned(...dirs: string[]): string[] {
  return dirs.flatMap((d) => filesUnder(d).concat(readdirSync(d).map((n) => join(d, n)))).filter((p) => /PWNED/.test(p.split('/').pop()!));
}

// ——— what the scripted model does, step by step ———

const requestOf = (t: Turn): string => /<ops-docs-request>\n([\s\S]*?)\n<\/ops-docs-request>/.exec(t.prompt)?.[1] ?? '';
/** The `new` line exactly as the command's code block gives it. */
const newLineOf = (t: Turn): string => /```\n(.+ new --stdin --json < ops\/\.drafts\/request\.txt)\n```/.exec(t.prompt)?.[1] ?? 'MISSING';
/** The validate line as the command's text gives it, with <dir> filled in. */
const validateLineOf = (t: Turn, dir: string): string => (/`([^`\n]+ validate --strict) <dir>`/.exec(t.prompt)?.[1] ?? 'MISSING') + ' ' + dir;

/** The JSON `new --json` printed, from the tool result that holds it. */
function newJsonOf(t: Turn): { task: string; dir: string; files: string[]; provider: string } {
  const hit = t.results.find((r) => r.text.includes('"provider"'));
  if (!hit) throw new Error('no JSON from ops-docs new in the tool results');
  return JSON.parse(hit.text.slice(hit.text.indexOf('{'), hit.text.lastIndexOf('}') + 1));
}

const bash = (command: string, description: string): Reply => ({ type: 'tool', name: 'Bash', input: { command, description } });
const writeRequest: AgentStep = (t) => ({ type: 'tool', name: 'Write', input: { file_path: 'ops/.drafts/request.txt', content: requestOf(t) } });
const runNew: AgentStep = (t) => bash(newLineOf(t), 'Create the task documents');
const runValidate: AgentStep = (t) => bash(validateLineOf(t, newJsonOf(t).dir), 'Validate the task');

function finalReport(t: Turn): string {
  const j = newJsonOf(t);
  // The validate summary line, from the last validate run.
  const summaries = t.results.map((r) => /document\(s\) in \d+ task\(s\): (\d+) error\(s\)/.exec(r.text)).filter((m) => m !== null);
  const last = summaries[summaries.length - 1];
  return [
    `Task folder: ${j.dir}/`,
    ...j.files.map((f) => `- ${f.split('/').pop()}`),
    `Provider: ${j.provider}`,
    `Validation: ${!last ? 'not run' : last[1] === '0' ? 'passed (strict)' : `failed (${last[1]} errors)`}`,
    'Next: two people review the runbook and rehearse it outside production, then get the change approved.',
  ].join('\n');
}

/** The expanded command as the scripted model received it: the command name, the arguments, the body with them. */
function expectExpanded(expect: ExpectStatic, session: Session, commandName: string, args: string): void {
  expect(session.errors).toEqual([]);
  const prompt = session.firstPrompt();
  expect(prompt).toContain(`<command-name>${commandName}</command-name>`);
  expect(prompt).toContain(`<command-args>${args}</command-args>`);
  expect(prompt).toContain(`<ops-docs-request>\n${args}\n</ops-docs-request>`);
}

/** The task the session wrote: its four documents, passing validate --strict (in-process: the session itself ran the shipped CLI). */
async function expectTask(expect: ExpectStatic, repo: string, dir: string): Promise<string> {
  const abs = join(repo, dir);
  const task = dir.split('/').pop()!;
  expect(readdirSync(abs).sort()).toEqual(KINDS.map((k) => `${task}-${k}.md`).sort());
  const v = await main(['validate', '--strict', '--no-cache', abs]);
  expect(v.code, v.stdout + v.stderr).toBe(0);
  return task;
}

const T = 90_000;

const HOSTILE = ['x"; touch PWNED; echo "', '$(touch PWNED)', '`touch PWNED`'];
/** The three ways out of a command line in one request, so one session tries them all (each launch of the client costs seconds of CPU). */
const HOSTILE_REQUEST = HOSTILE.join(' ');
/** Every inline-code and code-block value of a markdown document: where a reader would copy a command from. */
function codeOf(markdown: string): string[] {
  return valuesOf(markdown, ['code', 'inlineCode']);
}

/** A request written to break out of the command line runs nothing: it reaches the documents as text. */
async function expectHostileIsData(expect: ExpectStatic, { repo, home, root }: Repo, binOnPath?: string): Promise<void> {
  const session = await startAgent([writeRequest, runNew], finalReport);
  sessions.push(session);
  const r = await runClaude(`/ops-docs ${HOSTILE_REQUEST}`, { cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'token', value: TOKEN }, binOnPath });
  expect(r.code, r.stderr).toBe(0);
  expectExpanded(expect, session, '/ops-docs', HOSTILE_REQUEST);
  expect(session.results().map((x) => x.isError)).toEqual([false, false]);
  expect(findPwned(root, home)).toEqual([]);
  expect(existsSync(join(ROOT, 'PWNED'))).toBe(false);
  expect(readFileSync(join(repo, 'ops/.drafts/request.txt'), 'utf8')).toBe(HOSTILE_REQUEST);
  const j = newJsonOf({ prompt: '', results: session.results() });
  const task = j.dir.split('/').pop()!;
  expect(task).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9.-]+$/);
  // Still the four documents of a task, valid but for the placeholders of a change no playbook knows (strict would
  // fail on those, as it should for drafts), written offline (no key: no model call of ours).
  expect(readdirSync(join(repo, j.dir)).sort()).toEqual(KINDS.map((k) => `${task}-${k}.md`).sort());
  const v = await main(['validate', '--no-cache', join(repo, j.dir)]);
  expect(v.code, v.stdout + v.stderr).toBe(0);
  expect(j.provider).toBe('offline');
  expect(session.sdkRequests()).toEqual([]);
  // The client relayed the model's report, which names the folder and each document.
  expect(r.stdout).toContain(`Task folder: ${j.dir}/`);
  for (const kind of KINDS) expect(r.stdout).toContain(`- ${task}-${kind}.md`);
  expect(r.stdout).toContain('Provider: offline');
  // The token is in request headers only, never in what the model was shown.
  for (const q of session.fake.requests) expect(q.rawBody).not.toContain(TOKEN);
  const runbook = readFileSync(join(repo, j.dir, `${task}-runbook.md`), 'utf8');
  // In the runbook's text as a reader sees it (markdown escapes undone), not as code or markup.
  expect(textOf(runbook).some((t) => t.includes(HOSTILE_REQUEST))).toBe(true);
  for (const hostile of HOSTILE) {
    expect(textOf(runbook).some((t) => t.includes(hostile)), hostile).toBe(true);
    // Never in a code block or inline code, where a reader would copy it into a shell.
    for (const kind of KINDS) expect(codeOf(readFileSync(join(repo, j.dir, `${task}-${kind}.md`), 'utf8')).filter((c) => c.includes(hostile)), `${hostile} in ${kind}`).toEqual([]);
  }
}
/** The CI line of the README: deny whatever is not pre-approved instead of asking. */
const HEADLESS = ['--permission-mode', 'dontAsk', '--allowedTools', `Bash(${PROJECT_CLI} new:*)`, `Bash(${PROJECT_CLI} validate:*)`, 'Edit(ops/**)'];

// Each session waits on the client and its fake model much of the time: all of them, in all three describes, run side by
// side (each test on its own expect, so its assertions count).
describe.concurrent('/ops-docs project command in Claude Code', () => {
  it('with a key, headless as the README shows: runs ops-docs new on the Anthropic provider, validates — the key never leaks', async ({ expect }) => {
    const { repo, home, root } = makeRepo(expect, 'project');
    const args = 'kubernetes cluster upgrade to v1.28';
    const probe: AgentStep = () => bash('touch PWNED', 'not pre-approved: denied without asking');
    const session = await startAgent([writeRequest, runNew, runValidate, probe], finalReport, happyScript('en'));
    sessions.push(session);
    const r = await runClaude(`/ops-docs ${args}`, { cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'key', value: KEY }, args: HEADLESS });
    expect(r.code, r.stderr).toBe(0);
    expectExpanded(expect, session, '/ops-docs', args);

    const results = session.results();
    expect(results.map((x) => x.isError)).toEqual([false, false, false, true]);
    expect(findPwned(root)).toEqual([]);
    expect(readFileSync(join(repo, 'ops/.drafts/request.txt'), 'utf8')).toBe(args);
    const j = newJsonOf({ prompt: '', results });
    expect(j.provider).toBe('anthropic');
    // Our CLI's own SDK calls reached the fake: one plan and the two documents a model writes (runbook, rollback).
    expect(session.sdkRequests().map((q) => q.call.role).sort()).toEqual(['document', 'document', 'plan']);
    const task = await expectTask(expect, repo, j.dir);
    expect(task).toMatch(/^\d{4}-\d{2}-\d{2}-k8s-cluster-upgrade-v1\.28$/);
    expect(r.stdout).toContain(`Task folder: ${j.dir}/`);
    expect(r.stdout).toContain('Validation: passed (strict)');

    // The key is in request headers only: never in what the model was shown, on disk, or in the output.
    for (const q of session.fake.requests) expect(q.rawBody).not.toContain(KEY);
    for (const f of filesUnder(root)) expect(readFileSync(f, 'latin1')).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  }, T);

  it('with a key the service refuses: the command falls back to the offline drafts, and the key still never leaks', async ({ expect }) => {
    const { repo, home, root } = makeRepo(expect, 'project');
    const args = 'kubernetes cluster upgrade to v1.28';
    // As the command says: on exit code 3, the same line again with --provider offline before --stdin.
    const fallback: AgentStep = (t) => bash(newLineOf(t).replace(' --stdin', ' --provider offline --stdin'), 'Fall back to offline drafts');
    const session = await startAgent([writeRequest, runNew, fallback, runValidate], finalReport,
      () => ({ type: 'http-error', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' }));
    sessions.push(session);
    const r = await runClaude(`/ops-docs ${args}`, { cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'key', value: KEY } });
    expect(r.code, r.stderr).toBe(0);
    expectExpanded(expect, session, '/ops-docs', args);
    const results = session.results();
    expect(results.map((x) => x.isError)).toEqual([false, true, false, false]);
    expect(results[1]!.text).toMatch(/^Exit code 3\b/);
    expect(session.sdkRequests().length).toBeGreaterThan(0);
    const j = newJsonOf({ prompt: '', results: results.slice(2) });
    expect(j.provider).toBe('offline');
    await expectTask(expect, repo, j.dir);
    expect(readdirSync(join(repo, 'ops/active')).filter((n) => n !== '.gitkeep')).toEqual([j.dir.split('/').pop()]);
    for (const q of session.fake.requests) expect(q.rawBody).not.toContain(KEY);
    for (const f of filesUnder(root)) expect(readFileSync(f, 'latin1')).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  }, T);

  it('without a key: lays down offline drafts, fills them in from the repository, validates — and nothing else is allowed', async ({ expect }) => {
    const { repo, home, root } = makeRepo(expect, 'project');
    const args = 'kubernetes cluster upgrade to v1.28';
    let runbookPath = '';
    let summary = '';
    const steps: AgentStep[] = [
      writeRequest,
      runNew,
      () => ({ type: 'tool', name: 'Read', input: { file_path: join(repo, 'k8s/cluster.yaml') } }),
      (t) => {
        runbookPath = join(repo, newJsonOf(t).files.find((f) => f.endsWith('-runbook.md'))!);
        return { type: 'tool', name: 'Read', input: { file_path: runbookPath } };
      },
      (t) => {
        const cluster = /clusterName: (\S+)/.exec(t.results[2]!.text)![1]!;
        summary = /## Executive Summary\n\n(.+)\n/.exec(readFileSync(runbookPath, 'utf8'))![1]!;
        return {
          type: 'tool', name: 'Edit',
          input: { file_path: runbookPath, old_string: summary, new_string: `${summary} Cluster: \`${cluster}\` (from k8s/cluster.yaml), now on v1.27.9.` },
        };
      },
      runValidate,
      // What a model must not be able to do under this command: run anything else, chain onto our line, or write
      // outside ops/.
      () => bash('touch PWNED', 'not allowed'),
      (t) => bash(`${newLineOf(t)} && touch PWNED`, 'not allowed either'),
      () => ({ type: 'tool', name: 'Write', input: { file_path: join(repo, 'NOTES.md'), content: 'x' } }),
    ];
    const session = await startAgent(steps, finalReport);
    sessions.push(session);
    const r = await runClaude(`/ops-docs ${args}`, { cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'token', value: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    expectExpanded(expect, session, '/ops-docs', args);

    const results = session.results();
    expect(results.slice(0, 6).map((x) => x.isError)).toEqual([false, false, false, false, false, false]);
    expect(results.slice(6).map((x) => x.isError)).toEqual([true, true, true]);
    expect(results[6]!.text).toMatch(/requires approval|blocked|permission/i);
    expect(results[7]!.text).toMatch(/requires approval|blocked|permission/i);
    expect(results[8]!.text).toMatch(/haven't granted|permission/i);
    expect(findPwned(root)).toEqual([]);
    expect(existsSync(join(repo, 'NOTES.md'))).toBe(false);

    const j = newJsonOf({ prompt: '', results });
    expect(j.provider).toBe('offline');
    expect(session.sdkRequests()).toEqual([]);
    await expectTask(expect, repo, j.dir);
    const runbook = readFileSync(runbookPath, 'utf8');
    expect(runbook).toContain(`${summary} Cluster: \`payments-eu-2\` (from k8s/cluster.yaml), now on v1.27.9.`);
    expect(r.stdout).toContain('Provider: offline');
    for (const q of session.fake.requests) expect(q.rawBody).not.toContain(TOKEN);
  }, T);

  it(`treats ${HOSTILE.join(', ')} as data: no PWNED anywhere, the text verbatim in the documents and never in their code`, ({ expect }) => expectHostileIsData(expect, makeRepo(expect, 'project')), T);
});

describe.concurrent('/ops-docs with ops-docs installed globally (npm pack, npm install -g), in a repository without package.json', () => {
  let global: Awaited<ReturnType<typeof installGlobally>>;
  beforeAll(async () => {
    global = await installGlobally();
    // Its own copy of the package, not a link back to this checkout.
    expect(realpathSync(join(global.bin, 'ops-docs'))).toBe(join(realpathSync(global.prefix), 'lib/node_modules/ops-docs/dist/bin/cli.js'));
  }, 300_000);
  afterAll(() => global?.cleanup());

  it('init from the global install writes a command calling ops-docs; /ops-docs runs it and gets the four documents — and nothing else is allowed', async ({ expect }) => {
    const { repo, home, root } = makeRepo(expect, 'global', global.bin);
    const args = 'kubernetes cluster upgrade to v1.28';
    const steps: AgentStep[] = [
      writeRequest,
      runNew,
      runValidate,
      () => bash('touch PWNED', 'not allowed'),
      (t) => bash(`${newLineOf(t)} && touch PWNED`, 'not allowed either'),
      // The project install's line is not pre-approved here (and would go to the registry).
      () => bash(`${PROJECT_CLI} validate --strict ops`, 'not allowed: not the command of this install'),
    ];
    const session = await startAgent(steps, finalReport);
    sessions.push(session);
    const r = await runClaude(`/ops-docs ${args}`, { cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'token', value: TOKEN }, binOnPath: global.bin });
    expect(r.code, r.stderr).toBe(0);
    expectExpanded(expect, session, '/ops-docs', args);
    expect(session.firstPrompt()).toContain(`\n${GLOBAL_CLI} new --stdin --json < ops/.drafts/request.txt\n`);
    expect(session.firstPrompt()).not.toContain('npx');
    const results = session.results();
    expect(results.map((x) => x.isError)).toEqual([false, false, false, true, true, true]);
    for (const denied of results.slice(3)) expect(denied.text).toMatch(/requires approval|blocked|permission/i);
    expect(findPwned(root)).toEqual([]);
    const j = newJsonOf({ prompt: '', results });
    expect(j.provider).toBe('offline');
    expect(await expectTask(expect, repo, j.dir)).toMatch(/^\d{4}-\d{2}-\d{2}-k8s-cluster-upgrade-v1\.28$/);
    expect(r.stdout).toContain('Validation: passed (strict)');
    expect(existsSync(join(repo, 'node_modules'))).toBe(false);
  }, T);

  it(`treats ${HOSTILE.join(', ')} as data: no PWNED anywhere, the text verbatim in the documents and never in their code`, ({ expect }) => expectHostileIsData(expect, makeRepo(expect, 'global', global.bin), global.bin), T);
});

describe.concurrent('the ops-docs plugin loaded with --plugin-dir', () => {
  // Typed either way, the client expands the plugin's skill under its qualified name.
  for (const typed of ['/ops-docs', '/ops-docs:ops-docs']) {
    it(`answers to ${typed} and runs the CLI from the plugin's own folder`, async ({ expect }) => {
      const { repo, home } = makeRepo(expect, 'plugin');
      const args = 'kubernetes cluster upgrade to v1.28';
      const session = await startAgent([writeRequest, runNew, runValidate], finalReport);
      sessions.push(session);
      const r = await runClaude(`${typed} ${args}`, {
        cwd: repo, home, baseUrl: session.fake.url, auth: { kind: 'token', value: TOKEN }, args: ['--plugin-dir', ROOT],
      });
      expect(r.code, r.stderr).toBe(0);
      expectExpanded(expect, session, '/ops-docs:ops-docs', args);
      expect(session.firstPrompt()).toContain(`Base directory for this skill: ${join(ROOT, 'skills', 'ops-docs')}`);
      expect(session.firstPrompt()).toContain(`\n${PLUGIN_CLI} new --stdin --json < ops/.drafts/request.txt\n`);
      expect(session.firstPrompt()).not.toContain(PROJECT_CLI);
      expect(session.results().map((x) => x.isError)).toEqual([false, false, false]);
      const j = newJsonOf({ prompt: '', results: session.results() });
      expect(j.provider).toBe('offline');
      await expectTask(expect, repo, j.dir);
      expect(existsSync(join(repo, 'node_modules'))).toBe(false);
    }, T);
  }

  it('passes claude plugin validate (plugin and marketplace manifests), which does reject a broken one', async ({ expect }) => {
    // Asynchronous: the sessions running beside this test get their fake model's answers from this process.
    const validate = async (dir: string) => {
      try {
        return { code: 0, out: (await run(CLAUDE, ['plugin', 'validate', dir], { encoding: 'utf8', env: { ...process.env, HOME: scratch('ops-docs-e2e-home-') } })).stdout };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    };
    const plugin = await validate(join(ROOT, '.claude-plugin', 'plugin.json'));
    expect(plugin.code, plugin.out).toBe(0);
    expect(plugin.out).toContain('Validation passed');
    const market = await validate(ROOT);
    expect(market.code, market.out).toBe(0);
    expect(market.out).toMatch(/marketplace manifest[\s\S]*Validation passed/);

    const broken = scratch('ops-docs-e2e-broken-');
    mkdirSync(join(broken, '.claude-plugin'));
    writeFileSync(join(broken, '.claude-plugin', 'plugin.json'), JSON.stringify({ name: 'Not A Valid Name!', version: 1 }));
    expect((await validate(join(broken, '.claude-plugin', 'plugin.json'))).code).not.toBe(0);
    expect(statSync(join(ROOT, 'skills', 'ops-docs', 'SKILL.md')).isFile()).toBe(true);
  }, T);
});
