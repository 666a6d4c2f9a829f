// The profile cell's config and result. The web view imports these; the field names
// marked contract in DESIGN.md never change. Every value is plain JSON: numbers are
// finite or null, dates and datetimes are ISO text (`YYYY-MM-DD` for dates).

export interface ProfileConfig {
  /** Name of the cell whose table is profiled. */
  input: string;
  /** Profile only these columns (in this order); every name must exist. */
  columns?: string[];
  /**
   * How distinct values of text columns are counted: `exact` compares the values,
   * `approx` their 64-bit hashes (two different values share one with odds of about
   * n²/2^65). Absent: exact up to 2,000,000 rows, approx above.
   */
  distinct?: 'exact' | 'approx';
}

/** How a column is profiled; follows the upload cell's type names. */
export type ProfileType = import('../shared/column-type.ts').ColumnType;

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

export type AlertCode = 'constant' | 'unique' | 'many_missing' | 'high_cardinality' | 'empty' | 'high_correlation'
  | 'skewed' | 'zeros' | 'imbalance' | 'mixed_types' | 'outliers'
  /** A few negative values in a column otherwise ≥ 0 (a column of counts with corrections or typos). */
  | 'negatives';

/** As ydata-profiling raises them: each names its column (the one it sits on) and its number. */
export interface ColumnAlert {
  code: AlertCode;
  message: string;
  /** The figure the alert is about (a share, a count, a coefficient). */
  value?: number;
}

/** What a text column's values look like, by content (see semantic.ts). */
export type SemanticType = 'email' | 'url' | 'phone' | 'ip' | 'uuid' | 'country' | 'postal_code' | 'credit_card' | 'identifier';

export interface Quantiles {
  p1: ProfileValue;
  p5: ProfileValue;
  p25: ProfileValue;
  p50: ProfileValue;
  p75: ProfileValue;
  p95: ProfileValue;
  p99: ProfileValue;
}

/** Numeric columns: beyond the moments. */
export interface NumericDetail {
  zeros: number;
  negatives: number;
  iqr: number | null;
  skewness: number | null;
  /** Excess (Fisher) kurtosis: 0 for a normal distribution. */
  kurtosis: number | null;
  /** Values below p25 − 1.5·IQR or above p75 + 1.5·IQR. */
  outliers: { count: number; low: number | null; high: number | null; examples: number[] };
}

/** Text columns: all of it from the first `sampled` values (100,000 at most). */
export interface TextDetail {
  empty: number;
  /** Values with leading or trailing whitespace. */
  padded: number;
  sampled: number;
  /** Share of sampled values holding at least one such character. */
  classes: { letters: number; digits: number; spaces: number; punctuation: number; nonAscii: number };
  /** Letters as A/a (runs of lowercase as a+), digits as 9, anything else as itself: `99999`, `Aa+ Aa+`. */
  patterns: { pattern: string; count: number }[];
  /** Share of sampled values that read as numbers: text with many is of mixed types. */
  numericShare: number;
}

/** Date and datetime columns. */
export interface TemporalDetail {
  /** Whole days from min to max. */
  rangeDays: number | null;
  /** The longest stretch without a value, between two consecutive distinct values, in days. */
  largestGapDays: number | null;
  /** Values after the moment of profiling. */
  future: number;
  /** Counts per calendar period, the period chosen from the range. */
  period: 'day' | 'month' | 'year';
  byPeriod: { start: string; count: number }[];
}

/** Which figures of a column are estimates, and how far off each may be. */
export interface ColumnEstimates {
  /** `distinct` is within this share of the true count (three standard errors of a bottom-k sketch: 99.7 % of the time). */
  distinct?: { relativeError: number };
  /**
   * Each quantile (and so the IQR, the outlier fences and the outliers counted against them)
   * is the value at a rank within this share of the non-null values of the rank asked for.
   */
  quantiles?: { rankError: number };
  /** `top` lists exact counts; a value it leaves out occurs at most this many times. */
  top?: { unlistedAtMost: number };
  /** `temporal.largestGapDays` is at least its value and at most this many days. */
  largestGap?: { atMost: number };
}

