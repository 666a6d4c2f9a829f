// Edit-to-result latency through a real server process (its own embedded PostgreSQL,
// pg-boss, worker; see latency-server.ts): the time from sending the PATCH of a rule cell's
// config to receiving, over SSE, the cell.result of that edit (stored before it is sent),
// p50 and p90 over 50 edits, on a 42,000-row and a 1,000,000-row table (and of a transform
// cell's, on the 42,000 rows). Beside it, from the
// same run, the same rule cell run directly with polars in a process of its own (no server,
// no database): the ratio is what the server adds. Then a five-cell chain after a new
// upload, beside the same upload and rule run in-process, and the job pick-up inside the
// server beside pg-boss's bare pick-up.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ApiClient, type EventStream, type SseEvent } from '../support/client.ts';
import { ingestTask } from './ingest.bench.ts';
import { editedRules, editedTransform, editOf, transformEditOf } from './latency-rules.ts';
import { bossPickup } from './pickup.bench.ts';
import { freePort, percentile, report } from './util.ts';

const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
const SERVER = path.join(import.meta.dirname, 'latency-server.ts');
const TASK = path.join(import.meta.dirname, 'latency-task.ts');
const EDITS = Number(process.env.BENCH_EDITS ?? 50);
const WARMUP = 5;
const SMALL_ROWS = 42_000;
const BIG_ROWS = Number(process.env.BENCH_LATENCY_ROWS ?? 1_000_000);
const CHAINS = Number(process.env.BENCH_CHAINS ?? 10);

/** Server-side moments of each cell run, from the server's debug log lines (epoch ms). */
interface RunTrace { sent?: number; picked?: number; ranMs?: number }

function generate(dir: string, rows: number, seed: number, name: string): string {
  const csv = path.join(dir, name);
  execFileSync(process.execPath, [GEN, String(rows), csv, String(seed)]);
  return csv;
}

async function startServer(dir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'debug', ASSAY_SEED_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const traces = new Map<string, RunTrace>();
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { msg: string; cellRunId?: string; at?: number; ms?: number };
    if (!entry.cellRunId) return;
    const trace = traces.get(entry.cellRunId) ?? {};
    if (entry.msg === 'job sent') trace.sent = entry.at;
    else if (entry.msg === 'job picked') trace.picked = entry.at;
    else if (entry.msg === 'cell done') trace.ranMs = entry.ms;
    traces.set(entry.cellRunId, trace);
  });
  const api = new ApiClient(`http://127.0.0.1:${port}`);
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${api.base}/api/health`)).ok) break; } catch { /* starting */ }
    if (i > 600) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, api, traces };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const resultOf = (cellId: string, match: (e: SseEvent) => boolean = () => true) => (e: SseEvent) =>
  e.data?.cellId === cellId && (e.event === 'cell.result' || e.event === 'cell.error') && match(e);

async function settled(events: EventStream, cellId: string, match?: (e: SseEvent) => boolean): Promise<SseEvent> {
  const e = await events.waitFor(resultOf(cellId, match), 600_000);
  if (e.event === 'cell.error') throw new Error(`cell ${cellId} failed: ${JSON.stringify(e.data.error)}`);
  return e;
}

/** Edit `i` of a cell's config, and whether a result answers it. */
interface Edits { config(i: number): string; answers(result: unknown, i: number): boolean }
const ruleEdits = (input: string): Edits => ({ config: (i) => editedRules(input, i), answers: (r, i) => editOf(r) === i });
const transformEdits = (input: string): Edits => ({ config: (i) => editedTransform(input, i), answers: (r, i) => transformEditOf(r) === i });

/** PATCHes the cell `count` times, one edit at a time, timing each until its result arrives. */
async function timeEdits(api: ApiClient, events: EventStream, wsId: string, cellId: string, edits: Edits, first: number, count: number) {
  const ms: number[] = [];
  for (let i = first; i < first + count; i++) {
    const t0 = performance.now();
    const res = await api.patch(`/api/workspaces/${wsId}/cells/${cellId}`, { config: edits.config(i) });
    if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${JSON.stringify(res.body)}`);
    await settled(events, cellId, (e) => edits.answers(e.data.result, i));
    ms.push(performance.now() - t0);
    // An analyst types between edits: the next one lands on an idle server.
    await new Promise((r) => setTimeout(r, 20));
  }
  return ms;
}

