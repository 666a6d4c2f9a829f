// Text the database cannot store, and YAML built to hang or blow up the parser (issue 19,
// findings 8 and 10): each is refused with 400 (or a cell error) naming the key, never a 500,
// and no query text reaches a client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let server: TestServer;
let api: ApiClient;
serveSignedUp('hostile-text@example.com', (s, a) => { server = s; api = a; });

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const noQueryText = (body: unknown) => assert.doesNotMatch(JSON.stringify(body), /Failed query|insert into|select |update "/i);

test('NUL and unpaired surrogates in titles, configs, share labels, token names and emails are refused with 400 naming the field', async () => {
  for (const bad of [NUL, LONE]) {
    const created = await api.post('/api/workspaces', { title: bad });
    assert.equal(created.status, 400, JSON.stringify(created.body));
    assert.equal(created.body.error.field, 'title');
    noQueryText(created.body);
  }
  const ws = (await api.post('/api/workspaces', { title: 'Fine' })).body;
  const cell = await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'p', config: `input: ${NUL}` });
  assert.equal(cell.status, 400, 'a cell config');
  assert.equal(cell.body.error.field, 'config');
  const share = await api.post(`/api/workspaces/${ws.id}/shares`, { role: 'view', label: LONE });
  assert.equal(share.status, 400, 'a share label');
  assert.equal(share.body.error.field, 'label');
  const token = await api.post('/api/tokens', { name: NUL });
  assert.equal(token.status, 400, 'a token name');
  assert.equal(token.body.error.field, 'name');
  const other = new ApiClient(server.url);
  const signup = await other.post('/api/auth/signup', { email: `x${NUL}@example.com`, password: 'correct horse battery' });
  assert.equal(signup.status, 400, 'an email');
  assert.equal(signup.body.error.field, 'email');
  assert.equal((await api.get('/api/health')).status, 200);
});

test('a YAML escape that makes NUL inside a config is a cell error naming the key, not an internal error with SQL', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Escapes');
  const cell = await add('p', 'profile', 'input: "da\\0ta"\n');
  const failed = await events.waitFor(on('cell.error', cell.id));
  assert.equal(failed.data.error.code, 'config_invalid');
  assert.equal(failed.data.error.key, 'input');
  assert.match(failed.data.error.message, /NUL/);
  noQueryText(failed.data);
  const surrogate = await add('q', 'profile', 'input: "x\\ud800"\n');
  const failed2 = await events.waitFor(on('cell.error', surrogate.id));
  assert.equal(failed2.data.error.code, 'config_invalid');
  noQueryText((await api.get(`/api/workspaces/${ws.id}`)).body);
  events.close();
});

test('deeply nested YAML and an alias bomb are refused with 400 before parsing, at import and in a cell', async () => {
  const nested = `title: t\ncells: ${'['.repeat(240_000)}`;
  const imported = await api.request('POST', '/api/workspaces/import', undefined, {});
  assert.equal(imported.status, 400, 'an empty import is a 400');
  const deep = await fetch(`${server.url}/api/workspaces/import`, { method: 'POST', headers: api.headers({ 'content-type': 'application/yaml' }), body: nested });
  assert.equal(deep.status, 400);
  const deepBody = await deep.json() as { error: { code: string; message: string; line?: number } };
  assert.equal(deepBody.error.code, 'bad_document');
  assert.match(deepBody.error.message, /nests more than 64 levels/);
  assert.equal(deepBody.error.line, 2);

  const dashes = await fetch(`${server.url}/api/workspaces/import`, { method: 'POST', headers: api.headers({ 'content-type': 'application/yaml' }), body: `title: t\ncells:\n  ${'- '.repeat(120_000)}x\n` });
  assert.equal(dashes.status, 400);

  const bomb = ['title: t', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    .concat(Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`))
    .concat(['cells: []']).join('\n');
  const aliases = await fetch(`${server.url}/api/workspaces/import`, { method: 'POST', headers: api.headers({ 'content-type': 'application/yaml' }), body: bomb });
  assert.equal(aliases.status, 400);
  const aliasBody = await aliases.json() as { error: { code: string; message: string } };
  assert.equal(aliasBody.error.code, 'bad_document');
  assert.match(aliasBody.error.message, /alias/i);

  const { events, add } = await workspaceWithStream(api, 'Deep');
  const cell = await add('deep', 'profile', `input: ${'['.repeat(200_000)}`);
  const failed = await events.waitFor(on('cell.error', cell.id));
  assert.equal(failed.data.error.code, 'config_yaml');
  assert.match(failed.data.error.message, /nests more than 64 levels deep at line 1/);
  events.close();
  assert.equal((await api.get('/api/health')).status, 200);
});
