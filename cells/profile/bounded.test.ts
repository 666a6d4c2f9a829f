// The bounded profile (bounded.ts) against the exact one (column-stats.ts): equal figures
// where the bounded path claims them exact, on every shared file read in small batches, and
// the memory budget's error. The estimates on a generated table of two million rows are in
// bounded-tall.test.ts, a file of its own so the two long tests run side by side.
import assert from 'node:assert/strict';
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
      // Six slices or more, as the batches above.
      const slice = Math.max(97, Math.ceil(rows / 6));
      const [whole, sliced] = [await correlations(table, exact, rows), await correlations(table, exact, rows, slice)];
      sameFigures(sliced, whole, `${file}: correlations`);
      const noUnique = exact.map((c) => ({ ...c, distinct: 0 }));
      assert.equal(await duplicateRows(table, rows, noUnique, slice), await duplicateRows(table, rows, noUnique), `${file}: duplicate rows in shares`);
    }
  }
  assert.ok(compared > 100, `${compared} columns compared`);
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
