// Runs (issue 10) through the real server, PostgreSQL and pg-boss: a rerun on new files, run
// history, comparing runs, the schema lock, and a run's HTML report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { cellOf, finishedRun, rerun, RULES, weatherOf, WEATHER } from '../support/runs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let server: TestServer;
let api: ApiClient;
before(async () => {
  server = await startTestServer();
  api = new ApiClient(server.url);
  await api.signup('runs@example.com');
});
after(async () => { await server?.stop(); });

/** A weather notebook (upload, profile, rules, chart) with the whole file uploaded and every cell done. */
async function weatherNotebook(title: string) {
  const { ws, events, add } = await workspaceWithStream(api, title);
  const upload = await add('weather', 'upload', '');
  const stats = await add('stats', 'profile', 'input: weather\n');
  const checks = await add('checks', 'rule', RULES);
  const chart = await add('monthly', 'chart', 'input: weather\nx: {field: date, bin: month}\ny: mean(temp_max)\n');
  const up = await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(WEATHER), 'seattle-weather.csv');
  assert.equal(up.status, 201);
  for (const c of [upload, stats, checks, chart]) await events.waitFor(on('cell.result', c.id, (e) => e.data.runId === up.body.runId), 60_000);
  return { ws, events, upload, stats, checks, chart, firstRunId: up.body.runId as string };
}

const rule = (run: any, name: string) => cellOf(run, 'checks').result.rules.find((r: any) => r.name === name);

