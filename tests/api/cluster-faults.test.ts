// Faults in a cluster of two web processes and two workers on one PostgreSQL and one
// DATA_DIR (tests/support/cluster.ts): a worker killed with SIGKILL in the middle of a long
// profile, and a web process killed and restarted under its SSE clients. Nothing may be lost:
// the profile's result is stored once, and a client reconnecting by Last-Event-ID gets
// exactly the events it missed. Waits on events and log lines; the killed worker's heartbeat is
// lapsed (tests/support/heartbeat.ts), not waited out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { claimerOf, startCluster, type Cluster } from '../support/cluster.ts';
import { lapseHeartbeat } from '../support/heartbeat.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const GEN = path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs');
// Rows of the generated sales table: its profile takes a few seconds here, long enough to die in.
const ROWS = 250_000;
// A safety net, well above a test's time on a loaded machine: a test that waits on what never
// comes fails, and the file ends, instead of holding CI until its own limit.
const LIMIT = { timeout: 300_000 };

let cluster: Cluster;
let web: ApiClient[];

before(async () => {
  cluster = await startCluster({ webs: 2, workers: 2 });
  // One user, signed in on each web process (sessions live in the shared database).
  web = [new ApiClient(cluster.url(0)), new ApiClient(cluster.url(1))];
  await web[0]!.signup('cluster@example.com');
  web[1]!.cookie = web[0]!.cookie;
});
after(async () => {
  await cluster?.stop();
});

test('a worker killed with SIGKILL mid-profile: the other worker runs the job again and its result is stored once', LIMIT, async () => {
  const csv = path.join(cluster.dataDir, '..', 'sales.csv');
  execFileSync(process.execPath, [GEN, String(ROWS), csv, '7']);
  // The workspace is made on one web process and watched on the other: events cross processes.
  const { ws } = await workspaceWithStream(web[0]!, 'Killed mid-profile');
  const events = web[1]!.events(ws.id);
  await events.ready;
  const add = async (name: string, kind: string, config: string) => (await web[0]!.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config })).body as { id: string };
  const upload = await add('sales', 'upload', '');
  const res = await web[0]!.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(csv), 'sales.csv');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await events.waitFor(on('cell.result', upload.id), 60_000);

  const profile = await add('profile', 'profile', 'input: sales\ndistinct: exact');
  const doomed = await claimerOf(cluster.workers, profile.id);
  // In the middle: its first partial (the table's outline) is out, the statistics are not.
  const outline = await events.waitFor(on('cell.partial', profile.id), 60_000);
  doomed.child.kill('SIGKILL');
  await doomed.exited;
  // Noticed at pg-boss's next pass rather than a heartbeat (10 s) later: tests/api/worker-death.test.ts
  // waits one out in real time.
  await lapseHeartbeat(cluster.pg.url, profile.id, 0);
  const survivor = cluster.workers.find((w) => w !== doomed)!;

  const done = await events.waitFor(on('cell.result', profile.id), 90_000);
  assert.equal(done.data.runId, outline.data.runId, 'the same run, retried, not a new one');
  assert.ok(!events.received.some((e) => e.event === 'cell.result' && e.data.cellId === profile.id && e !== done), 'one result');
  const finisher = await survivor.waitForLog((l) => l.msg === 'cell done' && l.kind === 'profile');
  assert.equal(doomed.lines.some((l) => l.msg === 'cell done' && l.kind === 'profile'), false, 'the killed worker never finished it');
  const starts = events.received.filter(on('cell.status', profile.id, (e) => e.data.status === 'running' && e.data.progress === 0));
  assert.equal(starts.length, 2, 'started twice: by the killed worker, then by the other');

  const sql = cluster.sql();
  try {
    const runs = await sql`select status, count(*)::int as n from cell_runs where cell_id = ${profile.id} group by status`;
    assert.deepEqual(runs.map((r) => ({ ...r })), [{ status: 'done', n: 1 }], 'one run row, done');
    const results = await sql`select count(*)::int as n from events where type = 'cell.result' and data->>'cellId' = ${profile.id}`;
    assert.equal(results[0]!.n, 1, 'one result event stored');
    const [row] = await sql`select id from cell_runs where cell_id = ${profile.id}`;
    assert.equal(finisher.cellRunId, row!.id);
  } finally {
    await sql.end();
  }
  assert.equal((done.data.result as { rows: number }).rows, ROWS);
  events.close();
  // Back to two workers for the next test.
  await cluster.startWorker();
});

test('a web process killed and restarted: its SSE client reconnects with Last-Event-ID and gets exactly what it missed', LIMIT, async () => {
  const { ws, events: onFirst, add } = await workspaceWithStream(web[0]!, 'Web restart');
  const onSecond = web[1]!.events(ws.id);
  await onSecond.ready;
  const one = await add('one', 'gate', 'label: one');
  await onFirst.waitFor(on('cell.result', one.id));
  const lastSeen = onFirst.received.at(-1)!.id!;

  await cluster.webs[0]!.kill('SIGKILL');
  // While it is down, work goes on through the other web process and the workers.
  const two = (await web[1]!.post(`/api/workspaces/${ws.id}/cells`, { kind: 'gate', name: 'two', config: 'input: one\nlabel: two' })).body;
  await web[1]!.patch(`/api/workspaces/${ws.id}/cells/${one.id}`, { config: 'label: one again' });
  await onSecond.waitFor(on('cell.result', two.id, (e) => (e.data.result as { trail: string[] }).trail[0] === 'one again'));
  onFirst.close();

  await cluster.startWeb(0);
  const resumed = web[0]!.events(ws.id, lastSeen);
  await resumed.ready;
  // What the client missed is what the process that stayed up sent after the last id it saw.
  const missed = onSecond.received.filter((e) => e.id !== undefined && e.id > lastSeen);
  assert.ok(missed.length >= 6, `events happened meanwhile (${missed.length})`);
  await resumed.waitFor((e) => e.id === missed.at(-1)!.id);
  const ids = (list: SseEvent[]) => list.filter((e) => e.id !== undefined).map((e) => `${e.id}:${e.event}`);
  assert.deepEqual(ids(resumed.received), ids(missed));
  // And the restarted process carries live events again.
  await web[1]!.patch(`/api/workspaces/${ws.id}/cells/${two.id}`, { config: 'input: one\nlabel: two again' });
  await resumed.waitFor(on('cell.result', two.id, (e) => (e.data.result as { label: string }).label === 'two again'));
  resumed.close();
  onSecond.close();
});
