/** The file-name rule of a task's documents, from common.yaml's `documentFile`: the one place it is applied. */
import { loadStandard } from './load.js';
import type { Kind, Standard } from './types.js';

export function documentFileName(task: string, kind: Kind, standard: Standard = loadStandard()): string {
  return standard.common.documentFile.replace('{task}', () => task).replace('{kind}', () => kind);
}