test('a rerun on a new file gives that file\'s results as a new run; the earlier run stays as it was; history and comparison over three runs', async () => {
  const nb = await weatherNotebook('Weather runs');
  const first = await finishedRun(api, nb.firstRunId);
  assert.equal(first.trigger, 'upload');
  assert.equal(cellOf(first, 'weather').result.rows, 1461);

  // 2012 only: 366 rows.
  const second = await rerun(api, nb.ws.id, { weather: ['weather-2012.csv', weatherOf('2012')] });
  assert.equal(second.status, 202);
  const run2 = await finishedRun(api, second.body.runId);
  assert.equal(run2.trigger, 'files');
  assert.equal(run2.user.email, 'runs@example.com');
  // The audit trail says who brought which file and ran the notebook.
  const trail = (await api.get(`/api/workspaces/${nb.ws.id}/audit`)).body as { action: string; actor: string; detail: any }[];
  assert.ok(trail.some((t) => t.action === 'file.uploaded' && t.detail.file === 'weather-2012.csv' && t.detail.trigger === 'files' && t.actor === 'runs@example.com'));
  assert.ok(trail.some((t) => t.action === 'workspace.ran' && t.detail.runId === run2.id));
  assert.deepEqual(run2.cells.map((c: any) => c.name), ['weather', 'stats', 'checks', 'monthly']);
  assert.ok(run2.cells.every((c: any) => c.runId === run2.id), 'every cell ran (or reused) in the new run');
  assert.equal(cellOf(run2, 'weather').result.rows, 366);
  assert.equal(cellOf(run2, 'stats').result.rows, 366);
  assert.equal(cellOf(run2, 'checks').result.rows, 366);
  assert.deepEqual(run2.files.map((f: any) => [f.cell, f.name]), [['weather', 'weather-2012.csv']]);

  // The first run still reads as it did.
  const again = await finishedRun(api, nb.firstRunId);
  assert.equal(cellOf(again, 'weather').result.rows, 1461);
  assert.equal(cellOf(again, 'stats').result.rows, 1461);
  assert.deepEqual(again.summary, first.summary);

  // 2013 with precipitation emptied on 10 rows and every temp_max raised by 10 degrees: a
  // failing not_null rule, more hot days, a shifted mean.
  let emptied = 0;
  const third = await rerun(api, nb.ws.id, {
    weather: ['weather-2013.csv', weatherOf('2013', (line, i) => {
      if (i === 0) return line;
      const f = line.split(',');
      f[2] = String(Number(f[2]) + 10);
      if (emptied < 10) { f[1] = ''; emptied++; }
      return f.join(',');
    })],
  });
  const run3 = await finishedRun(api, third.body.runId);
  assert.equal(cellOf(run3, 'weather').result.rows, 365);
  assert.equal(rule(run3, 'not_null precipitation').violations, 10);
  assert.equal(rule(run3, 'not_null precipitation').status, 'fail');
  assert.equal(rule(run2, 'not_null precipitation').status, 'pass');
  // Hot days and the emptied precipitation fail in 2013; 2012 fails fewer (at most its hot days).
  assert.equal(run3.summary.fail, 2);
  assert.ok(run2.summary.fail < run3.summary.fail);

  // History: newest first, each with trigger, who, when, files and the rule summary.
  const history = (await api.get(`/api/workspaces/${nb.ws.id}/runs`)).body as any[];
  const ours = history.filter((r) => ['upload', 'files'].includes(r.trigger));
  assert.deepEqual(ours.map((r) => r.id), [run3.id, run2.id, first.id]);
  assert.deepEqual(ours[0].summary, run3.summary);
  assert.deepEqual(ours[2].summary, first.summary);
  assert.equal(ours[1].files[0].name, 'weather-2012.csv');
  assert.ok(ours.every((r) => r.status === 'done' && r.user?.email === 'runs@example.com' && r.createdAt));

  // Compare the first run with the third.
  const cmp = (await api.get(`/api/workspaces/${nb.ws.id}/compare?a=${first.id}&b=${run3.id}`)).body;
  assert.deepEqual(cmp.tables, [{ cell: 'weather', rows: { a: 1461, b: 365, delta: -1096 }, added: [], removed: [], retyped: [] }]);
  const shifts = cmp.profiles.map((p: any) => p.shift);
  assert.deepEqual(shifts, [...shifts].sort((x: number, y: number) => y - x), 'largest shifts first');
  const tempMax = cmp.profiles.find((p: any) => p.column === 'temp_max');
  const mean = tempMax.changes.find((ch: any) => ch.stat === 'mean');
  assert.ok(mean.b - mean.a > 5, `temp_max mean rose: ${mean.a} → ${mean.b}`);
  const nulls = cmp.profiles.find((p: any) => p.column === 'precipitation').changes.find((ch: any) => ch.stat === 'nulls');
  assert.deepEqual([nulls.a, nulls.b], [0, 10]);
  const changedRule = cmp.rules.find((r: any) => r.rule === 'not_null precipitation');
  assert.deepEqual(changedRule, { cell: 'checks', rule: 'not_null precipitation', a: { status: 'pass', violations: 0 }, b: { status: 'fail', violations: 10 } });
  assert.ok(!cmp.rules.some((r: any) => r.rule === 'allowed_values weather'), 'an unchanged rule is not listed');
  const trend = cmp.trends.find((t: any) => t.rule === 'not_null precipitation');
  assert.deepEqual(trend.points.filter((p: any) => [first.id, run2.id, run3.id].includes(p.runId)).map((p: any) => p.violations), [0, 0, 10]);

  // A schema change shows as one: a column dropped.
  const dropped = await rerun(api, nb.ws.id, { weather: ['no-wind.csv', weatherOf('2014', (l) => l.split(',').filter((_, i) => i !== 4).join(','))] });
  const run4 = await finishedRun(api, dropped.body.runId);
  const cmp2 = (await api.get(`/api/workspaces/${nb.ws.id}/compare?a=${run3.id}&b=${run4.id}`)).body;
  assert.deepEqual(cmp2.tables[0].removed, [{ name: 'wind', type: 'float' }]);

  // The report of a past run: one HTML file with its rules, its profile and its chart as SVG.
  const report = await fetch(`${api.base}/api/runs/${run3.id}/report`, { headers: api.headers() });
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-disposition') ?? '', /attachment; filename="Weather-runs-report.html"/);
  const html = await report.text();
  assert.match(html, /weather-2013\.csv/);
  assert.match(html, /not_null precipitation/);
  assert.match(html, /<svg[^>]*role="img"/);
  assert.doesNotMatch(html, /<script/i);
  nb.events.close();
});

