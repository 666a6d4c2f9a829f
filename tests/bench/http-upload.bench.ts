// A real upload over loopback into a real server process (its own embedded PostgreSQL,
// pg-boss, worker): upload MB/s beside `cat` of the same file, time from the upload's end
// to the preview (the first cell.partial) beside DuckDB reading the first rows, time to
// the typed Parquet beside DuckDB's read_csv into Parquet, and the server's peak memory
// beside DuckDB's, all in the same run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { ingestTask, generatedCsv } from './ingest.bench.ts';
import { isParquetWriter, watchMemory } from './memory.ts';
import { ALLOCATOR_ENV, freePort, report } from './util.ts';

const MAIN = path.resolve(import.meta.dirname, '../../server/main.ts');

export async function httpUploadBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-http-'));
  fs.chmodSync(dir, 0o755);
  const csv = generatedCsv(dir);
  const mb = fs.statSync(csv).size / 1e6;
  const port = await freePort();
  const server = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...ALLOCATOR_ENV, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'error', ASSAY_SEED_DEMO: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${api.base}/api/health`)).ok) break; } catch { /* starting */ }
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    await api.signup('bench@example.com');
    const ws = (await api.post('/api/workspaces', { title: 'Bench' })).body;
    const cell = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' })).body;
    const events = api.events(ws.id);
    await events.ready;
    const memory = watchMemory(server.pid!, isParquetWriter);

    const cat = performance.now();
    execFileSync('cat', [csv], { stdio: ['ignore', 'ignore', 'inherit'] });
    const catMs = performance.now() - cat;

    const t0 = performance.now();
    // curl, as a script would send it: node's own fetch client is the slower end of the pipe.
    const answer = execFileSync('curl', ['-sS', '--fail-with-body', '-H', `cookie: ${api.cookie}`, '-H', 'content-type: text/csv',
      '-H', `origin: ${api.base}`, '-X', 'POST', '-T', csv, `${api.base}/api/workspaces/${ws.id}/cells/${cell.id}/upload?filename=sales.csv`], { encoding: 'utf8' });
    void answer;
    const uploaded = performance.now();
    const mine = (e: SseEvent) => e.data?.cellId === cell.id;
    const preview = await events.waitFor((e) => mine(e) && e.event === 'cell.partial', 60_000);
    const previewMs = performance.now() - uploaded;
    void preview;
    await events.waitFor((e) => mine(e) && (e.event === 'cell.result' || e.event === 'cell.error'), 600_000);
    const doneMs = performance.now() - uploaded;
    const last = events.received.at(-1)!;
    if (last.event === 'cell.error') throw new Error(`the upload cell failed: ${JSON.stringify(last.data)}`);
    const peak = memory.stop();
    events.close();

    const duckHead = ingestTask('duckdb-head', csv);
    const duckParquet = ingestTask('duckdb-parquet', csv, dir);
    console.log(`file: ${mb.toFixed(0)} MB`);
    report('HTTP upload over loopback (MB/s)', mb / ((uploaded - t0) / 1000), 'cat of the file', mb / (catMs / 1000), 'MB/s');
    report('upload end → preview (ms)', previewMs, 'DuckDB first 50 rows', duckHead.ms, 'ms');
    report('upload end → typed Parquet (s)', doneMs / 1000, 'DuckDB read_csv → Parquet', duckParquet.ms / 1000, 's');
    report('conversion throughput (MB/s)', mb / (doneMs / 1000), 'DuckDB read_csv → Parquet', mb / (duckParquet.ms / 1000), 'MB/s');
    report('server peak RSS (MB)', peak.rssMb, 'DuckDB read_csv → Parquet', duckParquet.rssMb, 'MB');
    report('server peak anonymous RSS (MB)', peak.anonMb, 'DuckDB read_csv → Parquet', duckParquet.anonMb ?? duckParquet.rssMb, 'MB');
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
