import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { folderComes } from '../support/wait.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let server: TestServer;
let api: ApiClient;
before(async () => {
  server = await startTestServer({ maxUploadBytes: 1_000_000 });
  api = new ApiClient(server.url);
  await api.signup('analyst@example.com');
});
after(async () => { await server?.stop(); });

const isResult = (cellId: string) => (e: SseEvent) => e.event === 'cell.result' && e.data.cellId === cellId;
const isError = (cellId: string) => (e: SseEvent) => e.event === 'cell.error' && e.data.cellId === cellId;

test('the whole journey: workspace, upload, profile over SSE, replay by Last-Event-ID', async () => {
  const t0 = Date.now();
  const ws = (await api.post('/api/workspaces', { title: 'Weather' })).body;
  assert.deepEqual(Object.keys(ws).sort(), ['cells', 'createdAt', 'id', 'lastEventId', 'title', 'updatedAt', 'version',
    'role', 'canEdit', 'canShare', 'canDelete', 'editorsCanShare', 'owner'].sort());
  const events = api.events(ws.id);
  await events.ready;
  assert.equal(events.status, 200);

  const upload = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'weather', config: '' })).body;
  assert.deepEqual([upload.name, upload.kind, upload.position], ['weather', 'upload', 0]);
  const profile = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'stats', config: 'input: weather\n' })).body;
  assert.equal(profile.position, 1);

  const bytes = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'));
  const up = await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, bytes, 'seattle-weather.csv');
  assert.equal(up.status, 201);
  assert.equal(up.body.file.sha256, '0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be');
  assert.equal(up.body.file.size, 48219);

  const uploaded = await events.waitFor(isResult(upload.id));
  // The header and first rows were streamed before the conversion finished.
  const early = events.received.find((e) => e.event === 'cell.partial' && e.data.cellId === upload.id);
  assert.ok(early && early.id! < uploaded.id!, 'a preview partial came before the result');
  assert.deepEqual(early.data.preview.columns, ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
  assert.equal(uploaded.data.result.rows, 1461);
  assert.deepEqual(uploaded.data.result.columns.map((c: { name: string }) => c.name), ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
  assert.equal(uploaded.data.result.file.name, 'seattle-weather.csv');
  assert.equal(uploaded.data.result.dialect.delimiter, ',');
  assert.ok(uploaded.data.result.preview.rows.length > 0);

  const profiled = await events.waitFor(isResult(profile.id));
  // Nothing about a run comes after its result: progress and pieces are written before it.
  for (const done of [uploaded, profiled]) {
    const late = events.received.filter((e) => e.data?.runId === done.data.runId && e.data?.cellId === done.data.cellId && e.id! > done.id!);
    assert.deepEqual(late.map((e) => e.event), [], `events after ${done.data.cellId}'s result`);
  }
  const journeyMs = Date.now() - t0;
  const byName = Object.fromEntries(profiled.data.result.columns.map((c: { name: string }) => [c.name, c]));
  assert.equal(profiled.data.result.rows, 1461);
  assert.equal(byName.temp_max.min, -1.6);
  assert.equal(byName.temp_max.max, 35.6);
  assert.equal(byName.precipitation.max, 55.9);
  assert.equal(byName.precipitation.nulls, 0);
  assert.equal(byName.weather.distinct, 5);
  // The status stream showed the profile queued then running before its result.
  const statuses = events.received.filter((e) => e.event === 'cell.status' && e.data.cellId === profile.id).map((e) => e.data.status);
  assert.ok(statuses.includes('running'), `statuses seen: ${statuses}`);
  console.log(`# journey: workspace → upload → profile result over SSE in ${journeyMs} ms`);

  // The latest result is readable over plain HTTP too.
  const latest = await api.get(`/api/workspaces/${ws.id}/cells/${profile.id}/result`);
  assert.equal(latest.body.status, 'done');
  assert.equal(latest.body.result.rows, 1461);
  assert.ok(latest.body.fingerprint);

  // A client that dropped after the upload's result gets exactly what it missed.
  const missedFrom = uploaded.id!;
  const replay = api.events(ws.id, missedFrom);
  await replay.ready;
  const replayed = await replay.waitFor(isResult(profile.id), 5000);
  const expected = events.received.filter((e) => e.id !== undefined && e.id > missedFrom && e.id <= replayed.id!).map((e) => e.id);
  const got = replay.received.filter((e) => e.id !== undefined && e.id <= replayed.id!).map((e) => e.id);
  assert.deepEqual(got, expected);
  assert.ok(got.every((id) => id! > missedFrom));
  replay.close();
  events.close();
});

