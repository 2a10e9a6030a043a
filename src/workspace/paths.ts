/** Where the ops folder and a team's standard are: the standard's to know (standard/locate.ts), used here too. */
export { opsDirOf, overrideDirOf } from '../standard/locate.js';

/** The folders every ops folder has: tasks in flight, and finished ones (doctor reports either one missing). */
export const OPS_FOLDERS = ['active', 'archive'] as const;
