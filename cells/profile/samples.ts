// Rows to look at beside the statistics: the first, the last and a few from anywhere, the
// latter drawn with a fixed seed so a rerun on the same table shows the same rows.
import pl from 'nodejs-polars';
import { jsonSafeCell } from '../shared/json-safe.ts';
import type { ColumnInfo } from './column-stats.ts';
import type { SampleRows } from './types.ts';

export const SAMPLE_EACH = 5;
/** Columns carried in the samples, at most: a 1093-column survey would make each row a page. */
export const SAMPLE_COLUMNS = 100;
const SEED = 23;

/** mulberry32: small, seeded, good enough to pick rows. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SAMPLE_EACH distinct 0-based row indexes of `rows`, the same for the same height. */
export function randomRows(rows: number, each = SAMPLE_EACH): number[] {
  const random = seeded(SEED);
  const picked = new Set<number>();
  while (picked.size < Math.min(each, rows)) picked.add(Math.floor(random() * rows));
  return [...picked].sort((a, b) => a - b);
}

export async function sampleRows(table: pl.LazyDataFrame, rows: number, infos: ColumnInfo[]): Promise<SampleRows> {
  const shown = infos.slice(0, SAMPLE_COLUMNS);
  const names = shown.map((c) => c.name);
  const isDate = new Set(shown.filter((c) => c.type === 'date').map((c) => c.name));
  const picked = table.select(pl.col(names));
  // Each read is a slice at a known offset: polars decodes only the row groups a slice covers.
  // (A row index over the table, then tail or a filter on it, read every row of every column:
  // 17 s and 2.2 GB on 6.6 M rows.)
  const read = async (offset: number, length: number) => (await picked.slice(offset, length).collect()).toRecords().map((r, i) => ({
    row: offset + i + 1,
    values: Object.fromEntries(names.map((n) => [n, jsonSafeCell(r[n], isDate.has(n))])),
  }));
  const random = [];
  if (rows > 2 * SAMPLE_EACH) for (const i of randomRows(rows)) random.push(...await read(i, 1));
  return {
    columns: names,
    omittedColumns: infos.length - names.length,
    first: rows ? await read(0, SAMPLE_EACH) : [],
    last: rows > SAMPLE_EACH ? await read(rows - SAMPLE_EACH, SAMPLE_EACH) : [],
    random,
  };
}
