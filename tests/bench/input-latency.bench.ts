// Input change → results (issue 22): the time from sending the PATCH that sets an input cell's
// `value:` to receiving, over SSE, the results of both cells that read it as $min_qty (a rule's
// range bound and a query's WHERE) on a 42,000-row table, p50 and p90 over 30 changes. The
// server runs in this process (tests/support/server.ts: its own PostgreSQL, pg-boss, worker).
// Beside it, the same rule and query run directly with polars (no server, no database).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rule } from '../../cells/rule/index.ts';
import { sql } from '../../cells/sql/index.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { startTestServer } from '../support/server.ts';
import { ingestTask } from './ingest.bench.ts';
import { percentile, report } from './util.ts';

const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
const ROWS = 42_000;
const CHANGES = Number(process.env.BENCH_INPUT_CHANGES ?? 30);
const WARMUP = 5;

const INPUT = (value: number) => `type: integer\ndefault: 1\nmin: 0\nmax: 1000\nlabel: Smallest quantity\nvalue: ${value}\n`;
const RULES = 'input: sales\nrules:\n  - check: range\n    name: quantity at least $min_qty\n    column: quantity\n    min: $min_qty\n';
const QUERY = 'sql: SELECT $min_qty AS edit, count(*) AS n FROM sales WHERE quantity >= $min_qty\n';

/** The value a result was computed with: the rule's name and the query's first column carry it. */
const ruleValue = (r: any) => Number(/at least (\d+)/.exec(r?.rules?.[0]?.name ?? '')?.[1]);
const queryValue = (r: any) => Number(r?.preview?.rows?.[0]?.[0]);

export async function inputBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-input-'));
  fs.chmodSync(dir, 0o755);
  const csv = path.join(dir, 'sales.csv');
  execFileSync(process.execPath, [GEN, String(ROWS), csv, '42']);
  const server = await startTestServer();
  try {
    const api = new ApiClient(server.url);
    await api.signup('bench-input@example.com');
    const ws = (await api.post('/api/workspaces', { title: 'Input latency' })).body;
    const events = api.events(ws.id);
    await events.ready;
    const add = async (kind: string, name: string, config: string) => (await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config })).body as { id: string };
    const sales = await add('upload', 'sales', '');
    const input = await add('input', 'min_qty', INPUT(1));
    const checks = await add('rule', 'checks', RULES);
    const big = await add('sql', 'big', QUERY);
    await api.upload(`/api/workspaces/${ws.id}/cells/${sales.id}/upload`, fs.readFileSync(csv), 'sales.csv');
    const answered = (cellId: string, value: number, read: (r: unknown) => number) => (e: SseEvent) =>
      e.data?.cellId === cellId && (e.event === 'cell.error' || (e.event === 'cell.result' && read(e.data.result) === value));
    const both = async (value: number) => {
      for (const [cell, read] of [[checks.id, ruleValue], [big.id, queryValue]] as const) {
        const e = await events.waitFor(answered(cell, value, read), 600_000);
        if (e.event === 'cell.error') throw new Error(`cell failed: ${JSON.stringify(e.data.error)}`);
      }
    };
    await both(1);

    const ms: number[] = [];
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      // Values the server has not computed before (no reuse): 2, 3, … up to the count.
      const value = i + 2;
      const t0 = performance.now();
      const res = await api.patch(`/api/workspaces/${ws.id}/cells/${input.id}`, { config: INPUT(value) });
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${JSON.stringify(res.body)}`);
      await both(value);
      if (i >= WARMUP) ms.push(performance.now() - t0);
      // An analyst moves the slider again a moment later: the next change lands on an idle server.
      await new Promise((r) => setTimeout(r, 20));
    }
    events.close();

    // The peer: the same rule and query, run directly on the same table with each value.
    const table = ingestTask('upload', csv, dir).out!;
    const ruleConfig = rule.parseConfig(parseCellYaml(RULES));
    const sqlConfig = sql.parseConfig(parseCellYaml(QUERY));
    const peerDir = path.join(dir, 'peer');
    fs.mkdirSync(peerDir);
    const ctx = { workDir: peerDir, signal: new AbortController().signal, progress() {}, partial() {} };
    const peer: number[] = [];
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      const inputs = { sales: { table, result: {} }, min_qty: { result: { type: 'integer', value: i + 2, label: null } } };
      const t0 = performance.now();
      await rule.run({ config: ruleConfig, inputs, ctx });
      await sql.run({ config: sqlConfig, inputs, ctx });
      if (i >= WARMUP) peer.push(performance.now() - t0);
    }
    console.log(`input changes: ${CHANGES} after ${WARMUP} warm-up; load average ${os.loadavg()[0].toFixed(2)} (${os.cpus().length} cores)`);
    report('input change → 2 results p50, 42,000 rows (ms)', percentile(ms, 0.5), 'rule + query in-process', percentile(peer, 0.5), 'ms');
    report('input change → 2 results p90, 42,000 rows (ms)', percentile(ms, 0.9), 'rule + query in-process', percentile(peer, 0.9), 'ms');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await inputBench();
