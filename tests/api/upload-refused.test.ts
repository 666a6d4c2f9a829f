// A refused upload changes nothing (issue 23, item 8): a PNG dropped on an upload cell that holds
// a good CSV (or sent in a rerun) is refused before it becomes the cell's file; the cell keeps its
// file and result, its dependents stay as they were, and no run starts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ApiClient } from '../support/client.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { rerun } from '../support/runs.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const WEATHER = path.resolve(import.meta.dirname, '../../../shared/data/seattle-weather.csv');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);

let server: TestServer;
let api: ApiClient;
serveSignedUp('refused@example.com', (s, a) => { server = s; api = a; });

test('a PNG on an upload cell holding a good CSV is refused with why; file, result, dependents and runs stay as they were', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Refusals');
  const upload = await add('weather', 'upload', '');
  const stats = await add('stats', 'profile', 'input: weather\n');
  const good = await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(WEATHER), 'seattle-weather.csv');
  assert.equal(good.status, 201);
  await events.waitFor(on('cell.result', stats.id));
  const before = (await api.get(`/api/workspaces/${ws.id}`)).body;
  const runsBefore = (await api.get(`/api/workspaces/${ws.id}/runs`)).body.length;
  const seen = events.received.length;

  for (const [bytes, name, reason] of [[PNG, 'chart.png', 'not_csv'], [Buffer.alloc(0), 'empty.csv', 'empty_file'], [Buffer.from('\n\n  \n'), 'blank.csv', 'empty_file']] as const) {
    const res = await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, bytes, name);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'file_refused');
    assert.equal(res.body.error.reason, reason);
    assert.equal(res.body.error.file, name);
    assert.match(res.body.error.message, new RegExp(`^"${name.replace('.', '\\.')}" was not used: .+; cell "weather" keeps its file "seattle-weather\\.csv" and its result$`));
  }

  const after = (await api.get(`/api/workspaces/${ws.id}`)).body;
  assert.equal(after.version, before.version, 'the workspace did not change');
  assert.deepEqual(after.cells.map((c: { latest: unknown }) => c.latest), before.cells.map((c: { latest: unknown }) => c.latest), 'every cell keeps its result');
  assert.equal((await api.get(`/api/workspaces/${ws.id}/cells/${upload.id}/result`)).body.result.file.name, 'seattle-weather.csv');
  assert.equal((await api.get(`/api/workspaces/${ws.id}/runs`)).body.length, runsBefore, 'no run started');
  assert.deepEqual(events.received.slice(seen).map((e) => e.event), [], 'nothing was announced: nothing changed');
  // The refused bytes were not kept: the PNG's hash has no file on disk.
  const stored = fs.readdirSync(path.join(server.dataDir, 'files'), { recursive: true }).filter((f) => String(f).endsWith('.csv'));
  assert.equal(stored.length, 1, `only the CSV is stored: ${stored.join(', ')}`);
  events.close();
});

test('a rerun on new files refuses a file its cell can never read, and starts no run', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rerun refusals');
  const upload = await add('weather', 'upload', '');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(WEATHER), 'seattle-weather.csv')).status, 201);
  await events.waitFor(on('cell.result', upload.id));
  events.close();
  const runsBefore = (await api.get(`/api/workspaces/${ws.id}/runs`)).body.length;
  const res = await rerun(api, ws.id, { weather: ['chart.png', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR'] });
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.reason, 'not_csv');
  assert.match(res.body.error.message, /^"chart\.png" was not used: .+; cell "weather" keeps its file "seattle-weather\.csv" and its result$/);
  assert.equal((await api.get(`/api/workspaces/${ws.id}/runs`)).body.length, runsBefore, 'no run started');
});
