/**
 * What is read and where: only regular files are read (a FIFO named like a runbook, a link, a device are refused
 * before any open: no verb hangs), task folders are real folders, kernel trees are no ops folder, SIGTERM ends
 * `new`, and the debris of killed processes and dead locks does not stay.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, VALID } from './helpers/fixtures.js';
import { TASK, runCliObeyingModes, setup, withStatus } from './helpers/lifecycle.js';
import { cli } from './helpers/cli.js';
import { tmp } from './helpers/tmp.js';

const KINDS = ['runbook', 'rollback', 'checklist', 'postmortem-template'];

/** Every entry under a folder with its bytes; a FIFO or a link is recorded as such, never opened. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = p.slice(dir.length + 1);
      if (st.isDirectory()) { out[rel + '/'] = ''; walk(p); }
      else if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isFIFO()) out[rel] = 'fifo';
      else out[rel] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

/** A task whose runbook is a FIFO: any open of it would block for ever. */
function withFifoRunbook() {
  const t = setup();
  const runbook = t.file('runbook');
  renameSync(runbook, `${runbook}.orig`);
  execFileSync('mkfifo', [runbook]);
  return t;
}

describe('only regular files are read', () => {
  it('a FIFO named as the runbook: validate reports it (document-readable) and still checks the rest', () => {
    const t = withFifoRunbook();
    // A second, valid task in the same tree: its findings (none) and its documents are still counted.
    execFileSync('cp', ['-r', VALID.zh, join(t.ops, 'active')]);
    const r = cli(['validate', join(t.ops, 'active'), '--no-cache', '--format', 'json'], { cwd: t.root });
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout) as { file: string; ruleId: string; message: string }[];
    expect(found.map((f) => [f.file.split('/').pop(), f.ruleId])).toEqual([[`${TASK}-runbook.md`, 'document-readable']]);
    expect(found[0]!.message).toBe('cannot read the document: it is a named pipe (FIFO), not a regular file');
  });

  for (const args of [['list'], ['doctor'], ['status', TASK, 'approved', '--by', 'alice'], ['print', TASK], ['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--force'], ['archive', TASK, '--force']]) {
    it(`${args[0]} with a FIFO as the runbook ends (no hang) and writes nothing`, async () => {
      const t = withFifoRunbook();
      const before = snapshot(t.root);
      const r = await t.run(args);
      expect(r.code).not.toBeNull(); // not killed by the helper's timeout
      if (args[0] === 'list' || args[0] === 'doctor') {
        expect(r.stdout + r.stderr).toContain(TASK);
      } else {
        expect(r).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ops/active/${TASK}/${TASK}-runbook.md is a named pipe (FIFO), not a regular file: only regular files are read as documents; replace it with the file itself\n` });
      }
      expect(snapshot(t.root)).toEqual(before);
    }, 30_000);
  }

  it('a symbolic link as a document is refused, not followed', async () => {
    const t = setup();
    const outside = join(t.root, 'elsewhere.md');
    renameSync(t.file('checklist'), outside);
    symlinkSync(outside, t.file('checklist'));
    const before = snapshot(t.root);
    const r = await t.run(['status', TASK, 'approved', '--by', 'alice']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `ops-docs: ops/active/${TASK}/${TASK}-checklist.md is a symbolic link, not a regular file: only regular files are read as documents; replace it with the file itself\n` });
    expect(snapshot(t.root)).toEqual(before);
  });

  it('a symbolic link as a task folder: status and record refuse it and write nothing outside the ops folder', async () => {
    const t = setup();
    const outside = join(t.root, 'outside', TASK);
    mkdirSync(join(t.root, 'outside'));
    renameSync(t.taskDir, outside);
    symlinkSync(outside, t.taskDir);
    const before = snapshot(join(t.root, 'outside'));
    const message = `ops-docs: ops/active/${TASK} is a symbolic link, not a task folder: task folders must be real folders inside the ops folder; nothing was read or written\n`;
    expect(await t.run(['status', TASK, 'approved', '--by', 'alice'])).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--force'])).toEqual({ code: 1, stdout: '', stderr: message });
    expect(snapshot(join(t.root, 'outside'))).toEqual(before);
  });

  it('an unreadable document is a document-readable finding; the other tasks are still checked', () => {
    const t = setup();
    execFileSync('cp', ['-r', VALID.zh, join(t.ops, 'active')]);
    // The zh task gets an error of its own, so its findings show that it was checked.
    const zh = readdirSync(join(t.ops, 'active')).find((n) => n !== TASK)!;
    const zhRunbook = join(t.ops, 'active', zh, `${zh}-runbook.md`);
    writeFileSync(zhRunbook, readFileSync(zhRunbook, 'utf8').replace(/^kind: runbook$/m, 'kind: nonsense'));
    execFileSync('chmod', ['000', t.file('rollback')]);
    const r = runCliObeyingModes(t.root, ['validate', 'ops/active', '--no-cache', '--format', 'json'], { OPS_DOCS_LANG: 'en', OPS_DOCS_CACHE_DIR: join(t.root, 'cache') });
    expect(r.status).toBe(1);
    const found = (JSON.parse(r.stdout) as { file: string; ruleId: string; message: string }[]).filter((f) => f.ruleId === 'document-readable' || f.file.includes(zh));
    expect(found.find((f) => f.file.endsWith(`${TASK}-rollback.md`))).toMatchObject({ ruleId: 'document-readable', message: 'cannot read the document: EACCES' });
    expect(found.some((f) => f.file === zhRunbook && f.ruleId !== 'document-readable')).toBe(true);
  });
});

describe('kernel trees are not ops folders', () => {
  for (const [args, what] of [[['new', 'kubernetes cluster upgrade to v1.28', '--ops-dir', '/proc/self'], '--ops-dir /proc/self: /proc'], [['init', '/proc/self'], 'init /proc/self: /proc'], [['list', '--ops-dir', '/sys/kernel'], '--ops-dir /sys/kernel: /sys'], [['init', '/dev'], 'init /dev: /dev']] as const) {
    it(`${args.join(' ')} → exit 2 at once`, () => {
      const r = cli([...args], { cwd: tmp(), timeout: 20_000 });
      expect(r).toEqual({ code: 2, stdout: '', stderr: `ops-docs: ${what} is a system folder of the kernel, not storage; choose a folder in your repository\n` });
    });
  }

  it('a link to /proc is judged by where it leads', () => {
    const cwd = tmp();
    symlinkSync('/proc/self', join(cwd, 'ops'));
    expect(cli(['new', 'kubernetes cluster upgrade to v1.28'], { cwd, timeout: 20_000 }).stderr).toBe('ops-docs: --ops-dir ' + join(cwd, 'ops') + ': /proc is a system folder of the kernel, not storage; choose a folder in your repository\n');
  });
});

describe('signals and debris', () => {
  it('SIGTERM ends new while it waits on the model, with no task and no staging folder', async () => {
    // An API that accepts the connection and never answers: new waits on it until the signal.
    let asked = false;
    const server = createServer(() => { asked = true; /* and never answer */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const cwd = tmp();
    try {
      const child = spawn(process.execPath, [CLI, 'new', 'kubernetes cluster upgrade to v1.28'], {
        cwd, env: { ...process.env, OPS_DOCS_LANG: 'en', ANTHROPIC_API_KEY: 'sk-ant-test-dummy', ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` },
      });
      await new Promise<void>((r) => { const wait = () => (asked ? r() : setTimeout(wait, 20)); wait(); });
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      expect(code).toBe(130);
      expect(Date.now() - started).toBeLessThan(5000);
      const ops = join(cwd, 'ops');
      expect(existsSync(ops) ? readdirSync(ops).filter((n) => n.startsWith('.tmp-') || n === 'active' && readdirSync(join(ops, n)).length > 0) : []).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);

  it('an empty lock and a takeover guard left by a crash are taken over at once, and removed', async () => {
    const t = setup();
    for (const k of KINDS) writeFileSync(t.file(k), withStatus(t.read(k), 'in-progress', 'approved: 2025-11-12T10:00+00:00\nstarted: 2025-11-18T02:00+00:00'));
    mkdirSync(join(t.ops, '.locks'));
    writeFileSync(join(t.ops, '.locks', `${TASK}.lock`), '');
    writeFileSync(join(t.ops, '.locks', `${TASK}.lock.takeover`), '');
    const r = await t.run(['record', TASK, 'S1', '--result', 'pass', '--by', 'bob', '--at', '2025-11-18 02:04'], { OPS_DOCS_LOCK_WAIT_MS: '0' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(t.ops, '.locks'))).toBe(false);
  });

  it('temporary files of a killed process are swept from the task folder, so archive does not carry them', async () => {
    const t = setup();
    for (const k of KINDS) writeFileSync(t.file(k), withStatus(t.read(k), 'done', 'finished: 2025-11-18T03:30+00:00'));
    // A pid that cannot be running (above the kernel's pid_max).
    const debris = join(t.taskDir, `.tmp-${TASK}-runbook.md-99999999-0123abcd`);
    writeFileSync(debris, 'half a runbook');
    expect((await t.run(['archive', TASK, '--by', 'alice', '--at', '2025-11-20 10:00'])).code).toBe(0);
    expect(readdirSync(join(t.ops, 'archive', '2025', '11', TASK)).sort()).toEqual(KINDS.map((k) => `${TASK}-${k}.md`).sort());
  });

  it('new --force never moves an archived task out of archive/', () => {
    const cwd = tmp();
    const name = '2025-11-10-k8s-cluster-upgrade-v1.28';
    const archived = join(cwd, 'ops', 'archive', '2025', '11', name);
    execFileSync('mkdir', ['-p', join(cwd, 'ops', 'active'), join(cwd, 'ops', 'archive', '2025', '11')]);
    execFileSync('cp', ['-r', VALID.en, archived]);
    const before = snapshot(join(cwd, 'ops'));
    const r = cli(['new', 'kubernetes cluster upgrade to v1.28', '--name', name, '--force'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ops-docs: task ops/archive/2025/11/${name} is archived: an archived task is a record and is never replaced, even with --force; choose another name with --name\n`);
    expect(snapshot(join(cwd, 'ops'))).toEqual(before);
  });
});
