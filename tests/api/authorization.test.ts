// Who may do what, route by route: every route of the app has a row, for every kind of
// caller (owner, editor and viewer by link, editor and viewer by email, another user, a
// revoked link's holder, an expired link's holder, anonymous). A route added without a
// row fails the first test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp, WEB_DIST } from '../../server/app.ts';
import { ApiClient } from '../support/client.ts';
import { rerun } from '../support/runs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'correct horse battery';
type Who = 'owner' | 'linkEditor' | 'linkViewer' | 'emailEditor' | 'emailViewer' | 'stranger' | 'revokedLink' | 'expiredLink' | 'anonymous';
const EVERYONE: Who[] = ['owner', 'linkEditor', 'linkViewer', 'emailEditor', 'emailViewer', 'stranger', 'revokedLink', 'expiredLink', 'anonymous'];
const ROLE: Record<Who, 'owner' | 'edit' | 'view' | null> = {
  owner: 'owner', linkEditor: 'edit', emailEditor: 'edit', linkViewer: 'view', emailViewer: 'view',
  stranger: null, revokedLink: null, expiredLink: null, anonymous: null,
};
const RANK = { view: 1, edit: 2, owner: 3 } as const;

/** public: anyone; user: anyone signed in; self: the owner's own account resource; the rest: a role on the workspace. */
type Level = 'public' | 'user' | 'self' | 'view' | 'edit' | 'share' | 'owner';

interface Fixture {
  ws: string; upload: string; profile: string; run: string; spareShare: string; spareToken: string; spareMember: string; ownerToken: string;
}
type Res = { status: number; body: any };
interface Row {
  level: Level;
  send: (c: ApiClient, fx: Fixture, who: Who) => Promise<Res>;
  /** An allowed call may answer this instead of 2xx (a profile not run yet: 409). */
  okStatus?: number;
  /** The call changes the fixture when allowed: each allowed caller gets a fresh one (true), or the row one of its own ('row'). */
  changes?: boolean | 'row';
}

let server: TestServer;
const clients = new Map<Who, ApiClient>();
const emails = new Map<Who, string>();
let shared: Fixture;
let counter = 0;

async function login(email: string): Promise<ApiClient> {
  const c = new ApiClient(server.url);
  const res = await c.post('/api/auth/login', { email, password: PASSWORD });
  assert.equal(res.status, 200, `login ${email}`);
  return c;
}

/** A copy of the caller's client, so a Set-Cookie in the answer does not change who they are. */
function as(who: Who): ApiClient {
  const c = new ApiClient(server.url);
  c.cookie = clients.get(who)!.cookie;
  return c;
}