test('bad reruns are refused naming the problem, and make no run', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Bad reruns');
  await add('weather', 'upload', '');
  const before = (await api.get(`/api/workspaces/${ws.id}/runs`)).body.length;
  const unknown = await rerun(api, ws.id, { sales: ['x.csv', 'a,b\n1,2\n'] });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /field "sales" is not expected; the fields name this workspace.s upload cells: weather/);
  const json = await api.post(`/api/workspaces/${ws.id}/runs`, { weather: 'x' });
  assert.equal(json.status, 400);
  assert.match(json.body.error.message, /multipart\/form-data/);
  assert.equal((await api.get(`/api/workspaces/${ws.id}/runs`)).body.length, before, 'no run was made');

  // Someone else sees neither the workspace's runs nor a run by its id.
  const other = new ApiClient(server.url);
  await other.signup('other-runs@example.com');
  const ok = await rerun(api, ws.id, { weather: ['w.csv', weatherOf('2015')] });
  assert.equal(ok.status, 202);
  assert.equal((await other.get(`/api/runs/${ok.body.runId}`)).status, 404);
  assert.equal((await other.get(`/api/runs/${ok.body.runId}/report`)).status, 404);
  assert.equal((await other.get(`/api/workspaces/${ws.id}/runs`)).status, 404);
  assert.equal((await rerun(other, ws.id, { weather: ['w.csv', weatherOf('2015')] })).status, 404);
  assert.equal((await api.get('/api/runs/not-a-uuid')).status, 404);

  // A script with an API token reruns too, recorded as such.
  const token = (await api.post('/api/tokens', { name: 'ci' })).body.token;
  const script = new ApiClient(server.url);
  script.bearer = token;
  const byScript = await rerun(script, ws.id, { weather: ['w2.csv', weatherOf('2014')] });
  assert.equal(byScript.status, 202);
  const scripted = await finishedRun(script, byScript.body.runId);
  assert.deepEqual([scripted.trigger, scripted.user.email], ['api', 'runs@example.com']);
  events.close();
});

test('the schema lock: a rerun whose file drifts says so on the upload cell, and nothing downstream runs on it', async () => {
  const nb = await weatherNotebook('Locked weather');
  const locked = await api.post(`/api/workspaces/${nb.ws.id}/schema-lock`, { locked: true });
  assert.equal(locked.status, 200);
  assert.deepEqual(locked.body.schemas.weather.map((c: any) => `${c.name}:${c.type}`),
    ['date:date', 'precipitation:float', 'temp_max:float', 'temp_min:float', 'wind:float', 'weather:string']);
  const ws = (await api.get(`/api/workspaces/${nb.ws.id}`)).body;
  assert.match(ws.cells[0].config, /^schema: \{ date: date, precipitation: float, temp_max: float, temp_min: float, wind: float, weather: string \}$/m);

  // The same shape passes.
  const same = await finishedRun(api, (await rerun(api, nb.ws.id, { weather: ['2012.csv', weatherOf('2012')] })).body.runId);
  assert.equal(cellOf(same, 'weather').status, 'done');

  // wind dropped, a column added, temp_min as text.
  const drifted = weatherOf('2013', (line, i) => {
    const f = line.split(',');
    f.splice(4, 1);
    if (i > 0 && i < 3) f[3] = 'n/a?';
    return [...f, i === 0 ? 'station' : 'SEA'].join(',');
  });
  const run = await finishedRun(api, (await rerun(api, nb.ws.id, { weather: ['drifted.csv', drifted] })).body.runId);
  const upload = cellOf(run, 'weather');
  assert.equal(upload.status, 'error');
  assert.equal(upload.error.code, 'schema_drift');
  assert.deepEqual(upload.error.drift, {
    missing: [{ name: 'wind', type: 'float' }],
    added: [{ name: 'station', type: 'string' }],
    retyped: [{ name: 'temp_min', locked: 'float', found: 'string' }],
  });
  assert.match(upload.error.message, /drifted\.csv does not match the locked schema: column "wind" \(float\) is missing; column "station" \(string\) is new; column "temp_min" reads as string, locked as float/);
  for (const name of ['stats', 'checks', 'monthly']) {
    assert.equal(cellOf(run, name).status, 'stale', `${name} did not run on the drifted file`);
    assert.equal(cellOf(run, name).result, null);
  }

  // Unlocking accepts the new shape.
  assert.equal((await api.post(`/api/workspaces/${nb.ws.id}/schema-lock`, { locked: false })).status, 200);
  assert.doesNotMatch((await api.get(`/api/workspaces/${nb.ws.id}`)).body.cells[0].config, /schema/);
  assert.equal((await api.post(`/api/workspaces/${nb.ws.id}/schema-lock`, { locked: 'yes' })).status, 400);
  nb.events.close();
});

