// Input cells and `$name` parameters through the server (issue 22): an input read by a rule and
// by a query; changing it re-runs exactly the cells that read it; a text value that would be an
// injection is compared as a value; an unknown `$name` is an error naming it; a rerun given
// values records them and leaves the saved notebook alone; a schedule gives its values to its
// runs; a viewer's own run is theirs alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fireSchedule } from '../../server/runs/schedule.ts';
import { startPersonalRun } from '../../server/runs/personal.ts';
import { ApiClient } from '../support/client.ts';
import { finishedRun, cellOf } from '../support/runs.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const COVID = fs.readFileSync(path.join(DATA, 'ecdc-covid19-2020-03-30-dmy.csv'), 'utf8');
/** The file's rows, split here without polars: what the cells' answers are checked against. */
const ROWS = COVID.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
const atLeast = (n: number) => ROWS.filter((r) => Number(r[4]) >= n).length;

let api: ApiClient;
let server: TestServer;
let me: { id: string };
serveSignedUp('params@example.com', (s, a) => { server = s; api = a; });

const inputYaml = (value?: number) => `type: number\ndefault: 100\nmin: 0\nmax: 1000000\nlabel: Minimum cases\n${value === undefined ? '' : `value: ${value}\n`}`;

/** A workspace: covid upload, a profile (reads no input), the input, a rule and a query that read it. */
async function covidNotebook(title: string) {
  me ??= (await api.get('/api/me')).body;
  const { ws, events, add } = await workspaceWithStream(api, title);
  const covid = await add('covid', 'upload', '');
  const stats = await add('stats', 'profile', 'input: covid\n');
  const min = await add('min_cases', 'input', inputYaml());
  const checks = await add('checks', 'rule', 'input: covid\nrules:\n  - check: range\n    column: cases\n    min: $min_cases\n    warn_if: "> 0"\n');
  const big = await add('big', 'sql', 'sql: SELECT geoId, cases FROM covid WHERE cases >= $min_cases\n');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${covid.id}/upload`, COVID, 'covid.csv')).status, 201);
  await events.waitFor(on('cell.result', stats.id), 120_000);
  const ruled = await events.waitFor(on('cell.result', checks.id), 60_000);
  const queried = await events.waitFor(on('cell.result', big.id), 60_000);
  return { ws, events, add, covid, stats, min, checks, big, ruled, queried };
}

const ruleViolations = (result: any) => result.rules[0].violations;

test('an input read by a rule and a query: changing it re-runs exactly those cells, with the new value', async () => {
  const nb = await covidNotebook('Cases');
  assert.equal(ruleViolations(nb.ruled.data.result), ROWS.length - atLeast(100));
  assert.equal(nb.queried.data.result.rows, atLeast(100));

  const seen = nb.events.received.length;
  const saved = await api.patch(`/api/workspaces/${nb.ws.id}/cells/${nb.min.id}`, { config: inputYaml(1000) });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const after = (e: any) => nb.events.received.indexOf(e) >= seen;
  const ruled = await nb.events.waitFor((e) => after(e) && on('cell.result', nb.checks.id)(e), 60_000);
  const queried = await nb.events.waitFor((e) => after(e) && on('cell.result', nb.big.id)(e), 60_000);
  assert.equal(ruleViolations(ruled.data.result), ROWS.length - atLeast(1000));
  assert.equal(queried.data.result.rows, atLeast(1000));
  const run = await finishedRun(api, ruled.data.runId);
  const ranHere = run.cells.filter((c: any) => c.runId === run.id).map((c: any) => c.name).sort();
  assert.deepEqual(ranHere, ['big', 'checks', 'min_cases'], 'the input and the two cells that read it; not the upload or the profile');
  nb.events.close();
});

test('a text input in SQL is a bound value: an injection text matches nothing, a real value its rows', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Injection');
  const covid = await add('covid', 'upload', '');
  const geo = await add('geo', 'input', 'type: text\ndefault: NA\n');
  const byGeo = await add('by_geo', 'sql', 'sql: SELECT geoId, cases FROM covid WHERE geoId = $geo\n');
  await api.upload(`/api/workspaces/${ws.id}/cells/${covid.id}/upload`, COVID, 'covid.csv');
  const namibia = await events.waitFor(on('cell.result', byGeo.id), 60_000);
  assert.equal(namibia.data.result.rows, ROWS.filter((r) => r[7] === 'NA').length);
  for (const attack of ["'; DROP TABLE covid; --", "' OR 1=1 --"]) {
    const seen = events.received.length;
    assert.equal((await api.patch(`/api/workspaces/${ws.id}/cells/${geo.id}`, { config: `type: text\nvalue: ${JSON.stringify(attack)}\n` })).status, 200);
    const r = await events.waitFor((e) => events.received.indexOf(e) >= seen && on('cell.result', byGeo.id)(e), 60_000);
    assert.equal(r.data.result.rows, 0, `${attack} is compared as a geoId`);
  }
  // The table is still there and whole: the query over it still reads every row.
  const all = await add('all', 'sql', 'sql: SELECT count(*) AS n FROM covid\n');
  const counted = await events.waitFor(on('cell.result', all.id), 60_000);
  assert.equal(counted.data.result.preview.rows[0][0], ROWS.length);
  events.close();
});

test('an unknown $name is an error on the cell naming it and the nearest input', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Typos');
  await add('covid', 'upload', '');
  await add('min_cases', 'input', inputYaml());
  const typo = await add('typo', 'rule', 'input: covid\nrules:\n  - check: range\n    column: cases\n    min: $min_casez\n');
  const failed = await events.waitFor(on('cell.error', typo.id), 30_000);
  assert.equal(failed.data.error.code, 'unknown_param');
  assert.equal(failed.data.error.message, 'no input cell "min_casez"; did you mean "min_cases"?');
  // `$covid` names a cell that is no input: once the file is there and the query runs, it says so.
  const notInput = await add('wrong', 'sql', 'sql: SELECT * FROM covid WHERE cases > $covid\n');
  const covid = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.find((c: any) => c.name === 'covid');
  await api.upload(`/api/workspaces/${ws.id}/cells/${covid.id}/upload`, COVID, 'covid.csv');
  const named = await events.waitFor(on('cell.error', notInput.id), 60_000);
  assert.equal(named.data.error.code, 'unknown_param');
  assert.match(named.data.error.message, /"\$covid" names cell "covid", which is not an input cell/);
  events.close();
});

test('a rerun given values: recorded in the run and its history, compared, the saved notebook unchanged; a bad value is a 400 naming it', async () => {
  const nb = await covidNotebook('Rerun with values');
  const before = (await api.get(`/api/workspaces/${nb.ws.id}`)).body;

  const bad = await api.post(`/api/workspaces/${nb.ws.id}/runs`, { params: { min_casez: 10 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'params.min_casez');
  assert.match(bad.body.error.message, /"min_casez" is not an input cell of this notebook; did you mean "min_cases"\?/);
  const outside = await api.post(`/api/workspaces/${nb.ws.id}/runs`, { params: { min_cases: -1 } });
  assert.equal(outside.status, 400);
  assert.match(outside.body.error.message, /min_cases: must be at least 0/);
  assert.equal((await api.post(`/api/workspaces/${nb.ws.id}/runs`, { params: [1] })).status, 400);

  const started = await api.post(`/api/workspaces/${nb.ws.id}/runs`, { params: { min_cases: 10 } });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const run = await finishedRun(api, started.body.runId, 120_000);
  assert.deepEqual(run.params, { min_cases: 10 });
  assert.equal(cellOf(run, 'min_cases').result.value, 10);
  assert.equal(ruleViolations(cellOf(run, 'checks').result), ROWS.length - atLeast(10));
  assert.equal(cellOf(run, 'big').result.rows, atLeast(10));
  assert.equal(cellOf(run, 'stats').runId, run.id, 'a complete record: every cell has a cell run in it');

  const afterRun = (await api.get(`/api/workspaces/${nb.ws.id}`)).body;
  assert.equal(afterRun.cells.find((c: any) => c.name === 'min_cases').config, inputYaml(), 'the saved config is as it was');
  assert.equal(afterRun.version, before.version, 'the notebook did not change');
  const history = (await api.get(`/api/workspaces/${nb.ws.id}/runs`)).body;
  assert.deepEqual(history.find((r: any) => r.id === run.id).params, { min_cases: 10 });

  const first = nb.ruled.data.runId;
  const compared = (await api.get(`/api/workspaces/${nb.ws.id}/compare?a=${first}&b=${run.id}`)).body;
  assert.deepEqual(compared.params, [{ name: 'min_cases', a: 100, b: 10 }]);
  assert.ok(compared.notes.some((n: any) => n.cell === 'min_cases' && /from 100 to 10/.test(n.text)), JSON.stringify(compared.notes));
  nb.events.close();
});

test('a schedule keeps values and gives them to every run it fires; a bad one is refused', async () => {
  const nb = await covidNotebook('Scheduled with values');
  const refused = await api.put(`/api/workspaces/${nb.ws.id}/schedule`, { cron: '0 6 * * *', folder: 'covid', params: { min_cases: 'many' } });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.field, 'params.min_cases');
  const set = await api.put(`/api/workspaces/${nb.ws.id}/schedule`, { cron: '0 6 * * *', folder: 'covid', params: { min_cases: 5 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.params, { min_cases: 5 });
  const inbox = path.join(server.dataDir, 'inbox', me.id, 'covid');
  fs.mkdirSync(inbox, { recursive: true });
  fs.writeFileSync(path.join(inbox, 'covid.csv'), COVID);
  await fireSchedule(server.services, nb.ws.id);
  const schedule = (await api.get(`/api/workspaces/${nb.ws.id}/schedule`)).body;
  assert.equal(schedule.lastError, null);
  const run = await finishedRun(api, schedule.lastRunId, 120_000);
  assert.equal(run.trigger, 'schedule');
  assert.deepEqual(run.params, { min_cases: 5 });
  assert.equal(cellOf(run, 'big').result.rows, atLeast(5));
  nb.events.close();
});

test('a viewer\'s own run: theirs alone, the notebook\'s latest and everyone else\'s stream unchanged', async () => {
  const nb = await covidNotebook('Personal values');
  const share = (await api.post(`/api/workspaces/${nb.ws.id}/shares`, { role: 'view' })).body;
  const viewer = new ApiClient(server.url);
  const who = await viewer.signup('params-viewer@example.com');
  assert.equal((await viewer.post('/api/shares/accept', { token: share.token })).status, 200);
  const theirs = viewer.events(nb.ws.id);
  await theirs.ready;

  const listed = async () => (await api.get('/api/workspaces')).body.find((w: any) => w.id === nb.ws.id);
  const before = await listed();
  await assert.rejects(startPersonalRun(server.services, nb.ws.id, who.id, { min_case: 1 }), /did you mean "min_cases"/);
  const runId = await startPersonalRun(server.services, nb.ws.id, who.id, { min_cases: 7 });
  const mine = await theirs.waitFor((e) => e.event === 'cell.result' && e.data.runId === runId && e.data.cellId === nb.big.id, 60_000);
  assert.equal(mine.data.personal, true);
  assert.equal(mine.data.result.rows, atLeast(7));
  const run = await finishedRun(viewer, runId, 60_000);
  assert.deepEqual(run.params, { min_cases: 7 });
  assert.equal(cellOf(run, 'stats').status, 'done', 'the profile reads no input: its result is reused at once');

  assert.equal((await api.get(`/api/runs/${runId}`)).status, 404, 'the owner does not see a viewer\'s own run');
  assert.ok(!(await api.get(`/api/workspaces/${nb.ws.id}/runs`)).body.some((r: any) => r.id === runId), 'nor in the history');
  assert.deepEqual(await listed(), before, 'the workspaces page says what the notebook did, not the viewer');
  const latest = (await api.get(`/api/workspaces/${nb.ws.id}/cells/${nb.big.id}/result`)).body;
  assert.equal(latest.result.rows, atLeast(100), 'the notebook\'s latest is its own');
  const rows = await api.get(`/api/workspaces/${nb.ws.id}/cells/${nb.big.id}/rows?limit=1`);
  assert.equal(rows.body.total, atLeast(100), 'the grid reads the notebook\'s table, not the viewer\'s');

  // Events come in order: once the owner's stream has this later edit's event, it has had every
  // earlier one it was to get, and none of them was the viewer's run.
  const seen = nb.events.received.length;
  await api.patch(`/api/workspaces/${nb.ws.id}`, { title: 'Personal values, renamed' });
  await nb.events.waitFor((e) => nb.events.received.indexOf(e) >= seen && e.event === 'workspace.changed', 30_000);
  assert.ok(!nb.events.received.some((e) => e.data.runId === runId), 'the owner\'s stream carried none of the viewer\'s run');
  theirs.close();
  nb.events.close();
});
