// The presentation data (GET /api/workspaces/:id/presentation): a viewer by link reads the
// notebook in order with its results and no YAML; a stranger cannot; a viewer still changes
// nothing; a viewer's own run (runs.personal_for) shows in their presentation only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { WEATHER } from '../support/runs.ts';
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

test('a viewer\'s own run shows in their presentation, with their values; the owner\'s presentation and workspace stay the notebook\'s', async () => {
  const { ws, rules } = await notebook();
  const share = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = await signedUp('tinkerer@example.com');
  await viewer.post('/api/shares/accept', { token: share.token });
  const viewerId = (await viewer.get('/api/me')).body.id;

  // A run of the viewer's own, as their input values make one: the rule's cell run in it holds their outcome.
  const { sql } = server.services;
  const mineResult = { summary: { pass: 1, warn: 0, fail: 0, error: 0 }, rules: [{ name: 'temp_max in range', check: 'range', status: 'pass', violations: 0, violationRate: 0, samples: [] }] };
  const [run] = await sql`insert into runs (workspace_id, trigger, user_id, params, personal_for)
    values (${ws.id}, 'edit', ${viewerId}, ${JSON.stringify({ max_temp: 40 })}::jsonb, ${viewerId}) returning id`;
  await sql`insert into cell_runs (run_id, workspace_id, cell_id, kind, fingerprint, config, status, progress, result)
    values (${run!.id}, ${ws.id}, ${rules}, 'rule', 'personal-test', '', 'done', 1, ${JSON.stringify(mineResult)}::jsonb)`;

  const mine = (await viewer.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.deepEqual(mine.personal.values, { max_temp: 40 });
  assert.equal(mine.personal.runId, run!.id);
  const myRules = mine.cells.find((c: any) => c.name === 'heat_rules');
  assert.equal(myRules.personal, true);
  assert.equal(myRules.result.summary.fail, 0);
  assert.equal(mine.cells.find((c: any) => c.name === 'by_weather').personal, false, 'a cell their values do not reach shows the notebook\'s result');

  const theirs = (await owner.get(`/api/workspaces/${ws.id}/presentation`)).body;
  assert.equal(theirs.personal, null);
  const ownerRules = theirs.cells.find((c: any) => c.name === 'heat_rules');
  assert.equal(ownerRules.personal, false);
  assert.equal(ownerRules.result.summary.fail, 1);
});
