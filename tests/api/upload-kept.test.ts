// A file that fails in its upload cell's run keeps the previous one (issue 23, item 8): a CSV
// whose one ragged row lies far below the sample the arrival check reads is accepted (201),
// fails in the upload's job, and the cell goes back to its good file with that file's result;
// what reads it keeps its results (reused, not run again, not stale); the cell says which file
// was not used and why (file, line). The failed run stays in the history as it happened.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { ApiClient, SseEvent } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { finishedRun, rerun, WEATHER } from '../support/runs.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let api: ApiClient;
serveSignedUp('kept@example.com', (_s, a) => { api = a; });

const GOOD = fs.readFileSync(WEATHER, 'utf8');

/**
 * The weather rows eight times over (about 390 KB, past the 256 KB the arrival check samples),
 * with one row two from the end given a seventh field. Answers the text and that row's line.
 */
function raggedFarDown(): { text: string; line: number } {
  const [header, ...rows] = GOOD.trimEnd().split('\n');
  const all = Array.from({ length: 8 }, () => rows).flat();
  const at = all.length - 2;
  all[at] = `${all[at]},extra`;
  return { text: [header, ...all].join('\n') + '\n', line: at + 2 };
}

const RULE = 'input: weather\nrules:\n  - check: range\n    name: hot days\n    column: temp_max\n    max: 30\n';

/** A notebook of an upload cell, a profile and a rule on it, all done on the good file. */
async function notebookOnGoodFile(title: string) {
  const nb = await workspaceWithStream(api, title);
  const upload = await nb.add('weather', 'upload', '');
  const stats = await nb.add('stats', 'profile', 'input: weather\n');
  const checks = await nb.add('checks', 'rule', RULE);
  assert.equal((await api.upload(`/api/workspaces/${nb.ws.id}/cells/${upload.id}/upload`, Buffer.from(GOOD), 'seattle-weather.csv')).status, 201);
  await Promise.all([nb.events.waitFor(on('cell.result', stats.id)), nb.events.waitFor(on('cell.result', checks.id))]);
  return { ...nb, upload, stats, checks };
}

type Latest = { status: string; fingerprint: string; result: any; error: any };
const latestOf = async (workspaceId: string) => {
  const ws = (await api.get(`/api/workspaces/${workspaceId}`)).body;
  return new Map<string, { file: { name: string } | null; latest: Latest }>(ws.cells.map((c: any) => [c.name, c]));
};

