/**
 * ops-docs as a library: the standard, the validator and the naming rules that the CLI is built on, for tools
 * that want to check documents or name tasks without a subprocess.
 */
export { loadStandard, StandardError } from './standard/load.js';
export { KINDS, STATUSES, type Kind, type Lang, type Standard, type Status } from './standard/types.js';
export { checkTaskName, deriveTaskName, NamingError, taskNameProblem, type TaskNameParts, type TaskNameRule } from './naming.js';
export {
  checkDocument, checkTask, DOCUMENT_RULES, readDocument, RULES, TASK_RULES, validateSources, validateTaskSources,
  type Finding, type Severity, type SourceFile,
} from './validate/index.js';