function must(res: Res, status: number, what: string) {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A workspace of the owner's with two cells, and every kind of share in place. */
async function fixture(): Promise<Fixture> {
  const owner = as('owner');
  const ws = must(await owner.post('/api/workspaces', { title: 'Private' }), 201, 'workspace').id as string;
  const upload = must(await owner.post(`/api/workspaces/${ws}/cells`, { kind: 'upload', name: 'sales', config: '' }), 201, 'cell').id;
  const profile = must(await owner.post(`/api/workspaces/${ws}/cells`, { kind: 'profile', name: 'p', config: 'input: sales' }), 201, 'cell').id;
  const link = async (role: string, holder?: Who) => {
    const share = must(await owner.post(`/api/workspaces/${ws}/shares`, { role, label: holder ?? 'spare' }), 201, 'share');
    if (holder) must(await as(holder).post('/api/shares/accept', { token: share.token }), 200, 'accept');
    return share as { id: string; token: string };
  };
  const [, , revoked, expired, spare] = await Promise.all([link('edit', 'linkEditor'), link('view', 'linkViewer'), link('view', 'revokedLink'), link('edit', 'expiredLink'), link('view')]);
  const [, , , , spareMember, ownerToken] = await Promise.all([
    owner.delete(`/api/workspaces/${ws}/shares/${revoked.id}`).then((r) => must(r, 200, 'revoke')),
    server.services.sql`update shares set expires_at = now() - interval '1 second' where id = ${expired.id}`,
    owner.post(`/api/workspaces/${ws}/members`, { email: emails.get('emailEditor'), role: 'edit' }).then((r) => must(r, 201, 'member')),
    owner.post(`/api/workspaces/${ws}/members`, { email: emails.get('emailViewer'), role: 'view' }).then((r) => must(r, 201, 'member')),
    owner.post(`/api/workspaces/${ws}/members`, { email: `later${counter++}@example.com`, role: 'view' }).then((r) => must(r, 201, 'member').id as string),
    owner.post('/api/tokens', { name: 'script' }).then((r) => must(r, 201, 'token').id as string),
  ]);
  const run = must(await owner.get(`/api/workspaces/${ws}/runs`), 200, 'runs')[0].id as string;
  return { ws, upload, profile, run, spareShare: spare.id, spareToken: spare.token, spareMember, ownerToken };
}

/** What the owner sees of the fixture: it must be the same after a refused call. */
async function snapshot(fx: Fixture) {
  const owner = as('owner');
  const [ws, shares, members, tokens] = (await Promise.all([
    owner.get(`/api/workspaces/${fx.ws}`), owner.get(`/api/workspaces/${fx.ws}/shares`), owner.get(`/api/workspaces/${fx.ws}/members`), owner.get('/api/tokens'),
  ])).map((r) => r.body);
  return { version: ws.version, title: ws.title, cells: ws.cells?.map((c: any) => [c.id, c.name, c.config, c.file]), shares, members, tokens };
}

/** The status of an SSE stream's answer; the stream itself is dropped at once. */
async function sseStatus(c: ApiClient, url: string): Promise<Res> {
  const abort = new AbortController();
  const res = await fetch(server.url + url, { headers: c.headers(), signal: abort.signal });
  const body = res.ok ? null : await res.json();
  abort.abort();
  return { status: res.status, body };
}

async function page(url: string): Promise<Res> {
  const res = await fetch(server.url + url);
  return { status: res.status, body: await res.text() };
}

const W = (fx: Fixture) => `/api/workspaces/${fx.ws}`;
const rows: Record<string, Row> = {
  'GET /api/health': { level: 'public', send: (c) => c.get('/api/health') },
  'GET /api/ready': { level: 'public', send: (c) => c.get('/api/ready') },
  'GET /api/auth/options': { level: 'public', send: (c) => c.get('/api/auth/options') },
  'POST /api/auth/signup': { level: 'public', send: (c) => c.post('/api/auth/signup', { email: `new${counter++}@example.com`, password: PASSWORD }) },
  'POST /api/auth/login': { level: 'public', send: (c) => c.post('/api/auth/login', { email: 'spare@example.com', password: PASSWORD }) },
  // A second session of the caller's, so ending it leaves their first one alone.
  'POST /api/auth/logout': {
    level: 'public',
    send: async (c, _fx, who) => {
      if (who !== 'anonymous') c.cookie = (await login(emails.get(who)!)).cookie;
      return c.post('/api/auth/logout');
    },
  },
  'GET /api/me': { level: 'user', send: (c) => c.get('/api/me') },
  'GET /api/session': { level: 'public', send: (c) => c.get('/api/session') },
  // A new password too short: refused after the caller is known, before anything changes (the change itself: accounts.test.ts).
  'POST /api/auth/password': { level: 'user', okStatus: 400, send: (c) => c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }) },
  'GET /api/tokens': { level: 'user', send: (c) => c.get('/api/tokens') },
  'POST /api/tokens': { level: 'user', send: (c) => c.post('/api/tokens', { name: 'x' }) },
  'DELETE /api/tokens/:tokenId': { level: 'self', changes: true, send: (c, fx) => c.delete(`/api/tokens/${fx.ownerToken}`) },
  'GET /api/kinds': { level: 'public', send: (c) => c.get('/api/kinds') },
  'GET /api/openapi.json': { level: 'public', send: (c) => c.get('/api/openapi.json') },
  'GET /api/workspaces': { level: 'user', send: (c) => c.get('/api/workspaces') },
  'POST /api/workspaces': { level: 'user', send: (c) => c.post('/api/workspaces', { title: 'Mine' }) },
  'GET /api/workspaces/:id': { level: 'view', send: (c, fx) => c.get(W(fx)) },
  'PATCH /api/workspaces/:id': { level: 'edit', changes: true, send: (c, fx) => c.patch(W(fx), { title: 'Taken over' }) },
  'DELETE /api/workspaces/:id': { level: 'owner', changes: true, send: (c, fx) => c.delete(W(fx)) },
  'POST /api/workspaces/:id/run': { level: 'edit', changes: true, send: (c, fx) => c.post(`${W(fx)}/run`) },
  'POST /api/workspaces/:id/cells': { level: 'edit', changes: true, send: (c, fx) => c.post(`${W(fx)}/cells`, { kind: 'profile', name: 'p2', config: 'input: sales' }) },
  'PATCH /api/workspaces/:id/cells/:cellId': { level: 'edit', changes: true, send: (c, fx) => c.patch(`${W(fx)}/cells/${fx.profile}`, { config: 'input: sales\n# edited' }) },
  'DELETE /api/workspaces/:id/cells/:cellId': { level: 'edit', changes: true, send: (c, fx) => c.delete(`${W(fx)}/cells/${fx.profile}`) },
  // Deleted first, by the same caller: only those who may delete may bring it back.
  'POST /api/workspaces/:id/cells/:cellId/restore': {
    level: 'edit', changes: true,
    send: async (c, fx) => { await c.delete(`${W(fx)}/cells/${fx.profile}`); return c.post(`${W(fx)}/cells/${fx.profile}/restore`); },
  },
  'GET /api/workspaces/:id/cells/:cellId/result': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/result`) },
  // The upload cell has no file: no table yet (409) for those who may look.
  'GET /api/workspaces/:id/cells/:cellId/rows': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.upload}/rows`) },
  'GET /api/workspaces/:id/cells/:cellId/suggested-rules': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/suggested-rules`) },
  'GET /api/workspaces/:id/cells/:cellId/suggestions': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/suggestions`) },
  'GET /api/workspaces/:id/cells/:cellId/profile.json': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/profile.json`) },
  'GET /api/workspaces/:id/cells/:cellId/profile.html': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/profile.html`) },
  // Of a rule cell only: asked of the profile, refused (400) once the caller may view.
  'GET /api/workspaces/:id/cells/:cellId/failing-rows.csv': { level: 'view', okStatus: 400, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/failing-rows.csv?rule=1`) },
  // A profile has no code to show: refused (400) only once the caller may view.
  'GET /api/workspaces/:id/cells/:cellId/code': { level: 'view', okStatus: 400, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.profile}/code`) },
  // The upload has no file yet, so no table: 409 once the caller may view.
  'GET /api/workspaces/:id/cells/:cellId/table.parquet': { level: 'view', okStatus: 409, send: (c, fx) => c.get(`${W(fx)}/cells/${fx.upload}/table.parquet`) },
  'POST /api/workspaces/:id/cells/:cellId/upload': { level: 'edit', changes: true, send: (c, fx) => c.upload(`${W(fx)}/cells/${fx.upload}/upload`, 'a,b\n1,2\n', 'x.csv') },
  'GET /api/workspaces/:id/events': { level: 'view', send: (c, fx) => sseStatus(c, `${W(fx)}/events`) },
  'POST /api/workspaces/:id/shares': { level: 'share', changes: true, send: (c, fx) => c.post(`${W(fx)}/shares`, { role: 'edit' }) },
  'GET /api/workspaces/:id/shares': { level: 'share', send: (c, fx) => c.get(`${W(fx)}/shares`) },
  'DELETE /api/workspaces/:id/shares/:shareId': { level: 'share', changes: true, send: (c, fx) => c.delete(`${W(fx)}/shares/${fx.spareShare}`) },
  'GET /api/workspaces/:id/members': { level: 'share', send: (c, fx) => c.get(`${W(fx)}/members`) },
  'POST /api/workspaces/:id/members': { level: 'share', changes: true, send: (c, fx) => c.post(`${W(fx)}/members`, { email: 'friend@example.com', role: 'edit' }) },
  'DELETE /api/workspaces/:id/members/:memberId': { level: 'share', changes: true, send: (c, fx) => c.delete(`${W(fx)}/members/${fx.spareMember}`) },
  'GET /api/workspaces/:id/audit': { level: 'owner', send: (c, fx) => c.get(`${W(fx)}/audit`) },
  'POST /api/workspaces/:id/runs': { level: 'edit', changes: true, send: (c, fx) => rerun(c, fx.ws, { sales: ['new.csv', 'a,b\n1,2\n'] }) },
  'GET /api/workspaces/:id/runs': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/runs`) },
  'GET /api/runs/:runId': { level: 'view', send: (c, fx) => c.get(`/api/runs/${fx.run}`) },
  'GET /api/runs/:runId/report': { level: 'view', send: (c, fx) => c.get(`/api/runs/${fx.run}/report`) },
  'GET /api/workspaces/:id/compare': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/compare?a=${fx.run}&b=${fx.run}`) },
  'GET /api/workspaces/:id/ledger': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/ledger`) },
  'GET /api/workspaces/:id/export': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/export`) },
  'POST /api/workspaces/import': { level: 'user', send: (c) => c.post('/api/workspaces/import', { yaml: 'title: Imported\ncells: []\n' }) },
  // A copy is the caller's own workspace: reading the original is enough.
  'POST /api/workspaces/:id/duplicate': { level: 'view', send: (c, fx) => c.post(`${W(fx)}/duplicate`, { title: 'Copy' }) },
  'POST /api/workspaces/:id/schema-lock': { level: 'edit', changes: true, send: (c, fx) => c.post(`${W(fx)}/schema-lock`, { locked: false }) },
  'GET /api/workspaces/:id/schedule': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/schedule`) },
  'PUT /api/workspaces/:id/schedule': { level: 'edit', changes: true, send: (c, fx) => c.put(`${W(fx)}/schedule`, { cron: '0 6 * * *', folder: 'sales' }) },
  'DELETE /api/workspaces/:id/schedule': { level: 'edit', changes: true, send: (c, fx) => c.delete(`${W(fx)}/schedule`) },
  'GET /api/workspaces/:id/presentation': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/presentation`) },
  'POST /api/workspaces/:id/presentation/values': { level: 'view', send: (c, fx) => c.post(`${W(fx)}/presentation/values`, { params: {} }) },
  'DELETE /api/workspaces/:id/presentation/values': { level: 'view', send: (c, fx) => c.delete(`${W(fx)}/presentation/values`) },
  'GET /api/schedules': { level: 'user', send: (c) => c.get('/api/schedules') },
  'GET /api/workspaces/:id/delivery': { level: 'view', send: (c, fx) => c.get(`${W(fx)}/delivery`) },
  // Each person's own choice: anyone who may read the workspace sets theirs.
  'PUT /api/workspaces/:id/delivery/email': { level: 'view', send: (c, fx) => c.put(`${W(fx)}/delivery/email`, { email: 'on_fail' }) },
  'PUT /api/workspaces/:id/delivery/webhook': { level: 'owner', changes: true, send: (c, fx) => c.put(`${W(fx)}/delivery/webhook`, { url: 'https://hooks.example.com/T0/B0/x', when: 'always' }) },
  'DELETE /api/workspaces/:id/delivery/webhook': { level: 'owner', changes: true, send: (c, fx) => c.delete(`${W(fx)}/delivery/webhook`) },
  'GET /api/runs/:runId/deliveries': { level: 'view', send: (c, fx) => c.get(`/api/runs/${fx.run}/deliveries`) },
  'POST /api/runs/:runId/deliveries': { level: 'edit', send: (c, fx) => c.post(`/api/runs/${fx.run}/deliveries`) },
  'POST /api/shares/preview': { level: 'public', send: (c, fx) => c.post('/api/shares/preview', { token: fx.spareToken }) },
  'POST /api/shares/accept': { level: 'user', changes: 'row', send: (c, fx) => c.post('/api/shares/accept', { token: fx.spareToken }) },
  'GET /': { level: 'public', send: () => page('/') },
  'GET /login': { level: 'public', send: () => page('/login') },
  'GET /settings': { level: 'public', send: () => page('/settings') },
  'GET /w/:id': { level: 'public', send: (_c, fx) => page(`/w/${fx.ws}`) },
  'GET /w/:id/runs': { level: 'public', send: (_c, fx) => page(`/w/${fx.ws}/runs`) },
  'GET /w/:id/runs/:runId': { level: 'public', send: (_c, fx) => page(`/w/${fx.ws}/runs/${fx.run}`) },
  'GET /w/:id/compare': { level: 'public', send: (_c, fx) => page(`/w/${fx.ws}/compare`) },
  'GET /w/:id/present': { level: 'public', send: (_c, fx) => page(`/w/${fx.ws}/present`) },
  'GET /s/:token': { level: 'public', send: (_c, fx) => page(`/s/${fx.spareToken}`) },
  'GET /favicon.ico': { level: 'public', send: () => page('/favicon.ico') },
};