export interface ColumnProfile {
  name: string;
  type: ProfileType;
  /** Non-null values. */
  count: number;
  nulls: number;
  /** nulls / rows; 0 for an empty table. */
  nullRate: number;
  /** Number of distinct non-null values: exact, unless distinctByHash. */
  distinct: number;
  /** Counted by 64-bit hashes (see ProfileConfig.distinct): at worst a hair under the truth. */
  distinctByHash?: true;
  /**
   * Figures estimated to keep a tall table's profile in bounded memory, each with its
   * bound; a figure not named here is exact (see bounded.ts).
   */
  estimates?: ColumnEstimates;
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
  /** Approximate bytes in memory: fixed width × rows, or the text's bytes. */
  memoryBytes: number;
  semantic: SemanticType | null;
  /** Personal data is likely here (by content or by the column's name); `piiReason` says which. */
  pii: boolean;
  piiReason?: string;
  numeric?: NumericDetail;
  text?: TextDetail;
  temporal?: TemporalDetail;
  /** Boolean columns. */
  trueCount?: number;
  falseCount?: number;
  alerts: ColumnAlert[];
}

export interface Correlation {
  a: string;
  b: string;
  /** Pearson's r over the rows where both are present; null when undefined (a constant column). */
  pearson: number | null;
  /** Spearman's rank correlation. */
  spearman: number | null;
}

/** Cramér's V between two low-cardinality text (or boolean) columns, 0..1. */
export interface Association {
  a: string;
  b: string;
  cramersV: number | null;
  /** Rows it was computed on (the first rows of the table). */
  rows: number;
}

/** One part of the quality score: the share of what it counts that is good. */
export interface QualityPart {
  /** 0..1 */
  share: number;
  /** What is bad (missing cells, invalid values, duplicate rows, failing rules) … */
  bad: number;
  /** … of this many (cells, rows, rules). */
  of: number;
  /** In words, with the columns it comes from. */
  detail: string;
}

export interface QualityScore {
  /**
   * 0..100: 100 × completeness × validity × uniqueness (× rules where the workspace has rule
   * results on the same table), rounded, and 99 at most when anything is missing, invalid or
   * copied: a score of 100 means nothing was found.
   */
  score: number;
  reasons: string[];
  /** Share of all cells that are missing (0..1). */
  missingCells: number;
  /** The score's parts (see README, "The quality score"); `rules` only where rules read the same table. */
  parts?: { completeness: QualityPart; validity: QualityPart; uniqueness: QualityPart; rules?: QualityPart };
}

/** Which columns are missing together, counted exactly over every row (see missing.ts). */
export interface MissingPatterns {
  /** The columns with nulls, most nulls first (at most 30). */
  columns: string[];
  /** Columns with nulls left out of the patterns (beyond the 30 with most). */
  omitted: number;
  /** Rows with at least one null in `columns`. */
  rowsWithMissing: number;
  /** The most frequent patterns of nulls: which of `columns` are null together, in how many rows. */
  patterns: { missing: string[]; count: number }[];
  /** Pairs of columns null in the same rows, most such rows first. */
  together: { a: string; b: string; rows: number }[];
}

/** Rows to look at: `row` is the 1-based row number; `random` rows are drawn with a fixed seed. */
export interface SampleRows {
  columns: string[];
  omittedColumns: number;
  first: { row: number; values: Record<string, unknown> }[];
  last: { row: number; values: Record<string, unknown> }[];
  random: { row: number; values: Record<string, unknown> }[];
}

/** The profile cell's result (contract: rows, columns, correlations, duplicateRows, quality). */
export interface ProfileResult {
  rows: number;
  columns: ColumnProfile[];
  correlations: Correlation[];
  associations: Association[];
  /** Every column's alerts, with its column: the overview's list, most pressing first (see alert-rank.ts). */
  alerts: (ColumnAlert & { column: string; severity?: 'act' | 'check' | 'note' })[];
  /** Rows identical to an earlier row. */
  duplicateRows: number;
  /** How text columns' distinct counts were made (see ProfileConfig.distinct); numbers and dates are always exact. */
  distinctCounts: 'exact' | 'approx';
  /** The rows Spearman's ranks were taken on: every row up to a million, evenly spaced rows beyond. */
  spearmanRows: number;
  quality: QualityScore;
  /** Which columns are missing together (absent in results made before version 4). */
  missing?: MissingPatterns;
  /** The first, last and seeded random rows (absent in results made before version 4). */
  samples?: SampleRows;
  /** What cleaning would fix (a second header row, markers of a missing value, …), from which "Suggest cleaning" writes a transform cell (absent before version 5). */
  cleaning?: import('./cleaning-types.ts').CleaningHints;
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
