/** The CLI as a user meets it: help, version, exit codes, output formats, the name verb. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { countAndPrune } from '../src/workspace/validate-run.js';
import { join } from 'node:path';
import { main } from './helpers/main.js';
import { ROOT, VALID } from './helpers/fixtures.js';
import { opsWith, tmp } from './helpers/tmp.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('ops-docs', () => {
  it('--version prints the package version', async () => {
    expect((await main(['--version']))).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
  it('--help lists the verbs; no arguments prints it too and exits 0, as git and npm do', async () => {
    const help = (await main(['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ops-docs — documents for a planned production change/);
    expect(help.stdout).toMatch(/\n {2}validate {2}check documents against the standard\n/);
    expect(help.stdout).toMatch(/\n {2}name {6}print the task name a description gets\n/);
    expect((await main([]))).toEqual({ code: 0, stdout: help.stdout, stderr: '' });
  });
  it('help in Chinese when the locale is Chinese', async () => {
    const r = (await main(['--help'], { env: { OPS_DOCS_LANG: 'zh_CN.UTF-8' } }));
    expect(r.stdout).toMatch(/^ops-docs —— 为计划内的生产变更生成文档/);
  });
  it('help for every verb, via help <verb> and <verb> --help', async () => {
    for (const verb of ['validate', 'name']) {
      const a = (await main(['help', verb]));
      const b = (await main([verb, '--help']));
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).toMatch(new RegExp(`^Usage: ops-docs ${verb} `));
    }
  });
  it('an unknown verb or option is a usage error (exit 2) naming it', async () => {
    expect((await main(['frobnicate']))).toEqual({ code: 2, stdout: '', stderr: 'ops-docs: unknown verb "frobnicate": run ops-docs --help for the list\n' });
    expect((await main(['validate', '--bogus']))).toMatchObject({ code: 2, stderr: 'ops-docs: unknown option --bogus: see ops-docs validate --help\n' });
    expect((await main(['validate', '--format']))).toMatchObject({ code: 2, stderr: 'ops-docs: option --format needs a value: see ops-docs validate --help\n' });
    expect((await main(['validate', '--strict=yes']))).toMatchObject({ code: 2, stderr: 'ops-docs: option --strict takes no value: see ops-docs validate --help\n' });
    expect((await main(['status', '--bogus'], { env: { OPS_DOCS_LANG: 'zh' } }))).toMatchObject({ code: 2, stderr: 'ops-docs: 未知选项 --bogus：请查看 ops-docs status --help\n' });
  });
  it('a filesystem refusal is a clear error (exit 1), not a crash with a stack trace', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ops'));
    writeFileSync(join(dir, 'ops', 'active'), 'a file where the active folder should be');
    const r = (await main(['new', '--provider', 'offline', 'redis failover'], { cwd: dir }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: cannot mkdir ${join(dir, 'ops', 'active')}: a file stands where a folder is expected; nothing was changed\n`);
    expect(readFileSync(join(dir, 'ops', 'active'), 'utf8')).toBe('a file where the active folder should be');
    expect(readdirSync(join(dir, 'ops'))).toEqual(['active']);
  });
  it('the shipped bin (the bundle) behaves as the compiled entry', async () => {
    const bin = join(ROOT, pkg.bin['ops-docs']!);
    const r = spawnSync(process.execPath, [bin, 'validate', '--no-cache', VALID.en], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});


describe('ops-docs validate', () => {
  const env = () => ({ OPS_DOCS_CACHE_DIR: join(tmp(), 'cache') });

  it('valid tasks: exit 0, nothing on stdout, the count on stderr', async () => {
    const r = (await main(['validate', VALID.en, VALID.zh], { env: env() }));
    expect(r).toEqual({ code: 0, stdout: '', stderr: '8 document(s) in 2 task(s): 0 error(s), 0 warning(s)\n' });
  });

  it('a named path without task documents fails (exit 1); an empty default ops/active is fine', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ops', 'active'), { recursive: true });
    writeFileSync(join(dir, 'ops', 'README.md'), '# ops\n');
    expect((await main(['validate', 'ops'], { cwd: dir, env: env() }))).toEqual({
      code: 1, stdout: '',
      stderr: 'ops-docs: no task documents under ops: documents are named <task>-<kind>.md (runbook, rollback, checklist, postmortem-template)\n',
    });
    expect((await main(['validate'], { cwd: dir, env: env() }))).toEqual({ code: 0, stdout: '', stderr: '0 document(s) in 0 task(s): 0 error(s), 0 warning(s)\n' });
  });

  it('defaults to ops/active under the current folder', async () => {
    const { root } = opsWith(VALID.en);
    const r = (await main(['validate'], { cwd: root, env: env() }));
    expect(r.stderr).toBe('4 document(s) in 1 task(s): 0 error(s), 0 warning(s)\n');
    expect(r.code).toBe(0);
  });

  it('errors: exit 1, one line per finding with path:line:column, severity, message, rule id', async () => {
    const { root, taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('- **Expected downtime:** none (rolling); API server unavailable for up to 2 min per control-plane node\n', ''));
    const r = (await main(['validate', 'ops'], { cwd: root, env: env() }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`ops/active/${task}/${task}-runbook.md:18:1  error  section "Impact Assessment" lacks "Expected downtime" (also: Downtime, Expected outage, Service interruption, Outage, …): add a line "**Expected downtime:** …"  runbook-impact-downtime\n`);
    expect(r.stderr).toBe('4 document(s) in 1 task(s): 1 error(s), 0 warning(s)\n');
  });

  it('--format json: file, line, column, ruleId, severity, message', async () => {
    const { taskDir, task } = opsWith(VALID.zh);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('- **风险等级：** 高', '- **风险等级：** 还行'));
    const r = (await main(['validate', '--format', 'json', taskDir], { env: env() }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([{
      file, line: 22, column: 1, ruleId: 'runbook-impact-risk', severity: 'error',
      message: '章节“影响范围评估”中的“风险等级”应为低、中、高、严重之一',
    }]);
    expect(r.stderr).toBe('');
  });

  it('warnings alone exit 0; --strict makes them errors and exit 1', async () => {
    const { taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-rollback.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('API server 5xx rate above 5% for 10 minutes', 'API server 5xx rate above TBD'));
    const lax = (await main(['validate', taskDir], { env: env() }));
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(/rollback\.md:15:29 {2}warning {2}placeholder "TBD" left in the document: replace it with the real value {2}no-placeholders\n$/);
    const strict = (await main(['validate', '--strict', taskDir], { env: env() }));
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/rollback\.md:15:29 {2}error {2}placeholder "TBD"/);
  });

  it('one file: checked with its task for context, findings only for that file', async () => {
    const { taskDir, task } = opsWith(VALID.en);
    const cl = join(taskDir, `${task}-checklist.md`);
    writeFileSync(cl, readFileSync(cl, 'utf8').replace(/^\| S2 \|.*\n/m, ''));
    const rb = (await main(['validate', '--format', 'json', join(taskDir, `${task}-runbook.md`)], { env: env() }));
    expect(rb.code).toBe(0);
    expect(JSON.parse(rb.stdout)).toEqual([]);
    const one = (await main(['validate', '--format', 'json', cl], { env: env() }));
    expect(one.code).toBe(1);
    expect((JSON.parse(one.stdout) as { ruleId: string }[]).map((f) => f.ruleId)).toEqual(['checklist-steps-coverage']);
  });

  it('usage errors exit 2: missing path, a non-markdown file, a bad --format or --workers', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect((await main(['validate', join(dir, 'nope')]))).toMatchObject({ code: 2, stderr: `ops-docs: no such file or folder: ${join(dir, 'nope')}\n` });
    expect((await main(['validate', join(dir, 'notes.txt')]))).toMatchObject({ code: 2, stderr: `ops-docs: ${join(dir, 'notes.txt')} is not a markdown file (.md)\n` });
    expect((await main(['validate', '--format', 'xml', dir]))).toMatchObject({ code: 2, stderr: 'ops-docs: --format must be text, json or github, not "xml"\n' });
    expect((await main(['validate', '--workers', '0', dir]))).toMatchObject({ code: 2, stderr: 'ops-docs: --workers must be a whole number from 1 to 64, not "0"\n' });
  });

  it('the cache answers unchanged tasks and misses changed ones: one file per result, readable by the user only', async () => {
    const { taskDir, task } = opsWith(VALID.en);
    const e = env();
    const results = join(e.OPS_DOCS_CACHE_DIR, 'results');
    expect((await main(['validate', taskDir], { env: e })).code).toBe(0);
    const [entry, ...more] = readdirSync(results).filter((f) => f.endsWith('.json'));
    expect(more).toEqual([]);
    expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(readFileSync(join(results, entry!), 'utf8')).toBe('[]');
    expect(statSync(join(results, entry!)).mode & 0o777).toBe(0o600);
    expect(statSync(results).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(results, 'written'), 'utf8')).toBe('1');
    // Answered from the cache, not checked again: an answer planted in the entry is what the run reports.
    writeFileSync(join(results, entry!), JSON.stringify([{ file: 'planted', line: 1, column: 1, severity: 'error', ruleId: 'planted', message: 'from the cache' }]));
    const planted = (await main(['validate', '--format', 'json', taskDir], { env: e }));
    expect(planted.code).toBe(1);
    expect((JSON.parse(planted.stdout) as { ruleId: string; message: string }[]).map((f) => [f.ruleId, f.message])).toEqual([['planted', 'from the cache']]);
    writeFileSync(join(results, entry!), '[]');
    const file = join(taskDir, `${task}-rollback.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Post-Rollback Verification', '## Afterwards'));
    const r = (await main(['validate', '--format', 'json', taskDir], { env: e }));
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId)).toEqual(['rollback-verification']);
    expect(readdirSync(results).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(readFileSync(join(results, 'written'), 'utf8')).toBe('2');
  });

  it('a damaged or foreign cache entry is checked again and rewritten; the single cache file of earlier versions goes', async () => {
    const { taskDir } = opsWith(VALID.en);
    const e = env();
    const results = join(e.OPS_DOCS_CACHE_DIR, 'results');
    writeFileSync((mkdirSync(e.OPS_DOCS_CACHE_DIR, { recursive: true }), join(e.OPS_DOCS_CACHE_DIR, 'validate-cache.json')), '{"old":[]}');
    expect((await main(['validate', taskDir], { env: e })).code).toBe(0);
    expect(readdirSync(e.OPS_DOCS_CACHE_DIR)).toContain('results');
    expect(readdirSync(e.OPS_DOCS_CACHE_DIR)).not.toContain('validate-cache.json');
    const [entry] = readdirSync(results).filter((f) => f.endsWith('.json'));
    const foreign = { file: 'x.md', line: 1, column: 1, ruleId: 'r', severity: 'fatal', message: 'm' };
    for (const damaged of ['[{"file":', '{"not":"a list"}', '[null]', '[1]', JSON.stringify([foreign]), JSON.stringify([{ ...foreign, severity: 'error', line: '1' }])]) {
      writeFileSync(join(results, entry!), damaged);
      expect((await main(['validate', '--format', 'json', taskDir], { env: e }))).toMatchObject({ code: 0, stdout: '[]\n' });
      expect(readFileSync(join(results, entry!), 'utf8')).toBe('[]');
    }
  });

  it('past 5,500 results written the cache is pruned to the 5,000 most recently written, and the count starts again from what is left', async () => {
    const { taskDir } = opsWith(VALID.en);
    const e = env();
    const results = join(e.OPS_DOCS_CACHE_DIR, 'results');
    mkdirSync(results, { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(results, `${String(i).repeat(64)}.json`), '[]');
    writeFileSync(join(results, 'written'), '5499');
    expect((await main(['validate', taskDir], { env: e })).code).toBe(0);
    expect(readFileSync(join(results, 'written'), 'utf8')).toBe('5500');
    expect((await main(['validate', '--strict', taskDir], { env: e })).code).toBe(0);
    // 5,501: pruned. Five entries are far fewer than 5,000, so all stay, and the count is what the folder holds.
    expect(readdirSync(results).filter((f) => f.endsWith('.json'))).toHaveLength(5);
    expect(readFileSync(join(results, 'written'), 'utf8')).toBe('5');
  });

  it('pruning keeps the most recently written results and removes the oldest, only once the slack is used up', () => {
    const dir = tmp();
    const names = Array.from({ length: 12 }, (_, i) => `${i.toString(16).repeat(64)}.json`);
    names.forEach((n, i) => {
      writeFileSync(join(dir, n), '[]');
      utimesSync(join(dir, n), new Date(), new Date(Date.now() - i * 60_000)); // names[0] is the newest
    });
    writeFileSync(join(dir, 'written'), '10');
    countAndPrune(dir, 1, 8, 4); // 11: within 8 + 4
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(12);
    expect(readFileSync(join(dir, 'written'), 'utf8')).toBe('11');
    countAndPrune(dir, 2, 8, 4); // 13: past it
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(names.slice(0, 8).sort());
    expect(readFileSync(join(dir, 'written'), 'utf8')).toBe('8');
  });

  it('worker threads find exactly what one thread finds', async () => {
    // Enough tasks that each of two workers gets several of both languages.
    const TASKS = 24;
    const root = tmp();
    for (let i = 0; i < TASKS; i++) {
      const src = i % 2 ? VALID.en : VALID.zh;
      const task = src.split('/').pop()!;
      const name = task.replace(/^(\d{4}-\d{2}-\d{2}-[a-z0-9]+)/, `$1${i}`);
      const dir = join(root, 'ops', 'active', name);
      mkdirSync(dir, { recursive: true });
      cpSync(src, dir, { recursive: true });
    }
    const one = (await main(['validate', '--no-cache', '--workers', '1', '--format', 'json', root]));
    const two = (await main(['validate', '--no-cache', '--workers', '2', '--format', 'json', root]));
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect((JSON.parse(one.stdout) as unknown[]).length).toBe(TASKS * 4 * 2); // every file misnamed: file name and frontmatter task
  });
});

describe('ops-docs name', () => {
  const cases: [string, string, string][] = [
    ['2025-11-03', 'database migration from PostgreSQL 12 to 15', '2025-11-03-postgres-upgrade-v12-to-v15'],
    ['2025-11-10', 'kubernetes cluster upgrade to v1.28', '2025-11-10-k8s-cluster-upgrade-v1.28'],
    ['2025-11-15', 'CDN provider switchover from CloudFlare to AWS CloudFront', '2025-11-15-cdn-switchover-cloudflare-to-aws'],
    ['2025-11-03', '将 PostgreSQL 数据库从 12 升级到 15', '2025-11-03-postgres-upgrade-v12-to-v15'],
    ['2025-11-10', 'Kubernetes 集群升级到 v1.28', '2025-11-10-k8s-cluster-upgrade-v1.28'],
    ['2025-11-15', 'CDN 从 Cloudflare 切换到 AWS CloudFront', '2025-11-15-cdn-switchover-cloudflare-to-aws'],
    ['2026-01-05', 'MySQL 5.7 to 8.0 upgrade', '2026-01-05-mysql-upgrade-v5.7-to-v8.0'],
    ['2026-01-05', 'rotate TLS certificates for api.example.com', '2026-01-05-tls-rotation-api.example.com'],
    ['2026-01-05', 'Redis 主从切换', '2026-01-05-redis-failover-planned'],
    ['2026-01-05', 'Kafka broker scale out from 3 to 6 brokers', '2026-01-05-kafka-broker-scale-out-6-brokers'],
    ['2026-01-05', '生产 Kafka 集群扩容到 6 个 broker', '2026-01-05-kafka-cluster-scale-out-6-brokers'],
    ['2026-01-05', '域名解析从阿里云迁移到 Cloudflare', '2026-01-05-dns-migration-aliyun-to-cloudflare'],
  ];
  for (const [date, description, expected] of cases) {
    it(`${description} → ${expected}`, async () => {
      expect((await main(['name', '--date', date, ...description.split(' ')]))).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
    });
  }
  it('--stdin and --json', async () => {
    const r = (await main(['name', '--stdin', '--json', '--date', '2025-11-10'], { input: 'kubernetes cluster upgrade to v1.28' }));
    expect(JSON.parse(r.stdout)).toEqual({ date: '2025-11-10', system: 'k8s', operation: 'upgrade', desc: 'v1.28', name: '2025-11-10-k8s-cluster-upgrade-v1.28' });
  });
  it('hostile text becomes a safe name: no slash, dots, spaces or shell metacharacters', async () => {
    for (const text of ['x"; touch PWNED; echo "', '$(touch PWNED)', '`touch PWNED`', '../../etc/passwd upgrade', 'a/b\\c | rm -rf / && reboot']) {
      // The text as one argument, in-process: what --stdin reads goes the same way (see "--stdin and --json").
      const r = (await main(['name', '--date', '2025-01-01', text]));
      expect(r.code).toBe(0);
      const name = r.stdout.trim();
      expect(name).toMatch(/^2025-01-01-[a-z0-9.-]+$/);
      expect(name).not.toMatch(/\.\.|\/|\s|[;$`|&"'\\]/);
      expect(name.length).toBeLessThanOrEqual(80);
    }
  });
  it('a long description is cut to 80 characters at a word boundary', async () => {
    const r = (await main(['name', '--date', '2025-01-01', 'postgres', 'upgrade', ...Array.from({ length: 30 }, (_, i) => `component${i}`)]));
    expect(r.stdout.trim().length).toBeLessThanOrEqual(80);
    expect(r.stdout.trim()).toMatch(/^2025-01-01-postgres-upgrade-component0-component1-component2$/);
  });
  it('bad input: exit 2 with the problem named', async () => {
    expect((await main(['name', '--date', '2025-02-30', 'redis failover']))).toMatchObject({ code: 2, stderr: 'ops-docs: invalid date "2025-02-30": no such day\n' });
    expect((await main(['name', '--date', '11/10/2025', 'redis failover']))).toMatchObject({ code: 2, stderr: 'ops-docs: invalid date "11/10/2025": expected YYYY-MM-DD\n' });
    expect((await main(['name']))).toMatchObject({ code: 2, stderr: 'ops-docs: describe the change, e.g. ops-docs name kubernetes cluster upgrade to v1.28\n' });
    expect((await main(['name', '!!!', '???']))).toMatchObject({ code: 2 });
  });
});

describe('the package entry (import "ops-docs")', () => {
  it('exposes the standard, the validator and naming', async () => {
    const lib = await import(join(ROOT, 'dist', 'src', 'index.js'));
    const standard = lib.loadStandard();
    const task = VALID.en.split('/').pop()!;
    const sources = ['runbook', 'rollback', 'checklist', 'postmortem-template']
      .map((k) => ({ path: join(VALID.en, `${task}-${k}.md`), bytes: readFileSync(join(VALID.en, `${task}-${k}.md`)) }));
    expect(lib.validateSources(sources, standard, { strict: true })).toEqual([]);
    expect(lib.RULES.map((r: { name: string }) => r.name)).toEqual([
      'document-kind', 'frontmatter-schema', 'required-sections', 'section-fields', 'section-items', 'section-table',
      'section-list', 'printable-tables', 'no-placeholders', 'review-arithmetic', 'review-commands', 'review-gates', 'review-backup',
      'review-request-names', 'task-files', 'checklist-coverage', 'review-restore-source', 'review-checklist-times',
      'review-window-rollback',
    ]);
    expect(lib.deriveTaskName('kubernetes cluster upgrade to v1.28', { date: '2025-11-10', rule: standard.common.taskName }).name).toBe('2025-11-10-k8s-cluster-upgrade-v1.28');
  });
});
