// The notebook's data grid asks the server for blocks of 100 rows × 40 columns as it
// scrolls. How long one block takes on the generated table (a page at the top, one in the
// middle, one sorted by a column, one filtered by text) and on a table of 10,000 columns,
// beside DuckDB answering the same queries on the same Parquet files, warm, in the same run.
import pl from 'nodejs-polars';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPage, type PageQuery } from '../../server/tables/page.ts';
import { generatedCsv, ingestTask } from './ingest.bench.ts';
import { percentile, report } from './util.ts';

const REPEATS = 7;
const WIDE_COLUMNS = 10_000;
const WIDE_ROWS = 2_000;

async function p50(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return percentile(times, 0.5);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function gridBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-grid-'));
  try {
    const table = ingestTask('upload', generatedCsv(dir), dir).out!;
    const names = pl.scanParquet(table).columns;
    const wide = path.join(dir, 'wide.parquet');
    pl.DataFrame(Object.fromEntries(Array.from({ length: WIDE_COLUMNS }, (_, c) => [`c${c}`, Array.from({ length: WIDE_ROWS }, (_, r) => r * c)])))
      .writeParquet(wide);
    const rows = Number((await pl.scanParquet(table).select(pl.len().alias('n')).collect()).getColumn('n').get(0));
    console.log(`table: ${rows.toLocaleString('en')} rows × ${names.length} columns; wide: ${WIDE_ROWS} rows × ${WIDE_COLUMNS} columns`);

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const src = (file: string) => `read_parquet('${file.replaceAll("'", "''")}')`;
    const cols = (from: number, to: number, all: string[]) => all.slice(from, to).map(quote).join(', ');
    const page = (q: Partial<PageQuery>, file = table) => readPage(file, { offset: 0, limit: 100, from: 0, to: 40, filters: [], ...q });
    const sortBy = names.indexOf('unit_price');
    const filterOn = names.indexOf('customer_name');
    const wideNames = Array.from({ length: WIDE_COLUMNS }, (_, c) => `c${c}`);

    const cases: [string, () => Promise<unknown>, string][] = [
      ['first block (ms)', () => page({}), `SELECT ${cols(0, 40, names)} FROM ${src(table)} LIMIT 100`],
      ['block in the middle (ms)', () => page({ offset: Math.floor(rows / 2) }), `SELECT ${cols(0, 40, names)} FROM ${src(table)} LIMIT 100 OFFSET ${Math.floor(rows / 2)}`],
      ['sorted by unit_price, descending (ms)', () => page({ sort: { column: sortBy, descending: true } }),
        `SELECT ${cols(0, 40, names)} FROM ${src(table)} ORDER BY unit_price DESC NULLS LAST LIMIT 100`],
      ['filtered: customer_name contains "smith" (ms)', () => page({ filters: [{ column: filterOn, text: 'smith' }] }),
        `SELECT (SELECT count(*) FROM ${src(table)} WHERE customer_name ILIKE '%smith%'), * FROM (SELECT ${cols(0, 40, names)} FROM ${src(table)} WHERE customer_name ILIKE '%smith%' LIMIT 100)`],
      ['10,000 columns: block of columns 5000–5039 (ms)', () => page({ from: 5000, to: 5040 }, wide), `SELECT ${cols(5000, 5040, wideNames)} FROM ${src(wide)} LIMIT 100`],
    ];
    for (const [what, ours, sql] of cases) {
      const assay = await p50(ours);
      const theirs = await p50(() => duck.runAndReadAll(sql));
      report(what, assay, 'DuckDB, the same query', theirs, 'ms');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
