// The presentation data (GET /api/workspaces/:id/presentation): a viewer by link reads the
// notebook in order with its results and no YAML; a stranger cannot; a viewer still changes
// nothing; a viewer's own values run as their own run (runs.personal_for), shown in their
// presentation only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { finishedRun, WEATHER } from '../support/runs.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { workspaceWithStream } from '../support/workspace.ts';

const CSV = fs.readFileSync(WEATHER, 'utf8');
// Counted here from the file: days over 30 °C.
const HOT_DAYS = CSV.trim().split('\n').slice(1).filter((l) => Number(l.split(',')[2]) > 30).length;

let server: TestServer;
let owner: ApiClient;
serveSignedUp('presenter@example.com', (s, api) => { server = s; owner = api; });

async function signedUp(email: string): Promise<ApiClient> {
  const c = new ApiClient(server.url);
  await c.signup(email);
  return c;
}

/** The owner's notebook: weather, a profile, a rule that fails on hot days, a chart; every cell run. */
async function notebook() {
  const { ws, events, add } = await workspaceWithStream(owner, 'Seattle summer');
  try {
    const upload = await add('weather', 'upload', '');
    const up = await owner.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, CSV, 'seattle-weather.csv');
    assert.equal(up.status, 201, JSON.stringify(up.body));
    await add('weather_profile', 'profile', 'input: weather');
    const rules = await add('heat_rules', 'rule', 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: 30\n');
    const chart = await add('by_weather', 'chart', 'input: weather\nx: weather\ntitle: Days by weather\n');
    for (const id of [rules.id, chart.id]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === id, 60_000);
    return { ws: ws as { id: string }, rules: rules.id, chart: chart.id };
  } finally {
    events.close();
  }
}

