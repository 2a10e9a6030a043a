/** One line about a task: its status, dates, checklist progress and validation state (for list and doctor). */
import type { Kind, SectionSpec, Standard, Status } from '../standard/types.js';
import { cellText, findSection, firstTable, readTable, type DocModel } from '../document/model.js';
import type { Finding } from '../validate/rule.js';
import { runValidation } from './validate-run.js';
import { readTaskDocs, statusMismatches, taskStatus, type TaskDoc } from './task-docs.js';
import type { TaskRef } from './task.js';

export interface RowCount {
  signed: number;
  total: number;
}

export interface TaskSummary {
  task: string;
  dir: string;
  location: TaskRef['location'];
  status: Status | null;
  created: string | null;
  approved: string | null;
  started: string | null;
  finished: string | null;
  archived: string | null;
  owner: string | null;
  /** Checklist rows that carry a signature, over the rows that need one (pre, steps, Go/No-Go, post). */
  progress: RowCount;
  validation: { errors: number; warnings: number };
  /** Documents whose status differs from the checklist's. */
  mismatched: Kind[];
}

/** The checklist tables whose rows are signed during the change: those `record` writes (checklist.yaml `record:`). */
export function signedSections(standard: Standard): SectionSpec[] {
  return standard.docs.checklist.sections.filter((s) => s.table?.record !== undefined);
}

export interface UnsignedRow {
  section: string;
  row: string;
}

export function checklistRows(model: DocModel, standard: Standard): { count: RowCount; unsigned: UnsignedRow[] } {
  const count = { signed: 0, total: 0 };
  const unsigned: UnsignedRow[] = [];
  for (const spec of signedSections(standard)) {
    const section = spec && findSection(model, spec);
    const table = section && firstTable(section.nodes);
    if (!spec?.table || !section || !table) continue;
    const read = readTable(table, spec.table.columns);
    const signed = read.columns.get('signed');
    for (const row of read.rows) {
      count.total++;
      if (cellText(row, signed) !== '') count.signed++;
      else unsigned.push({ section: section.title, row: cellText(row, 0) });
    }
  }
  return { count, unsigned };
}

function str(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

export interface Summarized {
  summary: TaskSummary;
  docs: Map<Kind, TaskDoc>;
  findings: Finding[];
}

export async function summarize(task: TaskRef, standard: Standard): Promise<Summarized> {
  // The bounded check first: a document it could not parse within budget is not parsed again here.
  const run = await runValidation([task.dir]);
  let docs = new Map<Kind, TaskDoc>();
  try {
    if (!run.overBudget.length) docs = readTaskDocs(task);
  } catch {
    // unreadable documents: the validation says why
  }
  const errors = run.findings.filter((f) => f.severity === 'error').length;
  const canonical = docs.get('checklist') ?? [...docs.values()][0];
  const fm = canonical?.model.frontmatter.data ?? {};
  const checklist = docs.get('checklist');
  const progress = checklist ? checklistRows(checklist.model, standard).count : { signed: 0, total: 0 };
  return {
    summary: {
      task: task.name,
      dir: task.dir,
      location: task.location,
      status: taskStatus(docs) ?? null,
      created: str(fm.created),
      approved: str(fm.approved),
      started: str(fm.started),
      finished: str(fm.finished),
      archived: str(fm.archived),
      owner: str(fm.owner),
      progress,
      validation: { errors, warnings: run.findings.length - errors },
      mismatched: statusMismatches(docs).map((m) => m.kind),
    },
    docs,
    findings: run.findings,
  };
}
