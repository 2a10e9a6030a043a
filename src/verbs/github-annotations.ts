/**
 * Findings as GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`): the runner turns
 * each line on standard output into an annotation on the pull request's diff. Escaped as GitHub's own toolkit
 * escapes them (actions/toolkit, core/src/command.ts): `%`, CR and LF in the message; those and `:` and `,` in a
 * property, where they would end the value or the property list.
 */
import { relative, sep } from 'node:path';

export interface Annotation {
  severity: 'error' | 'warning';
  /** Absolute, or relative to the current folder. */
  file: string;
  line?: number;
  column?: number;
  /** The rule id or finding code: the annotation's title. */
  title: string;
  message: string;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line, without its line break; the path relative to `cwd` (the checkout, in a job). */
export function githubAnnotation(a: Annotation, cwd: string): string {
  const file = (relative(cwd, a.file) || a.file).split(sep).join('/');
  const props: [string, string | number | undefined][] = [['file', file], ['line', a.line], ['col', a.column], ['title', a.title]];
  const list = props.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${a.severity} ${list}::${escapeData(a.message)}`;
}
