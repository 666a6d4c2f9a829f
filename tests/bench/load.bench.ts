// Load on one real server process (role all: HTTP, LISTEN hub and workers; server/main.ts)
// on a PostgreSQL the benchmark owns, so it can LISTEN beside the server: a bare LISTEN
// connection in this process hears each event's NOTIFY at commit, and an event's delivery
// latency is from then to an SSE client reading it. Three phases:
//   1. 200 SSE clients on one workspace while its rule cell is edited: every client must
//      receive every event the database stored for the workspace;
//   2. 20 concurrent uploads of 50 MB (distinct bytes, so each is stored and converted);
//   3. 50 users, each editing a rule cell of their own workspace, one edit at a time.
// Reported: events/s, p50/p99 delivery latency, errors, lost events, the server's RSS; the
// peer, from the same run, is the rate at which a bare LISTEN connection receives NOTIFYs
// (the ceiling of any fan-out built on them) and `cat` of the upload file.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import postgres from 'postgres';
import { ApiClient, type EventStream, type SseEvent } from '../support/client.ts';
import { ownPostgres } from '../support/cluster.ts';
import { isParquetWriter, watchMemory } from './memory.ts';
import { ALLOCATOR_ENV, freePort, percentile, report } from './util.ts';

const MAIN = path.resolve(import.meta.dirname, '../../server/main.ts');
const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 200);
const EDITS = Number(process.env.BENCH_LOAD_EDITS ?? 60);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const UPLOAD_ROWS = 330_000; // about 50 MB of gen-csv.mjs rows
const USERS = Number(process.env.BENCH_USERS ?? 50);
const USER_EDITS = Number(process.env.BENCH_USER_EDITS ?? 5);

const SMALL_CSV = 'id,amount,country\n' + Array.from({ length: 2000 }, (_, i) => `${i},${(i * 7) % 1000},${['US', 'GB', 'FR'][i % 3]}`).join('\n') + '\n';
const ruleConfig = (max: number) => `input: data\nrules:\n  - {check: not_null, column: id}\n  - {check: range, column: amount, min: 0, max: ${max}}\n`;

/** Arrival time of each event's NOTIFY at a bare LISTEN connection, by event id. */
async function notifyClock(sql: postgres.Sql) {
  const at = new Map<number, number>();
  await sql.listen('assay_events', (payload) => at.set((JSON.parse(payload) as { id: number }).id, performance.now()));
  return at;
}

/** Every SSE event a client reads, with the moment it read it. */
function timed(stream: EventStream, into: number[], notified: Map<number, number>) {
  const push = stream.received.push.bind(stream.received);
  stream.received.push = (...items: SseEvent[]) => {
    const now = performance.now();
    for (const e of items) if (e.id !== undefined && notified.has(e.id)) into.push(now - notified.get(e.id)!);
    return push(...items);
  };
}

async function workspaceWithRule(api: ApiClient, title: string) {
  const ws = (await api.post('/api/workspaces', { title })).body;
  const data = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'data', config: '' })).body;
  const up = await api.upload(`/api/workspaces/${ws.id}/cells/${data.id}/upload`, SMALL_CSV, 'data.csv');
  if (up.status !== 201) throw new Error(`upload: ${JSON.stringify(up.body)}`);
  const rule = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'rule', name: 'checks', config: ruleConfig(1000) })).body;
  return { ws, rule };
}

const resultOf = (cellId: string, max: number) => (e: SseEvent) =>
  e.event === 'cell.result' && e.data.cellId === cellId && (e.data.result as { rules: Array<{ check: string; status: string }> })
    .rules.find((r) => r.check === 'range')!.status === (max >= 999 ? 'pass' : 'fail');

async function storedIds(sql: postgres.Sql, workspaceId: string, after: number): Promise<number[]> {
  return (await sql`select id from events where workspace_id = ${workspaceId} and id > ${after} order by id`).map((r) => Number(r.id));
}

/** NOTIFYs per second a bare LISTEN connection receives: the peer of the fan-out. */
async function bareNotifyRate(sql: postgres.Sql, count = 50_000): Promise<number> {
  let got = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const { unlisten } = await sql.listen('assay_bench_peer', () => { if (++got === count) done(); });
  const t0 = performance.now();
  await sql`select pg_notify('assay_bench_peer', g::text) from generate_series(1, ${count}) g`;
  await all;
  const rate = count / ((performance.now() - t0) / 1000);
  await unlisten();
  return rate;
}

