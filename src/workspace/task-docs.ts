/**
 * The documents of one task read for editing, and edits written so that nothing is lost: every new text is
 * checked before any file is touched (an edit must not add a validation error the document did not have), then
 * each file is replaced atomically, the checklist last (it is canonical for the status, see lifecycle.ts).
 */
import { lstatSync } from 'node:fs';
import { relative } from 'node:path';
import type { Kind, Standard, Status } from '../standard/types.js';
import { KINDS } from '../standard/types.js';
import { checkDocument, readDocument } from '../validate/index.js';
import { IN_THREAD_BYTES } from '../validate/runner.js';
import type { DocModel } from '../document/model.js';
import { OpsDocsError } from '../errors.js';
import { writeFilesAtomic } from './atomic.js';
import { NotRegularFile, readRegularFile } from './read-file.js';
import { isStatus } from './lifecycle.js';
import type { TaskRef } from './task.js';

export interface TaskDoc {
  kind: Kind;
  path: string;
  text: string;
  model: DocModel;
  /** The file began with a byte-order mark (readDocument strips it from the text); a rewrite keeps it. */
  bom: boolean;
}

export class UnreadableDocument extends OpsDocsError {
  constructor(path: string, why: string) {
    const shown = relative(process.cwd(), path) || path;
    super({ en: `cannot read ${shown}: ${why}`, zh: `无法读取 ${shown}：${why}` });
  }
}

export function readTaskDocs(task: TaskRef): Map<Kind, TaskDoc> {
  const out = new Map<Kind, TaskDoc>();
  for (const kind of KINDS) {
    const path = task.files[kind];
    if (!path) continue;
    let bytes: Uint8Array;
    try {
      bytes = readRegularFile(path);
    } catch (err) {
      if (err instanceof NotRegularFile) throw err;
      throw new UnreadableDocument(path, (err as Error).message);
    }
    const read = readDocument({ path, bytes });
    if ('finding' in read) throw new UnreadableDocument(path, read.finding.message);
    out.set(kind, { kind, path, text: read.model.text, model: read.model, bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf });
  }
  return out;
}

function sizeOf(path: string): number {
  try {
    return lstatSync(path).size;
  } catch {
    return Number.POSITIVE_INFINITY; // let the runner say why it cannot be read
  }
}

/**
 * readTaskDocs for the lifecycle verbs, bounded: the documents are first parsed by the validate runner, in a
 * worker under its time and memory budget (an unchanged document is answered from the cache), so a document
 * built to stall the parser is refused here instead of hanging the command.
 */
export async function readTaskDocsBounded(task: TaskRef): Promise<Map<Kind, TaskDoc>> {
  // A small document parses in this thread (IN_THREAD_BYTES says why that is safe): a worker start on every
  // status or record would double their time.
  const paths = Object.values(task.files).filter((p) => sizeOf(p) > IN_THREAD_BYTES);
  if (paths.length) {
    const { runValidation } = await import('./validate-run.js');
    const run = await runValidation(paths);
    const over = run.findings.find((f) => run.overBudget.includes(f.file) && f.ruleId === 'document-readable');
    if (over) throw new UnreadableDocument(over.file, over.message);
  }
  return readTaskDocs(task);
}

/** The status of a task: the checklist's, else the first document's that has one. */
export function taskStatus(docs: Map<Kind, TaskDoc>): Status | undefined {
  const order: Kind[] = ['checklist', 'runbook', 'rollback', 'postmortem-template'];
  for (const k of order) {
    const s = docs.get(k)?.model.frontmatter.data?.status;
    if (isStatus(s)) return s;
  }
  return undefined;
}

/** Documents whose status differs from the canonical one. */
export function statusMismatches(docs: Map<Kind, TaskDoc>): { kind: Kind; status: unknown }[] {
  const canonical = taskStatus(docs);
  return [...docs.values()]
    .map((d) => ({ kind: d.kind, status: d.model.frontmatter.data?.status }))
    .filter((d) => d.status !== canonical);
}

export interface Edit {
  doc: TaskDoc;
  text: string;
}

function errorCounts(model: DocModel, standard: Standard): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of checkDocument(model, standard)) {
    if (f.severity === 'error') counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  }
  return counts;
}

/** Refuse an edit that makes a document fail a check it passed. Returns the edited model. */
export function checkEdit(edit: Edit, standard: Standard): DocModel {
  const read = readDocument({ path: edit.doc.path, bytes: Buffer.from(edit.text, 'utf8') });
  if ('finding' in read) throw new OpsDocsError({ en: `internal: the edit of ${edit.doc.path} is unreadable; nothing written`, zh: `内部错误：对 ${edit.doc.path} 的修改无法读取；未写入任何内容` });
  const before = errorCounts(edit.doc.model, standard);
  const after = errorCounts(read.model, standard);
  for (const [rule, n] of after) {
    if (n > (before.get(rule) ?? 0)) {
      throw new OpsDocsError({
        en: `the edit of ${edit.doc.path} would break the check ${rule}; nothing written — please report this`,
        zh: `对 ${edit.doc.path} 的修改会导致检查 ${rule} 失败；未写入任何内容——请报告此问题`,
      });
    }
  }
  return read.model;
}

/** Check every edit, then write them all, the checklist last. */
export function commitEdits(edits: Edit[], standard: Standard): void {
  for (const e of edits) checkEdit(e, standard);
  const ordered = [...edits].sort((a, b) => Number(a.doc.kind === 'checklist') - Number(b.doc.kind === 'checklist'));
  // All files are written in full before any is renamed into place: a full disk changes nothing.
  writeFilesAtomic(ordered.filter((e) => e.text !== e.doc.text).map((e) => ({ path: e.doc.path, data: (e.doc.bom ? '\uFEFF' : '') + e.text })));
}
