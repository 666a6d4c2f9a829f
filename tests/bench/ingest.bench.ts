// Upload and profile of a generated sales CSV, each in a child process so its time and
// peak memory are its own: the upload beside the raw read speed of the same file and
// DuckDB's read_csv into Parquet, the profile beside DuckDB's SUMMARIZE, in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALLOCATOR_ENV, report } from './util.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 6_600_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
const TASK = path.join(import.meta.dirname, 'ingest-task.ts');

export interface Measure { ms: number; rssMb: number; anonMb?: number; out?: string; firstPartialMs?: number }

/** Each figure of a step the median of its rounds (the output path is the first round's). */
export function median(runs: Measure[]): Measure {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const of = (key: 'ms' | 'rssMb' | 'anonMb' | 'firstPartialMs') => {
    const values = runs.map((r) => r[key]).filter((v): v is number => v !== undefined);
    return values.length ? mid(values) : undefined;
  };
  return { ...runs[0]!, ms: of('ms')!, rssMb: of('rssMb')!, anonMb: of('anonMb'), firstPartialMs: of('firstPartialMs') };
}

/** One step of the benchmark, alone in its own process (see ingest-task.ts). */
export function ingestTask(...args: string[]): Measure {
  const out = execFileSync(process.execPath, [TASK, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...ALLOCATOR_ENV } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

// pandas' own peer figure: read_csv and describe(include='all'), timed in its own process.
const PANDAS = `
import json, resource, sys, time
t0 = time.perf_counter()
import pandas as pd
df = pd.read_csv(sys.argv[1])
df.describe(include='all')
print(json.dumps({'ms': (time.perf_counter() - t0) * 1000, 'rssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function pandasDescribe(csv: string): Measure | null {
  // Debian's python3-pandas lives beside the system python, which a pyenv on PATH can hide.
  const python = ['/usr/bin/python3', 'python3'].find((py) => {
    try {
      execFileSync(py, ['-c', 'import pandas'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) return null;
  return JSON.parse(execFileSync(python, ['-c', PANDAS, csv], { encoding: 'utf8' }).trim().split('\n').pop()!);
}

/** The generated sales CSV the benchmarks read (1 GB at the default 6,600,000 rows). */
export function generatedCsv(dir: string): string {
  const csv = path.join(dir, 'sales.csv');
  execFileSync(process.execPath, [GEN, String(ROWS), csv, '42']);
  return csv;
}

export async function ingestBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-ingest-'));
  try {
    const csv = generatedCsv(dir);
    const mb = fs.statSync(csv).size / 1e6;
    console.log(`file: ${ROWS.toLocaleString('en')} rows, ${mb.toFixed(0)} MB`);
    // Alternating rounds, each figure the median of its rounds: on this shared machine one
    // run of the same step varies by ±20 %, and alternating spreads any slow spell over both.
    const rounds: Record<'raw' | 'upload' | 'duckParquet' | 'profile' | 'duck', Measure[]> = { raw: [], upload: [], duckParquet: [], profile: [], duck: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh folder each round, or the upload cell would reuse the last round's Parquet.
      const work = fs.mkdtempSync(path.join(dir, 'round-'));
      rounds.raw.push(ingestTask('raw', csv));
      const upload = ingestTask('upload', csv, work);
      rounds.upload.push(upload);
      rounds.duckParquet.push(ingestTask('duckdb-parquet', csv, work));
      rounds.profile.push(ingestTask('profile', upload.out!, work));
      rounds.duck.push(ingestTask('duckdb', csv));
    }
    const [raw, upload, duckParquet, profile, duck] = (['raw', 'upload', 'duckParquet', 'profile', 'duck'] as const).map((k) => median(rounds[k]));
    console.log(`${ROUNDS} alternating rounds, medians; upload + profile, each round: ${rounds.upload.map((u, i) => ((u.ms + rounds.profile[i]!.ms) / 1000).toFixed(1)).join(', ')} s; DuckDB SUMMARIZE: ${rounds.duck.map((d) => (d.ms / 1000).toFixed(1)).join(', ')} s`);
    const pandas = pandasDescribe(csv);
    report('upload: CSV → Parquet (s)', upload.ms / 1000, 'raw disk read', raw.ms / 1000, 's');
    report('upload throughput (MB/s)', mb / (upload.ms / 1000), 'raw disk read', mb / (raw.ms / 1000), 'MB/s');
    report('upload: CSV → Parquet (s)', upload.ms / 1000, 'DuckDB read_csv → Parquet', duckParquet.ms / 1000, 's');
    report('upload peak RSS (MB)', upload.rssMb, 'DuckDB read_csv → Parquet', duckParquet.rssMb, 'MB');
    report('upload peak anonymous RSS (MB)', upload.anonMb!, 'DuckDB read_csv → Parquet', duckParquet.anonMb!, 'MB');
    report('upload + profile (s)', (upload.ms + profile.ms) / 1000, 'DuckDB SUMMARIZE', duck.ms / 1000, 's');
    report('profile: first partial (s)', profile.firstPartialMs! / 1000, 'DuckDB SUMMARIZE, whole', duck.ms / 1000, 's');
    if (pandas) report('upload + profile (s)', (upload.ms + profile.ms) / 1000, 'pandas read_csv + describe', pandas.ms / 1000, 's');
    else console.log('(pandas describe skipped: python3 with pandas is not installed; apt-get install python3-pandas)');
    report('profile peak RSS (MB)', profile.rssMb, 'DuckDB SUMMARIZE', duck.rssMb, 'MB');
    report('profile peak anonymous RSS (MB)', profile.anonMb!, 'DuckDB SUMMARIZE', duck.anonMb!, 'MB');
    if (pandas) report('profile peak RSS (MB)', profile.rssMb, 'pandas read_csv + describe', pandas.rssMb, 'MB');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
