// The profile's memory as the table grows (issue 24): for each size of the generated sales
// table, the upload and the profile, each alone in its process (ingest-task.ts; the peak RSS
// counts the Parquet writer's process too), beside DuckDB's SUMMARIZE of the same CSV in the
// same round; then how each one's peak grows from one size to the next (the goal: flat).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestTask, median, type Measure } from './ingest.bench.ts';
import { report } from './util.ts';

// 1 GB and 3 GB by default; BENCH_PROFILE_ROWS=6600000,20000000,40000000 adds 6 GB.
const SIZES = (process.env.BENCH_PROFILE_ROWS ?? '6600000,20000000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
// Generating 20 M rows takes minutes: BENCH_CSV_DIR keeps the files between runs (same rows, same seed, same bytes).
const KEEP = process.env.BENCH_CSV_DIR;

function csvOf(rows: number, dir: string): string {
  const csv = path.join(KEEP ?? dir, `sales-${rows}.csv`);
  if (!fs.existsSync(csv)) execFileSync(process.execPath, [GEN, String(rows), csv, '42']);
  return csv;
}

interface Size { rows: number; mb: number; upload: Measure; profile: Measure; duck: Measure; peakMb: number }

export async function profileBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-profile-'));
  const sizes: Size[] = [];
  try {
    for (const rows of SIZES) {
      const csv = csvOf(rows, dir);
      const mb = fs.statSync(csv).size / 1e6;
      const runs: Record<'upload' | 'profile' | 'duck', Measure[]> = { upload: [], profile: [], duck: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const work = fs.mkdtempSync(path.join(dir, 'round-'));
        const upload = ingestTask('upload', csv, work);
        runs.upload.push(upload);
        runs.profile.push(ingestTask('profile', upload.out!, work));
        runs.duck.push(ingestTask('duckdb', csv));
        fs.rmSync(work, { recursive: true, force: true });
      }
      const [upload, profile, duck] = [median(runs.upload), median(runs.profile), median(runs.duck)];
      const peaks = runs.upload.map((u, i) => Math.max(u.rssMb, runs.profile[i]!.rssMb));
      const peakMb = peaks.sort((a, b) => a - b)[Math.floor(peaks.length / 2)]!;
      sizes.push({ rows, mb, upload, profile, duck, peakMb });
      const label = `${(mb / 1000).toFixed(1)} GB, ${(rows / 1e6).toFixed(1)} M rows`;
      console.log(`${label}: ${ROUNDS} rounds, medians; upload + profile each round ${runs.upload.map((u, i) => ((u.ms + runs.profile[i]!.ms) / 1000).toFixed(1)).join(', ')} s, profile ${runs.profile.map((p) => (p.ms / 1000).toFixed(1)).join(', ')} s, peak ${runs.profile.map((p, i) => Math.round(Math.max(p.rssMb, runs.upload[i]!.rssMb))).join(', ')} MB; DuckDB SUMMARIZE ${runs.duck.map((d) => (d.ms / 1000).toFixed(1)).join(', ')} s`);
      report(`${label}: upload + profile (s)`, (upload.ms + profile.ms) / 1000, 'DuckDB SUMMARIZE', duck.ms / 1000, 's');
      report(`${label}: profile alone (s)`, profile.ms / 1000, 'DuckDB SUMMARIZE', duck.ms / 1000, 's');
      report(`${label}: peak RSS, upload and profile (MB)`, peakMb, 'DuckDB SUMMARIZE', duck.rssMb, 'MB');
      report(`${label}: profile peak RSS (MB)`, profile.rssMb, 'DuckDB SUMMARIZE', duck.rssMb, 'MB');
    }
    // How memory grows with the table: each size's peak over the previous size's.
    for (let i = 1; i < sizes.length; i++) {
      const [a, b] = [sizes[i - 1]!, sizes[i]!];
      report(`peak RSS growth, ${(a.mb / 1000).toFixed(1)} → ${(b.mb / 1000).toFixed(1)} GB (×)`, b.peakMb / a.peakMb, 'DuckDB SUMMARIZE', b.duck.rssMb / a.duck.rssMb, '×');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
