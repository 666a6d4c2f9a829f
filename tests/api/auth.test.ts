import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.stop(); });

describe('accounts and sessions', () => {
  test('health answers ok once the database is up', async () => {
    const res = await new ApiClient(server.url).get('/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
  });

  test('signup starts an HttpOnly, SameSite=Lax session; logout ends it', async () => {
    const client = new ApiClient(server.url);
    const res = await client.post('/api/auth/signup', { email: 'Ana@Example.com', password: 'long enough pw' });
    assert.equal(res.status, 201);
    assert.equal(res.body.email, 'ana@example.com');
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.equal((await client.get('/api/me')).body.email, 'ana@example.com');
    const stolen = client.cookie;
    assert.equal((await client.post('/api/auth/logout')).status, 200);
    // The old cookie is dead on the server, not just cleared in this browser.
    const replay = new ApiClient(server.url);
    replay.cookie = stolen;
    assert.equal((await replay.get('/api/me')).status, 401);
  });

  test('the session cookie is Secure when the browser came over https through a proxy', async () => {
    const c = new ApiClient(server.url);
    const res = await c.request('POST', '/api/auth/signup', { email: 'tls@example.com', password: 'long enough pw' }, { 'x-forwarded-proto': 'https' });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('set-cookie')!, /;\s*Secure/i);
    const plain = await new ApiClient(server.url).post('/api/auth/signup', { email: 'plain@example.com', password: 'long enough pw' });
    assert.doesNotMatch(plain.headers.get('set-cookie')!, /;\s*Secure/i);
  });

  test('login checks the password; wrong ones and unknown emails get the same answer', async () => {
    const a = new ApiClient(server.url);
    await a.signup('bo@example.com', 'bo password 1');
    const wrong = await new ApiClient(server.url).post('/api/auth/login', { email: 'bo@example.com', password: 'nope nope' });
    const unknown = await new ApiClient(server.url).post('/api/auth/login', { email: 'nobody@example.com', password: 'nope nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    const right = new ApiClient(server.url);
    assert.equal((await right.post('/api/auth/login', { email: 'BO@example.com', password: 'bo password 1' })).status, 200);
    assert.equal((await right.get('/api/me')).body.email, 'bo@example.com');
  });

  test('signup of a taken email tells no more than a login: its own password signs in, another gets login\'s answer', async () => {
    const c = new ApiClient(server.url);
    await c.signup('cy@example.com');
    const taken = await new ApiClient(server.url).post('/api/auth/signup', { email: 'cy@example.com', password: 'another password' });
    const badLogin = await new ApiClient(server.url).post('/api/auth/login', { email: 'nobody-here@example.com', password: 'another password' });
    assert.equal(taken.status, 401);
    assert.deepEqual(taken.body, badLogin.body, 'the same answer as a login with an unknown email');
    assert.equal(taken.headers.get('set-cookie'), null, 'no session');
    const again = new ApiClient(server.url);
    const own = await again.post('/api/auth/signup', { email: 'CY@example.com', password: 'correct horse battery' });
    assert.equal(own.status, 200, 'the account\'s own password signs in, as a login would');
    assert.equal((await again.get('/api/me')).body.email, 'cy@example.com');
    assert.equal((await server.services.sql`select count(*)::int as n from users where email = 'cy@example.com'`)[0]!.n, 1);
  });

  test('signup refuses a bad email and a short password with a named field', async () => {
    const bad = await new ApiClient(server.url).post('/api/auth/signup', { email: 'not-an-email', password: 'long enough pw' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'email');
    const short = await new ApiClient(server.url).post('/api/auth/signup', { email: 'dee@example.com', password: 'short' });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.field, 'password');
    const notJson = await fetch(`${server.url}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    assert.equal(notJson.status, 400);
    assert.equal((await notJson.json()).error.code, 'bad_request');
  });

  test('a personal API token works as Bearer until revoked, and is stored only as a hash', async () => {
    const owner = new ApiClient(server.url);
    await owner.signup('eve@example.com');
    const created = await owner.post('/api/tokens', { name: 'ci' });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^assay_/);
    const script = new ApiClient(server.url);
    script.bearer = created.body.token;
    assert.equal((await script.get('/api/me')).body.email, 'eve@example.com');
    const [row] = await server.services.sql`select token_hash from api_tokens where id = ${created.body.id}`;
    assert.notEqual(row!.token_hash, created.body.token);
    assert.ok(!JSON.stringify((await owner.get('/api/tokens')).body).includes(created.body.token));
    assert.equal((await owner.delete(`/api/tokens/${created.body.id}`)).status, 200);
    assert.equal((await script.get('/api/me')).status, 401);
  });

  test('a cross-site write is refused even with a valid session', async () => {
    const c = new ApiClient(server.url);
    await c.signup('fay@example.com');
    const res = await c.request('POST', '/api/workspaces', { title: 'x' }, { origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'cross_origin');
  });

  test('pages carry a Content-Security-Policy without inline scripts', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});
