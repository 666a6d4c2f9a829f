// The bounded profile (bounded.ts) against the exact one (column-stats.ts): equal figures
// where the bounded path claims them exact, on every shared file read in small batches;
// estimates within their stated bounds on a generated table of two million rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { tableColumns } from '../column-type.ts';
import { profileGroup, type ColumnInfo } from './column-stats.ts';
import { profileBounded } from './bounded.ts';
import type { ColumnProfile } from './types.ts';

const workDir = tempDir('assay-bounded-');

/** Equal figures, floats to 1e-9 of their size: the bounded path's sums are merged from batches. */
function sameFigures(a: unknown, b: unknown, where: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${where}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${where}: length ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    a.forEach((x, i) => sameFigures(x, b[i], `${where}[${i}]`));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys`);
    for (const k of Object.keys(a)) sameFigures((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
  } else {
    assert.equal(a, b, where);
  }
}

/**
 * What may rightly differ between the two: which of tied values the top list names, which
 * outliers are the examples, and the flag saying a count was made by hashes.
 */
function comparable(c: ColumnProfile) {
  const least = c.top.at(-1)?.count ?? 0;
  const above = c.top.filter((t) => t.count > least).map((t) => JSON.stringify(t)).sort();
  const numeric = c.numeric && { ...c.numeric, outliers: { ...c.numeric.outliers, examples: [] } };
  const alerts = c.alerts.map((a) => ({ code: a.code, value: a.value }));
  const { distinctByHash: _, estimates: __, ...rest } = c;
  return { ...rest, top: { counts: c.top.map((t) => t.count), above }, alerts, ...(numeric ? { numeric } : {}) };
}

const FILES = fs.readdirSync(DATA).filter((f) => /\.(csv|tsv)$/.test(f)).sort();

test('every shared file, read in six batches or more, has the exact profile\'s figures: none of them is an estimate', async () => {
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
        sameFigures(comparable(b), comparable(exact[i]!), `${file} ${b.name}`);
        const n = b.numeric;
        if (n) assert.ok(n.outliers.examples.every((v) => v < n.outliers.low! || v > n.outliers.high!), `${file} ${b.name}: examples are outliers`);
        compared++;
      });
    }
  }
  assert.ok(compared > 100, `${compared} columns compared`);
});