test('a CSV ragged far below the sample fails in its run; the cell keeps its good file and result, its readers theirs, and says why', async (t) => {
  const nb = await notebookOnGoodFile('Kept');
  const before = await latestOf(nb.ws.id);
  const seen = nb.events.received.length;

  const { text, line } = raggedFarDown();
  const sent = await api.upload(`/api/workspaces/${nb.ws.id}/cells/${nb.upload.id}/upload`, Buffer.from(text), 'ragged.csv');
  assert.equal(sent.status, 201, 'the arrival check cannot see a row this far down');
  const failed = await nb.events.waitFor(on('cell.error', nb.upload.id, (e) => e.data.runId === sent.body.runId));
  assert.equal(failed.data.error.code, 'ragged_rows');
  const failedAt = performance.now();
  const kept = await nb.events.waitFor(on('cell.result', nb.upload.id, (e) => e.data.reason?.code === 'file_refused'));
  t.diagnostic(`the good file back ${Math.round(performance.now() - failedAt)} ms after the failure reached this client`);

  // The cell's state: the good file, its result, and why the new one was not used (which file, which line).
  const after = await latestOf(nb.ws.id);
  const weather = after.get('weather')!;
  assert.equal(weather.file?.name, 'seattle-weather.csv', 'the cell holds its good file again');
  assert.equal(weather.latest.status, 'done');
  assert.equal(weather.latest.fingerprint, before.get('weather')!.latest.fingerprint);
  assert.equal(weather.latest.result.file.name, 'seattle-weather.csv');
  assert.equal(weather.latest.result.rows, before.get('weather')!.latest.result.rows);
  assert.deepEqual(weather.latest.result.preview, before.get('weather')!.latest.result.preview);
  const why = weather.latest.error;
  assert.equal(why.code, 'file_refused');
  assert.equal(why.reason, 'ragged_rows');
  assert.equal(why.file, 'ragged.csv');
  assert.equal(why.fileLine, line);
  assert.match(why.message, new RegExp(`^"ragged\\.csv" was not used: line ${line} has more fields than the header's 6.*; cell "weather" keeps its file "seattle-weather\\.csv" and its result$`));
  assert.deepEqual(kept.data.reason, why, 'the page is told with the result');
  assert.equal((await api.get(`/api/workspaces/${nb.ws.id}/cells/${nb.upload.id}/result`)).body.error.code, 'file_refused');

  // Its readers: the same results, done, never run again on either file.
  for (const name of ['stats', 'checks']) {
    const cell = after.get(name)!;
    assert.equal(cell.latest.status, 'done', `${name} is not stale`);
    assert.equal(cell.latest.fingerprint, before.get(name)!.latest.fingerprint, `${name} reads the good file`);
    assert.deepEqual(cell.latest.result, before.get(name)!.latest.result, `${name} keeps its result`);
    assert.equal(cell.latest.error, null);
  }
  const readers = [nb.stats.id, nb.checks.id];
  const ran = (e: SseEvent) => e.event === 'cell.status' && e.data.status === 'running' && readers.includes(e.data.cellId);
  assert.deepEqual(nb.events.received.slice(seen).filter(ran), [], 'no reader ran');
  const staled = (e: SseEvent) => e.event === 'cell.status' && e.data.status === 'stale' && readers.includes(e.data.cellId);
  assert.deepEqual(nb.events.received.slice(seen).filter(staled), [], 'no page was told a reader went stale');

  // The history keeps the failed run as it happened, and the run that kept the file.
  const failedRun = await finishedRun(api, sent.body.runId);
  const inFailed = new Map<string, any>(failedRun.cells.map((c: any) => [c.name, c]));
  assert.equal(inFailed.get('weather').status, 'error');
  assert.equal(inFailed.get('stats').status, 'stale');
  assert.match(inFailed.get('stats').error.message, /^input "weather" failed: line \d+ has more fields/);
  const history = (await api.get(`/api/workspaces/${nb.ws.id}/runs`)).body;
  assert.equal(history[0].id, kept.data.runId);
  assert.equal(history[0].trigger, 'restore');

  // A good file after it: the word goes with the next run of the cell.
  const next = await api.upload(`/api/workspaces/${nb.ws.id}/cells/${nb.upload.id}/upload`, Buffer.from(GOOD.split('\n').slice(0, 400).join('\n') + '\n'), 'early.csv');
  assert.equal(next.status, 201);
  await nb.events.waitFor(on('cell.result', nb.stats.id, (e) => e.data.runId === next.body.runId));
  const latest = await latestOf(nb.ws.id);
  assert.equal(latest.get('weather')!.file?.name, 'early.csv');
  assert.equal(latest.get('weather')!.latest.error, null);
  assert.equal(latest.get('weather')!.latest.result.rows, 399);
  nb.events.close();
});

test('a first file that fails in its run still errors the cell: there is no earlier file to keep', async () => {
  const nb = await workspaceWithStream(api, 'First');
  const upload = await nb.add('weather', 'upload', '');
  const { text, line } = raggedFarDown();
  const sent = await api.upload(`/api/workspaces/${nb.ws.id}/cells/${upload.id}/upload`, Buffer.from(text), 'ragged.csv');
  assert.equal(sent.status, 201);
  await nb.events.waitFor(on('cell.error', upload.id));
  const weather = (await latestOf(nb.ws.id)).get('weather')!;
  assert.equal(weather.file?.name, 'ragged.csv');
  assert.equal(weather.latest.status, 'error');
  assert.equal(weather.latest.error.code, 'ragged_rows');
  assert.equal(weather.latest.error.fileLine, line);
  assert.equal((await api.get(`/api/workspaces/${nb.ws.id}/runs`)).body.length, 1, 'no run but the upload\'s');
  nb.events.close();
});

test('a rerun whose file fails in its run: the run records the failure, the notebook keeps its file and results', async () => {
  const nb = await notebookOnGoodFile('Rerun kept');
  const before = await latestOf(nb.ws.id);
  const { text } = raggedFarDown();
  const res = await rerun(api, nb.ws.id, { weather: ['ragged.csv', text] });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const run = await finishedRun(api, res.body.runId);
  const cells = new Map<string, any>(run.cells.map((c: any) => [c.name, c]));
  assert.equal(cells.get('weather').status, 'error');
  assert.equal(cells.get('weather').error.code, 'ragged_rows');
  assert.equal(cells.get('checks').status, 'stale', 'the run says the rule could not run on that file');
  await nb.events.waitFor(on('cell.result', nb.upload.id, (e) => e.data.reason?.code === 'file_refused'));
  const after = await latestOf(nb.ws.id);
  assert.equal(after.get('weather')!.file?.name, 'seattle-weather.csv');
  for (const name of ['weather', 'stats', 'checks']) {
    assert.equal(after.get(name)!.latest.status, 'done');
    assert.equal(after.get(name)!.latest.fingerprint, before.get(name)!.latest.fingerprint);
  }
  nb.events.close();
});
