// Issue 19, findings 11 and 12: common passwords, headers a client may forge, the report's own
// CSP, HSTS, a Last-Event-ID out of range, schedules every second, streams without end, server
// paths in errors and a schedule's inbox shown to viewers. One server with the defaults
// (ASSAY_TRUST_PROXY unset): what a proxy would say is here anyone's forgery.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { ApiError } from '../../server/http/errors.ts';
import { ApiClient, type EventStream } from '../support/client.ts';
import { finishedRun, rerun } from '../support/runs.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';

let server: TestServer;
let owner: ApiClient;
serveSignedUp('owner@example.com', (s, a) => { server = s; owner = a; });

test('common and trivial passwords are refused, saying why; a passphrase is not', async () => {
  for (const [password, why] of [['        ', /repeats a character/], ['password', /ten most used/], ['12345678', /ten most used|sequence/], ['qwertyuiop', /most used|row of keys/]] as const) {
    const res = await new ApiClient(server.url).post('/api/auth/signup', { email: 'weak@example.com', password });
    assert.equal(res.status, 400, JSON.stringify(password));
    assert.equal(res.body.error.code, 'weak_password');
    assert.equal(res.body.error.field, 'password');
    assert.match(res.body.error.message, why);
  }
  assert.equal((await server.services.sql`select count(*)::int as n from users where email = 'weak@example.com'`)[0]!.n, 0);
  const change = await owner.post('/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'password1' });
  assert.equal(change.status, 400);
  assert.equal(change.body.error.field, 'newPassword');
  assert.equal((await new ApiClient(server.url).post('/api/auth/signup', { email: 'strong@example.com', password: 'violet kettle harbour' })).status, 201);
});

test('X-Forwarded-Host and -Proto are not trusted without ASSAY_TRUST_PROXY: share URLs, the origin check, HSTS', async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Shared' })).body;
  const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
  const link = await owner.request('POST', `/api/workspaces/${ws.id}/shares`, { role: 'view' }, forged);
  assert.equal(link.status, 201);
  assert.ok(link.body.url.startsWith(`${server.url}/s/`), link.body.url);
  // A page on evil.example that also forges the host header is still another origin.
  const write = await owner.request('PATCH', `/api/workspaces/${ws.id}`, { title: 'x' }, { ...forged, origin: 'https://evil.example' });
  assert.equal(write.status, 403);
  assert.equal(write.body.error.code, 'cross_origin');
  for (const headers of [{}, forged]) {
    const res = await fetch(`${server.url}/api/health`, { headers });
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
  }
});

test("the HTML report keeps its own Content-Security-Policy", async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Report' })).body;
  await owner.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' });
  const run = await rerun(owner, ws.id, { sales: ['sales.csv', 'region,amount\nnorth,10\n'] });
  assert.equal(run.status, 202, JSON.stringify(run.body));
  await finishedRun(owner, run.body.runId);
  const report = await fetch(`${server.url}/api/runs/${run.body.runId}/report`, { headers: owner.headers() });
  assert.equal(report.status, 200);
  assert.equal(report.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
});

test('a Last-Event-ID beyond any event id is refused, naming the header; the stream then works', async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Events' })).body;
  for (const id of ['18446744073709551616', '9223372036854775808', 'abc']) {
    const res = await fetch(`${server.url}/api/workspaces/${ws.id}/events`, { headers: owner.headers({ 'last-event-id': id }) });
    assert.equal(res.status, 400, id);
    const body = await res.json() as { error: { field: string; message: string } };
    assert.equal(body.error.field, 'Last-Event-ID');
    assert.match(body.error.message, /Last-Event-ID must be the id of an event/);
  }
  const stream = owner.events(ws.id, 0);
  await stream.ready;
  await owner.patch(`/api/workspaces/${ws.id}`, { title: 'Events, renamed' });
  await stream.waitFor((e) => e.event === 'workspace.changed', 10_000);
  stream.close();
});

