// The note cell through the server: a note over an upload shows its live values; a new file
// re-runs the note with the new figures; the run's HTML report holds the rendered note; a path
// that leads nowhere, or a cell that does not exist, is an error on the note naming it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let api: ApiClient;
serveSignedUp('note@example.com', (_s, a) => { api = a; });

/** The note's rendered values, by what was written, from its result. */
const valuesOf = (result: { values: { ref: string; text: string }[] }) => Object.fromEntries(result.values.map((v) => [v.ref, v.text]));

test('a note over an upload shows ${weather.rows}; a new file re-runs it with the new figures; the report shows it', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Weather story');
  const weather = await add('weather', 'upload', '');
  const story = await add('story', 'note', [
    'text: |',
    '  # Seattle, ${weather.rows} days',
    '  The first day, ${weather.data[0].date}, brought ${weather.data[0].weather}: <b>${weather.data[0].temp_max}</b> °C.',
    '',
  ].join('\n'));
  const full = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, full, 'seattle-weather.csv')).status, 201);
  const first = await events.waitFor(on('cell.result', story.id), 60_000);
  // MANIFEST.md: 1,461 days; 2012-01-01 was drizzle at 12.8 °C.
  assert.deepEqual(valuesOf(first.data.result), {
    '${weather.rows}': '1,461', '${weather.data[0].date}': '2012-01-01', '${weather.data[0].weather}': 'drizzle', '${weather.data[0].temp_max}': '12.8',
  });
  assert.match(first.data.result.html, /<h1>Seattle, <span class="live" title="\$\{weather\.rows\}">1,461<\/span> days<\/h1>/);
  assert.match(first.data.result.html, /&lt;b&gt;/, 'the text\'s own HTML stays text');
  const stored = await api.get(`/api/workspaces/${ws.id}/cells/${story.id}/result`);
  assert.equal(stored.body.status, 'done');
  assert.equal(stored.body.result.title, 'Seattle, 1,461 days');

  // A new file, 2013 on: the note runs again, in the same run as the upload, with its figures.
  const lines = full.trimEnd().split('\n');
  const later = `${[lines[0], ...lines.slice(1).filter((l) => !l.startsWith('2012-'))].join('\n')}\n`;
  const rows = later.trimEnd().split('\n').length - 1;
  const seen = events.received.length;
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, later, 'seattle-2013-on.csv')).status, 201);
  const again = await events.waitFor((e) => events.received.indexOf(e) >= seen && on('cell.result', story.id)(e), 60_000);
  assert.notEqual(again.data.runId, first.data.runId);
  assert.equal(valuesOf(again.data.result)['${weather.rows}'], rows.toLocaleString('en-US'));
  assert.equal(valuesOf(again.data.result)['${weather.data[0].date}'], '2013-01-01');

  const report = await api.get(`/api/runs/${again.data.runId}/report`);
  assert.equal(report.status, 200);
  assert.ok(String(report.body).includes(`<div class="note">${again.data.result.html}</div>`), 'the report holds the rendered note');
  events.close();
});

test('a path that leads nowhere, or a cell that does not exist, is an error on the note that names it', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Broken story');
  const weather = await add('weather', 'upload', '');
  const typo = await add('typo', 'note', 'text: |\n  ## Days\n  ${weather.rowz} days\n');
  const stranger = await add('stranger', 'note', 'text: "${wether.rows} days"\n');
  const missing = await events.waitFor(on('cell.error', stranger.id), 30_000);
  assert.equal(missing.data.error.code, 'missing_input');
  assert.match(missing.data.error.message, /"wether" names no cell in this workspace; did you mean "weather"\?/);

  const csv = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${weather.id}/upload`, csv, 'seattle-weather.csv')).status, 201);
  const failed = await events.waitFor(on('cell.error', typo.id), 60_000);
  assert.equal(failed.data.error.code, 'note_path');
  assert.equal(failed.data.error.path, 'weather.rowz');
  assert.match(failed.data.error.message, /weather\.rowz: weather has no "rowz"; did you mean "rows"\?/);
  assert.equal(failed.data.error.line, 3, 'the YAML line of the value');

  // Fixed, it runs: the error was the path's, nothing else was lost.
  const fixed = await api.patch(`/api/workspaces/${ws.id}/cells/${typo.id}`, { config: 'text: |\n  ## Days\n  ${weather.rows} days\n' });
  assert.equal(fixed.status, 200);
  const done = await events.waitFor(on('cell.result', typo.id), 60_000);
  assert.equal(valuesOf(done.data.result)['${weather.rows}'], '1,461');

  // A ${ that is never closed is refused with the config, at its line.
  const open = await add('open', 'note', 'text: |\n  one\n  two ${weather.rows\n');
  const refused = await events.waitFor(on('cell.error', open.id), 30_000);
  assert.equal(refused.data.error.code, 'config_invalid');
  assert.equal(refused.data.error.line, 3);
  events.close();
});

test('$name reads an input cell\'s value: changing the input re-runs the note; an unknown $name is an error naming it', async () => {
  const { events, add, ws } = await workspaceWithStream(api, 'Threshold story');
  const min = await add('min_cases', 'input', 'type: number\ndefault: 10\nlabel: Minimum cases\n');
  const story = await add('story', 'note', 'text: "At least $min_cases cases; $$5 is a price"\n');
  const first = await events.waitFor(on('cell.result', story.id), 30_000);
  assert.match(first.data.result.html, /At least <span class="live" title="\$min_cases">10<\/span> cases; \$5 is a price/);
  const seen = events.received.length;
  assert.equal((await api.patch(`/api/workspaces/${ws.id}/cells/${min.id}`, { config: 'type: number\ndefault: 10\nvalue: 2500.5\nlabel: Minimum cases\n' })).status, 200);
  const again = await events.waitFor((e) => events.received.indexOf(e) >= seen && on('cell.result', story.id)(e), 30_000);
  assert.equal(valuesOf(again.data.result).$min_cases, '2,500.5');

  const typo = await add('typo', 'note', 'text: "At least $min_case cases"\n');
  const failed = await events.waitFor(on('cell.error', typo.id), 30_000);
  assert.equal(failed.data.error.code, 'unknown_param');
  assert.match(failed.data.error.message, /no input cell "min_case"; did you mean "min_cases"\?/);
  events.close();
});
