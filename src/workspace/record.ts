/**
 * The execution record: fill the checklist row of a step, a Go/No-Go point or a pre/post check with what
 * happened, who signed and when — only the cells of that row change. Read back after the edit to prove the
 * row says exactly what was recorded.
 */
import type { TableRow } from 'mdast';
import type { ItemsSpec, Lang, RecordKind, SectionSpec, Standard } from '../standard/types.js';
import { cellText, findSection, firstTable, itemsOf, firstCode, key, labelNames, readTable, toText, type DocModel, type TableRead } from '../document/model.js';
import { OpsDocsError } from '../errors.js';
import { cellTime, parseTime } from './lifecycle.js';
import { cellReading, escapeCell, fillRow, tickBox, tickedWord } from './table-edit.js';
import { idFromRequest, matchRows, rowId, type RowRead } from '../document/rows.js';
import { checkEdit, commitEdits, type TaskDoc } from './task-docs.js';

export type StepResult = 'pass' | 'fail' | 'skipped';
export type Decision = 'go' | 'no-go';

export type RecordRequest =
  | { what: 'start'; id: string; at: Date }
  | { what: 'step'; id: string; result: StepResult; by: string; at: Date; from?: Date; note?: string; force?: boolean }
  | { what: 'go-nogo'; id: string; decision: Decision; by: string; at: Date; note?: string; force?: boolean }
  | { what: 'check'; item: string; by: string; at: Date; force?: boolean };

const WORDS: Record<StepResult | Decision, Record<Lang, string>> = {
  pass: { en: 'Pass', zh: '通过' },
  fail: { en: 'Fail', zh: '失败' },
  skipped: { en: 'Skipped', zh: '跳过' },
  go: { en: 'Go', zh: 'Go' },
  'no-go': { en: 'No-Go', zh: 'No-Go' },
};

/** Words a printed box may stand before, per recorded word: `☐ Pass`, `☐ OK`, `☐ 通过`. */
const WORD_SYNONYMS: Record<string, string[]> = {
  Pass: ['Pass', 'Passed', 'OK', 'Yes'], 通过: ['通过', '成功', '是', 'Pass'],
  Fail: ['Fail', 'Failed', 'No'], 失败: ['失败', '否', 'Fail'],
  Go: ['Go'], 'No-Go': ['No-Go', 'NoGo', 'No Go'],
};

export class RecordRefused extends OpsDocsError {}

interface Located {
  section: SectionSpec;
  read: TableRead;
  row: TableRow;
  rowIndex: number;
  /** The runbook item the row records (`S2`), for steps and decision points. */
  id?: string;
}

function tableOf(model: DocModel, section: SectionSpec): TableRead {
  const found = findSection(model, section);
  const table = found && firstTable(found.nodes);
  if (!table || !section.table) {
    throw new RecordRefused({
      en: `the checklist has no "${section.title.en}" table: run ops-docs validate on the task`,
      zh: `检查清单中没有“${section.title.zh}”表格：请对该任务运行 ops-docs validate`,
    });
  }
  return readTable(table, section.table.columns);
}

/** The checklist sections whose table rows `record` writes as `kind` (the table's `record:` in checklist.yaml). */
export function recordSections(standard: Standard, kind: RecordKind): SectionSpec[] {
  return standard.docs.checklist.sections.filter((s) => s.table?.record === kind);
}

/** The one section a step or a decision is recorded in. */
function recordSection(standard: Standard, kind: 'step' | 'decision'): SectionSpec {
  const [s, ...more] = recordSections(standard, kind);
  if (!s || more.length) {
    throw new OpsDocsError({
      en: `the checklist standard needs exactly one table with "record: ${kind}" (it has ${more.length + (s ? 1 : 0)})`,
      zh: `检查清单标准需要恰好一个带 “record: ${kind}” 的表格（现有 ${more.length + (s ? 1 : 0)} 个）`,
    });
  }
  return s;
}

/** The runbook section whose items a checklist table records (steps → Detailed Steps, go-no-go → decision points). */
function itemsSpecFor(standard: Standard, section: SectionSpec): ItemsSpec | undefined {
  const prefix = section.table?.idPrefix;
  return prefix ? standard.docs.runbook.sections.find((s) => s.items?.prefix === prefix)?.items : undefined;
}

