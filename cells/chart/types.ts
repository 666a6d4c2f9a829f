// The chart cell's config and result. The browser's view imports these (no polars here).
// `spec`, `data`, `rowsIn` and `pointsOut` are the contract of DESIGN.md; the rest is added.
import type { Aggregate, Channel, Mark, ScaleType, TimeBucket } from './vocabulary.ts';

/** How an encoding bins its field, as written (normalised). */
export type BinConfig =
  | { kind: 'none' }                     // bin: false — raw values, even for dates
  | { kind: 'auto' }                     // bin: true — numbers in about 20 bins, dates by the best bucket
  | { kind: 'count'; count: number }     // bin: 30 — at most this many numeric bins
  | { kind: 'step'; step: number }       // bin: {step: 5}
  | { kind: 'time'; unit: TimeBucket };  // bin: month

export interface EncodingConfig {
  field?: string;
  aggregate?: Aggregate;
  bin?: BinConfig;
  label?: string;
  format?: string;
  scale?: ScaleType;
}

export interface ChartConfig {
  input: string;
  mark?: Mark;
  title?: string;
  encoding: Partial<Record<Channel, EncodingConfig>>;
  /** An expression of the rule language (cells/shared/expression.ts); rows where it holds are charted. */
  filter?: string;
  sort?: { channel: Channel; descending: boolean };
  limit?: number;
  height?: number;
}

/** nominal: categories (band or ordinal scale); quantitative: numbers; temporal: dates. */
export type ValueType = 'nominal' | 'quantitative' | 'temporal';

export type ResolvedBin = { step: number; start: number } | { unit: TimeBucket };

export interface ResolvedEncoding {
  field?: string;
  aggregate?: Aggregate;
  /** Binned channels carry the bin's start in the row's channel and its end in `x2` / `y2`. */
  bin?: ResolvedBin;
  type: ValueType;
  /** Axis or legend title: the one written, else the field and its aggregate ("mean(temp_max)"). */
  label: string;
  format?: string;
  scale?: ScaleType;
}

/** The spec as drawn: every default filled in, so the page and the reader see the same thing. */
export interface ResolvedSpec {
  mark: Mark;
  /** vertical: categories or bins along x, the measure up y; horizontal: the other way round. */
  orientation: 'vertical' | 'horizontal';
  title?: string;
  encoding: Partial<Record<Channel, ResolvedEncoding>>;
  filter?: string;
  sort?: { channel: Channel; descending: boolean };
  limit?: number;
  height?: number;
  /** Each default that was applied, in words: `mark: bar (x is text and there is no y)`. */
  defaults: string[];
}

/** One point of the chart: values by channel (not by column name), `x2`/`y2` for bin ends. */
export type ChartRow = Partial<Record<Channel | 'x2' | 'y2', string | number | boolean | null>>;

/** A box mark's row: the category (in x, or y when horizontal), facet, and the five numbers. */
export interface BoxRow extends ChartRow {
  q1: number;
  median: number;
  q3: number;
  /** Whisker ends: the furthest values within 1.5 × IQR of the box. */
  lo: number;
  hi: number;
  n: number;
}

export interface ChartResult {
  spec: ResolvedSpec;
  data: ChartRow[];
  /** Rows of the input table. */
  rowsIn: number;
  /** Rows where the filter holds (rowsIn without a filter). */
  rowsFiltered: number;
  /** Points sent to the page: data rows, plus a box chart's outliers. */
  pointsOut: number;
  /** True when a scatter of more rows than the limit was sampled (deterministically). */
  sampled: boolean;
  /** True when groups beyond the point limit (or `limit`) were left out. */
  truncated: boolean;
  /** Box charts only: values beyond the whiskers (a deterministic sample of them if many). */
  outliers?: ChartRow[];
  warnings: string[];
}
