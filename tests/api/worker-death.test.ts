// A worker killed mid-job: its job's heartbeat stops, pg-boss fails it, and it is retried on
// another worker, which finishes it. Three processes on one PostgreSQL: this test's server
// (HTTP only, so it takes no job itself), a worker that hangs on the job and is killed, and a
// healthy worker. Waits on events; takes about a heartbeat (10 s, pg-boss's least).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { registerTestKinds } from '../support/test-kinds.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const WORKER = path.join(import.meta.dirname, '../support/test-worker.ts');
const HEARTBEAT = 10;

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
after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  unregister();
  await server?.stop();
});

test('a job whose worker died is retried on another worker, and its result arrives', async () => {
  const doomed = startWorker({ ASSAY_TEST_HANG: '1' });
  const { events, add } = await workspaceWithStream(api, 'Dead worker');
  const cell = await add('job', 'pid', 'label: once');
  const running = await events.waitFor(on('cell.status', cell.id, (e) => e.data.status === 'running'), 60_000);
  doomed.kill('SIGKILL');
  await new Promise((r) => doomed.once('exit', r));

  const healthy = startWorker();
  const done = await events.waitFor(on('cell.result', cell.id), 120_000);
  assert.equal(done.data.runId, running.data.runId, 'the same run, retried, not a new one');
  assert.equal(done.data.result.pid, healthy.pid, 'finished by the healthy worker');
  events.close();
});
