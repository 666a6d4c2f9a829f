// Which columns are missing together: exact counts of each pattern of nulls over the columns
// that have any (as ydata-profiling's missing-values matrix, but counted, not drawn from a
// sample). Each row's nulls are packed into one number, one bit a column, and counted a
// slice of rows at a time, so memory stays that of one slice whatever the table's height.
import pl from 'nodejs-polars';
import type { ColumnProfile, MissingPatterns } from './types.ts';

/** Columns in the patterns, at most (those with the most nulls): 2^30 patterns still fit a double's bits exactly. */
export const MISSING_COLUMNS = 30;
/** Patterns listed, most frequent first. */
export const PATTERNS_LISTED = 20;
const SLICE = 1_000_000;

export async function missingPatterns(table: pl.LazyDataFrame, rows: number, columns: ColumnProfile[]): Promise<MissingPatterns> {
  const withNulls = columns.filter((c) => c.nulls > 0).sort((a, b) => b.nulls - a.nulls);
  const names = withNulls.slice(0, MISSING_COLUMNS).map((c) => c.name);
  const out: MissingPatterns = { columns: names, omitted: Math.max(0, withNulls.length - names.length), rowsWithMissing: 0, patterns: [], together: [] };
  if (names.length === 0 || rows === 0) return out;
  // Bit i set: column i is null in the row. Summed in Float64 (exact below 2^53).
  const mask = names.map((n, i) => pl.col(n).isNull().cast(pl.Float64).mul(2 ** i)).reduce((a, b) => a.add(b)).alias('m');
  const counts = new Map<number, number>();
  for (let offset = 0; offset < rows; offset += SLICE) {
    const got = await table.slice(offset, SLICE).select(mask).filter(pl.col('m').gt(0)).groupBy('m').agg(pl.len().alias('n')).collect();
    for (const r of got.toRecords()) counts.set(Number(r.m), (counts.get(Number(r.m)) ?? 0) + Number(r.n));
  }
  const all = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const bits = (m: number) => names.filter((_, i) => Math.floor(m / 2 ** i) % 2 === 1);
  out.rowsWithMissing = all.reduce((n, [, k]) => n + k, 0);
  out.patterns = all.slice(0, PATTERNS_LISTED).map(([m, count]) => ({ missing: bits(m), count }));
  // Rows where both of a pair are null, from every pattern (not only those listed).
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const both = all.reduce((n, [m, k]) => (Math.floor(m / 2 ** i) % 2 === 1 && Math.floor(m / 2 ** j) % 2 === 1 ? n + k : n), 0);
      if (both > 0) out.together.push({ a: names[i]!, b: names[j]!, rows: both });
    }
  }
  out.together.sort((x, y) => y.rows - x.rows);
  return out;
}
