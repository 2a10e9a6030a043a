/**
 * ops-docs as a library: the standard, the validator and the naming rules that the CLI is built on, for tools
 * that want to check documents or name tasks without a subprocess.
 */
export { loadStandard, StandardError } from './standard/load.js';
export { KINDS, STATUSES, type Kind, type Lang, type Standard, type Status } from './standard/types.js';
import { deriveTaskName as deriveWith, type TaskNameParts } from './naming.js';
import { loadVocabulary } from './generate/vocabulary.js';
import { loadStandard as loadStandardForNaming } from './standard/load.js';
export { checkTaskName, NamingError, taskNameProblem, type TaskNameParts, type TaskNameRule } from './naming.js';

/** The task name a description gets, read with the built-in vocabulary and the built-in standard's naming rule. */
export function deriveTaskName(description: string, opts: { date?: string } = {}): TaskNameParts {
  return deriveWith(description, { ...opts, vocabulary: loadVocabulary(), rule: loadStandardForNaming().common.taskName });
}
export {
  checkDocument, checkTask, DOCUMENT_RULES, readDocument, RULES, TASK_RULES, validateSources, validateTaskSources,
  type Finding, type Severity, type SourceFile,
} from './validate/index.js';
