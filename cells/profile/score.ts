// The quality score from its parts, and a part's share in words: no polars here, so the
// page (view.ts), the profile's document (report.ts) and the run (table-stats.ts) share it.
import type { QualityPart } from './types.ts';

/** The product of the parts' shares, in 0..100; 99 at most when any part is below 1, so 100 means nothing was found. */
export function scoreOf(rows: number, parts: QualityPart[]): number {
  if (rows === 0) return 0;
  const product = parts.reduce((p, x) => p * x.share, 1);
  const score = Math.max(0, Math.round(100 * product));
  return product < 1 ? Math.min(99, score) : score;
}

/** A part's share as a person reads it: never "100.0%" or "0.0%" when something is there. */
export function shareText(part: Pick<QualityPart, 'share' | 'bad'>): string {
  if (part.bad > 0 && part.share > 0.999) return '> 99.9%';
  if (part.bad > 0 && part.share < 0.001) return '< 0.1%';
  return `${(part.share * 100).toFixed(1)}%`;
}