/**
 * The row of a runbook item, named the team's way: `2`, `Step 2`, `S2`, `第二步`, `GNG-1`, or the item's title.
 * Rows are paired with the runbook's items by number, or by title where a row carries no number.
 */
function locateById(model: DocModel, standard: Standard, section: SectionSpec, asked: string, runbook: DocModel | undefined): Located {
  const read = tableOf(model, section);
  const itemsSpec = itemsSpecFor(standard, section) ?? section.table!.idPrefix ?? '';
  const rbSection = standard.docs.runbook.sections.find((s) => s.items && s.items === itemsSpecFor(standard, section));
  const rbFound = runbook && rbSection ? findSection(runbook, rbSection) : undefined;
  const items = rbFound ? itemsOf(rbFound, itemsSpec) : [];
  const id = idFromRequest(asked, itemsSpec) ?? items.find((i) => key(i.name) === key(asked))?.id;
  const rows: RowRead[] = [];
  if (items.length) {
    for (const [itemId, row] of matchRows(items, read, itemsSpec, section.table!).rows) if (itemId === id) rows.push(row);
  } else {
    read.rows.forEach((row, index) => {
      const rid = rowId(read, row, itemsSpec, section.table!);
      if (rid && rid === id) rows.push({ row, index, id: rid, label: rid });
    });
  }
  const dup = id ? read.rows.filter((row) => rowId(read, row, itemsSpec, section.table!) === id).length : 0;
  if (dup > 1) {
    throw new RecordRefused({ en: `the checklist has ${dup} rows ${id}: make the ids unique first`, zh: `检查清单中有 ${dup} 行 ${id}：请先使编号唯一` });
  }
  if (rows.length === 0 || !id) {
    const known = read.rows.map((r) => cellText(r, read.columns.get(section.table!.idColumn ?? 'id') ?? 0)).filter(Boolean).join(', ');
    const named = id ?? asked;
    throw new RecordRefused({
      en: `the checklist's "${section.title.en}" table has no row ${named} (it has: ${known || 'none'})`,
      zh: `检查清单的“${section.title.zh}”表格中没有 ${named} 行（现有：${known || '无'}）`,
    });
  }
  return { section, read, row: rows[0]!.row, rowIndex: rows[0]!.index, id };
}

/** A pre- or post-execution row by the standard's row id (`approval`) or by the start of its text. */
function locateCheck(model: DocModel, standard: Standard, item: string): Located {
  const hits: Located[] = [];
  const want = key(item);
  const sections = recordSections(standard, 'check');
  for (const section of sections) {
    if (!findSection(model, section)) continue;
    const read = tableOf(model, section);
    const col = read.columns.get('item') ?? 0;
    const byId = section.table?.rows?.find((r) => r.id === item.toLowerCase());
    read.rows.forEach((row, i) => {
      const text = cellText(row, col);
      if ((byId && [...labelNames(byId)].some((n) => key(text).includes(n))) || (want && key(text).startsWith(want))) hits.push({ section, read, row, rowIndex: i });
    });
  }
  if (hits.length !== 1) {
    const ids = sections.flatMap((s) => (s.table?.rows ?? []).map((r) => r.id)).join(', ');
    const idsZh = ids.replace(/, /g, '、');
    throw new RecordRefused({
      en: hits.length === 0
        ? `no pre- or post-execution check matches "${item}": give its text (e.g. "Teams notified") or its id (${ids})`
        : `"${item}" matches ${hits.length} checks: give more of the text`,
      zh: hits.length === 0
        ? `没有与“${item}”匹配的执行前/后检查项：请给出检查项文字（如“通知相关团队”）或编号（${idsZh}）`
        : `“${item}”匹配到 ${hits.length} 个检查项：请给出更完整的文字`,
    });
  }
  return hits[0]!;
}

function column(loc: Located, id: string): number {
  const i = loc.read.columns.get(id);
  if (i === undefined) {
    const label = loc.section.table!.columns.find((c) => c.id === id)!.label;
    throw new RecordRefused({
      en: `the checklist's "${loc.section.title.en}" table has no "${label.en}" column to write into`,
      zh: `检查清单的“${loc.section.title.zh}”表格中没有可写入的“${label.zh}”列`,
    });
  }
  return i;
}

