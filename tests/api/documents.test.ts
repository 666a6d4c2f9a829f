// Export, import and duplicate (issue 10): a workspace as a YAML document and back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { RULES } from '../support/runs.ts';

let server: TestServer;
let api: ApiClient;
before(async () => {
  server = await startTestServer();
  api = new ApiClient(server.url);
  await api.signup('documents@example.com');
});
after(async () => { await server?.stop(); });

async function exported(id: string, client = api) {
  const res = await fetch(`${client.base}/api/workspaces/${id}/export`, { headers: client.headers() });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
}

async function importYaml(text: string, client = api) {
  const res = await fetch(`${client.base}/api/workspaces/import`, { method: 'POST', headers: client.headers({ 'content-type': 'application/yaml' }), body: text });
  return { status: res.status, body: await res.json() as any };
}

const UPLOAD = '# the daily weather file\ndelimiter: ","   # as sent\n';

test('export → import → export gives the same document; the configs keep their comments', async () => {
  const ws = (await api.post('/api/workspaces', { title: 'Weather: checks & charts' })).body;
  for (const [name, kind, config] of [['weather', 'upload', UPLOAD], ['stats', 'profile', 'input: weather\n'], ['checks', 'rule', RULES], ['monthly', 'chart', 'input: weather\nx: date\n']]) {
    assert.equal((await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config })).status, 201);
  }
  // Moved, so the document's order is the notebook's, not the order of creation.
  const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells;
  await api.patch(`/api/workspaces/${ws.id}/cells/${cells[3].id}`, { position: 1 });

  const first = await exported(ws.id);
  assert.equal(first.status, 200);
  assert.equal(first.type, 'application/yaml; charset=utf-8');
  assert.match(first.disposition ?? '', /filename="Weather-checks-charts\.assay\.yaml"/);
  const doc = parse(first.text);
  assert.equal(doc.assay, 1);
  assert.equal(doc.title, 'Weather: checks & charts');
  assert.deepEqual(doc.cells.map((c: any) => [c.name, c.kind]), [['weather', 'upload'], ['monthly', 'chart'], ['stats', 'profile'], ['checks', 'rule']]);
  assert.equal(doc.cells[0].config, UPLOAD);
  assert.equal(doc.cells[3].config, RULES);
  assert.match(first.text, /config: \|\n\s+# the daily weather file/, 'configs are literal blocks');
  assert.doesNotMatch(first.text, /sha256|rows|fileId/, 'no data');

  const imported = await importYaml(first.text);
  assert.equal(imported.status, 201);
  assert.notEqual(imported.body.id, ws.id);
  assert.equal(imported.body.title, 'Weather: checks & charts');
  assert.deepEqual(imported.body.cells.map((c: any) => [c.name, c.kind, c.config, c.position]),
    doc.cells.map((c: any, i: number) => [c.name, c.kind, c.config, i]));
  const again = await exported(imported.body.id);
  assert.equal(again.text, first.text, 'the round trip is exact');

  // Duplicate goes the same way, under a new title, with no file.
  const copy = await api.post(`/api/workspaces/${ws.id}/duplicate`, {});
  assert.equal(copy.status, 201);
  assert.equal(copy.body.title, 'Copy of Weather: checks & charts');
  assert.equal((await exported(copy.body.id)).text, first.text.replace('title: "Weather: checks & charts"', 'title: "Copy of Weather: checks & charts"'));
  assert.ok(copy.body.cells.every((c: any) => c.file === null));
  const named = await api.post(`/api/workspaces/${ws.id}/duplicate`, { title: 'Template' });
  assert.equal(named.body.title, 'Template');
});

test('a bad document is refused naming what and where, and creates nothing', async () => {
  const before = (await api.get('/api/workspaces')).body.length;
  const cases: [string, RegExp, Record<string, unknown>][] = [
    ['title: x\ncells:\n  - name: a\n    kind: spreadsheet\n', /cells\[0\]\.kind: unknown cell kind "spreadsheet"/, { key: 'cells[0].kind', line: 3 }],
    ['title: x\ncells:\n  - name: a\n    kind: upload\n  - name: a\n    kind: upload\n', /cells\[1\]\.name: a cell named "a" comes earlier/, { line: 5 }],
    ['title: ""\ncells: []\n', /"title" must be non-empty/, { key: 'title' }],
    ['title: x\ncells: {a: 1}\n', /"cells" must be a list/, { key: 'cells' }],
    ['title: x\ncells: []\nowner: me\n', /unknown key "owner"/, { line: 3 }],
    ['title: [unclosed\n', /YAML/, {}],
    ['title: x\ncells:\n  - name: 1bad\n    kind: upload\n', /cells\[0\]\.name must start with a letter/, {}],
  ];
  for (const [text, message, details] of cases) {
    const res = await importYaml(text);
    assert.equal(res.status, 400, text);
    assert.equal(res.body.error.code, 'bad_document');
    assert.match(res.body.error.message, message);
    for (const [k, v] of Object.entries(details)) assert.equal(res.body.error[k], v, `${k} of ${text}`);
  }
  assert.equal((await api.get('/api/workspaces')).body.length, before, 'nothing was created');

  // Only someone who may see a workspace may export or duplicate it.
  const other = new ApiClient(server.url);
  await other.signup('other-documents@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Private' })).body;
  assert.equal((await exported(ws.id, other)).status, 404);
  assert.equal((await other.post(`/api/workspaces/${ws.id}/duplicate`, {})).status, 404);
  assert.equal((await importYaml('title: x\ncells: []\n', new ApiClient(server.url))).status, 401);
});
