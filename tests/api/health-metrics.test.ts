// Liveness, readiness and the Prometheus metrics of one process (role all), on its own
// PostgreSQL: /metrics answers only on its own listen address, and its figures follow what
// the process did (a job run, an upload stored, an SSE client connected).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';
import { eventually } from '../support/wait.ts';

let server: TestServer;
let api: ApiClient;

before(async () => {
  server = await startTestServer({ metricsPort: 0 });
  api = new ApiClient(server.url);
  await api.signup('metrics@example.com');
});
after(async () => {
  await server?.stop();
});

/** The samples of a metric in the text format, by their label text. */
async function scrape(): Promise<{ text: string; sample: (name: string, labels?: string) => number | undefined }> {
  const res = await fetch(server.metricsUrl!);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const sample = (name: string, labels = '') => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { text, sample };
}

test('/api/health is the contract {"ok": true}; /api/ready names each check; neither needs a session', async () => {
  const anonymous = new ApiClient(server.url);
  const health = await anonymous.get('/api/health');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { ok: true });
  const ready = await anonymous.get('/api/ready');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, { ready: true, checks: { database: 'ok', queue: 'ok', events: 'ok', process: 'ok' } });
});

test('/metrics is served on its own address only, in the Prometheus text format, and follows jobs, uploads and SSE clients', async () => {
  assert.equal((await fetch(`${server.url}/metrics`)).status, 404, 'not on the app\'s port');
  assert.equal((await fetch(server.metricsUrl!.replace('/metrics', '/other'))).status, 404);
  const before = await scrape();
  assert.match(before.text, /^# HELP assay_jobs_total /m);
  assert.match(before.text, /^# TYPE assay_job_duration_seconds histogram$/m);
  assert.equal(before.sample('assay_database_up'), 1);
  assert.equal(before.sample('assay_listen_up'), 1);
  assert.equal(before.sample('assay_process_info', '{role="all"}'), 1);
  assert.ok(before.sample('process_resident_memory_bytes')! > 10e6);

  const { ws, events, add } = await workspaceWithStream(api, 'Metrics');
  const cell = await add('sales', 'upload', '');
  const csv = 'a,b\n1,x\n2,y\n';
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, csv, 's.csv')).status, 201);
  await events.waitFor(on('cell.result', cell.id));

  const after = await scrape();
  assert.equal(after.sample('assay_sse_clients'), 1);
  assert.equal(after.sample('assay_jobs_total', '{kind="upload",outcome="done"}'), 1);
  assert.equal(after.sample('assay_job_duration_seconds_count', '{kind="upload"}'), 1);
  assert.equal(after.sample('assay_job_duration_seconds_bucket', '{kind="upload",le="+Inf"}'), 1);
  assert.equal(after.sample('assay_uploads_total', '{outcome="stored"}'), 1);
  assert.equal(after.sample('assay_upload_bytes_total'), csv.length);
  assert.ok(after.sample('assay_sse_events_sent_total')! >= 3);
  for (const state of ['queued', 'active', 'deferred']) {
    assert.equal(typeof after.sample('assay_queue_jobs', `{queue="assay-cells-heavy",state="${state}"}`), 'number', state);
  }
  events.close();
  // The client left: the gauge says so.
  await eventually(async () => (await scrape()).sample('assay_sse_clients') === 0, 'the SSE client is still counted', { timeoutMs: 5000 });
});
