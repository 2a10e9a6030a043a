/**
 * One writer per task at a time. Every read-modify-write of a task's documents (status, record, archive) holds
 * `<ops>/.locks/<task>.lock`: without it two commands run at once both read the old checklist, and the second
 * rename silently throws away the first one's row.
 *
 * The lock is a file holding the owner's pid, host and start time. It is written in full under a temporary name
 * first and then hard-linked to the lock's name (link fails when the name is taken), so a lock is never seen
 * half-written: an empty or unreadable lock can only be debris (a crash of an older version, a damaged disk) and
 * is taken over at once, as is a lock whose owner is a dead process on this host (under a second exclusive file,
 * so two waiters never both take it over). A waiter retries for a few seconds. The lock is released in
 * `finally`, so an error never leaves it; a full disk is reported as such, not as "being changed".
 */
import { linkSync, mkdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { OpsDocsError } from '../errors.js';
import { alive, asWriteError, sweepDebris, tempName, writeNewFile } from './atomic.js';

export const LOCK_DIR = '.locks';

/** How long a command waits for another one working on the same task; OPS_DOCS_LOCK_WAIT_MS overrides it. */
const DEFAULT_WAIT_MS = 5000;
const RETRY_MS = 50;

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export class TaskLocked extends OpsDocsError {
  constructor(task: string, lockPath: string, owner: Owner | undefined, waitedMs: number) {
    const who = owner ? `process ${owner.pid} on ${owner.host}, since ${owner.since}` : 'another process';
    const whoZh = owner ? `${owner.host} 上的进程 ${owner.pid}，自 ${owner.since} 起` : '另一个进程';
    const secs = (waitedMs / 1000).toFixed(waitedMs < 1000 ? 1 : 0);
    super({
      en: `${task} is being changed by ${who}; waited ${secs} s, nothing written. Run the command again when it has finished (if no such process exists, delete ${lockPath})`,
      zh: `${task} 正在被${whoZh}修改；已等待 ${secs} 秒，未写入任何内容。请在其结束后重新运行该命令（如该进程已不存在，请删除 ${lockPath}）`,
    });
  }
}

export function lockPathFor(opsDir: string, task: string): string {
  return join(opsDir, LOCK_DIR, `${task}.lock`);
}

function waitLimit(): number {
  const v = Number(process.env.OPS_DOCS_LOCK_WAIT_MS);
  return Number.isFinite(v) && v >= 0 ? Math.min(v, 600_000) : DEFAULT_WAIT_MS;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: String(o.since ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

function readOwner(path: string): Owner | undefined {
  try {
    return parseOwner(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}


/** Create the file exclusively with our identity, complete from its first instant; false when it exists. */
function tryCreate(path: string): boolean {
  const tmp = tempName(path);
  const owner = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }) + '\n';
  try {
    writeNewFile(tmp, owner, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // The lock folder was removed by a holder releasing the last lock: make it again.
    mkdirSync(dirname(path), { recursive: true });
    return tryCreate(path);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw asWriteError(err, path);
  } finally {
    try { unlinkSync(tmp); } catch { /* already gone */ }
  }
}

/**
 * Whether the lock at `path` belongs to nobody: its process is gone (same host only: a pid means nothing on
 * another machine sharing the folder), or it holds no owner at all (see the top: ours never look like that).
 */
function isStale(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT'; // gone already: the next attempt will create it
  }
  const owner = parseOwner(text);
  if (owner) return owner.host === hostname() && !alive(owner.pid);
  return true;
}

/** Remove a stale lock, one taker at a time, re-checking under the guard that it is still the stale one. */
function takeOverStale(path: string): void {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard)) {
    // A guard left by a waiter that died is removed, and taken once more: otherwise this waiter would give up.
    if (!isStale(guard)) return;
    try { unlinkSync(guard); } catch { /* another waiter removed it */ }
    if (!tryCreate(guard)) return;
  }
  try {
    if (isStale(path)) {
      try { unlinkSync(path); } catch { /* already gone */ }
    }
  } finally {
    try { unlinkSync(guard); } catch { /* already gone */ }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run `fn` holding the task's lock; waits for another holder, refuses with TaskLocked after the wait limit. */
export async function withTaskLock<T>(opsDir: string, task: string, fn: () => Promise<T> | T): Promise<T> {
  const path = lockPathFor(opsDir, task);
  try {
    mkdirSync(join(opsDir, LOCK_DIR), { recursive: true });
  } catch (err) {
    throw new OpsDocsError({
      en: `cannot create the lock folder ${join(opsDir, LOCK_DIR)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing written`,
      zh: `无法创建锁目录 ${join(opsDir, LOCK_DIR)}（${(err as NodeJS.ErrnoException).code ?? (err as Error).message}）；未写入任何内容`,
    });
  }
  sweepDebris(join(opsDir, LOCK_DIR));
  const limit = waitLimit();
  const start = Date.now();
  try {
    for (;;) {
      if (tryCreate(path)) break;
      if (isStale(path)) {
        takeOverStale(path);
        if (tryCreate(path)) break;
      }
      // Still taken (or the stale one could not be removed): wait, within the limit.
      const waited = Date.now() - start;
      if (waited >= limit) throw new TaskLocked(task, relative(process.cwd(), path) || path, readOwner(path), waited);
      // A little jitter, so two waiters do not retry in lockstep.
      await sleep(RETRY_MS + Math.floor(Math.random() * RETRY_MS));
    }
  } catch (err) {
    // Not even the lock could be written (a full disk): leave the ops folder as it was found.
    try { rmdirSync(dirname(path)); } catch { /* another lock is held, or it is gone */ }
    throw err;
  }
  try {
    return await fn();
  } finally {
    // Only our own lock is removed: a lock taken over from us (we were judged dead) is someone else's now.
    const owner = readOwner(path);
    if (owner?.pid === process.pid && owner.host === hostname()) {
      try { unlinkSync(path); } catch { /* already gone */ }
    }
    // A takeover guard left by a waiter that died is debris too.
    const guard = `${path}.takeover`;
    if (isStale(guard)) try { unlinkSync(guard); } catch { /* already gone */ }
    // Leave no trace when nobody else is waiting: a command leaves the ops folder as it found it.
    try { rmdirSync(dirname(path)); } catch { /* another lock is held, or it is gone */ }
  }
}