test('the violation ledger: a keyed rule\'s failing rows followed across runs as new, still failing or resolved', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Ledger');
  await add('weather', 'upload', '');
  await add('checks', 'rule', 'input: weather\nrules:\n  - check: range\n    name: hot days\n    column: temp_max\n    max: 30\n    key: date\n');
  const hot = weatherOf('2012').trimEnd().split('\n').slice(1).map((l) => l.split(',')).filter((f) => Number(f[2]) > 30).map((f) => f[0]!);
  assert.ok(hot.length >= 3, `2012 has hot days: ${hot}`);
  const run1 = await finishedRun(api, (await rerun(api, ws.id, { weather: ['2012.csv', weatherOf('2012')] })).body.runId);
  // The first hot day fixed, 1 January made hot.
  const edited = weatherOf('2012', (line) => {
    const f = line.split(',');
    if (f[0] === hot[0]) f[2] = '20';
    if (f[0] === '2012-01-01') f[2] = '35';
    return f.join(',');
  });
  const run2 = await finishedRun(api, (await rerun(api, ws.id, { weather: ['2012-fixed.csv', edited] })).body.runId);

  const day = (iso: unknown) => String(iso).slice(0, 10);
  const first = (await api.get(`/api/workspaces/${ws.id}/ledger?run=${run1.id}`)).body;
  assert.equal(first.runId, run1.id);
  assert.deepEqual(first.rules[0].new.map((e: any) => day(e.key)).sort(), [...hot].sort());
  assert.equal(first.rules[0].key, 'date');

  const ledger = (await api.get(`/api/workspaces/${ws.id}/ledger`)).body;
  assert.equal(ledger.runId, run2.id, 'the newest run by default');
  const [hotDays] = ledger.rules;
  assert.deepEqual([hotDays.cell, hotDays.rule], ['checks', 'hot days']);
  assert.deepEqual(hotDays.new.map((e: any) => day(e.key)), ['2012-01-01']);
  assert.deepEqual(hotDays.resolved.map((e: any) => [day(e.key), e.firstSeen.runId, e.lastFailed.runId]), [[hot[0], run1.id, run1.id]]);
  assert.deepEqual(hotDays.stillFailing.map((e: any) => day(e.key)).sort(), hot.slice(1).sort());
  assert.ok(hotDays.stillFailing.every((e: any) => e.firstSeen.runId === run1.id));

  // An edit re-runs only the rule cell; its run still reads as the whole notebook.
  const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells;
  const edit = await api.patch(`/api/workspaces/${ws.id}/cells/${cells[1].id}`, { config: cells[1].config.replace('max: 30', 'max: 31') });
  assert.equal(edit.status, 200);
  const history = (await api.get(`/api/workspaces/${ws.id}/runs`)).body;
  assert.equal(history[0].trigger, 'edit');
  const edited3 = await finishedRun(api, history[0].id);
  assert.deepEqual(edited3.cells.map((c: any) => [c.name, c.runId]), [['weather', run2.id], ['checks', edited3.id]]);
  assert.deepEqual(edited3.files.map((f: any) => f.name), ['2012-fixed.csv']);
  events.close();
});
