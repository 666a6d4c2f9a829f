// What callers outside a kind ask of its results: the CLI's line, the report's section, a
// run comparison's part, the run verdict's rule counts, the cells it suggests next. Each
// kind answers for itself in its folder (`face.ts`), so the CLI, the report, run history
// and the comparison name no kind. Pure functions of results: no polars, no database, so
// the browser can import a face too.
import type { RuleCounts } from './shared/rule-counts.ts';

export interface Column { name: string; type: string }

export interface TableChange {
  cell: string;
  rows: { a: number | null; b: number | null; delta: number | null };
  added: Column[];
  removed: Column[];
  retyped: { name: string; from: string; to: string }[];
}

export interface StatChange {
  stat: 'rows' | 'nulls' | 'nullRate' | 'distinct' | 'mean' | 'std' | 'min' | 'max' | 'p25' | 'p50' | 'p75';
  a: number | string | null;
  b: number | string | null;
  /** How far it moved, on a common scale (see shiftOf): what the list is sorted by. */
  shift: number;
}

export interface ColumnChange {
  cell: string;
  column: string;
  type: string;
  /** The largest of its statistics' shifts. */
  shift: number;
  changes: StatChange[];
}

export interface RuleChange {
  cell: string;
  rule: string;
  a: { status: string; violations: number } | null;
  b: { status: string; violations: number } | null;
}

/** A change a kind reports in its own words, for kinds with no section of their own. */
export interface NoteChange {
  cell: string;
  kind: string;
  text: string;
}

export interface RunComparison {
  tables: TableChange[];
  profiles: ColumnChange[];
  rules: RuleChange[];
  notes: NoteChange[];
}

export type ComparisonPart = Partial<RunComparison>;

/** Each rule's violations over earlier runs (the server has them; the CLI has one run). */
export type Trends = { cell: string; rule: string; points: { violations: number }[] }[];

export interface ReportContext {
  /** The cell's name. */
  cell: string;
  trends?: Trends;
}

/** A cell a result suggests adding after its own (rules from a profile). */
export interface SuggestedCell {
  kind: string;
  name: string;
  config: string;
}

/** One thing in a result that did not pass. */
export interface Problem {
  item: string;
  status: 'warn' | 'fail' | 'error';
  message: string;
}

export interface ItemError {
  /** The config's list the item is in (its key, such as a rule cell's `rules`). */
  list: string;
  index: number;
  message: string;
  key?: string;
}

/** A cell's work written as code an analyst can run elsewhere: SQL for DuckDB and PostgreSQL, Python polars. */
export interface CodeExport {
  sql: string;
  python: string;
}

export interface KindFace<Config = any, Result = any> {
  /** A short line of what a finished result holds: the CLI, run history, the page. */
  summarize?(result: Result): string;
  /**
   * How the presentation view (/w/:id/present) shows the kind: `summary`, its summary line only
   * (a source or working a reader needs to know of, not to read whole); `bare`, its view with no
   * heading from the cell's name (the view brings its own, as a note's Markdown or an input's
   * label), or a function of the result that says which (a chart with a title of its own).
   * Unset: a heading from the cell's name, then its view.
   */
  present?: PresentAs | ((result: Result) => PresentAs | undefined);
  /** What needs looking at in a result (a rule cell's rules that did not pass): the CLI's lines, the page's banner. */
  problems?(result: Result): Problem[];
  /** The result's section of the HTML report: escaped HTML (see report-html.ts), no script. */
  report?(result: Result, ctx: ReportContext): string;
  /** Its part of a comparison of two runs: the cell's finished results in each (undefined: none). */
  compare?(a: Result | undefined, b: Result | undefined, cell: string): ComparisonPart;
  /**
   * Set by kinds whose result counts rule outcomes at `result.summary` (RuleCounts): those
   * are added up into a run's verdict, the CLI's exit code and the workspaces page. Such a
   * result also lists each outcome at `result.rules` ({name, status, violations, ledger?}):
   * run history reads it there, in SQL, for each rule's trend (server/runs/history.ts).
   */
  checks?: boolean;
  /**
   * Errors a run found in items of the config's list (a rule that could not be checked), by
   * the item's index: the editor shows each at its item's line.
   */
  itemErrors?(result: Result): ItemError[];
  /**
   * The result is what a reader wants, not the config (a note's rendered text): the page folds
   * the editor away until asked (double-click or Enter on the result) and folds it again on
   * Escape or Shift+Enter.
   */
  foldsEditor?: boolean;
  /** Keys of the config whose value is SQL: the editor highlights it as SQL inside the YAML. */
  sqlKeys?: readonly string[];
  /** Cells to add after this one, from its result and config. */
  suggest?(result: Result, ctx: { cell: string; config: Config }): SuggestedCell[];
  /** The page offers "Show the code" (the server writes it: CellKind.code). */
  showsCode?: boolean;
}

/** How the presentation view shows a kind's result: see KindFace.present. */
export type PresentAs = 'summary' | 'bare';

export function presentAs(face: KindFace | undefined, result: unknown): PresentAs | undefined {
  const how = face?.present;
  if (typeof how !== 'function') return how;
  return result === null || result === undefined ? undefined : how(result);
}

/** The rule counts of a finished result of a kind with `checks`. */
export const checkCounts = (face: KindFace | undefined, result: unknown): Partial<RuleCounts> | undefined =>
  (face?.checks && result && typeof result === 'object' ? (result as { summary?: Partial<RuleCounts> }).summary : undefined);
