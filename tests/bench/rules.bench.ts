// Fifty rules against five on the same generated table: row checks share one pass, so
// fifty should cost about what a few do; cold (a fresh process compiles every rule) and
// warm (compiled in an earlier run, as on an edit). Beside DuckDB counting the same fifty conditions
// with COUNT(*) FILTER in one query over the same Parquet file, in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedCsv, ingestTask } from './ingest.bench.ts';
import { report } from './util.ts';

const TASK = path.join(import.meta.dirname, 'rules-task.ts');

function run(...args: string[]): { ms: number } {
  return JSON.parse(execFileSync(process.execPath, [TASK, ...args], { encoding: 'utf8' }).trim().split('\n').pop()!);
}

export async function rulesBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-rules-'));
  try {
    const csv = generatedCsv(dir);
    const table = ingestTask('upload', csv, dir).out!;
    const five = run('assay', table, '5');
    const fifty = run('assay', table, '50');
    const duck = run('duckdb', table, '50');
    const fiveWarm = run('assay-warm', table, '5');
    const fiftyWarm = run('assay-warm', table, '50');
    report('5 rules (s)', five.ms / 1000, '50 rules, Assay', fifty.ms / 1000, 's');
    report('50 rules (s)', fifty.ms / 1000, 'DuckDB, the same 50 counts', duck.ms / 1000, 's');
    // Warm: compiled in an earlier run of the same process, as when a rule cell is edited.
    report('5 rules, warm (s)', fiveWarm.ms / 1000, '50 rules, warm, Assay', fiftyWarm.ms / 1000, 's');
    report('50 rules, warm (s)', fiftyWarm.ms / 1000, 'DuckDB, the same 50 counts', duck.ms / 1000, 's');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
