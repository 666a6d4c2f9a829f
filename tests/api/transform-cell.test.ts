// The transform cell through the server: an upload, a transform over it, a sql query and a rule
// reading the transform's table; a new file re-runs the chain; the grid pages the transform's
// table; a join brings a second upload in as an input; a step naming a missing column fails the
// cell with the step's index, key and line, and leaves its dependents stale.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let api: ApiClient;
serveSignedUp('transform@example.com', (_s, a) => { api = a; });

/** Rain days and their precipitation by year in a copy of seattle-weather.csv, with a plain split (no polars). */
function rainByYear(csv: string): Map<string, { days: number; precipitation: number }> {
  const [head, ...lines] = csv.trim().split(/\r?\n/);
  const names = head!.split(',');
  const out = new Map<string, { days: number; precipitation: number }>();
  for (const line of lines) {
    const r = Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v]));
    if (r.weather !== 'rain') continue;
    const year = r.date!.slice(0, 4);
    const y = out.get(year) ?? { days: 0, precipitation: 0 };
    y.days += 1;
    y.precipitation += Number(r.precipitation);
    out.set(year, y);
  }
  return out;
}

/** `match`, among the events received after the first `seen`. */
const after = (events: { received: SseEvent[] }, seen: number, match: (e: SseEvent) => boolean) =>
  (e: SseEvent) => events.received.indexOf(e) >= seen && match(e);

test('upload → transform → sql and rule; a new file re-runs the chain; the grid pages the transform\'s table', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rain');
  const weather = await add('weather', 'upload', '');
  const rainy = await add('rainy', 'transform', [
    'input: weather',
    'steps:',
    "  - filter: weather = 'rain'",
    '  - derive: {wet: precipitation > 0}',
    '  - select: [date, precipitation, wet]',
    '  - sort: {by: precipitation, descending: true}',
  ].join('\n'));
  const byYear = await add('by_year', 'sql', 'sql: |\n  SELECT count(*) AS days, sum(precipitation) AS precipitation FROM rainy\n');
  const check = await add('rainy_rules', 'rule', 'input: rainy\nrules:\n  - check: not_null\n    column: precipitation\n  - check: row_count\n    min: 1\n');

  const full = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, full, 'seattle-weather.csv')).status, 201);
  const want = [...rainByYear(full).values()].reduce((s, y) => ({ days: s.days + y.days, precipitation: s.precipitation + y.precipitation }), { days: 0, precipitation: 0 });
  const first = await events.waitFor(on('cell.result', rainy.id), 60_000);
  // MANIFEST.md: 641 days of rain.
  assert.equal(first.data.result.rows, 641);
  assert.equal(want.days, 641);
  assert.deepEqual(first.data.result.columns, [{ name: 'date', type: 'date' }, { name: 'precipitation', type: 'float' }, { name: 'wet', type: 'boolean' }]);
  // MANIFEST.md: the wettest day had 55.9.
  assert.equal(first.data.result.preview.rows[0][1], 55.9);
  const summed = await events.waitFor(on('cell.result', byYear.id), 60_000);
  assert.equal(summed.data.result.preview.rows[0][0], 641);
  assert.ok(Math.abs(summed.data.result.preview.rows[0][1] - want.precipitation) < 1e-6);
  const ruled = await events.waitFor(on('cell.result', check.id), 60_000);
  assert.deepEqual(ruled.data.result.rules.map((r: { status: string }) => r.status), ['pass', 'pass']);

  // The grid reads the transform's table as it reads an upload's: sorted by precipitation, ascending.
  const page = await api.get(`/api/workspaces/${ws.id}/cells/${rainy.id}/rows?limit=3&sort=1`);
  assert.equal(page.status, 200);
  assert.equal(page.body.total, 641);
  const amounts = page.body.rows.map((r: unknown[]) => r[1]);
  assert.deepEqual(amounts, [...amounts].sort((a, b) => a - b));

  // A new file, the first year only: the transform, the query and the rule run again on it.
  const lines = full.split('\n');
  const firstYear = `${lines.filter((l, i) => i === 0 || l.startsWith('2012-')).join('\n')}\n`;
  const rain2012 = rainByYear(firstYear).get('2012')!;
  const seen = events.received.length;
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, firstYear, 'seattle-2012.csv')).status, 201);
  const again = await events.waitFor(after(events, seen, on('cell.result', rainy.id)), 60_000);
  assert.equal(again.data.result.rows, rain2012.days);
  const resummed = await events.waitFor(after(events, seen, on('cell.result', byYear.id)), 60_000);
  assert.equal(resummed.data.result.preview.rows[0][0], rain2012.days);
  const reruled = await events.waitFor(after(events, seen, on('cell.result', check.id)), 60_000);
  assert.equal(reruled.data.runId, again.data.runId);
  events.close();
});

test('a join reads a second cell; a step naming a missing column fails with its index, key and line, and its dependents wait', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Joins');
  const weather = await add('weather', 'upload', '');
  const kinds = await add('kinds', 'transform', 'input: weather\nsteps:\n  - group_by: {by: weather, aggregate: {days: count, temp_max: mean}}\n  - rename: {temp_max: mean_max}\n');
  const joined = await add('joined', 'transform', 'input: weather\nsteps:\n  - join: {with: kinds, on: weather, how: left}\n  - filter: temp_max > mean_max\n');
  const full = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
  await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, full, 'seattle-weather.csv');
  const grouped = await events.waitFor(on('cell.result', kinds.id), 60_000);
  // MANIFEST.md: drizzle 53, fog 101, rain 641, snow 26, sun 640, in the order each first appears.
  assert.deepEqual(grouped.data.result.preview.rows.map((r: unknown[]) => [r[0], r[1]]), [['drizzle', 53], ['rain', 641], ['sun', 640], ['snow', 26], ['fog', 101]]);
  const warm = await events.waitFor(on('cell.result', joined.id), 60_000);
  assert.ok(warm.data.result.rows > 0 && warm.data.result.rows < 1461);
  assert.deepEqual(warm.data.result.columns.map((c: { name: string }) => c.name), ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather', 'days', 'mean_max']);
  const graph = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.find((c: { id: string }) => c.id === joined.id);
  assert.ok(graph, 'the joined cell is listed');

  const seen = events.received.length;
  const edit = await api.patch(`/api/workspaces/${ws.id}/cells/${kinds.id}`, {
    config: 'input: weather\nsteps:\n  - group_by: {by: weather, aggregate: {days: count, temp_max: mean}}\n  - rename: {temp_mx: mean_max}\n',
  });
  assert.equal(edit.status, 200);
  const failed = await events.waitFor(after(events, seen, on('cell.error', kinds.id)), 60_000);
  assert.equal(failed.data.error.code, 'no_column');
  assert.equal(failed.data.error.message, 'steps[1].rename.temp_mx: no column "temp_mx"; did you mean "temp_max"?');
  assert.equal(failed.data.error.line, 4);
  const stale = await events.waitFor(after(events, seen, on('cell.status', joined.id, (e) => e.data.status === 'stale')), 60_000);
  assert.equal(stale.data.reason.code, 'upstream_failed');
  events.close();
});