function withNote(word: string, note: string | undefined): string {
  return note ? `${word} — ${note}` : word;
}

/** `2025-11-10 02:00–02:07`, or with both dates when the step crossed midnight. */
function span(start: string | undefined, end: Date): string {
  const e = cellTime(end);
  if (!start) return e;
  return start.slice(0, 10) === e.slice(0, 10) ? `${start}–${e.slice(11)}` : `${start}–${e}`;
}

/** What the actual-time cell of a skipped step says. */
export const NO_TIME = '—';

const OPEN_START = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s*[–-]\s*$/;

export interface Recorded {
  text: string;
  /** The row as written, column label → text. */
  cells: Record<string, string>;
  alarm: boolean;
  /** The runbook item the row records (`S2`), however the request named it. */
  id?: string;
}

/**
 * @param runbook the task's runbook, when there is one: rows that name their step by title are found through it.
 */
export function recordRow(doc: TaskDoc, standard: Standard, req: RecordRequest, runbook?: DocModel): Recorded {
  const model = doc.model;
  const lang = model.lang;
  let loc: Located;
  const values = new Map<string, string>();
  if (req.what === 'check') {
    loc = locateCheck(model, standard, req.item);
    values.set('done', '[x]').set('signed', req.by).set('time', cellTime(req.at));
  } else if (req.what === 'go-nogo') {
    loc = locateById(model, standard, recordSection(standard, 'decision'), req.id, runbook);
    values.set('decision', withNote(WORDS[req.decision][lang], req.note)).set('signed', req.by).set('time', cellTime(req.at));
  } else {
    loc = locateById(model, standard, recordSection(standard, 'step'), req.id, runbook);
    if (req.what === 'start') {
      values.set('actual', `${cellTime(req.at)}–`);
    } else if (req.result === 'skipped') {
      // A skipped step never ran: it has no actual time, only the decision to skip it and who took it.
      values.set('actual', NO_TIME).set('result', withNote(WORDS.skipped[lang], req.note)).set('signed', req.by);
    } else {
      const open = OPEN_START.exec(cellText(loc.row, column(loc, 'actual')))?.[1];
      const start = req.from ? cellTime(req.from) : open;
      const startDate = req.from ?? (open ? parseTime(open) : undefined);
      if (startDate && startDate.getTime() > req.at.getTime()) {
        throw new RecordRefused({
          en: `${loc.id} would end (${cellTime(req.at)}) before it started (${cellTime(startDate)}): check --at and --from`,
          zh: `${loc.id} 的结束时间（${cellTime(req.at)}）早于开始时间（${cellTime(startDate)}）：请检查 --at 和 --from`,
        });
      }
      values.set('actual', span(start, req.at)).set('result', withNote(WORDS[req.result][lang], req.note)).set('signed', req.by);
    }
  }
  const signedCol = loc.read.columns.get('signed');
  const signedBy = cellText(loc.row, signedCol);
  if (signedBy && !('force' in req && req.force)) {
    const what = req.what === 'check' ? cellText(loc.row, loc.read.columns.get('item') ?? 0) : loc.id ?? req.id;
    throw new RecordRefused({
      en: `${what} is already signed by ${signedBy}: --force to overwrite the record`,
      zh: `${what} 已由 ${signedBy} 签字：如需覆盖记录请使用 --force`,
    });
  }
  // A cell printed with boxes to tick (`☐ Pass ☐ Fail`, `☐`) gets its box ticked, not overwritten.
  const byIndex = new Map<number, string>();
  for (const [col, text] of values) {
    const current = cellText(loc.row, column(loc, col));
    const word = col === 'done' ? '' : text.split(' — ')[0]!;
    const tick = tickBox(current, word, WORD_SYNONYMS);
    if (tick !== undefined) {
      const note = col !== 'done' && text.includes(' — ') ? text.slice(text.indexOf(' — ') + 3) : '';
      values.set(col, note ? `${tick} — ${note}` : tick);
      byIndex.set(column(loc, col), note ? `${tick} — ${escapeCell(note)}` : tick);
    } else {
      byIndex.set(column(loc, col), col === 'done' ? text : escapeCell(text));
    }
  }
  const text = fillRow(doc.text, loc.row, byIndex);

  // Read the row back from the edited text: it must hold exactly what was recorded, and nothing else moved.
  const after = checkEdit({ doc, text }, standard);
  const table = findSection(after, loc.section);
  const reread = table && firstTable(table.nodes);
  const row = reread && readTable(reread, loc.section.table!.columns).rows[loc.rowIndex];
  const cells: Record<string, string> = {};
  for (const [col, expected] of values) {
    const got = row ? cellText(row, column(loc, col)) : undefined;
    const want = cellReading(expected);
    if (got !== want) {
      throw new OpsDocsError({
        en: `internal: the ${col} cell would read "${got}" instead of "${want}"; nothing written — please report this`,
        zh: `内部错误：${col} 单元格将显示为“${got}”而不是“${want}”；未写入任何内容——请报告此问题`,
      });
    }
    const label = loc.section.table!.columns.find((c) => c.id === col)!.label[lang];
    cells[label] = got;
  }
  commitEdits([{ doc, text }], standard);
  const alarm = (req.what === 'step' && req.result === 'fail') || (req.what === 'go-nogo' && req.decision === 'no-go');
  return { text, cells, alarm, id: loc.id };
}

