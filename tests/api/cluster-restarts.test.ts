// More faults in a cluster of two web processes and two workers on one PostgreSQL
// (tests/support/cluster.ts): a full disk during an upload, PostgreSQL restarted under
// running processes, and SIGTERM to a worker holding a job and to a web process serving
// SSE. The shared DATA_DIR is a small tmpfs, so the disk really fills (ENOSPC): that needs
// root, or CAP_SYS_ADMIN, as in this container and CI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { claimerOf, startCluster, type Cluster } from '../support/cluster.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';
import { eventually } from '../support/wait.ts';

const DISK_MB = 24;
// A safety net, well above a test's time on a loaded machine: a test that waits on what never
// comes fails, and the file ends, instead of holding CI until its own limit.
const LIMIT = { timeout: 300_000 };

let cluster: Cluster;
let web: ApiClient[];
let disk: string;

before(async () => {
  disk = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m,mode=0755`, 'assay-test', disk], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`this test fills a ${DISK_MB} MB tmpfs and must be able to mount one (root or CAP_SYS_ADMIN): ${(err as Error).message}`);
  }
  cluster = await startCluster({ webs: 2, workers: 2, dataDir: disk, env: { ASSAY_SHUTDOWN_SECONDS: '1' }, ownPostgres: true });
  web = [new ApiClient(cluster.url(0)), new ApiClient(cluster.url(1))];
  await web[0]!.signup('restarts@example.com');
  web[1]!.cookie = web[0]!.cookie;
});
after(async () => {
  await cluster?.stop();
  try { execFileSync('umount', [disk]); } catch { /* not mounted */ }
  fs.rmSync(disk, { recursive: true, force: true });
});

test('a full disk during an upload: 507 disk_full, no half file, the cell keeps its file; space freed, uploads work again', LIMIT, async () => {
  const { ws, events, add } = await workspaceWithStream(web[0]!, 'Full disk');
  const cell = await add('sales', 'upload', '');
  const small = 'a,b\n' + '1,x\n'.repeat(1000);
  assert.equal((await web[0]!.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, small, 'small.csv')).status, 201);
  await events.waitFor(on('cell.result', cell.id));
  const stored = () => fs.readdirSync(path.join(disk, 'files'), { recursive: true }).sort();
  const before = stored();

  // More than the disk holds, streamed.
  const big = Buffer.alloc(DISK_MB * 1024 * 1024 * 1.5, 'a,b\n1,yyyyyyyyyy\n');
  const res = await web[1]!.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, big, 'big.csv');
  assert.equal(res.status, 507, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'disk_full');
  assert.match(res.body.error.message, /ran out of disk space after \d+ bytes.*nothing was kept/);
  assert.deepEqual(fs.readdirSync(path.join(disk, 'tmp')), [], 'no half-written file is left');
  assert.deepEqual(stored(), before, 'nothing new is stored');
  const still = (await web[0]!.get(`/api/workspaces/${ws.id}`)).body.cells[0];
  assert.equal(still.file.name, 'small.csv');
  assert.equal(still.latest.status, 'done');

  // The failed upload's space was given back: the next one fits.
  const next = await web[1]!.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, small + '2,z\n', 'next.csv');
  assert.equal(next.status, 201, JSON.stringify(next.body));
  await events.waitFor(on('cell.result', cell.id, (e) => (e.data.result as { rows: number }).rows === 1001));
  events.close();
});

test('PostgreSQL restarted: /api/health reports the outage and the recovery; web and workers reconnect; SSE clients miss nothing', LIMIT, async () => {
  const { ws, events: onFirst, add } = await workspaceWithStream(web[0]!, 'Database restart');
  const onSecond = web[1]!.events(ws.id);
  await onSecond.ready;
  const one = await add('one', 'gate', 'label: one');
  await onSecond.waitFor(on('cell.result', one.id));

  await cluster.pg.stop();
  for (const api of web) {
    const health = await api.get('/api/health');
    assert.equal(health.status, 503, JSON.stringify(health.body));
    assert.equal(health.body.error.code, 'database_unavailable');
    assert.equal((await api.get('/api/ready')).status, 503);
  }

  await cluster.pg.start();
  // Straight away, before the processes notice: the first writes may find stale connections,
  // and events may commit before a web process listens again.
  let refused: unknown;
  const two = await eventually(async () => {
    const res = await web[0]!.post(`/api/workspaces/${ws.id}/cells`, { kind: 'gate', name: 'two', config: 'input: one\nlabel: two' });
    refused = res.body;
    return res.status === 201 && (res.body as { id: string });
  }, () => `no write went through after the restart: ${JSON.stringify(refused)}`, { timeoutMs: 15_000 });
  for (const api of web) {
    await eventually(async () => (await api.get('/api/health')).status === 200, 'health never recovered', { timeoutMs: 10_000 });
    let ready: unknown;
    await eventually(async () => {
      const res = await api.get('/api/ready');
      ready = res.body;
      return res.status === 200;
    }, () => `never ready again: ${JSON.stringify(ready)}`, { timeoutMs: 10_000 });
  }
  // A worker ran it (pg-boss reconnected), and both streams carried its events.
  for (const events of [onFirst, onSecond]) await events.waitFor(on('cell.result', two.id), 60_000);
  const three = await add('three', 'gate', 'input: two\nlabel: three');
  for (const events of [onFirst, onSecond]) await events.waitFor(on('cell.result', three.id), 60_000);

  // Nothing lost: each stream holds every event the database stored for the workspace since it opened.
  const sql = cluster.sql();
  try {
    const first = onFirst.received.find((e) => e.id !== undefined)!.id!;
    const rows = await sql`select id from events where workspace_id = ${ws.id} and id >= ${first} order by id`;
    const stored = rows.map((r) => Number(r.id));
    for (const events of [onFirst, onSecond]) {
      assert.deepEqual(events.received.filter((e) => e.id !== undefined && e.id >= first).map((e) => e.id), stored);
    }
  } finally {
    await sql.end();
  }
  onFirst.close();
  onSecond.close();
});

test('SIGTERM to a worker holding a job: it stops taking jobs, hands the job back at once, and the other worker takes it', LIMIT, async () => {
  const { ws, events, add } = await workspaceWithStream(web[0]!, 'Worker stops');
  // A heavy gate waits for a gate the test never opens here, so only the shutdown ends its run.
  const cell = await add('slow', 'heavygate', 'label: wait for ever');
  const holder = await claimerOf(cluster.workers, cell.id);
  await events.waitFor(on('cell.status', cell.id, (e) => e.data.status === 'running'));
  const other = cluster.workers.find((w) => w !== holder && w.alive)!;

  const stopped = Date.now();
  assert.equal(await holder.kill('SIGTERM'), 0, holder.output);
  // Well within a heartbeat (10 s): handed back by the shutdown, not found dead later.
  await other.waitForLog((l) => l.msg === 'job picked' && l.cellId === cell.id && l.claimed === true, 8000);
  assert.ok(Date.now() - stopped < 8000);
  await events.waitFor((e) => e.event === 'cell.status' && e.data.cellId === cell.id && e.data.status === 'running'
    && events.received.filter(on('cell.status', cell.id, (x) => x.data.status === 'running')).length >= 2);
  assert.ok(holder.lines.some((l) => l.msg === 'shutting down'), 'a graceful stop');
  // Clean up: deleting the cell cancels its run.
  await web[0]!.delete(`/api/workspaces/${ws.id}/cells/${cell.id}`);
  events.close();
  await cluster.startWorker();
});

test('SIGTERM to a web process: its SSE streams end with a retry hint, it exits cleanly, and the other web process serves on', LIMIT, async () => {
  const { ws } = await workspaceWithStream(web[0]!, 'Web stops');
  const res = await fetch(`${cluster.url(1)}/api/workspaces/${ws.id}/events`, { headers: web[1]!.headers() });
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let sawHello = () => {};
  const hello = new Promise<void>((resolve) => { sawHello = resolve; });
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
      if (text.includes('event: hello')) sawHello();
    }
  })();
  // The hello as it is read (it was looked for every 20 ms); a stream that ends first fails here.
  await Promise.race([hello, ended.then(() => { throw new Error(`the stream ended before its hello: ${text}`); })]);

  assert.equal(await cluster.webs[1]!.kill('SIGTERM'), 0, cluster.webs[1]!.output);
  await ended;
  assert.match(text.slice(text.indexOf('event: hello')), /\nretry: 1000\n\n$/, 'the stream ends with a retry hint');
  assert.equal((await web[0]!.get('/api/health')).status, 200);
});
