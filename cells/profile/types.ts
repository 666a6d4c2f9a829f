// The profile cell's config and result. The web view imports these; the field names
// marked contract in DESIGN.md never change. Every value is plain JSON: numbers are
// finite or null, dates and datetimes are ISO text (`YYYY-MM-DD` for dates).

export interface ProfileConfig {
  /** Name of the cell whose table is profiled. */
  input: string;
  /** Profile only these columns (in this order); every name must exist. */
  columns?: string[];
}

/** How a column is profiled; follows the upload cell's type names. */
export type ProfileType = 'integer' | 'float' | 'boolean' | 'date' | 'datetime' | 'string' | 'other';

/** Numbers for numeric columns, ISO text for date and datetime columns. */
export type ProfileValue = number | string | boolean | null;

export interface HistogramBin {
  start: number | string;
  end: number | string;
  count: number;
}

export interface TopValue {
  value: ProfileValue;
  count: number;
}

export interface ColumnAlert {
  code: 'constant' | 'unique' | 'many_missing' | 'high_cardinality' | 'empty';
  message: string;
}

export interface Quantiles {
  p5: ProfileValue;
  p25: ProfileValue;
  p50: ProfileValue;
  p75: ProfileValue;
  p95: ProfileValue;
}

export interface ColumnProfile {
  name: string;
  type: ProfileType;
  /** Non-null values. */
  count: number;
  nulls: number;
  /** nulls / rows; 0 for an empty table. */
  nullRate: number;
  /** Exact number of distinct non-null values. */
  distinct: number;
  /** Numeric and temporal columns; null otherwise. */
  min: ProfileValue;
  max: ProfileValue;
  /** Numeric columns only (for dates see quantiles.p50). */
  mean: number | null;
  std: number | null;
  sum: number | null;
  quantiles: Quantiles | null;
  /** About 20 equal-width bins for numeric and temporal columns; null for others. */
  histogram: HistogramBin[] | null;
  /** Up to 10 most frequent non-null values, most frequent first. */
  top: TopValue[];
  /** Text columns only: lengths in characters. */
  minLength?: number | null;
  meanLength?: number | null;
  maxLength?: number | null;
  alerts: ColumnAlert[];
}

export interface Correlation {
  a: string;
  b: string;
  /** Pearson's r over the rows where both are present; null when undefined (a constant column). */
  pearson: number | null;
}

export interface QualityScore {
  /** 0..100: 100 is a table without missing cells or duplicate rows. */
  score: number;
  reasons: string[];
  /** Share of all cells that are missing (0..1). */
  missingCells: number;
}

/** The profile cell's result (contract: rows, columns, correlations, duplicateRows, quality). */
export interface ProfileResult {
  rows: number;
  columns: ColumnProfile[];
  correlations: Correlation[];
  /** Rows identical to an earlier row. */
  duplicateRows: number;
  quality: QualityScore;
}

/** What `ctx.partial` receives after each group of columns. */
export interface ProfilePartial {
  rows: number;
  columns: ColumnProfile[];
  done: number;
  total: number;
  /** Only in the first partial, sent before any statistic: every column's name and type. */
  schema?: { name: string; type: ProfileType }[];
}
