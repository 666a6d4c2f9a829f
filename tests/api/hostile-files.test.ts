// Hostile file shapes through the API (issue 19, findings 1 and 7): a file too wide, a name
// or a line too long is the cell's clear error, cheaply, and the server keeps serving; a huge
// value no longer rides along with every load of the workspace and every event, while the
// grid still serves it whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let api: ApiClient;
serveSignedUp('hostile@example.com', (_s, a) => { api = a; });

const mb = (bytes: number) => Math.round(bytes / 1e6);

test('a 100,000-column file, a 50 MB line and a 2 MB name are each refused with what and where; the server keeps serving', async (t) => {
  const { ws, events, add } = await workspaceWithStream(api, 'hostile shapes');
  const names = Array.from({ length: 100_000 }, (_, c) => `c${c}`).join(',');
  const cases = [
    { file: 'wide.csv', body: `${names}\n${names}\n${names}\n`, code: 'too_many_columns', message: 'too many columns (100,000; at most 10,000) in "wide.csv"' },
    { file: 'one-line.csv', body: 'y'.repeat(50_000_000), code: 'line_too_long', message: 'line 1 of "one-line.csv" is longer than 16 MB, the most a line may hold: is this a CSV file?' },
    { file: 'name.csv', body: `id,${'n'.repeat(2_000_000)}\n1,2\n`, code: 'name_too_long', message: /^column 2 of "name\.csv" has a name of 2,000,000 characters \(at most 1,024\)/ },
  ];
  const rssBefore = process.memoryUsage().rss;
  for (const [i, c] of cases.entries()) {
    const cell = await add(`data${i}`, 'upload', '');
    const res = await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, c.body, c.file);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const failed = await events.waitFor(on('cell.error', cell.id), 60_000);
    assert.equal(failed.data.error.code, c.code, failed.data.error.message);
    if (typeof c.message === 'string') assert.equal(failed.data.error.message, c.message);
    else assert.match(failed.data.error.message, c.message);
    const state = (await api.get(`/api/workspaces/${ws.id}/cells/${cell.id}/result`)).body;
    assert.equal(state.status, 'error');
    assert.equal(state.error.code, c.code);
  }
  // Reported, not asserted (the figure depends on the machine): RSS of the server's process.
  t.diagnostic(`server RSS ${mb(rssBefore)} MB before the three files, ${mb(process.memoryUsage().rss)} MB after`);
  assert.equal((await api.get('/api/health')).status, 200);
  // And an ordinary file still reads.
  const ok = await add('fine', 'upload', '');
  await api.upload(`/api/workspaces/${ws.id}/cells/${ok.id}/upload`, 'a,b\n1,x\n2,y\n', 'fine.csv');
  const done = await events.waitFor(on('cell.result', ok.id));
  assert.equal(done.data.result.rows, 2);
  events.close();
});

test('a 5,000,000-character value: the workspace and its events carry a cut preview, the grid serves it whole', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'one huge field');
  const cell = await add('data', 'upload', '');
  const huge = `${'x'.repeat(4_999_999)}!`;
  await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, `id,text\n1,${huge}\n2,short\n`, 'huge-field.csv');
  const done = await events.waitFor(on('cell.result', cell.id), 60_000);
  assert.equal(done.data.result.rows, 2);
  assert.equal(done.data.result.preview.rows[0][1], `${'x'.repeat(1000)}…`);
  assert.deepEqual(done.data.result.preview.cut, { chars: 1000, cells: [[0, 1]] });
  // Every event about the cell (partials, status, result) is small; so is the workspace as loaded.
  const sizes = events.received.filter((e) => e.data?.cellId === cell.id).map((e) => JSON.stringify(e.data).length);
  assert.ok(sizes.length >= 2 && Math.max(...sizes) < 20_000, `event sizes: ${sizes.join(', ')}`);
  const loaded = await api.get(`/api/workspaces/${ws.id}`);
  assert.ok(JSON.stringify(loaded.body).length < 20_000, `the workspace is ${JSON.stringify(loaded.body).length} characters`);
  const latest = (await api.get(`/api/workspaces/${ws.id}/cells/${cell.id}/result`)).body;
  assert.ok(JSON.stringify(latest).length < 20_000);
  // The grid reads the table itself: the value is there whole.
  const page = (await api.get(`/api/workspaces/${ws.id}/cells/${cell.id}/rows?offset=0&limit=1&from=1&to=2`)).body;
  assert.equal(page.rows[0][0], huge);
  events.close();
});
