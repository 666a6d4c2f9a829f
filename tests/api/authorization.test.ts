import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let owner: ApiClient;
let stranger: ApiClient;
let ws: { id: string };
let cell: { id: string };

before(async () => {
  server = await startTestServer();
  owner = new ApiClient(server.url);
  stranger = new ApiClient(server.url);
  await owner.signup('owner@example.com');
  await stranger.signup('stranger@example.com');
  ws = (await owner.post('/api/workspaces', { title: 'Private' })).body;
  cell = (await owner.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' })).body;
});
after(async () => { await server?.stop(); });

const routes = () => [
  ['GET', `/api/workspaces/${ws.id}`],
  ['PATCH', `/api/workspaces/${ws.id}`, { title: 'mine now' }],
  ['DELETE', `/api/workspaces/${ws.id}`],
  ['POST', `/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'p', config: 'input: sales' }],
  ['PATCH', `/api/workspaces/${ws.id}/cells/${cell.id}`, { config: '' }],
  ['DELETE', `/api/workspaces/${ws.id}/cells/${cell.id}`],
  ['GET', `/api/workspaces/${ws.id}/cells/${cell.id}/result`],
  ['GET', `/api/workspaces/${ws.id}/cells/${cell.id}/suggested-rules`],
  ['POST', `/api/workspaces/${ws.id}/cells/${cell.id}/upload`, {}],
  ['POST', `/api/workspaces/${ws.id}/run`, {}],
  ['GET', `/api/workspaces/${ws.id}/events`],
] as Array<[string, string, unknown?]>;

test('without a session every workspace route answers 401', async () => {
  const anon = new ApiClient(server.url);
  for (const [method, path, body] of routes()) {
    const res = await anon.request(method, path, body);
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.body.error.code, 'unauthenticated');
  }
  assert.equal((await anon.get('/api/workspaces')).status, 401);
});

test("someone else's workspace answers 404 on every route, and nothing changes", async () => {
  for (const [method, path, body] of routes()) {
    const res = await stranger.request(method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
  }
  const still = await owner.get(`/api/workspaces/${ws.id}`);
  assert.equal(still.status, 200);
  assert.equal(still.body.title, 'Private');
  assert.equal(still.body.cells.length, 1);
  assert.deepEqual((await stranger.get('/api/workspaces')).body, []);
});

test("a cell id from another workspace does not open it through one's own workspace", async () => {
  const mine = (await stranger.post('/api/workspaces', { title: 'Mine' })).body;
  const res = await stranger.get(`/api/workspaces/${mine.id}/cells/${cell.id}/result`);
  assert.equal(res.status, 404);
  const patch = await stranger.patch(`/api/workspaces/${mine.id}/cells/${cell.id}`, { config: 'x: 1' });
  assert.equal(patch.status, 404);
});

test('ids that are not UUIDs answer 404, not 500', async () => {
  assert.equal((await owner.get('/api/workspaces/not-a-uuid')).status, 404);
  assert.equal((await owner.get(`/api/workspaces/${ws.id}/cells/123/result`)).status, 404);
});