export async function loadBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-load-'));
  fs.chmodSync(dir, 0o755);
  // Made first: a synchronous step between requests would leave the clients' kept-alive
  // sockets unread while the server closes them, and the next request would fail on one.
  const csv = path.join(dir, 'upload.csv');
  execFileSync(process.execPath, [GEN, String(UPLOAD_ROWS), csv, '3']);
  const pg = await ownPostgres(dir);
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  const port = await freePort();
  const server = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env, ...ALLOCATOR_ENV, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data'), DATABASE_URL: pg.url,
      LOG_LEVEL: 'error', ASSAY_SEED_DEMO: '0',
      // Every client below is the one owner's: let them all stream (the default is 20 per account).
      ASSAY_STREAMS_PER_USER: String(CLIENTS + 10),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const memory = watchMemory(server.pid!, isParquetWriter);
  let errors = 0;
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ }
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const notified = await notifyClock(sql);
    const peerRate = await bareNotifyRate(sql);

    // 1. Fan-out: CLIENTS streams on one workspace, EDITS edits of its rule cell.
    const owner = new ApiClient(base);
    await owner.signup('load@example.com');
    const { ws, rule } = await workspaceWithRule(owner, 'Fan-out');
    const first = owner.events(ws.id, 0);
    await first.waitFor(resultOf(rule.id, 1000), 120_000);
    first.close();
    const startId = Number((await sql`select coalesce(max(id), 0) as id from events where workspace_id = ${ws.id}`)[0]!.id);
    const latencies: number[] = [];
    const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const s = owner.events(ws.id, startId);
      timed(s, latencies, notified);
      await s.ready;
      if (s.status !== 200) errors++;
      return s;
    }));
    memory.reset();
    const t0 = performance.now();
    for (let i = 0; i < EDITS; i++) {
      const max = i === EDITS - 1 ? 1000 : 500 + i;
      const res = await owner.patch(`/api/workspaces/${ws.id}/cells/${rule.id}`, { config: ruleConfig(max) });
      if (res.status !== 200) errors++;
      // Every fifth edit waits for its result on the first client, the others go at once (and supersede runs).
      if (i % 5 === 4) await clients[0]!.waitFor(resultOf(rule.id, max), 60_000);
    }
    await Promise.all(clients.map((s) => s.waitFor(resultOf(rule.id, 1000), 120_000)));
    const fanSeconds = (performance.now() - t0) / 1000;
    // Events stored after that result (a superseded run's last word) may still be on their way.
    const expected = await storedIds(sql, ws.id, startId);
    await Promise.all(clients.map((s) => s.waitFor((e) => e.id === expected.at(-1), 10_000).catch(() => {})));
    let lost = 0;
    for (const s of clients) {
      const got = new Set(s.received.map((e) => e.id));
      lost += expected.filter((id) => !got.has(id)).length;
      s.close();
    }
    const fanRss = memory.reset();
    const deliveries = expected.length * CLIENTS;
    console.log(`fan-out: ${CLIENTS} SSE clients, ${EDITS} edits, ${expected.length} events each, ${lost} lost, ${errors} errors, ${fanSeconds.toFixed(1)} s`);
    report('SSE deliveries/s (all clients)', deliveries / fanSeconds, 'bare LISTEN NOTIFY/s', peerRate, '/s');
    console.log(`delivery latency (its NOTIFY at a bare LISTEN → an SSE client read it): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`);
    console.log(`server peak RSS, fan-out: ${fanRss.toFixed(0)} MB`);

    // 2. Concurrent uploads of ~50 MB, each different (a row of its own at the end).
    const size = fs.statSync(csv).size;
    const header = fs.readFileSync(csv, 'utf8').slice(0, 4096).split('\n')[1]!;
    const uploadWs = (await owner.post('/api/workspaces', { title: 'Uploads' })).body;
    const cells = await Promise.all(Array.from({ length: UPLOADS }, async (_, i) =>
      (await owner.post(`/api/workspaces/${uploadWs.id}/cells`, { kind: 'upload', name: `u${i}`, config: '' })).body as { id: string }));
    const uploadEvents = owner.events(uploadWs.id);
    await uploadEvents.ready;
    const tCat = performance.now();
    await new Promise((resolve, reject) => spawn('cat', [csv], { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve).on('error', reject));
    const catSeconds = (performance.now() - tCat) / 1000;
    memory.reset();
    const tUp = performance.now();
    let uploadErrors = 0;
    await Promise.all(cells.map(async (cell, i) => {
      const body = Readable.toWeb(Readable.from((async function* () {
        for await (const chunk of fs.createReadStream(csv, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
        yield Buffer.from(header.replace(/^\d+/, String(9_000_000 + i)) + '\n');
      })()));
      try {
        const res = await fetch(`${base}/api/workspaces/${uploadWs.id}/cells/${cell.id}/upload?filename=u${i}.csv`, {
          method: 'POST', headers: owner.headers({ 'content-type': 'text/csv' }), body, duplex: 'half',
        } as RequestInit);
        if (res.status !== 201) {
          uploadErrors++;
          console.log(`upload ${i}: ${res.status} ${await res.text()}`);
        } else await res.arrayBuffer();
      } catch (err) {
        uploadErrors++;
        console.log(`upload ${i}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause)}`);
      }
    }));
    const upSeconds = (performance.now() - tUp) / 1000;
    await Promise.all(cells.map((c) => uploadEvents.waitFor((e) => e.data?.cellId === c.id && (e.event === 'cell.result' || e.event === 'cell.error'), 900_000)));
    const convertSeconds = (performance.now() - tUp) / 1000;
    const failedConversions = uploadEvents.received.filter((e) => e.event === 'cell.error').length;
    uploadEvents.close();
    const upRss = memory.reset();
    errors += uploadErrors + failedConversions;
    console.log(`uploads: ${UPLOADS} × ${(size / 1e6).toFixed(0)} MB at once, ${uploadErrors} errors, all stored in ${upSeconds.toFixed(1)} s, all converted in ${convertSeconds.toFixed(1)} s (${failedConversions} failed)`);
    report('concurrent uploads, MB/s (all together)', (UPLOADS * size) / 1e6 / upSeconds, 'cat of the file', size / 1e6 / catSeconds, 'MB/s');
    console.log(`server peak RSS, uploads and conversions: ${upRss.toFixed(0)} MB`);

    // 3. USERS users, each editing a rule cell of their own workspace.
    const users = await Promise.all(Array.from({ length: USERS }, async (_, u) => {
      const api = new ApiClient(base);
      await api.signup(`user${u}@example.com`);
      const { ws: w, rule: r } = await workspaceWithRule(api, `User ${u}`);
      const events = api.events(w.id, 0);
      await events.ready;
      await events.waitFor(resultOf(r.id, 1000), 120_000);
      return { api, ws: w, rule: r, events };
    }));
    const userLatencies: number[] = [];
    users.forEach((u) => timed(u.events, userLatencies, notified));
    const editTimes: number[] = [];
    memory.reset();
    const tUsers = performance.now();
    const firstIds = await Promise.all(users.map(async (u) => Number((await sql`select coalesce(max(id), 0) as id from events where workspace_id = ${u.ws.id}`)[0]!.id)));
    await Promise.all(users.map(async (u) => {
      for (let i = 0; i < USER_EDITS; i++) {
        const max = i === USER_EDITS - 1 ? 1000 : 100 + i;
        // This edit's result: the first result of the cell read after the PATCH is sent (the one
        // before was awaited). A reused result can arrive before the PATCH's response.
        const from = u.events.received.length;
        const t = performance.now();
        const res = await u.api.patch(`/api/workspaces/${u.ws.id}/cells/${u.rule.id}`, { config: ruleConfig(max) });
        if (res.status !== 200) { errors++; console.log(`edit refused: ${res.status} ${JSON.stringify(res.body)}`); continue; }
        await u.events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === u.rule.id && u.events.received.indexOf(e) >= from, 120_000)
          .catch(async (err) => {
            errors++;
            console.log(`edit ${i} of user ${u.ws.title}: ${(err as Error).message.slice(0, 300)}`);
          });
        editTimes.push(performance.now() - t);
      }
    }));
    const usersSeconds = (performance.now() - tUsers) / 1000;
    let userLost = 0;
    let userEvents = 0;
    for (const [i, u] of users.entries()) {
      const expectedIds = await storedIds(sql, u.ws.id, firstIds[i]!);
      const got = new Set(u.events.received.map((e) => e.id));
      userEvents += expectedIds.length;
      userLost += expectedIds.filter((id) => !got.has(id)).length;
      u.events.close();
    }
    const usersRss = memory.reset();
    console.log(`users: ${USERS} users × ${USER_EDITS} edits, ${userEvents} events, ${userLost} lost, ${errors} errors in all phases, ${usersSeconds.toFixed(1)} s`);
    report(`events/s, ${USERS} users editing`, userEvents / usersSeconds, 'bare LISTEN NOTIFY/s', peerRate, '/s');
    console.log(`edit → result, ${USERS} users at once: p50 ${percentile(editTimes, 0.5).toFixed(0)} ms, p99 ${percentile(editTimes, 0.99).toFixed(0)} ms; delivery latency p50 ${percentile(userLatencies, 0.5).toFixed(1)} ms, p99 ${percentile(userLatencies, 0.99).toFixed(1)} ms`);
    console.log(`server peak RSS, ${USERS} users: ${usersRss.toFixed(0)} MB`);
    console.log(`lost events: ${lost + userLost}; errors: ${errors}`);
  } finally {
    memory.stop();
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    await sql.end({ timeout: 2 });
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