test('a viewer by link reads the presentation: cells in order, results, no YAML; a stranger gets 404 and nobody signed out gets in', async () => {
  const { ws } = await notebook();
  const share = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = await signedUp('reader@example.com');
  assert.equal((await viewer.post('/api/shares/accept', { token: share.token })).status, 200);

  const res = await viewer.get(`/api/workspaces/${ws.id}/presentation`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const doc = res.body;
  assert.equal(doc.title, 'Seattle summer');
  assert.equal(doc.role, 'view');
  assert.equal(doc.canEdit, false);
  assert.equal(doc.owner.email, 'presenter@example.com');
  assert.equal(doc.personal, null);
  assert.deepEqual(doc.cells.map((c: any) => c.name), ['weather', 'weather_profile', 'heat_rules', 'by_weather']);
  for (const c of doc.cells) assert.equal('config' in c, false, `${c.name} carries no YAML`);
  const rules = doc.cells.find((c: any) => c.name === 'heat_rules');
  assert.equal(rules.status, 'done');
  assert.equal(rules.personal, false);
  assert.equal(rules.result.rules[0].violations, HOT_DAYS);
  assert.equal(rules.result.summary.fail, 1);
  assert.equal(doc.cells.find((c: any) => c.name === 'by_weather').result.data.length, 5);

  const stranger = await signedUp('stranger@example.com');
  const refused = await stranger.get(`/api/workspaces/${ws.id}/presentation`);
  assert.equal(refused.status, 404);
  assert.equal(JSON.stringify(refused.body).includes('Seattle'), false, 'a stranger learns nothing of it');
  assert.equal((await new ApiClient(server.url).get(`/api/workspaces/${ws.id}/presentation`)).status, 401);
});

test('a viewer can never change the notebook: their calls to change cells, run or rename get 403 and nothing changes', async () => {
  const { ws, rules } = await notebook();
  const share = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = await signedUp('looker@example.com');
  await viewer.post('/api/shares/accept', { token: share.token });
  const before = (await owner.get(`/api/workspaces/${ws.id}`)).body;
  const attempts = [
    await viewer.patch(`/api/workspaces/${ws.id}/cells/${rules}`, { config: 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: 40\n' }),
    await viewer.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'mine', config: 'input: weather' }),
    await viewer.delete(`/api/workspaces/${ws.id}/cells/${rules}`),
    await viewer.post(`/api/workspaces/${ws.id}/run`),
    await viewer.patch(`/api/workspaces/${ws.id}`, { title: 'Taken' }),
  ];
  assert.deepEqual(attempts.map((a) => a.status), [403, 403, 403, 403, 403]);
  const after = (await owner.get(`/api/workspaces/${ws.id}`)).body;
  assert.equal(after.version, before.version);
  assert.deepEqual(after.cells.map((c: any) => c.config), before.cells.map((c: any) => c.config));
});

test('a viewer\'s values run as their own run: their rule changes in their presentation only; a bad value is refused naming it; reset goes back to the saved values', async () => {
  const { ws, events, add } = await workspaceWithStream(owner, 'Heat, by threshold');
  let rules: { id: string };
  try {
    const upload = await add('weather', 'upload', '');
    await owner.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, CSV, 'seattle-weather.csv');
    await add('max_temp', 'input', 'type: number\ndefault: 30\nmin: 0\nmax: 50\nlabel: Hottest allowed day\n');
    rules = await add('heat_rules', 'rule', 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: $max_temp\n');
    await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === rules.id, 60_000);
  } finally {
    events.close();
  }
  const share = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = await signedUp('slider@example.com');
  await viewer.post('/api/shares/accept', { token: share.token });
  const before = (await owner.get(`/api/workspaces/${ws.id}`)).body;

  const first = (await viewer.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.deepEqual(first.parameters, ['max_temp']);
  assert.equal(first.cells.find((c: any) => c.name === 'heat_rules').result.rules[0].violations, HOT_DAYS);

  const refused = await viewer.post(`/api/workspaces/${ws.id}/presentation/values`, { params: { max_temp: 99 } });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.field, 'params.max_temp');
  assert.match(refused.body.error.message, /max_temp/);
  const unknown = await viewer.post(`/api/workspaces/${ws.id}/presentation/values`, { params: { max_tmp: 40 } });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /max_temp/, 'did you mean');

  const started = await viewer.post(`/api/workspaces/${ws.id}/presentation/values`, { params: { max_temp: 33 } });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await finishedRun(viewer, started.body.runId);
  const hotter = CSV.trim().split('\n').slice(1).filter((l) => Number(l.split(',')[2]) > 33).length;
  const mine = (await viewer.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.deepEqual(mine.personal.values, { max_temp: 33 });
  assert.deepEqual(mine.personal.saved, { max_temp: 30 });
  const myRules = mine.cells.find((c: any) => c.name === 'heat_rules');
  assert.equal(myRules.personal, true);
  assert.equal(myRules.result.rules[0].violations, hotter);
  assert.equal(mine.cells.find((c: any) => c.name === 'max_temp').result.value, 33);
  assert.equal(mine.cells.find((c: any) => c.name === 'weather').personal, false, 'a cell the value does not reach is the notebook\'s');

  // The owner: their presentation and their workspace are as they were.
  const theirs = (await owner.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.equal(theirs.personal, null);
  assert.equal(theirs.cells.find((c: any) => c.name === 'heat_rules').result.rules[0].violations, HOT_DAYS);
  const after = (await owner.get(`/api/workspaces/${ws.id}`)).body;
  assert.equal(after.version, before.version);
  assert.deepEqual(after.cells.map((c: any) => [c.config, c.latest?.runId]), before.cells.map((c: any) => [c.config, c.latest?.runId]));

  assert.equal((await viewer.delete(`/api/workspaces/${ws.id}/presentation/values`)).status, 200);
  const reset = (await viewer.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.equal(reset.personal, null);
  assert.equal(reset.cells.find((c: any) => c.name === 'heat_rules').result.rules[0].violations, HOT_DAYS);
});
