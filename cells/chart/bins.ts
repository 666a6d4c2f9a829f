// Bin edges for numbers and buckets for dates. Pure arithmetic: the polars query groups by
// a bin's index (numbers) or a truncated date, and these say where each bin starts and ends.
import type { TimeBucket } from './vocabulary.ts';

export const DEFAULT_BINS = 20;
/** More points than this make a line unreadable; the best bucket is the finest that stays under it. */
export const MAX_TIME_BUCKETS = 400;

export interface NumericBins {
  start: number;
  step: number;
  /** Bins needed to cover [min, max]: each holds start + i·step ≤ value < start + (i+1)·step. */
  count: number;
}

/** The smallest step of the form 1, 2 or 5 × 10^k that covers the span in at most `maxBins` bins. */
export function niceStep(span: number, maxBins: number, wholeNumbers: boolean): number {
  if (!(span > 0)) return 1;
  const raw = span / maxBins;
  const power = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / power;
  const step = (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10) * power;
  // Integer columns: a bin narrower than 1 would leave every other bin empty.
  return wholeNumbers ? Math.max(1, step) : step;
}

export function numericBins(min: number, max: number, options: { step?: number; maxBins?: number; wholeNumbers: boolean }): NumericBins {
  const step = options.step ?? niceStep(max - min, options.maxBins ?? DEFAULT_BINS, options.wholeNumbers);
  const start = Math.floor(min / step) * step;
  return { start: roundTo(start, step), step, count: Math.floor((max - start) / step + EDGE_SLACK) + 1 };
}

/**
 * Added before flooring (value − start) / step, so a value on an edge (0.3 with step 0.1, where
 * the division gives 2.9999999999999996) lands in the bin it starts, as it would on paper.
 */
export const EDGE_SLACK = 1e-9;

/** The i-th edge, rounded to the step's precision so 0.1 · 3 reads 0.3. */
export function binEdge(bins: { start: number; step: number }, i: number): number {
  return roundTo(bins.start + i * bins.step, bins.step);
}

function roundTo(value: number, step: number): number {
  const decimals = Math.min(15, Math.max(0, Math.ceil(-Math.log10(step)) + 2));
  return Number(value.toFixed(decimals));
}

const DAY = 86_400_000;
/** Approximate length of each bucket, only for choosing one. */
const BUCKET_DAYS: Record<TimeBucket, number> = { hour: 1 / 24, day: 1, week: 7, month: 30.44, quarter: 91.31, year: 365.25 };

/** The finest bucket that gives at most MAX_TIME_BUCKETS points over [min, max] (hours only for date-times). */
export function bestTimeBucket(minMs: number, maxMs: number, hasTime: boolean): TimeBucket {
  const days = Math.max(0, maxMs - minMs) / DAY;
  const order: TimeBucket[] = hasTime ? ['hour', 'day', 'week', 'month', 'quarter', 'year'] : ['day', 'week', 'month', 'quarter', 'year'];
  return order.find((unit) => days / BUCKET_DAYS[unit] + 1 <= MAX_TIME_BUCKETS) ?? 'year';
}

/** polars' `dt.truncate` interval for each bucket (weeks start on Monday). */
export const TRUNCATE_EVERY: Record<TimeBucket, string> = { hour: '1h', day: '1d', week: '1w', month: '1mo', quarter: '1q', year: '1y' };

/** Where the bucket starting at `start` ends (the next one's start), in UTC like polars' dates. */
export function bucketEnd(start: Date, unit: TimeBucket): Date {
  const d = new Date(start.getTime());
  switch (unit) {
    case 'hour': d.setUTCHours(d.getUTCHours() + 1); break;
    case 'day': d.setUTCDate(d.getUTCDate() + 1); break;
    case 'week': d.setUTCDate(d.getUTCDate() + 7); break;
    case 'month': d.setUTCMonth(d.getUTCMonth() + 1); break;
    case 'quarter': d.setUTCMonth(d.getUTCMonth() + 3); break;
    case 'year': d.setUTCFullYear(d.getUTCFullYear() + 1); break;
  }
  return d;
}
