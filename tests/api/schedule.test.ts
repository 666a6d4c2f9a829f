// Scheduled reruns (issue 10): a cron schedule, fired by pg-boss (checked every second here),
// reruns the workspace on the newest file of its inbox folder and records the run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { cellOf, finishedRun, RULES, weatherOf } from '../support/runs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { workspaceWithStream } from '../support/workspace.ts';
import { eventually } from '../support/wait.ts';
import { onceSoon } from '../support/cron.ts';

let server: TestServer;
let api: ApiClient;
before(async () => {
  // Every second, so the test need not wait minutes (a server refuses that by default: ASSAY_SCHEDULE_MIN_MINUTES).
  server = await startTestServer({ scheduleCheckSeconds: 1, scheduleMinMinutes: 0 });
  api = new ApiClient(server.url);
  await api.signup('schedules@example.com');
});
after(async () => { await server?.stop(); });

/** The schedule, once it has fired and `done` says it is the firing awaited. */
async function firing(wsId: string, done: (s: any) => boolean, timeoutMs = 20_000) {
  let s: any;
  return eventually(async () => {
    s = (await api.get(`/api/workspaces/${wsId}/schedule`)).body;
    return s && done(s) && s;
  }, () => `the schedule did not fire as awaited: ${JSON.stringify(s)}`, { timeoutMs });
}

async function weatherWorkspace(title: string) {
  const { ws, events, add } = await workspaceWithStream(api, title);
  await add('weather', 'upload', '');
  await add('checks', 'rule', RULES);
  return { ws, events };
}

// pg-boss sends a schedule at most once per minute slot, so each case below uses its own
// workspace (its own schedule) and waits for that schedule's first firing only. The cases that
// make no run may fire again harmlessly; the one that reads its run fires once (onceSoon).
const EVERY_SECOND = '* * * * * *';