test('editing the upload re-runs it and its dependents; a no-op edit re-runs nothing', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Edits' })).body;
  const up = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'src', config: '' })).body;
  const prof = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'p', config: 'input: src' })).body;
  const events = api.events(ws.id);
  await events.ready;
  await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, 'a,b\n1,x\n2,y\n3,y\n', 'small.csv');
  const first = await events.waitFor(isResult(prof.id));
  assert.equal(first.data.result.rows, 3);

  // Comments and key order do not change meaning: nothing is planned.
  const same = await api.patch(`/api/workspaces/${ws.id}/cells/${prof.id}`, { config: '# the same\ninput: src\n' });
  assert.equal(same.status, 200);
  const runsBefore = (await server.services.sql`select count(*)::int as n from runs where workspace_id = ${ws.id}`)[0]!.n;

  await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, 'a,b\n1,x\n2,y\n3,y\n4,z\n', 'bigger.csv');
  const second = await events.waitFor((e) => isResult(prof.id)(e) && e.data.runId !== first.data.runId);
  assert.equal(second.data.result.rows, 4);
  const runsAfter = (await server.services.sql`select count(*)::int as n from runs where workspace_id = ${ws.id}`)[0]!.n;
  assert.equal(runsAfter, runsBefore + 1, 'only the new file started a run');

  // Uploading the first file again reuses its results at once: no job runs.
  const reused = await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, 'a,b\n1,x\n2,y\n3,y\n', 'small-again.csv');
  const third = await events.waitFor((e) => isResult(prof.id)(e) && e.data.runId === reused.body.runId);
  assert.equal(third.data.reused, true);
  assert.equal(third.data.result.rows, 3);
  events.close();
});

test('bad input: each gets a clear error on the cell or in the API, and the server keeps serving', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Bad input' })).body;
  const events = api.events(ws.id);
  await events.ready;

  const unknownKind = await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'spreadsheet', name: 'q', config: '' });
  assert.equal(unknownKind.status, 400);
  assert.match(unknownKind.body.error.message, /unknown cell kind "spreadsheet"/);

  const badName = await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: '1 bad name', config: '' });
  assert.equal(badName.status, 400);
  assert.equal(badName.body.error.field, 'name');

  const missing = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'orphan', config: 'input: nowhere\n' })).body;
  const missingErr = await events.waitFor(isError(missing.id));
  assert.equal(missingErr.data.error.code, 'missing_input');
  assert.match(missingErr.data.error.message, /"nowhere"/);

  const yaml = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'broken', config: 'input: [unclosed\n' })).body;
  const yamlErr = await events.waitFor(isError(yaml.id));
  assert.equal(yamlErr.data.error.code, 'config_yaml');
  assert.match(yamlErr.data.error.message, /line \d+/);

  const dupe = await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'broken', config: '' });
  assert.equal(dupe.status, 409);

  const up = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'raw', config: '' })).body;
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
  // Refused before it becomes the cell's (issue 23, item 8): the cell still waits for a file.
  const upRes = await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, binary, 'picture.png');
  assert.equal(upRes.status, 422);
  assert.equal(upRes.body.error.code, 'file_refused');
  assert.equal(upRes.body.error.reason, 'not_csv');
  assert.match(upRes.body.error.message, /"picture\.png" was not used: this file is not text.*cell "raw" still waits for a file/);

  // A dependent of an upload without a file is stale with the reason, not an old result.
  const dep = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'dep', config: 'input: raw' })).body;
  const stale = await events.waitFor((e) => e.event === 'cell.status' && e.data.cellId === dep.id && e.data.status === 'stale');
  assert.match(stale.data.reason.message, /"raw"/);

  // Fixing the missing input by adding the cell it names clears the error.
  await api.patch(`/api/workspaces/${ws.id}/cells/${missing.id}`, { config: 'input: raw\n' });
  const after = await api.get(`/api/workspaces/${ws.id}/cells/${missing.id}/result`);
  assert.equal(after.body.status, 'stale');

  assert.equal((await api.get('/api/health')).status, 200);
  events.close();
});

