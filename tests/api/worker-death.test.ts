// A worker killed mid-job: its job's heartbeat stops, pg-boss fails it, and it is retried on
// another worker, which finishes it. Three processes on one PostgreSQL: this test's server
// (HTTP only, so it takes no job itself), a worker that hangs on the job and is killed, and a
// healthy worker. Waits on events; takes about a heartbeat (10 s, pg-boss's least).
// And a job whose worker dies on every attempt: once pg-boss's retries are spent, the cell ends
// as an error that says so, the cells below it as stale, and "Run stale" runs it again; there,
// and in the last test, each dead worker's heartbeat is lapsed (tests/support/heartbeat.ts)
// rather than waited out, the first test having waited one out in real time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { lapseHeartbeat } from '../support/heartbeat.ts';
import { registerTestKinds } from '../support/test-kinds.ts';
import type { SseEvent } from '../support/client.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';
import { eventually } from '../support/wait.ts';

const WORKER = path.join(import.meta.dirname, '../support/test-worker.ts');
const HEARTBEAT = 10;
// A safety net, well above a test's time on a loaded machine: a test that waits on what never
// comes fails, and the file ends, instead of holding CI until its own limit.
const LIMIT = { timeout: 300_000 };

let server: TestServer;
let api: ApiClient;
let unregister: () => void;
const workers: ChildProcess[] = [];

