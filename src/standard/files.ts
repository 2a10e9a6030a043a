/** The file-name rule of a task's documents, from common.yaml's `documentFile`: the one place it is applied. */
import { loadStandard } from './load.js';
import { KINDS, type Kind, type Standard } from './types.js';

/** The built-in standard, read once: the default for callers that have no standard of their own in hand. */
let builtin: Standard | undefined;
const builtinStandard = (): Standard => (builtin ??= loadStandard());

const namePatterns = new Map<string, RegExp>();

/** Whether a file name is a document's by the rule (`<anything>-runbook.md` …), whatever the task. */
export function isDocumentName(name: string, standard: Standard = builtinStandard()): boolean {
  const rule = standard.common.documentFile;
  let re = namePatterns.get(rule);
  if (!re) {
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const kinds = `(?:${KINDS.map(esc).join('|')})`;
    re = new RegExp(`^${esc(rule).replace(esc('{task}'), '.+').replace(esc('{kind}'), kinds)}$`);
    namePatterns.set(rule, re);
  }
  return re.test(name);
}

export function documentFileName(task: string, kind: Kind, standard: Standard = builtinStandard()): string {
  return standard.common.documentFile.replace('{task}', () => task).replace('{kind}', () => kind);
}