test('a schedule fires, reruns on the newest inbox file, records the run with its failing rules; removed, it is gone', async () => {
  const { ws, events } = await weatherWorkspace('Nightly weather');
  // Bad schedules are refused and change nothing.
  assert.equal((await api.request('PUT', `/api/workspaces/${ws.id}/schedule`, { cron: 'every night', folder: 'weather' })).status, 400);
  assert.equal((await api.request('PUT', `/api/workspaces/${ws.id}/schedule`, { cron: '* * * * *', folder: '../etc' })).status, 400);
  assert.equal((await api.get(`/api/workspaces/${ws.id}/schedule`)).body, null);

  // Someone else's folder of that name is never read: inboxes belong to the person who sets the schedule.
  const me = (await api.get('/api/me')).body;
  const theirs = path.join(server.dataDir, 'inbox', 'someone-else', 'weather');
  fs.mkdirSync(theirs, { recursive: true });
  fs.writeFileSync(path.join(theirs, 'not-mine.csv'), weatherOf('2013'));
  // An older and a newer file: the newer one is used.
  const inbox = path.join(server.dataDir, 'inbox', me.id, 'weather');
  fs.mkdirSync(inbox, { recursive: true });
  fs.writeFileSync(path.join(inbox, 'weather-2012.csv'), weatherOf('2012'));
  fs.utimesSync(path.join(inbox, 'weather-2012.csv'), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
  fs.writeFileSync(path.join(inbox, 'weather-2014.csv'), weatherOf('2014'));

  // In two seconds (pg-boss reads a six-field expression's seconds; it looks every second here).
  const cron = onceSoon();
  const set = await api.request('PUT', `/api/workspaces/${ws.id}/schedule`, { cron, folder: 'weather' });
  assert.equal(set.status, 200);
  assert.deepEqual([set.body.cron, set.body.inbox], [cron, `inbox/${me.id}/weather`]);
  const fired = await firing(ws.id, (s) => s.lastRunId || s.lastError);
  assert.equal(fired.lastError, null);
  const run = await finishedRun(api, fired.lastRunId);
  assert.equal(run.trigger, 'schedule');
  assert.equal(run.user.email, 'schedules@example.com');
  assert.deepEqual(run.files.map((f: any) => f.name), ['weather-2014.csv']);
  assert.equal(cellOf(run, 'weather').result.rows, 365);
  assert.ok(run.summary.fail >= 1, 'the hot days rule fails on 2014');
  const history = (await api.get(`/api/workspaces/${ws.id}/runs`)).body;
  assert.ok(history.some((r: any) => r.id === run.id && r.trigger === 'schedule' && r.summary.fail >= 1));
  // The scheduled workspace with its last run's failing rules, for scripts; the workspaces page shows the latest rule outcome.
  const scheduled = (await api.get('/api/schedules')).body.find((s: any) => s.workspaceId === ws.id);
  assert.equal(scheduled.lastRun.id, run.id);
  assert.deepEqual(scheduled.lastRun.summary, run.summary);

  // Removed: gone from pg-boss too, so it cannot fire again.
  assert.equal((await api.delete(`/api/workspaces/${ws.id}/schedule`)).status, 200);
  assert.equal((await api.get(`/api/workspaces/${ws.id}/schedule`)).body, null);
  const { sql } = server.services;
  const [row] = await sql`select count(*)::int as n from pgboss.schedule where key = ${ws.id}`;
  assert.equal(row!.n, 0, 'pg-boss holds no schedule for it');
  events.close();
});

test('a firing with nothing in the inbox says so on the schedule and makes no run', async () => {
  const { ws, events } = await weatherWorkspace('Empty inbox');
  const runsBefore = (await api.get(`/api/workspaces/${ws.id}/runs`)).body.length;
  assert.equal((await api.request('PUT', `/api/workspaces/${ws.id}/schedule`, { cron: EVERY_SECOND, folder: 'nothing-yet' })).status, 200);
  const me = (await api.get('/api/me')).body;
  assert.ok(fs.existsSync(path.join(server.dataDir, 'inbox', me.id, 'nothing-yet')), 'the inbox folder is made, under the setter');
  const empty = await firing(ws.id, (s) => s.lastFiredAt);
  assert.equal(empty.lastRunId, null);
  assert.match(empty.lastError.message, new RegExp(`no file for upload cell "weather" in inbox/${me.id}/nothing-yet/`));
  assert.equal((await api.get(`/api/workspaces/${ws.id}/runs`)).body.length, runsBefore);
  await api.delete(`/api/workspaces/${ws.id}/schedule`);
  events.close();
});

test('a schedule set by an editor who has since lost access records why and runs nothing', async () => {
  const { ws, events } = await weatherWorkspace('Editor left');
  const editor = new ApiClient(server.url);
  await editor.signup('editor-left@example.com');
  const member = (await api.post(`/api/workspaces/${ws.id}/members`, { email: 'editor-left@example.com', role: 'edit' })).body;
  const dir = path.join(server.dataDir, 'inbox', (await editor.get('/api/me')).body.id, 'left');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'weather.csv'), weatherOf('2013'));
  // The editor sets it, then the owner removes them, before it fires (it looks once a second).
  assert.equal((await editor.put(`/api/workspaces/${ws.id}/schedule`, { cron: EVERY_SECOND, folder: 'left' })).status, 200);
  assert.equal((await api.delete(`/api/workspaces/${ws.id}/members/${member.id}`)).status, 200);
  const runsBefore = (await api.get(`/api/workspaces/${ws.id}/runs`)).body.length;
  const skipped = await firing(ws.id, (s) => s.lastFiredAt);
  assert.equal(skipped.lastRunId, null);
  assert.equal(skipped.lastError.code, 'no_access');
  assert.equal((await api.get(`/api/workspaces/${ws.id}/runs`)).body.length, runsBefore);
  await api.delete(`/api/workspaces/${ws.id}/schedule`);
  events.close();
});
