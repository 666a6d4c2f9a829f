// Box charts: per category (and panel), the quartiles, the whiskers (the furthest values
// within 1.5 × IQR of the box, Tukey's rule) and the values beyond them. The page gets five
// numbers a box and a bounded sample of outliers, never the rows.
import pl from 'nodejs-polars';
import { jsonSafe } from '../shared/json-safe.ts';
import type { Plan } from './resolve.ts';
import type { BoxRow, ChartRow } from './types.ts';
import type { Channel } from './vocabulary.ts';

/** Outliers sent to the page, at most (a deterministic sample when there are more). */
export const MAX_OUTLIERS = 2_000;
const VALUE = '\u241fvalue';
const GROUP = '\u241fgroup';

export interface BoxQuery {
  /** The channels grouped by: the category, the facet, and the value channel (left out here). */
  keys: Channel[];
  /** A key channel's expression (its field, or its bucket). */
  keyExpr: (c: Channel) => pl.Expr;
  /** The column of `base` holding row numbers, for a seeded sample of outliers. */
  rowNumber: string;
  maxBoxes: number;
}

export async function boxData(base: pl.LazyDataFrame, plan: Plan, query: BoxQuery): Promise<{ rows: ChartRow[]; outliers: ChartRow[]; truncated: boolean }> {
  const { keys, keyExpr, rowNumber, maxBoxes } = query;
  const valueChannel: Channel = plan.orientation === 'vertical' ? 'y' : 'x';
  const groups = keys.filter((c) => c !== valueChannel);
  // A chart of one box still groups by something: a constant.
  const by = groups.length ? groups : [GROUP];
  const rows = base.select(
    pl.col(rowNumber),
    ...(groups.length ? groups.map(keyExpr) : [pl.lit(0).alias(GROUP)]),
    pl.col(plan.encoding[valueChannel]!.field!).cast(pl.Float64).alias(VALUE),
  );
  const v = pl.col(VALUE);
  const stats = rows.groupBy(by).agg(
    v.quantile(0.25, 'linear').alias('q1'), v.median().alias('median'), v.quantile(0.75, 'linear').alias('q3'), pl.len().alias('n'),
  ).withColumns(
    pl.col('q1').sub(pl.col('q3').sub(pl.col('q1')).mul(1.5)).alias('lowFence'),
    pl.col('q3').add(pl.col('q3').sub(pl.col('q1')).mul(1.5)).alias('highFence'),
  );
  const joined = rows.join(stats, { on: by });
  const whiskers = joined.groupBy(by).agg(
    v.filter(v.gtEq(pl.col('lowFence'))).min().alias('lo'),
    v.filter(v.ltEq(pl.col('highFence'))).max().alias('hi'),
  );
  const sort = plan.config.sort;
  const order = sort && sort.channel === valueChannel ? [pl.col('median'), ...by.map((c) => pl.col(c))] : by.map((c) => pl.col(c));
  const descending = order.map((_, i) => (i === 0 && sort?.channel === valueChannel ? sort.descending : false));
  const cap = Math.min(plan.config.limit ?? maxBoxes, maxBoxes);
  const boxes = stats.join(whiskers, { on: by }).sort(order, descending, true).head(cap + 1);
  const beyond = joined.filter(v.lt(pl.col('lowFence')).or(v.gt(pl.col('highFence'))))
    .sort(pl.col(rowNumber).hash(11, 23, 37, 51)).head(MAX_OUTLIERS).sort(rowNumber)
    .select(...by.map((c) => pl.col(c)), v);
  const [boxRecords, outlierRecords] = await Promise.all([boxes.collect(), beyond.collect()]);
  const boxList = boxRecords.toRecords() as Record<string, unknown>[];
  const kept = boxList.slice(0, cap);
  const shown = new Set(kept.map((b) => JSON.stringify(groups.map((c) => jsonSafe(b[c])))));
  const out: BoxRow[] = kept.map((b) => {
    const row: BoxRow = {
      q1: Number(b.q1), median: Number(b.median), q3: Number(b.q3), lo: Number(b.lo), hi: Number(b.hi), n: Number(b.n),
    };
    for (const c of groups) row[c] = jsonSafe(b[c]) as ChartRow[Channel];
    return row;
  });
  const outliers = (outlierRecords.toRecords() as Record<string, unknown>[])
    .filter((o) => shown.has(JSON.stringify(groups.map((c) => jsonSafe(o[c])))))
    .map((o) => {
      const row: ChartRow = { [valueChannel]: Number(o[VALUE]) };
      for (const c of groups) row[c] = jsonSafe(o[c]) as ChartRow[Channel];
      return row;
    });
  return { rows: out, outliers, truncated: boxList.length > cap };
}