/** One of latency-task.ts's peers, in a process of its own. */
function peer(...args: string[]): number[] {
  const out = execFileSync(process.execPath, [TASK, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(out.trim().split('\n').pop()!) as { ms: number[] }).ms;
}

export async function latencyBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-latency-'));
  fs.chmodSync(dir, 0o755);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const smallCsv = generate(dir, SMALL_ROWS, 42, 'small.csv');
    const bigCsv = generate(dir, BIG_ROWS, 42, 'big.csv');
    server = await startServer(dir);
    const { api, traces } = server;
    await api.signup('bench@example.com');
    const ws = (await api.post('/api/workspaces', { title: 'Latency' })).body;
    const events = api.events(ws.id);
    await events.ready;
    const addCell = async (kind: string, name: string, config = '') => {
      const res = await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config });
      if (res.status !== 201) throw new Error(`adding ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    const upload = (cellId: string, csv: string) => api.upload(`/api/workspaces/${ws.id}/cells/${cellId}/upload`, fs.readFileSync(csv), path.basename(csv));

    const os1 = os.loadavg();
    const figures: { rows: number; assay: number[]; peer: number[]; picks: number[] }[] = [];
    const [transform, transformPeer]: number[][] = [[], []];
    for (const [rows, csv] of [[SMALL_ROWS, smallCsv], [BIG_ROWS, bigCsv]] as const) {
      const source = await addCell('upload', `sales_${rows}`);
      await upload(source.id, csv);
      await settled(events, source.id);
      const rules = await addCell('rule', `rules_${rows}`, editedRules(`sales_${rows}`, 0));
      await settled(events, rules.id);
      await timeEdits(api, events, ws.id, rules.id, ruleEdits(`sales_${rows}`), 1, WARMUP);
      const before = new Set(traces.keys());
      const assay = await timeEdits(api, events, ws.id, rules.id, ruleEdits(`sales_${rows}`), 1 + WARMUP, EDITS);
      const picks = [...traces].filter(([id, t]) => !before.has(id) && t.sent && t.picked).map(([, t]) => t.picked! - t.sent!);
      // The peer reads a Parquet file made from the same CSV by the same upload code.
      const table = ingestTask('upload', csv, dir).out!;
      figures.push({ rows, assay, peer: peer('rules', table, String(EDITS), String(WARMUP)), picks });
      if (rows !== SMALL_ROWS) continue;
      // A transform cell (filter, derive, group_by) edited the same way, on the 42,000 rows.
      const steps = await addCell('transform', 'transform_small', editedTransform(`sales_${rows}`, 0));
      await settled(events, steps.id);
      await timeEdits(api, events, ws.id, steps.id, transformEdits(`sales_${rows}`), 1, WARMUP);
      transform.push(...await timeEdits(api, events, ws.id, steps.id, transformEdits(`sales_${rows}`), 1 + WARMUP, EDITS));
      transformPeer.push(...peer('transform', table, String(EDITS), String(WARMUP)));
    }

    // A five-cell chain: upload → relay → relay → relay → rule, each reading the one before.
    const chainUp = await addCell('upload', 'chain_source');
    let previous = 'chain_source';
    for (const name of ['relay_1', 'relay_2', 'relay_3']) {
      await addCell('relay', name, `input: ${previous}\n`);
      previous = name;
    }
    const chainEnd = await addCell('rule', 'chain_rules', editedRules(previous, 0));
    const chain: number[] = [];
    const chainUpload: number[] = [];
    const csvs: string[] = [];
    for (let k = 0; k < CHAINS + 1; k++) {
      // A new file each time (another seed), so nothing is reused.
      const csv = generate(dir, SMALL_ROWS, 1000 + k, `chain-${k}.csv`);
      csvs.push(csv);
      const t0 = performance.now();
      const answer = await upload(chainUp.id, csv);
      if (answer.status !== 201) throw new Error(`upload answered ${answer.status}`);
      const uploaded = performance.now();
      await settled(events, chainUp.id, (e) => e.data.runId === answer.body.runId);
      await settled(events, chainEnd.id, (e) => e.data.runId === answer.body.runId);
      const done = performance.now();
      if (k === 0) continue; // warm-up
      chain.push(done - t0);
      chainUpload.push(uploaded - t0);
    }
    const peerDir = path.join(dir, 'peer-tables');
    fs.mkdirSync(peerDir);
    const chainPeer = peer('chain', peerDir, ...csvs);
    events.close();
    const os2 = os.loadavg();

    console.log(`edits: ${EDITS} after ${WARMUP} warm-up; load average ${os1[0].toFixed(2)} before, ${os2[0].toFixed(2)} after (${os.cpus().length} cores)`);
    for (const f of figures) {
      const label = `${f.rows.toLocaleString('en')} rows`;
      report(`edit → result p50, ${label} (ms)`, percentile(f.assay, 0.5), 'same rules in-process', percentile(f.peer, 0.5), 'ms');
      report(`edit → result p90, ${label} (ms)`, percentile(f.assay, 0.9), 'same rules in-process', percentile(f.peer, 0.9), 'ms');
    }
    report('transform edit → result p50, 42,000 rows (ms)', percentile(transform, 0.5), 'same transform in-process', percentile(transformPeer, 0.5), 'ms');
    report('transform edit → result p90, 42,000 rows (ms)', percentile(transform, 0.9), 'same transform in-process', percentile(transformPeer, 0.9), 'ms');
    const picks = figures.flatMap((f) => f.picks);
    // Both from the moment the job is committed (the plan's commit; send()'s return) to the handler.
    const bare = (await bossPickup({ polling: false, jobs: 50 })).notify.afterSend;
    report('job pick-up in the server p50 (ms)', percentile(picks, 0.5), 'pg-boss alone', bare.p50, 'ms');
    report('job pick-up in the server p90 (ms)', percentile(picks, 0.9), 'pg-boss alone', bare.p90, 'ms');
    report('five-cell chain, upload → last result p50 (ms)', percentile(chain, 0.5), 'upload + rules in-process', percentile(chainPeer, 0.5), 'ms');
    report('five-cell chain p90 (ms)', percentile(chain, 0.9), 'upload + rules in-process', percentile(chainPeer, 0.9), 'ms');
    report('  of which the upload request p50 (ms)', percentile(chainUpload, 0.5), 'upload + rules in-process', percentile(chainPeer, 0.5), 'ms');
  } finally {
    if (server) await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
