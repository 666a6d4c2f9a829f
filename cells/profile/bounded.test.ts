// The bounded profile (bounded.ts) against the exact one (column-stats.ts): equal figures
// where the bounded path claims them exact, on every shared file read in small batches;
// estimates within their stated bounds on a generated table of two million rows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { profile } from './index.ts';
import { tableColumns } from '../shared/column-type.ts';
import { profileGroup, type ColumnInfo } from './column-stats.ts';
import { profileBounded } from './bounded.ts';
import { correlations, duplicateRows } from './table-stats.ts';
import { comparable, sameFigures } from '../../tests/support/profile-figures.ts';

const workDir = tempDir('assay-bounded-');



const FILES = fs.readdirSync(DATA).filter((f) => /\.(csv|tsv)$/.test(f)).sort();

test('every shared file, read in six batches or more, has the exact profile\'s figures, correlations and duplicate rows', async () => {
  let compared = 0;
  for (const file of FILES) {
    let up;
    try {
      up = await runUpload(path.join(DATA, file), {}, workDir);
    } catch {
      continue; // A file the upload refuses (empty.csv) has no table to profile.
    }
    const table = pl.scanParquet(up.table!);
    const schema = await tableColumns(up.table!);
    const rows = Number((await table.select(pl.len().alias('n')).collect()).getColumn('n').get(0));
    const infos: ColumnInfo[] = Object.entries(schema).map(([name, type]) => ({ name, type }));
    // Groups of at most 20 columns, as the profile cell makes them (the wide file has 1093).
    for (let start = 0; start < Math.min(infos.length, 60); start += 20) {
      const group = infos.slice(start, start + 20);
      const [exact, bounded] = [
        await profileGroup(table, group, rows, { tall: false, hashed: false }),
        // Six batches or more, none past the quantile sketch's 4,096 values (which would make them estimates).
        await profileBounded(table, group, rows, { batchRows: Math.min(4096, Math.max(97, Math.ceil(rows / 6))) }),
      ];
      bounded.forEach((b, i) => {
        // Below the sketches' sizes nothing is estimated but which values are the most
        // frequent (a batch lists 200), and those are recounted: the figures agree all the same.
        const { top: _, ...estimates } = b.estimates ?? {};
        assert.deepEqual(estimates, {}, `${file} ${b.name}: no estimates below the sketches' sizes`);
        sameFigures(comparable(b, { byBatches: true }), comparable(exact[i]!, { byBatches: true }), `${file} ${b.name}`);
        const n = b.numeric;
        if (n) assert.ok(n.outliers.examples.every((v) => v < n.outliers.low! || v > n.outliers.high!), `${file} ${b.name}: examples are outliers`);
        compared++;
      });
      // Correlations and duplicate rows, read in slices (as past 2 M rows) and whole.
      const [whole, sliced] = [await correlations(table, exact, rows), await correlations(table, exact, rows, 97)];
      sameFigures(sliced, whole, `${file}: correlations`);
      const noUnique = exact.map((c) => ({ ...c, distinct: 0 }));
      assert.equal(await duplicateRows(table, rows, noUnique, 97), await duplicateRows(table, rows, noUnique), `${file}: duplicate rows in shares`);
    }
  }
  assert.ok(compared > 100, `${compared} columns compared`);
});

const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');

/** How many of a column's non-null values are below and at most `v`: its ranks. */
async function ranksOf(table: pl.LazyDataFrame, name: string, physical: pl.Expr, v: number): Promise<[number, number]> {
  const r = (await table.select(physical.alias('v')).select(pl.col('v').lt(v).sum().alias('lt'), pl.col('v').ltEq(v).sum().alias('le')).collect()).toRecords()[0]!;
  return [Number(r.lt), Number(r.le)];
}

test('a generated table of 2 million rows: exact figures equal, estimates within their stated bounds', async () => {
  const rows = 2_000_000;
  const csv = path.join(workDir, 'sales-2m.csv');
  execFileSync(process.execPath, [GEN, String(rows), csv, '7']);
  const up = await runUpload(csv, {}, workDir);
  fs.rmSync(csv);
  const table = pl.scanParquet(up.table!);
  const schema = await tableColumns(up.table!);
  const group: ColumnInfo[] = Object.entries(schema).map(([name, type]) => ({ name, type }));
  const bounded = await profileBounded(table, group, rows, { batchRows: 250_000 });
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

test('a table whose rows would pass the memory budget fails with an error naming the budget, and the next profile runs', async () => {
  // 300 rows of 100 KB each, 30 MB: past a budget of 16 MB whole, and in batches too.
  const file = path.join(workDir, 'large-values.csv');
  const big = 'x'.repeat(100_000);
  fs.writeFileSync(file, `id,text\n${Array.from({ length: 300 }, (_, i) => `${i},${big}${i}`).join('\n')}\n`);
  const up = await runUpload(file, {}, workDir);
  const run = () => profile.run({ config: profile.parseConfig({ input: 'data' }), inputs: { data: up }, ctx: context(workDir) });
  const saved = process.env.ASSAY_PROFILE_MEMORY_MB;
  try {
    process.env.ASSAY_PROFILE_MEMORY_MB = '16';
    await assert.rejects(run(), (e: unknown) => {
      assert.ok(e instanceof CellError, String(e));
      assert.equal(e.code, 'memory_budget');
      assert.match(e.message, /"data" needs about \d+ MB for 300 rows at a time .* past the profile's memory budget of 16 MB \(ASSAY_PROFILE_MEMORY_MB\)/);
      return true;
    });
  } finally {
    if (saved === undefined) delete process.env.ASSAY_PROFILE_MEMORY_MB;
    else process.env.ASSAY_PROFILE_MEMORY_MB = saved;
  }
  // Within the default budget the same table is profiled, every value counted.
  const { result } = await run();
  assert.equal(result.rows, 300);
  assert.equal(result.columns.find((c) => c.name === 'text')!.distinct, 300);
});
