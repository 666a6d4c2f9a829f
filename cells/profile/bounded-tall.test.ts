// The bounded profile's estimates (distinct counts, quantiles, top values, date gaps) within
// their stated bounds, and its exact figures equal to the exact profile's, on a generated
// table of 1.2 million rows read in batches of 150,000: enough that every kind of estimate is
// made (at 500,000 rows a datetime's largest gap is wider than a bucket, so found exactly).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { runUpload, tempDir } from '../upload/corpus.ts';
import { tableColumns } from '../shared/column-type.ts';
import { profileGroup, type ColumnInfo } from './column-stats.ts';
import { profileBounded } from './bounded.ts';
import { sameFigures } from '../../tests/support/profile-figures.ts';

const workDir = tempDir('assay-bounded-tall-');

const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');

/** How many of a column's non-null values are below and at most `v`: its ranks. */
async function ranksOf(table: pl.LazyDataFrame, name: string, physical: pl.Expr, v: number): Promise<[number, number]> {
  const r = (await table.select(physical.alias('v')).select(pl.col('v').lt(v).sum().alias('lt'), pl.col('v').ltEq(v).sum().alias('le')).collect()).toRecords()[0]!;
  return [Number(r.lt), Number(r.le)];
}

test('a generated table of 1.2 million rows in batches of 150,000: exact figures equal, estimates within their stated bounds', async () => {
  const rows = 1_200_000;
  const csv = path.join(workDir, 'sales-1200k.csv');
  execFileSync(process.execPath, [GEN, String(rows), csv, '7']);
  const up = await runUpload(csv, {}, workDir);
  fs.rmSync(csv);
  const table = pl.scanParquet(up.table!);
  const schema = await tableColumns(up.table!);
  const group: ColumnInfo[] = Object.entries(schema).map(([name, type]) => ({ name, type }));
  const bounded = await profileBounded(table, group, rows, { batchRows: 150_000 });
  const exact = await profileGroup(table, group, rows, { tall: true, hashed: false, byCounts: true });
  const estimated = new Set<string>();
  for (const [i, b] of bounded.entries()) {
    const e = exact[i]!;
    const where = b.name;
    const est = b.estimates ?? {};
    for (const k of Object.keys(est)) estimated.add(`${k}`);
    // Exact figures, estimated or not elsewhere in the column.
    sameFigures([b.count, b.nulls, b.min, b.max, b.sum, b.mean, b.std, b.minLength, b.meanLength, b.maxLength, b.trueCount, b.histogram],
      [e.count, e.nulls, e.min, e.max, e.sum, e.mean, e.std, e.minLength, e.meanLength, e.maxLength, e.trueCount, e.histogram], where);
    sameFigures([b.numeric?.zeros, b.numeric?.negatives, b.numeric?.skewness, b.numeric?.kurtosis, b.temporal?.byPeriod, b.temporal?.future],
      [e.numeric?.zeros, e.numeric?.negatives, e.numeric?.skewness, e.numeric?.kurtosis, e.temporal?.byPeriod, e.temporal?.future], where);
    if (est.distinct) {
      assert.ok(Math.abs(b.distinct - e.distinct) <= est.distinct.relativeError * e.distinct, `${where}: distinct ${b.distinct} vs ${e.distinct} (±${est.distinct.relativeError})`);
    } else assert.equal(b.distinct, e.distinct, `${where}: distinct`);
    if (est.quantiles) {
      // Each quantile is the value at a rank within rankError · count of the one asked for.
      const physical = b.type === 'date' ? pl.col(b.name).cast(pl.Int32) : b.type === 'datetime' ? pl.col(b.name).cast(pl.Datetime('ms')).cast(pl.Int64) : pl.col(b.name).cast(pl.Float64);
      const slack = est.quantiles.rankError * b.count + 1;
      for (const [k, q] of Object.entries({ p1: 0.01, p25: 0.25, p50: 0.5, p75: 0.75, p99: 0.99 })) {
        const value = (b.quantiles as unknown as Record<string, number | string>)[k]!;
        const v = typeof value === 'string' ? (b.type === 'date' ? Date.parse(value) / 86_400_000 : Date.parse(value)) : value;
        const [below, atMost] = await ranksOf(table, b.name, physical, v);
        const rank = q * (b.count - 1);
        assert.ok(rank >= below - slack && rank <= atMost - 1 + slack, `${where} ${k}: ${value} holds ranks ${below}…${atMost - 1}, asked ${rank} ± ${slack}`);
      }
    } else sameFigures(b.quantiles, e.quantiles, `${where}: quantiles`);
    // Listed counts are exact; a value not listed occurs at most unlistedAtMost times.
    const physical = (v: unknown) => (b.type === 'date' ? Date.parse(String(v)) / 86_400_000 : b.type === 'datetime' ? Date.parse(String(v)) : v);
    const column = b.type === 'date' ? pl.col(b.name).cast(pl.Int32) : b.type === 'datetime' ? pl.col(b.name).cast(pl.Datetime('ms')).cast(pl.Int64)
      : b.type === 'integer' || b.type === 'float' ? pl.col(b.name).cast(pl.Float64) : pl.col(b.name);
    const listedValues = pl.lit(pl.Series('listed', b.top.map((t) => physical(t.value)) as never));
    const counts = table.select(column.alias('v')).dropNulls().groupBy('v').agg(pl.len().alias('n'));
    const found = new Map((await counts.filter(pl.col('v').isIn(listedValues)).collect()).toRecords().map((r) => [String(r.v), Number(r.n)]));
    for (const t of b.top) assert.equal(t.count, found.get(String(physical(t.value))), `${where}: ${JSON.stringify(t)} counted exactly`);
    const most = Number((await counts.filter(pl.col('v').isIn(listedValues).not()).select(pl.col('n').max().fillNull(0)).collect()).getColumn('n').get(0) ?? 0);
    if (est.top) assert.ok(most <= est.top.unlistedAtMost, `${where}: an unlisted value occurs ${most} times, past the bound ${est.top.unlistedAtMost}`);
    else assert.ok(most <= (b.top.at(-1)?.count ?? 0), `${where}: no unlisted value is more frequent than the listed`);
    if (est.largestGap) {
      assert.ok(b.temporal!.largestGapDays! <= e.temporal!.largestGapDays! + 1e-9 && e.temporal!.largestGapDays! <= est.largestGap.atMost + 1e-9, `${where}: gap`);
    } else if (e.temporal) assert.equal(b.temporal!.largestGapDays, e.temporal.largestGapDays, `${where}: gap`);
  }
  // The table is tall enough that each kind of estimate is made (and so checked) at least once.
  assert.deepEqual([...estimated].sort(), ['distinct', 'largestGap', 'quantiles', 'top']);
});
