// The sql cell through the server: an upload, a query over it, a rule over the query's table;
// a new file re-runs the query and the rule; the grid pages the query's table; a query naming
// a missing cell, or reading a file, is an error on the cell saying so; renaming a table's cell
// rewrites the query that reads it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let api: ApiClient;
serveSignedUp('sql@example.com', (_s, a) => { api = a; });

/** Days above 30 °C in a copy of seattle-weather.csv, counted with a plain split (no polars). */
function hotDays(csv: string): number {
  const [head, ...lines] = csv.trim().split(/\r?\n/);
  const at = head!.split(',').indexOf('temp_max');
  return lines.filter((l) => Number(l.split(',')[at]) > 30).length;
}

test('upload → sql → rule; a new file re-runs the query and the rule; the grid pages the query\'s table', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Hot days');
  const weather = await add('weather', 'upload', '');
  const hot = await add('hot', 'sql', 'sql: |\n  SELECT date, weather, temp_max\n  FROM weather WHERE temp_max > 30\n  ORDER BY temp_max DESC\n');
  const check = await add('hot_rules', 'rule', 'input: hot\nrules:\n  - check: range\n    column: temp_max\n    min: 30.1\n  - check: row_count\n    min: 1\n');

  const full = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, full, 'seattle-weather.csv')).status, 201);
  const first = await events.waitFor(on('cell.result', hot.id), 60_000);
  assert.equal(first.data.result.rows, hotDays(full));
  assert.deepEqual(first.data.result.columns, [{ name: 'date', type: 'date' }, { name: 'weather', type: 'string' }, { name: 'temp_max', type: 'float' }]);
  // MANIFEST.md: the hottest day reached 35.6.
  assert.equal(first.data.result.preview.rows[0][2], 35.6);
  const ruled = await events.waitFor(on('cell.result', check.id), 60_000);
  assert.deepEqual(ruled.data.result.rules.map((r: { status: string }) => r.status), ['pass', 'pass']);

  // The grid reads the query's table as it reads an upload's: sorted by temp_max, ascending.
  const page = await api.get(`/api/workspaces/${ws.id}/cells/${hot.id}/rows?limit=3&sort=2`);
  assert.equal(page.status, 200);
  assert.equal(page.body.total, hotDays(full));
  assert.deepEqual(page.body.columns.map((c: { name: string }) => c.name), ['date', 'weather', 'temp_max']);
  const temps = page.body.rows.map((r: unknown[]) => r[2]);
  assert.deepEqual(temps, [...temps].sort((a, b) => a - b));
  assert.ok(temps[0] > 30, JSON.stringify(page.body.rows));

  // A new file: the first year only. The query and the rule run again on it.
  const lines = full.split('\n');
  const firstYear = `${lines.filter((l, i) => i === 0 || l.startsWith('2012-')).join('\n')}\n`;
  assert.ok(hotDays(firstYear) > 0 && hotDays(firstYear) < hotDays(full));
  const seen = events.received.length;
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, firstYear, 'seattle-2012.csv')).status, 201);
  const again = await events.waitFor((e) => events.received.indexOf(e) >= seen && on('cell.result', hot.id)(e), 60_000);
  assert.equal(again.data.result.rows, hotDays(firstYear));
  assert.notEqual(again.data.runId, first.data.runId);
  const reruled = await events.waitFor((e) => events.received.indexOf(e) >= seen && on('cell.result', check.id)(e), 60_000);
  assert.equal(reruled.data.runId, again.data.runId);
  const latest = await api.get(`/api/workspaces/${ws.id}/cells/${hot.id}/rows?limit=1`);
  assert.equal(latest.body.total, hotDays(firstYear));
  events.close();
});

test('a query naming a missing cell, or reading a file, is an error on the cell that says so', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Errors');
  await add('weather', 'upload', '');
  const typo = await add('typo', 'sql', 'sql: SELECT * FROM wether\n');
  const missing = await events.waitFor(on('cell.error', typo.id), 30_000);
  assert.equal(missing.data.error.code, 'missing_input');
  assert.match(missing.data.error.message, /input "wether" names no cell in this workspace; did you mean "weather"\?/);

  const thief = await add('thief', 'sql', "sql: SELECT * FROM read_csv('/etc/passwd')\n");
  const refused = await events.waitFor(on('cell.error', thief.id), 30_000);
  assert.equal(refused.data.error.code, 'sql_refused');
  assert.match(refused.data.error.message, /read files and are not allowed/);
  const stored = await api.get(`/api/workspaces/${ws.id}/cells/${thief.id}/result`);
  assert.equal(stored.body.error.code, 'sql_refused');
  events.close();
});

test('renaming a table\'s cell rewrites the query that reads it, which runs again under the new name', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rename');
  const weather = await add('weather', 'upload', '');
  const query = 'sql: |\n  -- days by weather\n  SELECT weather.weather, count(*) AS days\n  FROM weather GROUP BY weather.weather\n';
  const kinds = await add('kinds', 'sql', query);
  const csv = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'));
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, csv, 'seattle-weather.csv')).status, 201);
  const first = await events.waitFor(on('cell.result', kinds.id), 60_000);
  assert.equal(first.data.result.rows, 5);

  const renamed = await api.patch(`/api/workspaces/${ws.id}/cells/${weather.id}`, { name: 'seattle', updateReferences: true });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body.updatedReferences, ['kinds']);
  const config = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.find((c: { id: string }) => c.id === kinds.id).config;
  // The table and its qualifier renamed; the column named weather and the comment left as they were.
  assert.equal(config, 'sql: |\n  -- days by weather\n  SELECT seattle.weather, count(*) AS days\n  FROM seattle GROUP BY seattle.weather\n');
  const again = await events.waitFor(on('cell.result', kinds.id, (e) => e.data.runId !== first.data.runId), 60_000);
  assert.equal(again.data.result.rows, 5);
  events.close();
});
