/**
 * The life of a change: planned → approved → in-progress → done | rolled-back | cancelled (planned and approved
 * may also be cancelled). Every document carries `status`; all four are written together, and the checklist — the
 * record signed during the change — is canonical: it is written last, so an interrupted write leaves it at the
 * old state and running the same command again completes the move.
 */
import type { Status } from '../standard/types.js';
import { STATUSES } from '../standard/types.js';

export const FINISHED: readonly Status[] = ['done', 'rolled-back', 'cancelled'];

const NEXT: Record<Status, Status[]> = {
  planned: ['approved', 'cancelled'],
  approved: ['in-progress', 'cancelled'],
  'in-progress': ['done', 'rolled-back', 'cancelled'],
  done: [],
  'rolled-back': [],
  cancelled: [],
};

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}

export function allowedMoves(from: Status): Status[] {
  return NEXT[from];
}

export type MoveCheck = { ok: true } | { ok: false; forcible: boolean };

/** Whether `from → to` is a move of the lifecycle. Starting an unapproved change is the one move --force allows. */
export function checkMove(from: Status, to: Status): MoveCheck {
  if (NEXT[from].includes(to)) return { ok: true };
  return { ok: false, forcible: from === 'planned' && to === 'in-progress' };
}

/** The frontmatter date field each state stamps. */
export const STAMP: Partial<Record<Status, 'approved' | 'started' | 'finished'>> = {
  approved: 'approved',
  'in-progress': 'started',
  done: 'finished',
  'rolled-back': 'finished',
  cancelled: 'finished',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date `YYYY-MM-DD`. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local time with its offset, to the minute: `2025-11-10T02:00+01:00` (what the datetime fields hold). */
export function isoMinute(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${isoDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Local `YYYY-MM-DD HH:MM`, the form written into checklist cells (short enough for a printed column). */
export function cellTime(d: Date): string {
  return `${isoDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A time given on the command line: `HH:MM` (today), `YYYY-MM-DD HH:MM`, or ISO 8601 with an optional offset.
 * Returns undefined when it is none of these.
 */
export function parseTime(text: string, now = new Date()): Date | undefined {
  const t = text.trim();
  let m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (m) {
    const [h, mi] = [Number(m[1]), Number(m[2])];
    if (h > 23 || mi > 59) return undefined;
    return new Date(now.getFullYear(), now.getMonth(), now.getDate(), h, mi);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  let date: Date;
  if (m[7]) {
    const iso = `${m[1]}-${m[2]}-${m[3]}T${pad(h!)}:${pad(mi!)}:${pad(s!)}${m[7] === 'Z' ? 'Z' : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
    date = new Date(iso);
  } else {
    date = new Date(y!, mo! - 1, d!, h!, mi!, s!);
    if (date.getDate() !== d) return undefined; // 2025-02-30
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A frontmatter date or datetime value (string or YAML timestamp) as a Date, or undefined. */
export function readDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  return parseTime(v);
}

/** How far ahead of the clock a given time may be (clocks drift; a record is of what already happened). */
export const FUTURE_SLACK_MS = 5 * 60 * 1000;

/** The states in Chinese messages: a state name spliced into Chinese reads as nonsense (“已done”). */
const STATE_ZH: Record<Status, string> = {
  planned: '计划中',
  approved: '已批准',
  'in-progress': '执行中',
  done: '已完成',
  'rolled-back': '已回滚',
  cancelled: '已取消',
};

/** A state for a message: the word itself in English; in Chinese the translation with the word to type. */
export function stateName(s: Status | undefined | null, lang: 'en' | 'zh'): string {
  if (!s) return lang === 'zh' ? '无状态' : 'without a status';
  return lang === 'zh' ? `${STATE_ZH[s]}（${s}）` : s;
}

/** The dates of a task, in the order they happen. */
const ORDER = ['created', 'approved', 'started', 'finished'] as const;
type DateField = (typeof ORDER)[number];

/** What an event must not precede: everything earlier in the life. */
const AFTER: Record<'approved' | 'started' | 'finished' | 'archived' | 'record', DateField[]> = {
  approved: ['created'],
  started: ['created', 'approved'],
  finished: ['created', 'approved', 'started'],
  archived: ['created', 'approved', 'started', 'finished'],
  record: ['created'],
};
export type LifeEvent = keyof typeof AFTER;

/** The earliest moment a frontmatter date allows: a date alone means the start of that (local) day. */
function earliest(v: unknown, wholeDay: boolean): Date | undefined {
  const d = readDate(v);
  if (!d) return undefined;
  const dateOnly = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
  return dateOnly || wholeDay ? new Date(d.getFullYear(), d.getMonth(), d.getDate()) : d;
}

export interface TimeOrderProblem {
  field: DateField;
  value: string;
}

/**
 * The first date of the task that `at` would go back before (created ≤ approved ≤ started ≤ finished), or
 * undefined. The archive date is a day, so it is compared by day.
 */
export function timeOrderProblem(fm: Record<string, unknown>, event: LifeEvent, at: Date): TimeOrderProblem | undefined {
  for (const field of AFTER[event]) {
    const bound = earliest(fm[field], event === 'archived');
    if (bound && at.getTime() < bound.getTime()) return { field, value: String(fm[field]) };
  }
  return undefined;
}

/** What `record` writes: a check may be ticked while the change is prepared; steps and decisions only while it runs. */
export type RecordWhat = 'check' | 'step' | 'start' | 'go-nogo';
const RECORDABLE: Record<'check' | 'run', readonly Status[]> = {
  check: ['planned', 'approved', 'in-progress', 'done', 'rolled-back'],
  run: ['in-progress'],
};

/** Whether `record` may write `what` into a task in `status` without --force. */
export function mayRecord(what: RecordWhat, status: Status | undefined): boolean {
  return status !== undefined && RECORDABLE[what === 'check' ? 'check' : 'run'].includes(status);
}

export interface DoneCheck {
  /** Steps recorded as failed: a change with one is not done unless forced with a reason. */
  failed: string[];
  /** Steps with no result recorded: done anyway, with a warning. */
  unrecorded: string[];
}

/** in-progress → done: the checklist's record must agree (see the verb for what a failed step asks of the user). */
export function doneCheck(steps: { id: string; result: string | undefined }[]): DoneCheck {
  return {
    failed: steps.filter((st) => st.result === 'fail').map((st) => st.id),
    unrecorded: steps.filter((st) => st.result === undefined).map((st) => st.id),
  };
}