/** What a caller must get: 'ok', or the refusal's status. */
function expected(level: Level, who: Who): 'ok' | number {
  if (level === 'public') return 'ok';
  if (who === 'anonymous') return 401;
  if (level === 'user') return 'ok';
  if (level === 'self') return who === 'owner' ? 'ok' : 404;
  const role = ROLE[who];
  if (!role) return 404;
  if (level === 'share') return role === 'owner' ? 'ok' : 403;
  return RANK[role] >= RANK[level] ? 'ok' : 403;
}

before(async () => {
  server = await startTestServer();
  clients.set('anonymous', new ApiClient(server.url));
  await Promise.all([...EVERYONE.filter((who) => who !== 'anonymous').map(async (who) => {
    const c = new ApiClient(server.url);
    emails.set(who, `${who.toLowerCase()}@example.com`);
    await c.signup(emails.get(who)!, PASSWORD);
    clients.set(who, c);
  }), new ApiClient(server.url).signup('spare@example.com', PASSWORD)]);
  shared = await fixture();
});
after(async () => { await server?.stop(); });

describe('the authorization matrix', () => {
  test('every route of the app has a row', () => {
    const routes = createApp(server.services).routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    const missing = routes.filter((r) => !(r in rows));
    assert.deepEqual(missing, [], 'routes without a row in the authorization matrix');
    const stale = Object.keys(rows).filter((r) => !routes.includes(r));
    assert.deepEqual(stale, [], 'rows for routes that no longer exist');
  });

  // Refused calls first, all on the shared fixture, which must come out unchanged; then the
  // allowed ones, each on a fixture of its own when the call changes it.
  for (const [route, row] of Object.entries(rows)) {
    test(route, async () => {
      const check = (who: Who, res: Res) => {
        const want = expected(row.level, who);
        const what = `${route} as ${who}: ${res.status} ${typeof res.body === 'string' ? '' : JSON.stringify(res.body)}`;
        if (want === 'ok') {
          assert.ok((res.status >= 200 && res.status < 300) || res.status === row.okStatus, what);
        } else {
          assert.equal(res.status, want, what);
          assert.equal(res.body.error.code, want === 401 ? 'unauthenticated' : want === 403 ? 'forbidden' : 'not_found', what);
        }
      };
      const refused = EVERYONE.filter((who) => expected(row.level, who) !== 'ok');
      const before = refused.length && !route.startsWith('GET') ? await snapshot(shared) : null;
      await Promise.all(refused.map(async (who) => check(who, await row.send(as(who), shared, who))));
      if (before) assert.deepEqual(await snapshot(shared), before, `a refused ${route} changed something`);
      const allowed = EVERYONE.filter((who) => expected(row.level, who) === 'ok');
      const common = row.changes === 'row' ? await fixture() : shared;
      await Promise.all(allowed.map(async (who) => check(who, await row.send(as(who), row.changes === true ? await fixture() : common, who))));
    });
  }
});

