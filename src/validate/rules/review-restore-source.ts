/**
 * review-restore-source — the rollback restores what the runbook saved. The rollback plan's data recovery names
 * its backup source (a path, a snapshot or a backup id); a runbook command writes that source; and the restore
 * commands read it. A rollback that restores "the Velero backup taken before S2" when no step takes one, or
 * `.prev` copies when the runbook kept `*~` files, fails here. Objective: an error under --strict.
 *
 * Rule id: `review-restore-source`. Its examples are task folders: test/review.test.ts.
 */
import type { Nodes } from 'mdast';
import { descendants, findField, findSection, labelNames } from '../../document/model.js';
import { defineTaskRule, fill } from '../rule.js';
import { codeBlocks, reviewIds, reviewSeverity } from '../review.js';

const LOCATION = /(?:[a-z][a-z0-9+.-]*:\/\/|(?<![\w.])\/)[^\s`'"“”，。；;,()（）<>：、\u3000-\u303f\u4e00-\u9fff]+/giu;
/** A backup id written as code: letters and digits with a separator and a digit (`pre-upgrade-20261201`). */
const BACKUP_ID = /^[A-Za-z][\w.:-]*[-_.:][\w.:-]*\d[\w.:-]*$/;

/** A location without what cannot be matched literally: a glob or a variable from the first `*` or `$` on. */
function stem(loc: string): string {
  return loc.replace(/[*$?{].*$/u, '').replace(/[/.]+$/u, '');
}

/**
 * A location the runbook writes, as a pattern: a variable or command substitution (`$(date +%F)`, `$TS`, `${d}`)
 * or a glob stands for any text, so `/backup/orders-$(date +%F)` matches `/backup/orders-2026-04-14`.
 */
function written(loc: string): RegExp {
  const parts = loc.split(/\$\([^)]*\)?|\$\{[^}]*\}?|\$\w+|\*/u);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}`, 'u');
}

/**
 * Whether a location is among the text's: literally (or a folder of it at least two levels deep, the backup's own
 * folder, three levels deep or more), or matching a location the text writes with a variable in it.
 */
function mentions(text: string, loc: string, writtenThere: RegExp[]): boolean {
  let s = stem(loc);
  while (s.length > 1) {
    if (text.includes(s) || writtenThere.some((re) => re.test(s))) return true;
    const cut = s.lastIndexOf('/');
    // The backup's own folder (`/var/backups/pg14-pre-upgrade` for a file in it), never a shared one like /var/backups.
    if (cut <= 0 || s.slice(0, cut).split('/').filter(Boolean).length < 3) return false;
    s = s.slice(0, cut);
  }
  return false;
}

/** Locations with a variable or glob in them, from commands (`-D /backup/pg-$(date +%F)`). */
function variableLocations(text: string): RegExp[] {
  const out: RegExp[] = [];
  for (const m of text.matchAll(/(?:[a-z][a-z0-9+.-]*:\/\/|(?<![\w.])\/)(?:[^\s`'"<>;|&]|\$\([^)]*\))+/giu)) {
    if (/[$*]/.test(m[0]) && m[0].replace(/[$*].*$/u, '').split('/').filter(Boolean).length >= 1) out.push(written(m[0]));
  }
  return out;
}

export const reviewRestoreSource = defineTaskRule({
  origin: 'ops-docs:review-restore-source',
  ids: (standard) => reviewIds(standard, 'review-restore-source'),
}, ({ docs, standard, strict, report }) => {
  const rollback = docs.get('rollback');
  const runbook = docs.get('runbook');
  if (!rollback || !runbook) return;
  const spec = standard.docs.rollback.sections.find((s) => s.id === 'data-recovery');
  const sourceSpec = spec?.fields?.find((f) => f.id === 'backup-source');
  const restoreSpec = spec?.fields?.find((f) => f.id === 'restore');
  const section = spec && findSection(rollback, spec);
  if (!section || !sourceSpec || !restoreSpec) return;
  const source = findField(section.nodes, labelNames(sourceSpec));
  if (!source) return;
  const candidates = new Set<string>();
  for (const m of source.value.matchAll(LOCATION)) candidates.add(m[0].replace(/[:.,;]+$/u, ''));
  for (const n of descendants(source.valueNodes as Nodes[])) {
    if (n.type === 'inlineCode' && BACKUP_ID.test(n.value)) candidates.add(n.value);
  }
  const locations = [...candidates].filter((c) => stem(c).length > 1);
  if (!locations.length) return;
  const runbookCommands = codeBlocks(runbook.tree.children, standard).map((c) => c.value).join('\n');
  const severity = reviewSeverity(standard, 'review-restore-source', strict);
  const unsaved = locations.filter((l) => !mentions(runbookCommands, l, variableLocations(runbookCommands)));
  if (unsaved.length === locations.length) {
    report(rollback, 'review-restore-source', fill({
      en: 'the rollback restores from {loc}, which no runbook command writes: take that backup in the runbook, or name the one it takes',
      zh: '回滚从 {loc} 恢复，但操作手册中没有任何命令写入它：请在操作手册中做这个备份，或改为其实际所做的备份',
    }, { loc: unsaved.map((l) => `\`${l}\``).join(', ') }), source.node, severity);
    return;
  }
  const restore = findField(section.nodes, labelNames(restoreSpec));
  const restoreCommands = restore ? codeBlocks(restore.valueNodes as Nodes[], standard).map((c) => c.value).join('\n') : '';
  if (restoreCommands && !locations.some((l) => mentions(restoreCommands, l, variableLocations(restoreCommands)))) {
    report(rollback, 'review-restore-source', fill({
      en: 'the restore commands do not read the backup source ({loc}): restore from the backup the runbook took',
      zh: '恢复命令没有读取备份来源（{loc}）：请从操作手册所做的备份恢复',
    }, { loc: locations.map((l) => `\`${l}\``).join(', ') }), restore!.node, severity);
  }
});
