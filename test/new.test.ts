/**
 * `ops-docs new` with the offline provider, run as a user runs it: the built CLI in its own process (no shell),
 * checking the bytes on disk, the exit codes and the refusals.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from './helpers/main.js';
import { CLI, ROOT } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

const K8S = '2025-11-10-k8s-cluster-upgrade-v1.28';
const NEW = ['new', '--date', '2025-11-10', 'kubernetes cluster upgrade to v1.28'];
const KINDS = ['checklist', 'postmortem-template', 'rollback', 'runbook'];
const files = (task: string) => KINDS.map((k) => `${task}-${k}.md`);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
});

/** Every file under a folder, relative, sorted — the whole state of an ops tree. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(tree(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('ops-docs new (offline)', () => {
  it('writes the four documents to ops/active/<task>/, says which provider it used, and they pass validate --strict', async () => {
    const cwd = tmp();
    const r = (await main(NEW, { cwd }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('provider: offline — no ANTHROPIC_API_KEY: built-in playbooks, no network; playbook: k8s-kubeadm-upgrade');
    expect(r.stdout).toContain(`task: ${K8S}\nfolder: ops/active/${K8S}/\n`);
    expect(tree(join(cwd, 'ops'))).toEqual(['active/.gitkeep', ...files(K8S).map((f) => `active/${K8S}/${f}`), 'archive/.gitkeep']);
    const v = (await main(['validate', '--strict', 'ops/active'], { cwd }));
    expect(v.code).toBe(0);
    expect(v.stderr).toBe('4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n');
    expect(readFileSync(join(cwd, 'ops', 'active', K8S, `${K8S}-runbook.md`), 'utf8')).toContain('sudo sed -i "s|/v1.27/|/v1.28/|" /etc/apt/sources.list.d/kubernetes.list');
  });

  it('Chinese description → Chinese documents by default; messages follow OPS_DOCS_LANG', async () => {
    const cwd = tmp();
    const r = (await main(['new', '--date', '2025-11-03', 'PostgreSQL', '从', '12', '升级到', '15'], { cwd, env: { OPS_DOCS_LANG: 'zh' } }));
    expect(r.code).toBe(0);
    const task = '2025-11-03-postgres-upgrade-v12-to-v15';
    expect(r.stdout).toContain(`任务：${task}\n目录：ops/active/${task}/`);
    const runbook = readFileSync(join(cwd, 'ops', 'active', task, `${task}-runbook.md`), 'utf8');
    expect(runbook).toContain('language: zh');
    expect(runbook).toContain('## 执行概要');
    expect(runbook).toContain('### 步骤 S2：用 pg_createcluster 创建 15 集群并执行 pg_upgrade --check');
    expect((await main(['validate', '--strict', 'ops'], { cwd })).code).toBe(0);
  });

  it('--lang en overrides the language a Chinese description would choose', async () => {
    const cwd = tmp();
    expect((await main(['new', '--lang', 'en', '--date', '2025-11-03', 'Redis 主从切换'], { cwd })).code).toBe(0);
    const runbook = readFileSync(join(cwd, 'ops', 'active', '2025-11-03-redis-failover-planned', '2025-11-03-redis-failover-planned-runbook.md'), 'utf8');
    expect(runbook).toContain('language: en\n');
    expect(runbook).toContain('## Executive Summary');
  });

  it('--dry-run prints the task and the plan and writes nothing', async () => {
    const cwd = tmp();
    const r = (await main([...NEW, '--dry-run'], { cwd }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`task: ${K8S}\nwould write: ops/active/${K8S}/ (dry run: nothing written)\n`);
    expect(r.stdout).toContain('  S1  Snapshot etcd and record the members and cordoned nodes (10 min)\n');
    expect(r.stdout).toContain('  G2  Before upgrading the other control-plane nodes ← S3\n');
    expect(readdirSync(cwd)).toEqual([]);
    const j = (await main([...NEW, '--dry-run', '--json'], { cwd }));
    expect(j.code).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out).toMatchObject({ dryRun: true, task: K8S, provider: 'offline', model: null, playbook: 'k8s-kubeadm-upgrade', lang: 'en' });
    expect(out.plan.steps.map((s: { id: string }) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--ops-dir: the ops folder is created, but not a made-up path of folders above it', async () => {
    const cwd = tmp();
    expect((await main([...NEW, '--ops-dir', 'typo/ops'], { cwd }))).toMatchObject({ code: 2, stderr: `ops-docs: --ops-dir typo/ops: its parent folder ${join(cwd, 'typo')} does not exist\n` });
    writeFileSync(join(cwd, 'afile'), '');
    expect((await main([...NEW, '--ops-dir', 'afile'], { cwd }))).toMatchObject({ code: 2, stderr: 'ops-docs: --ops-dir afile: not a folder\n' });
    expect(readdirSync(cwd)).toEqual(['afile']);
  });

  it('--json prints the summary object and nothing else', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'work'));
    const r = (await main([...NEW, '--json', '--ops-dir', 'work/ops'], { cwd }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['task', 'dir', 'files', 'provider', 'model', 'playbook', 'lang', 'attempts', 'tokens', 'validation', 'trashed']);
    expect(out).toEqual({
      task: K8S,
      dir: `work/ops/active/${K8S}`,
      files: ['runbook', 'rollback', 'checklist', 'postmortem-template'].map((k) => `work/ops/active/${K8S}/${K8S}-${k}.md`),
      provider: 'offline',
      model: null,
      playbook: 'k8s-kubeadm-upgrade',
      lang: 'en',
      attempts: { runbook: 1, rollback: 1, checklist: 1, 'postmortem-template': 1 },
      tokens: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 },
      validation: { ok: true, strict: true, errors: 0, warnings: 0, findings: [] },
      trashed: [],
    });
    for (const f of out.files) expect(existsSync(join(cwd, f))).toBe(true);
  });

  it('the generic playbook writes a task with placeholder warnings (validate exits 0, --strict fails)', async () => {
    const cwd = tmp();
    const r = (await main(['new', '--json', '--date', '2025-11-10', 'rotate the frobnicator on the build farm'], { cwd }));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.playbook).toBe('generic');
    expect(out.validation).toMatchObject({ ok: true, strict: false, errors: 0, warnings: 57 });
    expect(new Set(out.validation.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['no-placeholders']));
    expect((await main(['validate', 'ops'], { cwd })).code).toBe(0);
    expect((await main(['validate', '--strict', 'ops'], { cwd })).code).toBe(1);
  });

  it('an existing task is refused (exit 1) and its bytes are untouched', async () => {
    const cwd = tmp();
    expect((await main(NEW, { cwd })).code).toBe(0);
    const runbook = join(cwd, 'ops', 'active', K8S, `${K8S}-runbook.md`);
    writeFileSync(runbook, readFileSync(runbook, 'utf8') + '\nOur own note.\n');
    const before = snapshot(join(cwd, 'ops'));
    const r = (await main(NEW, { cwd }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ops-docs: task already exists: ops/active/${K8S}; nothing was written (use --force to move it to ops/.trash/ and write anew, or --name to choose another name)\n`);
    expect(snapshot(join(cwd, 'ops'))).toEqual(before);
  });

  it('a task of the same name in the archive is refused too', async () => {
    const cwd = tmp();
    const archived = join(cwd, 'ops', 'archive', '2025', '11', K8S);
    mkdirSync(archived, { recursive: true });
    writeFileSync(join(archived, `${K8S}-runbook.md`), 'archived\n');
    const r = (await main(NEW, { cwd }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`task already exists: ops/archive/2025/11/${K8S}; nothing was written`);
    expect(existsSync(join(cwd, 'ops', 'active', K8S))).toBe(false);
  });

  it('--force moves the old task to ops/.trash/<task>-<timestamp>/ with its bytes, then writes the new one', async () => {
    const cwd = tmp();
    expect((await main(NEW, { cwd })).code).toBe(0);
    const runbook = join(cwd, 'ops', 'active', K8S, `${K8S}-runbook.md`);
    writeFileSync(runbook, 'edited by a human\n');
    const old = snapshot(join(cwd, 'ops', 'active', K8S));
    const r = (await main([...NEW, '--force'], { cwd }));
    expect(r.code).toBe(0);
    const trash = readdirSync(join(cwd, 'ops', '.trash'));
    expect(trash).toHaveLength(1);
    expect(trash[0]).toMatch(new RegExp(`^${K8S.replace(/\./g, '\\.')}-\\d{8}T\\d{6}Z$`));
    expect(r.stdout).toContain(`previous task kept in: ops/.trash/${trash[0]}/`);
    expect(snapshot(join(cwd, 'ops', '.trash', trash[0]!))).toEqual(old);
    expect(readFileSync(runbook, 'utf8')).toContain('# Runbook: Kubernetes cluster upgrade to v1.28');
  });

  it('two concurrent runs of the same name: one wins, the other gets a clear error, nothing is lost or half-written', async () => {
    const cwd = tmp();
    const runOnce = () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [CLI, ...NEW], { cwd, env: { ...process.env, OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: '' } });
      let stderr = '';
      p.stderr.on('data', (d) => { stderr += String(d); });
      p.on('close', (code) => resolve({ code, stderr }));
    });
    for (let round = 0; round < 3; round++) {
      const dir = join(cwd, 'ops', 'active', K8S);
      if (existsSync(dir)) execFileSync('mv', [dir, join(cwd, `kept-${round}`)]);
      const results = await Promise.all([runOnce(), runOnce(), runOnce()]);
      const codes = results.map((r) => r.code).sort();
      expect(codes).toEqual([0, 1, 1]);
      for (const r of results.filter((x) => x.code === 1)) {
        // Either it saw the winner's task before starting, or it lost the final rename.
        expect(r.stderr).toMatch(/^ops-docs: (task already exists: ops\/active\/2025-11-10-k8s-cluster-upgrade-v1\.28; nothing was written|another ops-docs run created ops\/active\/2025-11-10-k8s-cluster-upgrade-v1\.28 a moment ago; nothing was written by this run)/);
      }
      expect(readdirSync(dir).sort()).toEqual(files(K8S));
      expect(readdirSync(join(cwd, 'ops')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    }
    expect((await main(['validate', '--strict', 'ops/active'], { cwd })).code).toBe(0);
  });

  const usage: [string, string[], string][] = [
    ['--name that breaks the convention', [...NEW, '--name', 'k8s upgrade'], '--name: task name "k8s upgrade" does not follow [date]-[system]-[operation]-[short-desc]'],
    ['--name with a path in it', [...NEW, '--name', '2025-11-10-x-y-../../etc'], '--name: task name "2025-11-10-x-y-../../etc" does not follow'],
    ['--date that is no date', ['new', '--date', '2025-02-30', 'redis failover'], '--date must be a calendar date YYYY-MM-DD, not "2025-02-30"'],
    ['--lang that is not en or zh', [...NEW, '--lang', 'fr'], '--lang must be en or zh, not "fr"'],
    ['--provider that does not exist', [...NEW, '--provider', 'openai'], '--provider must be offline or anthropic, not "openai"'],
    ['--provider anthropic without a key', [...NEW, '--provider', 'anthropic'], '--provider anthropic needs ANTHROPIC_API_KEY in the environment'],
    ['--max-repairs that is not a number', [...NEW, '--max-repairs', 'lots'], '--max-repairs must be a whole number from 0 to 10, not "lots"'],
    ['--timeout of zero', [...NEW, '--timeout', '0'], '--timeout must be a whole number from 1 to 3600, not "0"'],
    ['no description', ['new', '--date', '2025-11-10'], 'describe the change, e.g. ops-docs new "kubernetes cluster upgrade to v1.28"'],
    ['--name and --date that disagree', [...NEW, '--name', '2025-12-01-k8s-cluster-upgrade-v1.28'], '--name starts with 2025-12-01 but --date is 2025-11-10'],
    ['an unknown option', [...NEW, '--frobnicate'], 'unknown option --frobnicate: see ops-docs new --help'],
  ];
  for (const [what, args, message] of usage) {
    it(`${what} → exit 2, a message naming the problem, nothing written`, async () => {
      const cwd = tmp();
      const r = (await main(args, { cwd }));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('in a fresh folder lays down the whole layout doctor checks (active/, archive/, kept by git), so doctor --check passes', async () => {
    const cwd = tmp();
    expect((await main(NEW, { cwd })).code).toBe(0);
    for (const folder of ['active', 'archive']) expect(readFileSync(join(cwd, 'ops', folder, '.gitkeep'), 'utf8')).toBe('');
    const after = (await main(['doctor', '--check'], { cwd }));
    expect(after.stdout).toBe('');
    expect(after.stderr).toBe('1 task(s): all healthy\n');
    expect(after.code).toBe(0);
    // A second task finds the layout in place and adds nothing to it.
    expect((await main(['new', '--provider', 'offline', '--date', '2025-11-11', 'redis failover'], { cwd })).code).toBe(0);
    expect(readdirSync(join(cwd, 'ops', 'archive'))).toEqual(['.gitkeep']);
  });

  it('--name replaces the derived name; the documents carry it', async () => {
    const cwd = tmp();
    const name = '2025-11-10-k8s-prod-eu-upgrade-v1.28';
    const r = (await main(['new', '--name', name, 'kubernetes cluster upgrade to v1.28'], { cwd }));
    expect(r.code).toBe(0);
    expect(tree(join(cwd, 'ops'))).toEqual(['active/.gitkeep', ...files(name).map((f) => `active/${name}/${f}`), 'archive/.gitkeep']);
    expect(readFileSync(join(cwd, 'ops', 'active', name, `${name}-checklist.md`), 'utf8')).toContain(`task: ${name}\n`);
    expect((await main(['validate', '--strict', 'ops'], { cwd })).code).toBe(0);
  });

  for (const hostile of ['x"; touch PWNED; echo "', '$(touch PWNED)', '`touch PWNED` redis failover']) {
    it(`--stdin with hostile text ${JSON.stringify(hostile)} stays plain data and runs nothing`, async () => {
      const cwd = tmp();
      const r = (await main(['new', '--stdin', '--date', '2025-11-10', '--name', '2025-11-10-app-change-hostile', '--json'], { cwd, input: hostile }));
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      const all = tree(cwd);
      expect(all.some((f) => f.includes('PWNED'))).toBe(false);
      expect(existsSync(join(cwd, 'PWNED'))).toBe(false);
      const runbook = readFileSync(join(cwd, out.files[0]), 'utf8');
      // The text is in the document as escaped prose, never inside a code block.
      const codeBlocks = runbook.match(/```[\s\S]*?```/g) ?? [];
      expect(codeBlocks.some((b) => b.includes('PWNED'))).toBe(false);
      expect(runbook).toContain('PWNED');
      expect((await main(['validate', 'ops'], { cwd })).code).toBe(0);
    });
  }

  it('a team playbook in <ops>/templates/playbooks/ is used instead of the built-in one', async () => {
    const cwd = tmp();
    const own = join(cwd, 'ops', 'templates', 'playbooks');
    mkdirSync(own, { recursive: true });
    const p = parse(readFileSync(join(ROOT, 'templates', 'playbooks', 'k8s-kubeadm-upgrade.yaml'), 'utf8'));
    p.steps[0].title = { en: 'Run our etcd backup job', zh: '运行我们的 etcd 备份任务' };
    writeFileSync(join(own, 'k8s-kubeadm-upgrade.yaml'), stringify(p));
    expect((await main(NEW, { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'ops', 'active', K8S, `${K8S}-runbook.md`), 'utf8')).toContain('### Step S1: Run our etcd backup job\n');
  });

  it('documents that still fail validation go to ops/.drafts/<task>/ with their findings; nothing in active/ (exit 1)', async () => {
    const cwd = tmp();
    // A team standard the offline renderer cannot satisfy: a mandatory field with a strict form it can only leave
    // as TODO — wrong form (runbook-impact-ticket) and a blank under the strict check of a known playbook.
    const std = join(cwd, 'ops', 'templates', 'standard');
    mkdirSync(std, { recursive: true });
    cpSync(join(ROOT, 'templates', 'standard'), std, { recursive: true });
    const rb = parse(readFileSync(join(std, 'runbook.yaml'), 'utf8'));
    rb.sections[1].fields.push({ id: 'ticket', label: { en: 'Change ticket', zh: '变更单' }, match: { pattern: '^CHG-\\d+$', name: 'ticket' } });
    writeFileSync(join(std, 'runbook.yaml'), stringify(rb));
    const r = (await main(NEW, { cwd }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: the documents still fail validation (1 error(s)); nothing was written to active/. Drafts and findings: ops/.drafts/${K8S}/\n`
      + `  ${K8S}-runbook.md:34:1  "Change ticket" in section "Impact Assessment" should be text matching /ticket/  runbook-impact-ticket\n`);
    expect(existsSync(join(cwd, 'ops', 'active', K8S))).toBe(false);
    expect(readdirSync(join(cwd, 'ops', '.drafts', K8S)).sort()).toEqual([...files(K8S), 'findings.json'].sort());
    const findings = JSON.parse(readFileSync(join(cwd, 'ops', '.drafts', K8S, 'findings.json'), 'utf8'));
    expect(findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { ruleId: string; file: string }) => `${f.file}:${f.ruleId}`))
      .toEqual([`${K8S}-runbook.md:runbook-impact-ticket`]);
  });

  it('a section a team adds to its standard is written as a marked blank: the task is written, with a warning', async () => {
    const cwd = tmp();
    const std = join(cwd, 'ops', 'templates', 'standard');
    mkdirSync(std, { recursive: true });
    cpSync(join(ROOT, 'templates', 'standard'), std, { recursive: true });
    const rb = parse(readFileSync(join(std, 'runbook.yaml'), 'utf8'));
    rb.sections.push({ id: 'communication', title: { en: 'Communication Plan', zh: '沟通计划' }, require: 'content',
      guidance: { en: 'Who is told what, when, through which channel.', zh: '在何时、通过何种渠道、通知谁什么内容。' } });
    writeFileSync(join(std, 'runbook.yaml'), stringify(rb));
    const r = (await main([...NEW, '--json'], { cwd }));
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.validation).toMatchObject({ ok: true, strict: false, errors: 0, warnings: 1 });
    expect(summary.validation.findings.map((f: { ruleId: string; file: string }) => `${f.file}:${f.ruleId}`)).toEqual([`${K8S}-runbook.md:no-placeholders`]);
    const text = readFileSync(join(cwd, 'ops', 'active', K8S, `${K8S}-runbook.md`), 'utf8');
    expect(text).toContain('## Communication Plan\n');
    // The team's own validate --strict then names the blank to fill.
    const strict = (await main(['validate', '--strict', '--format', 'json', join('ops', 'active', K8S)], { cwd }));
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).map((f: { ruleId: string }) => f.ruleId)).toEqual(['no-placeholders']);
  });

  it('--force never replaces a change that is in progress', async () => {
    const cwd = tmp();
    expect((await main(NEW, { cwd })).code).toBe(0);
    const dir = join(cwd, 'ops', 'active', K8S);
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      writeFileSync(file, readFileSync(file, 'utf8').replace('status: planned', 'status: in-progress'));
    }
    const before = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'));
    const r = (await main([...NEW, '--force'], { cwd }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: task ops/active/${K8S} is in progress: a running change is never replaced, even with --force; finish, roll back or cancel it first (ops-docs status ${K8S} done|rolled-back|cancelled), or choose another --name\n`);
    expect(readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'))).toEqual(before);
    expect(existsSync(join(cwd, 'ops', '.trash'))).toBe(false);
  });

  it('a killed run leaves either no task or a complete one — never half of one', async () => {
    for (const delay of [5, 40, 80, 120, 160, 200, 260, 330]) {
      const cwd = tmp();
      await new Promise<void>((resolve) => {
        const p = spawn(process.execPath, [CLI, ...NEW], { cwd, env: { ...process.env, ANTHROPIC_API_KEY: '' } });
        setTimeout(() => p.kill('SIGKILL'), delay);
        p.on('close', () => resolve());
      });
      const active = join(cwd, 'ops', 'active');
      const tasks = existsSync(active) ? readdirSync(active) : [];
      if (tasks.length) {
        expect(tasks).toEqual([K8S]);
        expect(readdirSync(join(active, K8S)).sort()).toEqual(files(K8S));
        expect((await main(['validate', '--strict', 'ops/active'], { cwd })).code).toBe(0);
      }
    }
  });

  it('SIGINT during a run leaves no task and no staging folder', async () => {
    for (const delay of [20, 90, 150, 220]) {
      const cwd = tmp();
      const code = await new Promise<number | null>((resolve) => {
        const p = spawn(process.execPath, [CLI, ...NEW], { cwd, env: { ...process.env, ANTHROPIC_API_KEY: '' } });
        setTimeout(() => p.kill('SIGINT'), delay);
        p.on('close', (c) => resolve(c));
      });
      const ops = join(cwd, 'ops');
      const staging = existsSync(ops) ? readdirSync(ops).filter((n) => n.startsWith('.tmp-')) : [];
      expect(staging).toEqual([]);
      const active = join(ops, 'active', K8S);
      if (code === 0) expect(readdirSync(active).sort()).toEqual(files(K8S));
      else expect(existsSync(active)).toBe(false);
    }
  });
});