describe('sharing', () => {
  test('the list holds my workspaces and those shared with me, each with my role and the owner', async () => {
    const list = async (who: Who) => ((await as(who).get('/api/workspaces')).body as any[]).find((w) => w.id === shared.ws);
    assert.equal((await list('owner')).role, 'owner');
    for (const who of ['linkEditor', 'emailEditor'] as Who[]) assert.equal((await list(who)).role, 'edit', who);
    for (const who of ['linkViewer', 'emailViewer'] as Who[]) {
      const entry = await list(who);
      assert.equal(entry.role, 'view', who);
      assert.deepEqual(entry.owner, { email: 'owner@example.com' });
    }
    for (const who of ['stranger', 'revokedLink', 'expiredLink'] as Who[]) assert.equal(await list(who), undefined, who);
    const seen = (await as('linkViewer').get(`/api/workspaces/${shared.ws}`)).body;
    assert.equal(seen.role, 'view');
    assert.equal(seen.canEdit, false);
    assert.equal(seen.canShare, false);
    const mine = (await as('owner').get(`/api/workspaces/${shared.ws}`)).body;
    assert.deepEqual([mine.role, mine.canShare, mine.canDelete], ['owner', true, true]);
  });

  test('a link is a long random token stored only as its hash, and its URL opens /s/:token', async () => {
    const fx = await fixture();
    const res = await as('owner').post(`/api/workspaces/${fx.ws}/shares`, { role: 'view', label: 'for the team' });
    assert.equal(res.status, 201);
    assert.ok(res.body.token.length >= 40);
    assert.equal(res.body.url, `${server.url}/s/${res.body.token}`);
    const rows = await server.services.sql`select token_hash from shares where id = ${res.body.id}`;
    assert.notEqual(rows[0]!.token_hash, res.body.token);
    assert.ok(!JSON.stringify((await as('owner').get(`/api/workspaces/${fx.ws}/shares`)).body).includes(res.body.token));
    const preview = await new ApiClient(server.url).post('/api/shares/preview', { token: res.body.token });
    assert.deepEqual([preview.body.workspace.title, preview.body.role, preview.body.owner.email], ['Private', 'view', 'owner@example.com']);
  });

  test('revoked and expired links say so and grant nothing; bad share requests name their field', async () => {
    const fx = await fixture();
    const owner = as('owner');
    const link = (await owner.post(`/api/workspaces/${fx.ws}/shares`, { role: 'edit' })).body;
    await owner.delete(`/api/workspaces/${fx.ws}/shares/${link.id}`);
    const late = await as('stranger').post('/api/shares/accept', { token: link.token });
    assert.equal(late.status, 410);
    assert.equal(late.body.error.code, 'link_revoked');
    assert.equal((await as('stranger').get(`/api/workspaces/${fx.ws}`)).status, 404);
    assert.equal((await as('stranger').post('/api/shares/accept', { token: 'assay_s_made-up' })).status, 404);
    for (const [body, field] of [[{ role: 'admin' }, 'role'], [{ role: 'view', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
      [{ role: 'view', expiresAt: 'soon' }, 'expiresAt'], [{ role: 'view', label: 'x'.repeat(101) }, 'label']] as const) {
      const res = await owner.post(`/api/workspaces/${fx.ws}/shares`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.field, field);
    }
    const bad = await owner.post(`/api/workspaces/${fx.ws}/members`, { email: 'owner@example.com', role: 'view' });
    assert.equal(bad.status, 400);
  });

  test('a link that expires stops working when it expires', async () => {
    const fx = await fixture();
    const soon = new Date(Date.now() + 1500).toISOString();
    const link = (await as('owner').post(`/api/workspaces/${fx.ws}/shares`, { role: 'view', expiresAt: soon })).body;
    assert.equal((await as('stranger').post('/api/shares/accept', { token: link.token })).status, 200);
    assert.equal((await as('stranger').get(`/api/workspaces/${fx.ws}`)).status, 200);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 50));
    assert.equal((await as('stranger').get(`/api/workspaces/${fx.ws}`)).status, 404);
  });

  test('ids of shares and members from another workspace do nothing through mine', async () => {
    const fx = await fixture();
    const mine = (await as('stranger').post('/api/workspaces', { title: 'Mine' })).body;
    assert.equal((await as('stranger').delete(`/api/workspaces/${mine.id}/shares/${fx.spareShare}`)).status, 404);
    assert.equal((await as('stranger').delete(`/api/workspaces/${mine.id}/members/${fx.spareMember}`)).status, 404);
    assert.equal((await as('stranger').get(`/api/workspaces/${mine.id}/cells/${fx.profile}/result`)).status, 404);
    const shares = (await as('owner').get(`/api/workspaces/${fx.ws}/shares`)).body as any[];
    assert.equal(shares.find((s) => s.id === fx.spareShare).state, 'live');
  });

  test('the owner may let editors share; editors still cannot delete, read the audit or change that switch', async () => {
    const fx = await fixture();
    const editor = as('linkEditor');
    assert.equal((await editor.patch(`/api/workspaces/${fx.ws}`, { editorsCanShare: true })).status, 403);
    const before = (await editor.get(`/api/workspaces/${fx.ws}`)).body.version;
    assert.equal((await as('owner').patch(`/api/workspaces/${fx.ws}`, { editorsCanShare: true })).status, 200);
    // Not a change to the notebook: an editor's save made on the version they saw still lands.
    assert.equal((await editor.patch(`/api/workspaces/${fx.ws}/cells/${fx.profile}`, { config: 'input: sales\n# mine', version: before })).status, 200);
    assert.equal((await editor.get(`/api/workspaces/${fx.ws}`)).body.canShare, true);
    assert.equal((await editor.post(`/api/workspaces/${fx.ws}/shares`, { role: 'view' })).status, 201);
    assert.equal((await editor.get(`/api/workspaces/${fx.ws}/audit`)).status, 403);
    assert.equal((await editor.delete(`/api/workspaces/${fx.ws}`)).status, 403);
    assert.equal((await as('linkViewer').post(`/api/workspaces/${fx.ws}/shares`, { role: 'edit' })).status, 403);
  });

  test("revoking a link ends its holder's open event stream at once", async () => {
    const fx = await fixture();
    const link = (await as('owner').post(`/api/workspaces/${fx.ws}/shares`, { role: 'view' })).body;
    await as('stranger').post('/api/shares/accept', { token: link.token });
    const stream = as('stranger').events(fx.ws);
    await stream.ready;
    assert.equal(stream.status, 200);
    await as('owner').delete(`/api/workspaces/${fx.ws}/shares/${link.id}`);
    const ended = await stream.waitFor((e) => e.event === 'access.ended', 10_000);
    assert.equal(ended.data.reason, 'access');
    // The change of access itself is not sent to them: a page refetches on it, and the
    // refetch's 404 would replace "your access ended" with "this workspace was deleted".
    assert.deepEqual(stream.received.filter((e) => e.event === 'workspace.changed' && e.data.reason === 'access'), []);
    stream.close();
  });

  test('the audit trail says who created, edited, ran, shared and revoked', async () => {
    const fx = await fixture();
    await as('linkEditor').patch(`/api/workspaces/${fx.ws}/cells/${fx.profile}`, { config: 'input: sales\n' });
    await as('emailEditor').post(`/api/workspaces/${fx.ws}/run`);
    const trail = (await as('owner').get(`/api/workspaces/${fx.ws}/audit`)).body as { action: string; actor: string }[];
    const lines = new Set(trail.map((t) => `${t.actor} ${t.action}`));
    for (const line of ['owner@example.com workspace.created', 'owner@example.com cell.created', 'owner@example.com link.created',
      'owner@example.com link.revoked', 'owner@example.com member.added', 'linkeditor@example.com link.opened',
      'linkeditor@example.com cell.edited', 'emaileditor@example.com workspace.ran']) {
      assert.ok(lines.has(line), `the trail lacks "${line}": ${[...lines].join(', ')}`);
    }
  });
});