export interface StepState {
  id: string;
  /** The recorded result, undefined while the cell is blank; text a human wrote in other words counts as pass. */
  result: StepResult | undefined;
  text: string;
}

const FAILED = /^(?:fail(?:ed|ure|s)?|失败)(?![A-Za-z])/i;
const SKIPPED = /^(?:skip(?:ped)?|跳过)(?![A-Za-z])/i;

/** Each step of the checklist with its recorded result, for the checks made before a change is called done. */
export function stepStates(model: DocModel, standard: Standard): StepState[] {
  const section = recordSection(standard, 'step');
  const found = findSection(model, section);
  const table = found && firstTable(found.nodes);
  if (!table || !section.table) return [];
  const read = readTable(table, section.table.columns);
  const itemsSpec = itemsSpecFor(standard, section) ?? section.table.idPrefix ?? 'S';
  const resultCol = read.columns.get('result');
  return read.rows.filter((row) => toText(row) !== '').map((row, i) => {
    const cell = cellText(row, resultCol);
    // `☐ Pass ☐ Fail` printed for the pen is not a result yet; `☐ Pass ☑ Fail` is a failure.
    const ticked = tickedWord(cell);
    const text = ticked === undefined ? cell : ticked === '' ? '' : cell;
    const word = ticked || text;
    const result: StepResult | undefined = !text ? undefined : FAILED.test(word) ? 'fail' : SKIPPED.test(word) ? 'skipped' : 'pass';
    const id = rowId(read, row, itemsSpec, section.table!) ?? `${typeof itemsSpec === 'string' ? itemsSpec : itemsSpec.prefix}${i + 1}`;
    return { id, result, text };
  });
}

export interface RollbackBrief {
  triggers: string[];
  steps: { id: string | undefined; title: string; command: string | undefined }[];
}

/** The rollback plan's triggers and first steps, for the moment a step fails or a point is No-Go. */
export function rollbackBrief(rollback: DocModel, standard: Standard, firstSteps = 3): RollbackBrief {
  const spec = standard.docs.rollback;
  const triggers: string[] = [];
  const trig = spec.sections.find((s) => s.id === 'triggers');
  const tsec = trig && findSection(rollback, trig);
  if (tsec) {
    for (const n of tsec.nodes) if (n.type === 'list') for (const li of n.children) triggers.push(toText(li));
  }
  const stepsSpec = spec.sections.find((s) => s.id === 'steps');
  const ssec = stepsSpec && findSection(rollback, stepsSpec);
  const steps = ssec ? itemsOf(ssec, stepsSpec!.items ?? 'R').slice(0, firstSteps).map((it) => ({
    id: it.id, title: it.title, command: firstCode(it.nodes, standard.common.outputLanguages)?.value,
  })) : [];
  return { triggers, steps };
}
