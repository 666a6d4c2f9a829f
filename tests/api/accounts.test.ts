// Signup modes, login and signup rate limits, password change. Each test poses as its own
// client address (X-Forwarded-For, trusted here), so their limits do not mix.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'correct horse battery';
let server: TestServer;
let owner: ApiClient;
let address = 0;

/** A client whose requests come from an address of its own. */
function client(): ApiClient {
  const c = new ApiClient(server.url);
  const from = `10.0.0.${++address}`;
  const original = c.headers.bind(c);
  c.headers = (extra = {}) => original({ 'x-forwarded-for': from, ...extra });
  return c;
}

before(async () => {
  server = await startTestServer({ signup: 'invite', loginsPerMinute: 3, signupsPerMinute: 4, trustProxy: true });
  owner = client();
  // The first account of a fresh install may always sign up, whatever the mode, and the page offers it.
  assert.deepEqual((await owner.get('/api/auth/options')).body, { signup: 'open' });
  await owner.signup('owner@example.com', PASSWORD);
});
after(async () => { await server?.stop(); });

test('with ASSAY_SIGNUP=invite only people invited by email or by a live share link may sign up', async () => {
  assert.deepEqual((await client().get('/api/auth/options')).body, { signup: 'invite' });
  const uninvited = await client().post('/api/auth/signup', { email: 'nobody@example.com', password: PASSWORD });
  assert.equal(uninvited.status, 403);
  assert.equal(uninvited.body.error.code, 'signup_closed');
  const ws = (await owner.post('/api/workspaces', { title: 'Team' })).body;
  await owner.post(`/api/workspaces/${ws.id}/members`, { email: 'colleague@example.com', role: 'edit' });
  const colleague = client();
  assert.equal((await colleague.post('/api/auth/signup', { email: 'Colleague@example.com', password: PASSWORD })).status, 201);
  // Shared by email before the account existed: it is in their list at once.
  const list = (await colleague.get('/api/workspaces')).body;
  assert.deepEqual(list.map((w: any) => [w.title, w.role]), [['Team', 'edit']]);

  const link = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  assert.equal((await client().post('/api/auth/signup', { email: 'guest@example.com', password: PASSWORD, invite: link.token })).status, 201);
  await owner.delete(`/api/workspaces/${ws.id}/shares/${link.id}`);
  assert.equal((await client().post('/api/auth/signup', { email: 'late@example.com', password: PASSWORD, invite: link.token })).status, 403);

  server.services.config.signup = 'off';
  try {
    const off = await client().post('/api/auth/signup', { email: 'friend@example.com', password: PASSWORD });
    assert.equal(off.status, 403);
    assert.match(off.body.error.message, /switched off/);
  } finally {
    server.services.config.signup = 'invite';
  }
});

test('logins are limited per address and account: 429 with Retry-After, even for the right password', async () => {
  const c = client();
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await c.post('/api/auth/login', { email: 'owner@example.com', password: 'wrong password' })).status);
  assert.deepEqual(statuses, [401, 401, 401]);
  const blocked = await c.request('POST', '/api/auth/login', { email: 'owner@example.com', password: PASSWORD });
  assert.equal(blocked.status, 429);
  assert.equal(blocked.body.error.code, 'rate_limited');
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  // Another address is not held up by this one.
  assert.equal((await client().post('/api/auth/login', { email: 'owner@example.com', password: PASSWORD })).status, 200);
});

test('guesses at one account spread over many addresses meet a limit per account', async () => {
  const statuses: number[] = [];
  // Five times the per-address limit (3 here), each from an address of its own.
  for (let i = 0; i < 16; i++) statuses.push((await client().post('/api/auth/login', { email: 'spread@example.com', password: `guess ${i}` })).status);
  assert.deepEqual(statuses, [...Array(15).fill(401), 429]);
});

test('signups are limited per address', async () => {
  const c = client();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await c.post('/api/auth/signup', { email: `flood${i}@example.com`, password: PASSWORD })).status);
  assert.deepEqual(statuses, [403, 403, 403, 403, 429]);
});

test("behind a trusted proxy (ASSAY_TRUST_PROXY=1) its https and host make share URLs, HSTS and the origin check", async () => {
  const ws = (await owner.post('/api/workspaces', { title: 'Behind a proxy' })).body;
  const proxied = { 'x-forwarded-host': 'assay.example.org', 'x-forwarded-proto': 'https' };
  const link = await owner.request('POST', `/api/workspaces/${ws.id}/shares`, { role: 'view' }, proxied);
  assert.match(link.body.url, /^https:\/\/assay\.example\.org\/s\/assay_s_/);
  assert.equal(link.headers.get('strict-transport-security'), 'max-age=15552000; includeSubDomains');
  const plain = await owner.get('/api/me');
  assert.equal(plain.headers.get('strict-transport-security'), null, 'no HSTS when the browser came over plain HTTP');
  const fromProxyOrigin = await owner.request('PATCH', `/api/workspaces/${ws.id}`, { title: 'renamed' }, { ...proxied, origin: 'https://assay.example.org' });
  assert.equal(fromProxyOrigin.status, 200);
});

test('a password change needs the current password and ends every other session', async () => {
  const a = client();
  await a.post('/api/auth/login', { email: 'owner@example.com', password: PASSWORD });
  const b = client();
  await b.post('/api/auth/login', { email: 'owner@example.com', password: PASSWORD });
  const wrong = await a.post('/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.field, 'currentPassword');
  const short = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
  assert.equal(short.body.error.field, 'newPassword');
  assert.equal((await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' })).status, 200);
  assert.equal((await a.get('/api/me')).status, 200);
  assert.equal((await b.get('/api/me')).status, 401);
  assert.equal((await owner.get('/api/me')).status, 401);
  assert.equal((await client().post('/api/auth/login', { email: 'owner@example.com', password: 'a brand new password' })).status, 200);
});
