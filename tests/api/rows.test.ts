import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let server: TestServer;
let api: ApiClient;
before(async () => {
  server = await startTestServer();
  api = new ApiClient(server.url);
  await api.signup('grid@example.com');
});
after(async () => { await server?.stop(); });

async function uploaded(file: string) {
  const { ws, events, add } = await workspaceWithStream(api, file);
  const cell = await add('data', 'upload', '');
  const res = await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, fs.readFileSync(path.join(DATA, file)), file);
  assert.equal(res.status, 201);
  await events.waitFor(on('cell.result', cell.id));
  events.close();
  return { rows: `/api/workspaces/${ws.id}/cells/${cell.id}/rows`, ws, cell };
}

test('pages of a table: windows of rows and columns, sorted and filtered on the server', async () => {
  const { rows } = await uploaded('seattle-weather.csv');
  const lines = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

  const first = (await api.get(`${rows}?offset=100&limit=3`)).body;
  assert.equal(first.total, 1461);
  assert.equal(first.columnCount, 6);
  assert.deepEqual(first.columns.map((c: { name: string }) => c.name), ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
  assert.deepEqual(first.rowNumbers, [101, 102, 103]);
  assert.deepEqual(first.rows[0], [lines[100]![0], Number(lines[100]![1]), Number(lines[100]![2]), Number(lines[100]![3]), Number(lines[100]![4]), lines[100]![5]]);

  // The hottest day first, with its row number in the file.
  const hottest = (await api.get(`${rows}?sort=2&desc=1&limit=1&from=0&to=3`)).body;
  const maxTemp = Math.max(...lines.map((l) => Number(l[2])));
  assert.equal(hottest.rows[0][2], maxTemp);
  const at = lines.findIndex((l) => Number(l[2]) === maxTemp);
  assert.equal(hottest.rowNumbers[0], at + 1);
  assert.deepEqual(hottest.columns.map((c: { index: number }) => c.index), [0, 1, 2]);

  // Ties keep the file's order, on every page.
  const drizzle = lines.flatMap((l, i) => (l[5] === 'drizzle' ? [i + 1] : []));
  const byWeather = (await api.get(`${rows}?sort=5&limit=20&offset=10&from=5&to=6`)).body;
  assert.deepEqual(byWeather.rowNumbers, drizzle.slice(10, 30));
  assert.ok(byWeather.rows.every((r: unknown[]) => r[0] === 'drizzle'));

  // Case-insensitive text filters, combined; a date column filters by how it is written.
  const snow2012 = lines.filter((l) => l[5] === 'snow' && l[0]!.startsWith('2012-'));
  const filtered = (await api.get(`${rows}?filter=5:SNOW&filter=0:2012-&limit=500`)).body;
  assert.equal(filtered.total, snow2012.length);
  assert.ok(filtered.total > 0);
  assert.deepEqual(filtered.rows.map((r: unknown[]) => r[0]), snow2012.map((l) => l[0]));

  // Regex characters in a filter are literal text.
  assert.equal((await api.get(`${rows}?filter=5:.*`)).body.total, 0);
  // Past the end: no rows, the total still right.
  const past = (await api.get(`${rows}?offset=5000`)).body;
  assert.deepEqual([past.total, past.rows.length], [1461, 0]);
});

test('a window of a wide table reads only the columns asked for', async () => {
  const { rows } = await uploaded('nutrition-survey-wide-1093cols.csv');
  const header = fs.readFileSync(path.join(DATA, 'nutrition-survey-wide-1093cols.csv'), 'utf8').split('\n')[0]!.split(',');
  const page = (await api.get(`${rows}?from=1000&to=1010&limit=5`)).body;
  assert.equal(page.columnCount, header.length);
  assert.deepEqual(page.columns.map((c: { index: number }) => c.index), Array.from({ length: 10 }, (_, i) => 1000 + i));
  assert.equal(page.columns[0].name, header[1000]!.replace(/^"|"$/g, ''));
  assert.equal(page.rows[0].length, 10);
});

test('bad queries are refused with what is wrong; a cell without a table and others\' workspaces are not read', async () => {
  const { rows, ws } = await uploaded('seattle-weather.csv');
  for (const [query, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset'], ['sort=9', 'sort'], ['filter=7:x', 'filter'], ['filter=nope', 'filter'], ['from=3&to=1', 'to']] as const) {
    const res = await api.get(`${rows}?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.field, field, query);
    assert.match(res.body.error.message, new RegExp(field === 'filter' || field === 'sort' ? 'column|filter' : field));
  }
  const empty = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'later', config: '' })).body;
  const none = await api.get(`/api/workspaces/${ws.id}/cells/${empty.id}/rows`);
  assert.equal(none.status, 409);
  assert.equal(none.body.error.code, 'no_table');

  const stranger = new ApiClient(server.url);
  await stranger.signup('stranger@example.com');
  assert.equal((await stranger.get(rows)).status, 404);
  assert.equal((await new ApiClient(server.url).get(rows)).status, 401);
});

test('?run= reads the table as of a past run (a run page\'s grid); a run without it is a 404, a bad id a 400 (issue 23, item 20)', async () => {
  const { rows, ws, cell } = await uploaded('seattle-weather.csv');
  const first = (await api.get(`${rows}?limit=1`)).body;
  const events = api.events(ws.id);
  await events.ready;
  const res = await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, 'date,weather\n2030-01-01,sun\n2030-01-02,rain\n', 'two.csv');
  assert.equal(res.status, 201);
  await events.waitFor(on('cell.result', cell.id));
  events.close();
  // The newest table is the new file's; the first run's is still readable by its run id.
  assert.equal((await api.get(`${rows}?limit=1`)).body.total, 2);
  const old = (await api.get(`${rows}?run=${first.runId}&limit=2&filter=5:snow`)).body;
  assert.equal(old.runId, first.runId);
  assert.equal(old.columnCount, 6);
  assert.ok(old.total > 0 && old.total < 1461, 'filters apply to the past run\'s table');
  assert.deepEqual([...new Set(old.rows.map((r: unknown[]) => r[5]))], ['snow']);

  const other = await uploaded('seattle-weather.csv');
  const foreign = await api.get(`${rows}?run=${other.ws.id}`);
  assert.equal(foreign.status, 404);
  assert.match(foreign.body.error.message, /table of cell "data" in run/);
  const bad = await api.get(`${rows}?run=nope`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'run');
});
