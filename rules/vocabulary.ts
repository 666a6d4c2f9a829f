// The words of the rule language: check types and their options. Plain data, no polars,
// so the browser's editor completes with exactly what the engine accepts.
export const CHECK_OPTIONS = {
  not_null: ['column', 'columns'],
  unique: ['column', 'columns'],
  duplicate_rows: ['columns'],
  range: ['column', 'min', 'max', 'exclusive'],
  allowed_values: ['column', 'values'],
  forbidden_values: ['column', 'values'],
  pattern: ['column', 'regex'],
  format: ['column', 'format', 'date_format'],
  length: ['column', 'min', 'max'],
  not_empty_string: ['column'],
  row_count: ['min', 'max'],
  column_count: ['min', 'max'],
  schema: ['columns', 'exact'],
  mean: ['column', 'min', 'max'],
  sum: ['column', 'min', 'max'],
  min: ['column', 'min', 'max'],
  max: ['column', 'min', 'max'],
  stddev: ['column', 'min', 'max'],
  null_rate: ['column', 'min', 'max'],
  distinct_count: ['column', 'min', 'max'],
  freshness: ['column', 'max_age'],
  expression: ['expr'],
  reference: ['column', 'in'],
  conditional: ['rule'],
} as const satisfies Record<string, readonly string[]>;

export type CheckName = keyof typeof CHECK_OPTIONS;

/** Options every check accepts. */
export const COMMON_OPTIONS = ['check', 'name', 'severity', 'warn_if', 'fail_if', 'where', 'key'] as const;

/** One line on what each check does, shown beside it in completion. */
export const CHECK_HELP: Record<CheckName, string> = {
  not_null: 'no missing values', unique: 'no repeated values', duplicate_rows: 'no repeated rows',
  range: 'values within min/max', allowed_values: 'only listed values', forbidden_values: 'none of the listed values',
  pattern: 'values match a regex', format: 'email, url, uuid, ip, phone, integer, decimal, date', length: 'text length within min/max',
  not_empty_string: 'no blank text', row_count: 'rows within min/max', column_count: 'columns within min/max',
  schema: 'columns and their types', mean: 'mean within bounds', sum: 'sum within bounds', min: 'minimum within bounds',
  max: 'maximum within bounds', stddev: 'standard deviation within bounds', null_rate: 'share missing within bounds',
  distinct_count: 'distinct values within bounds', freshness: 'newest date no older than max_age',
  expression: 'a condition every row meets', reference: 'values found in another cell', conditional: 'a rule where a filter holds',
};
