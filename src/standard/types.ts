/** The document standard as typed data. The YAML in templates/standard/ is the source; see load.ts. */

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

export type Kind = 'runbook' | 'rollback' | 'checklist' | 'postmortem-template';
export const KINDS: readonly Kind[] = ['runbook', 'rollback', 'checklist', 'postmortem-template'];

export type Text = Record<Lang, string>;
export type Aliases = Record<Lang, string[]>;

/** A value constraint: `pattern` is either a regex source or the name of a shared pattern in common.yaml. */
export interface Match {
  pattern: string;
  name?: string;
}

export interface Labelled {
  id: string;
  label: Text;
  aliases: Aliases;
  /** A table column that may be left out (the checklist's id column: rows then match by number or title). */
  optional?: boolean;
}

export interface FieldSpec extends Labelled {
  match?: Match;
  /** The value must contain a fenced code block with a language. */
  command?: boolean;
  /** 'allowed': the label must be present but may stand alone (templates to fill in later). */
  empty?: 'allowed';
  /**
   * The value may also be written as a sentence holding one of the field's names and a value that `match`
   * accepts (`合计约 150 分钟`, `2 hours in all`), not only as a labelled line.
   */
  sentence?: boolean;
}

export interface ItemsSpec {
  /** Items are sub-headings carrying an id made of this prefix and a number: S1, G2, R3. */
  prefix: string;
  label: Text;
  /** Other words written before an item's number: `Checkpoint 2`, `GNG-1`, `回滚步骤一`. */
  aliases?: Aliases;
  /** Each item must contain a fenced code block with a language. */
  command?: boolean;
  fields: FieldSpec[];
}

export interface TableSpec {
  columns: Labelled[];
  /** Rows that must be present, found by their first-column text. */
  rows?: Labelled[];
  minRows?: number;
  /** The column whose cells carry item ids (S1, G1) that must match the runbook's. */
  idColumn?: string;
  idPrefix?: string;
  /**
   * What `ops-docs record` writes into this table's rows: `check` (tick, signer, time — record check <row>),
   * `step` (actual time, result, signer — record step <id>), `decision` (Go/No-Go, signer, time), `sign`
   * (the sign-off: name, date — record sign <role>).
   */
  record?: RecordKind;
  /** The column that names who signed a row, when it is not `signed` (the sign-off table's `name`). */
  signedBy?: string;
}

export type RecordKind = 'check' | 'step' | 'decision' | 'sign';

export interface ListSpec {
  minItems: number;
  match?: Match;
}

export type Requirement = 'content' | 'fields' | 'items' | 'table' | 'list';

export interface SectionSpec {
  id: string;
  title: Text;
  aliases: Aliases;
  guidance: Text;
  require: Requirement;
  fields?: FieldSpec[];
  items?: ItemsSpec;
  table?: TableSpec;
  list?: ListSpec;
  /**
   * Part of the plan's skeleton: the model's plan call answers this section's content (its shape generated from
   * `require`), so the documents rendered without a model call can quote it.
   */
  skeleton?: boolean;
  /** A postmortem section written once the change is over: doctor reports it while it is still blank. */
  afterChange?: boolean;
  /** The sign-off section: its table is printed with room to sign. */
  signatures?: boolean;
  /** A postmortem section that opens with what was planned: fields of another section (`<kind>/<id>`) of the plan. */
  planned?: { from: string; fields: string[] };
}

export interface DocSpec {
  kind: Kind;
  /** What the document is called in a sentence: "rollback plan", "回滚方案". */
  name: Text;
  title: Text;
  placeholders?: 'allowed';
  maxTableColumns?: number;
  sections: SectionSpec[];
}

export type FrontmatterType = 'task-name' | 'enum' | 'slug' | 'date' | 'datetime' | 'string' | 'string-list';

export interface CommonSpec {
  kinds: Kind[];
  frontmatter: {
    required: string[];
    fields: Record<string, { type: FrontmatterType; values?: string[] }>;
  };
  taskName: { pattern: string; maxLength: number };
  placeholders: { pattern: string; htmlTags: string[] };
  patterns: Record<string, string>;
  /** Fence languages that show what a command prints; a block in one of them is not a command. */
  outputLanguages: string[];
  /** A team's severity per rule id: `runbook-monitoring: warning`, `no-placeholders: off`. */
  rules?: Record<string, 'error' | 'warning' | 'off'>;
  /** How a named value pattern reads to a person, by pattern name. */
  hints?: Record<string, Text>;
  /** `{task}-{kind}.md`: the file name of each document of a task. */
  documentFile: string;
}

/** The review rules' data (review.yaml): default severities and the vocabularies of commands and words. */
export interface ReviewSpec {
  rules: Record<string, { severity: 'error' | 'warning' }>;
  shellLanguages: string[];
  shellcheckExclude?: string[];
  time: { buffer: string[]; window: string[]; within?: string[]; perUnit: string };
  /** Regex sources per system (`any` applies to every system). */
  destructive: Record<string, string[]>;
  backup: Record<string, string[]>;
  verify: string[];
  rollbackReference: string;
  nothingToRollBack?: string;
  gatePosition: { before: string[]; after: string[] };
  assumedNote: string;
  notNames?: string[];
}

export interface Standard {
  common: CommonSpec;
  review: ReviewSpec;
  docs: Record<Kind, DocSpec>;
  /** Where each spec was read from, so that messages can point at a team's own override. */
  sources: string[];
}

export type Status = 'planned' | 'approved' | 'in-progress' | 'done' | 'rolled-back' | 'cancelled';
export const STATUSES: readonly Status[] = ['planned', 'approved', 'in-progress', 'done', 'rolled-back', 'cancelled'];

/** A document kind's name from the standard, capitalised to start a label ("Rollback plan") when asked. */
export function kindName(standard: Standard, kind: Kind, lang: Lang, capitalised = false): string {
  const name = standard.docs[kind].name[lang];
  return capitalised ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

/** The rule id of a mandated element: `runbook-impact`, `runbook-steps-verification`. */
export function ruleId(kind: Kind, ...parts: string[]): string {
  return [kind, ...parts].join('-');
}