describe('protections', () => {
  test('every write from another site is refused and changes nothing', async () => {
    const routes = createApp(server.services).routes.filter((r) => !['ALL', 'GET'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
    for (const route of routes) {
      const before = await snapshot(shared);
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
        const c = as('owner');
        const original = c.headers.bind(c);
        c.headers = (extra = {}) => original({ ...extra, ...headers });
        const res = await rows[route]!.send(c, shared, 'owner');
        assert.equal(res.status, 403, `${route} with ${JSON.stringify(headers)}`);
        assert.equal(res.body.error.code, 'cross_origin');
      }
      assert.deepEqual(await snapshot(shared), before, route);
    }
  });

  test('every cookie write with neither Origin nor Sec-Fetch-Site must carry X-Assay-Client', async () => {
    const routes = createApp(server.services).routes.filter((r) => !['ALL', 'GET'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
    for (const route of routes) {
      const before = await snapshot(shared);
      const c = as('owner');
      const original = c.headers.bind(c);
      // What a form posted from another site by an old browser would send: the cookie, nothing else.
      c.headers = (extra = {}) => {
        const h = original(extra);
        delete h['x-assay-client'];
        return h;
      };
      const res = await rows[route]!.send(c, shared, 'owner');
      assert.equal(res.status, 403, route);
      assert.equal(res.body.error.code, 'cross_origin', route);
      assert.deepEqual(await snapshot(shared), before, route);
    }
  });

  test('pages and answers carry the security headers', async () => {
    for (const url of ['/', `/s/${shared.spareToken}`, '/api/health']) {
      const res = await fetch(server.url + url);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', url);
    }
    // The built page has no inline script for that policy to block.
    const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test("an upload's file name is a label, never a path", async () => {
    const fx = await fixture();
    const target = path.join(server.dataDir, 'escaped.csv');
    const res = await as('owner').upload(`/api/workspaces/${fx.ws}/cells/${fx.upload}/upload`, 'a\n1\n', `../../${path.basename(server.dataDir)}/escaped.csv`);
    assert.equal(res.status, 201);
    assert.equal(res.body.file.name, 'escaped.csv');
    assert.ok(!fs.existsSync(target));
    assert.ok(fs.existsSync(path.join(server.dataDir, 'files', res.body.file.sha256.slice(0, 2), `${res.body.file.sha256}.csv`)));
  });

  test('a body above the limit is refused with 413 before it is read', async () => {
    const res = await as('owner').post('/api/workspaces', { title: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'too_large');
  });
});
