// The HTTP API described for scripts: GET /api/openapi.json (OpenAPI 3.1) holds every API
// route of the app and no other, its request bodies are the schemas the routes check (a
// value the document rules out is refused with 400 naming the field), and GET /api/kinds
// carries each kind's config reference.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../server/app.ts';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ApiClient;
let doc: any;
before(async () => {
  server = await startTestServer();
  api = new ApiClient(server.url);
  await api.signup('openapi@example.com');
  // Without a session or token: a script reads it before it has either.
  const res = await new ApiClient(server.url).get('/api/openapi.json');
  assert.equal(res.status, 200);
  doc = res.body;
});
after(async () => { await server?.stop(); });

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

test('the document is OpenAPI 3.1 and holds every API route of the app, and no route the app does not have', () => {
  assert.equal(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
  const routes = [...new Set(createApp(server.services).routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))];
  assert.deepEqual(routes.filter((r) => !documented.includes(r)), [], 'API routes missing from the document');
  assert.deepEqual(documented.filter((r) => !routes.includes(r)), [], 'documented routes the app does not have');
  const ids = documented.map((r) => { const [m, p] = r.split(' '); return doc.paths[p!.replace(/:(\w+)/g, '{$1}')][m!.toLowerCase()].operationId; });
  assert.equal(new Set(ids).size, ids.length, 'operation ids are unique (a generated client names its methods by them)');
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      assert.deepEqual((op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name), params, `${method} ${path}: its path parameters`);
      assert.ok(op.summary && op.responses, `${method} ${path}: a summary and responses`);
    }
  }
  // The main routes' bodies are described field by field.
  const body = (method: string, path: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
  assert.deepEqual(Object.keys(body('post', '/api/workspaces/{id}/cells').properties).sort(), ['config', 'kind', 'name', 'position', 'version']);
  assert.deepEqual(body('post', '/api/workspaces/{id}/cells').required.sort(), ['kind', 'name']);
  assert.deepEqual(body('post', '/api/workspaces/{id}/shares').properties.role.enum, ['view', 'edit']);
  assert.equal(body('post', '/api/workspaces').properties.title.type, 'string');
  assert.equal(body('post', '/api/auth/login').properties.email.type, 'string');
  assert.equal(doc.paths['/api/tokens'].post.requestBody.required, false, 'a bare POST /api/tokens takes the defaults');
});

test('each body is checked by the schema the document shows: a value it rules out is a 400 naming the field', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Documented' })).body;
  const cell = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'p', config: 'input: x' })).body;
  const fill = (path: string) => path.replace('{id}', ws.id).replace('{cellId}', cell.id);
  // What else a body needs so that the field under test is the first one at fault.
  const base: Record<string, Record<string, unknown>> = {
    'POST /api/workspaces/{id}/members': { email: 'friend@example.com' },
    'POST /api/workspaces/{id}/cells': { kind: 'profile' },
    'PUT /api/workspaces/{id}/delivery/webhook': { url: 'https://hooks.example.com/T0/B0/x' },
  };
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema || path.startsWith('/api/auth/')) continue; // signing in and out: accounts.test.ts
      for (const [field, prop] of Object.entries(schema.properties as Record<string, any>)) {
        // Documented words (an enum) and patterns, also as one of several forms: a value outside them.
        const forms = [prop, ...(prop.anyOf ?? [])];
        const bad = forms.some((f) => f.enum) ? 'not-a-word-it-takes' : forms.some((f) => f.pattern) ? '1 not a name!' : undefined;
        if (bad === undefined) continue;
        const route = `${method.toUpperCase()} ${path}`;
        const res = await api.request(method.toUpperCase(), fill(path), { ...base[route], [field]: bad });
        assert.equal(res.status, 400, `${route} with ${field}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'bad_request');
        assert.equal(res.body.error.field, field, `${route}: ${res.body.error.message}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 5, `the enums and patterns of shares, members, tokens and cells are checked (${checked})`);
  // Today's wording stays: a wrong type says what the field must be.
  const wrong = await api.post('/api/workspaces', { title: 42 });
  assert.deepEqual(wrong.body.error, { code: 'bad_request', message: '"title" must be non-empty text', field: 'title' });
  const position = await api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { position: -1 });
  assert.deepEqual(position.body.error, { code: 'bad_request', message: '"position" must be a whole number ≥ 0', field: 'position' });
  const expiry = await api.post(`/api/workspaces/${ws.id}/shares`, { role: 'view', expiresAt: '2001-01-01T00:00:00Z' });
  assert.deepEqual(expiry.body.error, { code: 'bad_request', message: '"expiresAt" must be in the future', field: 'expiresAt' });
  // And what the schemas leave as they were: no body at all for a token, a null position.
  assert.equal((await api.request('POST', '/api/tokens')).status, 201);
  assert.equal((await api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { position: null, config: 'input: y' })).status, 200);
});

test('GET /api/kinds: each kind\'s config reference, with a line of help per key', async () => {
  const kinds = (await new ApiClient(server.url).get('/api/kinds')).body as { kind: string; config: any }[];
  for (const k of kinds) {
    assert.equal(k.config.type, 'object', k.kind);
    assert.ok(Object.keys(k.config.properties).length > 0, k.kind);
    for (const [key, prop] of Object.entries(k.config.properties as Record<string, any>)) assert.ok(prop.description, `${k.kind}.${key}`);
  }
  const chart = kinds.find((k) => k.kind === 'chart')!;
  assert.ok(chart.config.properties.mark.enum.includes('bar'));
});