function startWorker(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [WORKER, '--role', 'worker'], {
    env: {
      ...process.env, ...env, DATABASE_URL: server.databaseUrl, DATA_DIR: server.dataDir, LOG_LEVEL: 'error',
      ASSAY_HEARTBEAT_SECONDS: String(HEARTBEAT), ASSAY_SEED_DEMO: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

before(async () => {
  unregister = registerTestKinds();
  server = await startTestServer({ role: 'web', heartbeatSeconds: HEARTBEAT });
  api = new ApiClient(server.url);
  await api.signup('workers@example.com');
});
/** Kills every worker still up, so the next test decides who takes its jobs. */
async function killWorkers(): Promise<void> {
  await Promise.all(workers.filter((w) => w.exitCode === null && w.signalCode === null)
    .map((w) => new Promise((r) => { w.once('exit', r); w.kill('SIGKILL'); })));
}

after(async () => {
  await killWorkers();
  unregister();
  await server?.stop();
});

test('a job whose worker died is retried on another worker, and its result arrives', LIMIT, async () => {
  const doomed = startWorker({ ASSAY_TEST_HANG: '1' });
  const { events, add } = await workspaceWithStream(api, 'Dead worker');
  const cell = await add('job', 'pid', 'label: once');
  const running = await events.waitFor(on('cell.status', cell.id, (e) => e.data.status === 'running'), 60_000);
  // Started while the doomed one holds the job, so its start-up overlaps the heartbeat's wait:
  // it can take the job only once pg-boss has failed it.
  const healthy = startWorker();
  doomed.kill('SIGKILL');
  await new Promise((r) => doomed.once('exit', r));

  const done = await events.waitFor(on('cell.result', cell.id), 120_000);
  assert.equal(done.data.runId, running.data.runId, 'the same run, retried, not a new one');
  assert.equal(done.data.result.pid, healthy.pid, 'finished by the healthy worker');
  events.close();
});

test('a job whose worker dies on every attempt ends as an error, the cells below as stale, and Run stale runs it again', LIMIT, async () => {
  await killWorkers();
  const { ws, events, add } = await workspaceWithStream(api, 'Worker dies each time');
  // Made while no worker is up: the job waits, queued, for the first doomed one.
  const job = await add('job', 'pid', 'label: every time');
  const below = await add('below', 'gate', 'input: job\nlabel: below');
  const attempts: SseEvent[] = [];
  // pg-boss's retryLimit of 2: three attempts, each killed as soon as it is running.
  let doomed = startWorker({ ASSAY_TEST_HANG: '1' });
  let healthy: ChildProcess | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = await events.waitFor(on('cell.status', job.id, (e) => e.data.status === 'running' && !attempts.includes(e)), 90_000);
    attempts.push(started);
    // The next worker starts up while this one holds the job (it can take it only once pg-boss
    // has failed it): doomed too for the next attempt; after the last, a healthy one, which takes
    // whatever is left to do, which must not be a fourth attempt.
    const next = attempt < 3 ? startWorker({ ASSAY_TEST_HANG: '1' }) : (healthy = startWorker());
    doomed.kill('SIGKILL');
    await new Promise((r) => doomed.once('exit', r));
    // The first test waits a heartbeat out; here each death is noticed at pg-boss's next pass.
    await lapseHeartbeat(server.databaseUrl, job.id, attempt - 1);
    doomed = next;
  }
  assert.ok(attempts.every((e) => e.data.runId === attempts[0]!.data.runId), 'one run, retried');

  const lost = await events.waitFor(on('cell.error', job.id), 90_000);
  assert.equal(lost.data.runId, attempts[0]!.data.runId);
  assert.equal(lost.data.error.code, 'worker_lost');
  assert.match(lost.data.error.message, /died on each of 3 attempts/);
  const stale = await events.waitFor(on('cell.status', below.id, (e) => e.data.status === 'stale'), 30_000);
  assert.equal(stale.data.reason.code, 'upstream_failed');
  const result = (await api.get(`/api/workspaces/${ws.id}/cells/${job.id}/result`)).body;
  assert.equal(result.status, 'error');
  assert.equal(result.error.code, 'worker_lost');
  assert.equal((await api.get(`/api/workspaces/${ws.id}/cells/${below.id}/result`)).body.status, 'stale');

  // "Run stale" plans both again, and this time they finish.
  const rerun = await api.post(`/api/workspaces/${ws.id}/run`, {});
  assert.equal(rerun.status, 202, JSON.stringify(rerun.body));
  assert.ok(rerun.body.runId, 'a new run');
  const done = await events.waitFor(on('cell.result', job.id, (e) => e.data.runId === rerun.body.runId), 90_000);
  assert.equal(done.data.result.pid, healthy!.pid);
  const after = await events.waitFor(on('cell.result', below.id, (e) => e.data.runId === rerun.body.runId), 30_000);
  assert.deepEqual(after.data.result.trail, ['below']);
  events.close();
});

test('a run whose job failed with no dead letter copy (sent by an older version) is settled when a worker starts', LIMIT, async () => {
  await killWorkers();
  const { ws, events, add } = await workspaceWithStream(api, 'Stuck before the upgrade');
  const doomed = startWorker({ ASSAY_TEST_HANG: '1' });
  const job = await add('job', 'pid', 'label: older');
  const running = await events.waitFor(on('cell.status', job.id, (e) => e.data.status === 'running'), 60_000);
  // As an older version sent it: no dead letter queue; and one attempt only, to keep the test short.
  const db = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await db`select cr.id from cell_runs cr where cr.cell_id = ${job.id} and cr.status = 'running'`;
    await db`update pgboss.job set dead_letter = null, retry_limit = 0 where id = ${row!.id}`;
    doomed.kill('SIGKILL');
    await new Promise((r) => doomed.once('exit', r));
    await lapseHeartbeat(server.databaseUrl, job.id, 0);
    // pg-boss fails it for good at its next pass over heartbeats, and copies it nowhere.
    await eventually(async () => (await db`select state from pgboss.job where id = ${row!.id}`)[0]?.state === 'failed', 'the job never failed', { timeoutMs: 60_000, everyMs: 250 });
    assert.equal((await db`select count(*)::int as n from pgboss.job where source_id = ${row!.id}`)[0]?.n, 0, 'no dead letter copy');
  } finally {
    await db.end();
  }
  assert.equal((await api.get(`/api/workspaces/${ws.id}/cells/${job.id}/result`)).body.status, 'running', 'stuck, as before the fix');

  startWorker();
  const lost = await events.waitFor(on('cell.error', job.id), 60_000);
  assert.equal(lost.data.runId, running.data.runId);
  assert.equal(lost.data.error.code, 'worker_lost');
  assert.match(lost.data.error.message, /died on its only attempt/);
  events.close();
});
