// The transform cell's words: its steps, each with a line of help, and the words their options
// take. Plain data (no zod, no polars): the schema (config.ts) and the editor's completion
// (completion.ts, in the browser) both read it.

export const STEP_HELP = {
  drop_rows: 'drop rows at the start or end: {first: 1} (a second header row), {last: 2}',
  rename: 'new names for columns: {"Old name": new_name}',
  filter: 'keep the rows where an expression holds: age >= 18 and country in (\'FR\', \'DE\')',
  derive: 'new (or replaced) columns from expressions: {per_100k: cases * 100000 / popData2019}',
  cast: 'change column types: {amount: float, day: date, dateRep: DMY}; integer, float, boolean, date, datetime, string, or a date order DMY/MDY/YMD for text dates',
  fill_null: 'fill missing values: {pop: 0, region: unknown, price: {strategy: forward}}; strategies forward, backward, mean, min, max, zero',
  trim: 'remove spaces around the text of these columns: [name, city]',
  case: 'change the case of text columns: {country: upper}; upper, lower or title',
  replace: 'replace values in a column: {status: {"N/A": null, "y": "yes"}}',
  drop_duplicates: 'drop repeated rows: {columns: [id, date], keep: first}; no columns = whole rows; keep first, last or none',
  join: 'join another cell\'s table: {with: regions, on: country, how: left}; on a name, [names] or {left_col: right_col}; how inner, left, right, full, semi, anti',
  union: 'stack other cells\' tables below this one: [jan, feb]; columns match by name, a missing one is null',
  group_by: 'one row per group: {by: [continent], aggregate: {cases: sum, deaths: [sum, max], rows: count}}',
  sort: 'order the rows: {by: cases, descending: true}; by a name or [names]',
  select: 'keep only these columns, in this order: [a, b]',
  drop: 'remove these columns: [c]',
  pivot: 'spread a column\'s values into columns: {index: [country], on: year, values: cases, aggregate: sum}',
  unpivot: 'turn columns into rows: {index: [country], on: [y2019, y2020], variable: year, value: cases}',
  limit: 'keep the first N rows: 100',
} as const;

export type StepName = keyof typeof STEP_HELP;
export const STEP_NAMES = Object.keys(STEP_HELP) as StepName[];

export const CAST_TYPES = ['integer', 'float', 'boolean', 'date', 'datetime', 'string'] as const;
export const DATE_ORDERS = ['DMY', 'MDY', 'YMD'] as const;
export const FILL_STRATEGIES = ['forward', 'backward', 'mean', 'min', 'max', 'zero'] as const;
export const CASES = ['upper', 'lower', 'title'] as const;
export const KEEP = ['first', 'last', 'none'] as const;
export const JOIN_HOW = ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const;
export const AGGREGATES = ['sum', 'mean', 'median', 'min', 'max', 'count', 'n_unique', 'first', 'last', 'std'] as const;

export type CastType = (typeof CAST_TYPES)[number] | (typeof DATE_ORDERS)[number];
export type FillStrategy = (typeof FILL_STRATEGIES)[number];
export type Aggregate = (typeof AGGREGATES)[number];

/** The words a step's option takes, for completion after `key:` inside a step. */
export const OPTION_WORDS: Record<string, readonly string[]> = {
  strategy: FILL_STRATEGIES, keep: KEEP, how: JOIN_HOW, aggregate: AGGREGATES, descending: ['true', 'false'],
};

/** The keys of the steps whose value is a mapping of options (not of columns). */
export const STEP_OPTIONS: Partial<Record<StepName, readonly string[]>> = {
  drop_rows: ['first', 'last'],
  drop_duplicates: ['columns', 'keep'],
  join: ['with', 'on', 'how'],
  group_by: ['by', 'aggregate'],
  sort: ['by', 'descending'],
  pivot: ['index', 'on', 'values', 'aggregate'],
  unpivot: ['index', 'on', 'variable', 'value'],
};