test('a schedule may fire at most every 5 minutes; a viewer sees no inbox path', async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Nightly' })).body;
  for (const cron of ['* * * * * *', '* * * * *', '0-4 6 * * *']) {
    const res = await owner.put(`/api/workspaces/${ws.id}/schedule`, { cron, folder: 'nightly' });
    assert.equal(res.status, 400, cron);
    assert.equal(res.body.error.field, 'cron');
    assert.match(res.body.error.message, /at most every 5 minutes/);
  }
  assert.equal((await owner.get(`/api/workspaces/${ws.id}/schedule`)).body, null);
  const set = await owner.put(`/api/workspaces/${ws.id}/schedule`, { cron: '*/5 * * * *', folder: 'nightly' });
  assert.equal(set.status, 200);
  assert.match(set.body.inbox, /^inbox\/[0-9a-f-]{36}\/nightly$/);
  const link = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = new ApiClient(server.url);
  await viewer.signup('viewer@example.com');
  await viewer.post('/api/shares/accept', { token: link.token });
  const seen = await viewer.get(`/api/workspaces/${ws.id}/schedule`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.cron, '*/5 * * * *');
  assert.equal('inbox' in seen.body, false);
  // A firing that found no file says where it looked: to those who may change the schedule.
  const lastError = { code: 'schedule_failed', message: `no file for upload cell "sales" in ${set.body.inbox}/` };
  await server.services.sql`update schedules set last_error = ${JSON.stringify(lastError)}::jsonb where workspace_id = ${ws.id}`;
  assert.deepEqual((await owner.get(`/api/workspaces/${ws.id}/schedule`)).body.lastError, lastError);
  const viewed = [(await viewer.get(`/api/workspaces/${ws.id}/schedule`)).body, (await viewer.get('/api/schedules')).body.find((s: any) => s.workspaceId === ws.id)];
  for (const body of viewed) {
    assert.ok(!JSON.stringify(body).includes(set.body.inbox), JSON.stringify(body));
    assert.equal(body.lastError.message, 'no file for upload cell "sales" in the schedule\'s inbox/');
  }
});

test('an account may hold 20 event streams open; the next is 429 until one closes', async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Streams' })).body;
  const open: EventStream[] = [];
  for (let i = 0; i < 20; i++) open.push(owner.events(ws.id));
  await Promise.all(open.map((s) => s.ready));
  assert.deepEqual(open.map((s) => s.status), Array(20).fill(200));
  const over = await fetch(`${server.url}/api/workspaces/${ws.id}/events`, { headers: owner.headers() });
  assert.equal(over.status, 429);
  const body = await over.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'too_many_streams');
  assert.match(body.error.message, /20 event streams open/);
  // Another account is not held back by this one.
  const other = new ApiClient(server.url);
  await other.signup('other@example.com');
  const theirs = other.events((await other.post('/api/workspaces', { title: 'Theirs' })).body.id);
  await theirs.ready;
  assert.equal(theirs.status, 200);
  theirs.close();
  open.pop()!.close();
  // The server notices the closed connection within moments.
  const again = await eventually(async () => {
    const stream = owner.events(ws.id);
    await stream.ready;
    if (stream.status === 200) return stream;
    stream.close();
  }, 'a stream is still refused after one was closed', { timeoutMs: 5000 });
  for (const s of [...open, again]) s.close();
});

test('an error message never spells out a server folder', async () => {
  const app = createApp(server.services);
  const file = `${server.dataDir}/tmp/upload-1234`;
  app.get('/boom', () => { throw new ApiError(400, 'upload_interrupted', `the upload did not complete: ENOENT: no such file or directory, open '${file}'`); });
  const res = await app.request('/boom');
  assert.equal(res.status, 400);
  const { error } = await res.json() as { error: { message: string } };
  assert.equal(error.message, "the upload did not complete: ENOENT: no such file or directory, open 'DATA_DIR/tmp/upload-1234'");
});
