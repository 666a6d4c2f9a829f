// Transform cells on the generated 6.6 M-row sales table (its upload's Parquet), each case alone
// in its process beside DuckDB running the same query on the same Parquet into a Parquet file of
// its own, in alternating rounds: time and peak RSS (the Parquet writer's process counted too).
// The goal (issue 21): at most 1.5× DuckDB's time, peak RSS under 1 GB.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { generatedCsv, ingestTask, median, type Measure } from './ingest.bench.ts';
import { TRANSFORM_CASES } from './transform-cases.ts';
import { ALLOCATOR_ENV, report } from './util.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROWS = Number(process.env.BENCH_ROWS ?? 6_600_000);
const TASK = path.join(import.meta.dirname, 'transform-task.ts');
const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
// Generating and uploading 1 GB takes minutes: BENCH_SALES_PARQUET reuses an upload's table,
// BENCH_CSV_DIR the generated CSV (as profile.bench.ts keeps it: same rows, same seed, same bytes).
const KEEP = process.env.BENCH_SALES_PARQUET;
const CSV_DIR = process.env.BENCH_CSV_DIR;
// BENCH_TRANSFORM_CASES: only the cases whose names hold one of these words (comma-separated),
// to measure one case alone on a shared machine.
const ONLY = process.env.BENCH_TRANSFORM_CASES?.split(',').map((w) => w.trim()).filter(Boolean);

function salesCsv(dir: string): string {
  if (!CSV_DIR) return generatedCsv(dir);
  const csv = path.join(CSV_DIR, `sales-${ROWS}.csv`);
  if (!fs.existsSync(csv)) execFileSync(process.execPath, [GEN, String(ROWS), csv, '42']);
  return csv;
}

function task(...args: string[]): Measure & { rows: number } {
  const out = execFileSync(process.execPath, [TASK, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...ALLOCATOR_ENV } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export async function transformBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-transform-'));
  try {
    const sales = KEEP ?? ingestTask('upload', salesCsv(dir), dir).out!;
    // The lookup table: 1,000 orders with two columns of their own (suffixed _right by the join).
    const lookup = path.join(dir, 'lookup.parquet');
    (await pl.scanParquet(sales).select('order_id', 'country', 'unit_price').limit(1000).collect()).writeParquet(lookup);
    const rows = Number((await pl.scanParquet(sales).select(pl.len().alias('n')).collect()).toRecords()[0]!.n);
    console.log(`table: ${rows.toLocaleString('en')} rows, ${(fs.statSync(sales).size / 1e6).toFixed(0)} MB of Parquet; ${ROUNDS} alternating rounds, medians; load average ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} cores)`);
    for (const c of TRANSFORM_CASES.filter((k) => !ONLY || ONLY.some((w) => k.name.includes(w)))) {
      const ours: Measure[] = [];
      const duck: Measure[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // A fresh folder each round, or the cell would reuse the last round's table.
        const work = fs.mkdtempSync(path.join(dir, 'round-'));
        const a = task(c.name, 'assay', sales, lookup, work);
        const d = task(c.name, 'duckdb', sales, lookup, work);
        if (a.rows !== d.rows) throw new Error(`${c.name}: ${a.rows} rows, DuckDB ${d.rows}`);
        ours.push(a);
        duck.push(d);
        fs.rmSync(work, { recursive: true, force: true });
      }
      const [a, d] = [median(ours), median(duck)];
      console.log(`${c.name}: each round ${ours.map((m) => (m.ms / 1000).toFixed(2)).join(', ')} s; DuckDB ${duck.map((m) => (m.ms / 1000).toFixed(2)).join(', ')} s`);
      report(`${c.name} (s)`, a.ms / 1000, 'DuckDB', d.ms / 1000, 's');
      report(`${c.name}, peak RSS (MB)`, a.rssMb, 'DuckDB', d.rssMb, 'MB');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