test('cells move, rename with a unique name, and the workspace version counts changes', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Order' })).body;
  const a = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'a', config: '' })).body;
  const b = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'b', config: '' })).body;
  const c = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'c', config: '' })).body;
  await api.patch(`/api/workspaces/${ws.id}/cells/${c.id}`, { position: 0 });
  const order = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.map((x: { name: string }) => x.name);
  assert.deepEqual(order, ['c', 'a', 'b']);
  const clash = await api.patch(`/api/workspaces/${ws.id}/cells/${a.id}`, { name: 'b' });
  assert.equal(clash.status, 409);
  const current = (await api.get(`/api/workspaces/${ws.id}`)).body;
  const stale = await api.patch(`/api/workspaces/${ws.id}`, { title: 'New', version: current.version - 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.current.title, 'Order');
  const ok = await api.patch(`/api/workspaces/${ws.id}`, { title: 'New', version: current.version });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.version, current.version + 1);
  assert.equal((await api.delete(`/api/workspaces/${ws.id}/cells/${b.id}`)).status, 200);
  assert.equal((await api.get(`/api/workspaces/${ws.id}`)).body.cells.length, 2);
  assert.equal((await api.delete(`/api/workspaces/${ws.id}`)).status, 200);
  assert.equal((await api.get(`/api/workspaces/${ws.id}`)).status, 404);
});

test('multipart uploads stream like raw ones', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Multipart' })).body;
  const up = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'm', config: '' })).body;
  const form = new FormData();
  form.append('file', new Blob(['x,y\n1,2\n']), 'form.csv');
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${up.id}/upload`, { method: 'POST', headers: api.headers(), body: form });
  assert.equal(res.status, 201);
  const body = await res.json() as any;
  assert.equal(body.file.name, 'form.csv');
  assert.equal(body.file.size, 8);
  const noFile = new FormData();
  noFile.append('other', 'x');
  const bad = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${up.id}/upload`, { method: 'POST', headers: api.headers(), body: noFile });
  assert.equal(bad.status, 400);
  // A cell whose kind takes no file refuses one, naming the kinds that do.
  const checks = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'rule', name: 'checks', config: 'input: m\nrules: []\n' })).body;
  const wrong = await api.upload(`/api/workspaces/${ws.id}/cells/${checks.id}/upload`, 'a\n1\n', 'x.csv');
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.error.message, /^a rule cell takes no file; upload to a cell of a kind that does \(upload\)$/);
});

