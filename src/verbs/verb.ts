/** What every verb module exports as `verb`: cli.ts lists, helps and runs them through this shape alone. */
export interface Verb {
  summary: { en: string; zh: string };
  help: { en: string; zh: string };
  run(argv: string[]): Promise<number>;
}