test('a new user with the demo enabled lands on a workspace that already has results', async () => {
  const { seedDemoWorkspace } = await import('../../server/demo/seed.ts');
  const me = (await api.get('/api/me')).body;
  const id = await seedDemoWorkspace(server.services, me);
  assert.ok(id);
  // Its run is the demo's, named so on the Runs page, and its sample is the upload cell's file.
  const [first] = (await api.get(`/api/workspaces/${id}/runs`)).body;
  assert.equal(first.trigger, 'seed');
  const stream = api.events(id!, 0);
  await stream.ready;
  const ws = (await api.get(`/api/workspaces/${id}`)).body;
  const prof = ws.cells.find((c: { kind: string }) => c.kind === 'profile');
  assert.equal(ws.cells.find((c: { kind: string }) => c.kind === 'upload').file.name, 'seattle-weather.csv');
  const done = await stream.waitFor(isResult(prof.id));
  assert.equal(done.data.result.rows, 1461);
  const checks = ws.cells.find((c: { kind: string }) => c.kind === 'rule');
  const checked = await stream.waitFor(isResult(checks.id));
  // 24 windy days of 1461: more than none (warn), fewer than 5 % (no fail).
  assert.deepEqual(checked.data.result.summary, { pass: 4, warn: 1, fail: 0, error: 0 });
  // And a chart: the mean daily high of each of the 48 months.
  const chart = ws.cells.find((c: { kind: string }) => c.kind === 'chart');
  const drawn = await stream.waitFor(isResult(chart.id));
  assert.equal(drawn.data.result.pointsOut, 48);
  assert.equal(drawn.data.result.rowsIn, 1461);
  stream.close();
});

test('an upload over MAX_UPLOAD_BYTES answers 413, keeps nothing, and the cell keeps its previous file', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Limits' })).body;
  const up = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'lim', config: '' })).body;
  const ok = await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, 'a\n1\n', 'ok.csv');
  assert.equal(ok.status, 201);
  const big = 'x,y\n' + '1234567,abcdefg\n'.repeat(70_000); // ~1.1 MB
  // Sent chunked, without a Content-Length, so the limit is enforced while streaming.
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${up.id}/upload?filename=big.csv`, {
    method: 'POST',
    headers: api.headers({ 'content-type': 'text/csv' }),
    body: new Blob([big]).stream(),
    duplex: 'half',
  } as RequestInit);
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as any).error.code, 'too_large');
  assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'tmp')), [], 'no half-written file is left');
  const still = (await api.get(`/api/workspaces/${ws.id}`)).body.cells[0];
  assert.equal(still.file.name, 'ok.csv');
});

test('an upload cut off half way leaves no file behind, and the cell keeps its previous file and result', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Cut off' })).body;
  const up = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'cut', config: '' })).body;
  const events = api.events(ws.id);
  await events.ready;
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${up.id}/upload`, 'a,b\n1,x\n2,y\n', 'first.csv')).status, 201);
  const first = await events.waitFor(isResult(up.id));
  const filesBefore = fs.readdirSync(path.join(server.dataDir, 'files'), { recursive: true }).length;

  // The client promises 600 KB, sends 200 KB, and drops the connection.
  const url = new URL(`${server.url}/api/workspaces/${ws.id}/cells/${up.id}/upload?filename=cut.csv`);
  const req = http.request(url, { method: 'POST', headers: { ...api.headers({ 'content-type': 'text/csv' }), 'content-length': 600_000 } });
  req.on('error', () => {});
  req.write('a,b\n' + '1,xxxxxxxxx\n'.repeat(200_000 / 12));
  // Cut off once the server is writing the upload down (a timer alone may cut it before it began).
  const tmp = path.join(server.dataDir, 'tmp');
  await folderComes(tmp, (names) => names.length > 0, 'hold the partial upload');
  req.destroy();

  await folderComes(tmp, (names) => names.length === 0, 'be empty').catch(() => {});
  assert.deepEqual(fs.readdirSync(tmp), [], 'no half-written file is left');
  assert.equal(fs.readdirSync(path.join(server.dataDir, 'files'), { recursive: true }).length, filesBefore, 'nothing new is stored');
  const cell = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.find((c: { id: string }) => c.id === up.id);
  assert.equal(cell.file.name, 'first.csv');
  assert.equal(cell.latest.status, 'done');
  assert.deepEqual(cell.latest.result, first.data.result);
  events.close();
});
