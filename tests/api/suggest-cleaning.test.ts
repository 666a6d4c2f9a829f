// "Suggested cleaning" (issue 21): a profile of a file with known defects suggests, after its
// rules, a transform cell whose steps each say what they were read from; added to the
// notebook, it runs and removes exactly those defects, and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let api: ApiClient;
serveSignedUp('cleaning@example.com', (_s, a) => { api = a; });

// A survey export with one of each defect: a second header row, an exact copy of row 3,
// spaces around two names, markers of a missing value (N/A, -, a -1 among scores otherwise
// ≥ 0, a 999 far above them), "Europe" written three ways, amounts with thousands separators.
const SURVEY = [
  'id,name,region,amount,status,score',
  'Respondent ID,Name,Region,Amount (EUR),Status,Score',
  '1, Alice ,Europe,"1,200",ok,10',
  '2,Bob,europe,950,N/A,-1',
  '3,Carol,Asia,"2,500",ok,12',
  '3,Carol,Asia,"2,500",ok,12',
  '4,Dan,EUROPE,300,-,15',
  '5,Eve,Asia,"1,000,000",ok,999',
  '6,Frank ,Africa,40,ok,11',
  '7,Grace,Africa,75,late,14',
  '8,Heidi,Europe,"12,345",ok,13',
  '',
].join('\n');

// The same rows cleaned by hand: the header row and the copy gone, names trimmed, markers
// null, one spelling of Europe, numbers as numbers.
const CLEAN = [
  [1, 'Alice', 'Europe', 1200, 'ok', 10],
  [2, 'Bob', 'Europe', 950, null, null],
  [3, 'Carol', 'Asia', 2500, 'ok', 12],
  [4, 'Dan', 'Europe', 300, null, 15],
  [5, 'Eve', 'Asia', 1000000, 'ok', null],
  [6, 'Frank', 'Africa', 40, 'ok', 11],
  [7, 'Grace', 'Africa', 75, 'late', 14],
  [8, 'Heidi', 'Europe', 12345, 'ok', 13],
];

test('a profile suggests a transform cell that removes exactly the defects it found', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Cleaning');
  const survey = await add('survey', 'upload', '');
  const profiled = await add('survey_profile', 'profile', 'input: survey\n');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${survey.id}/upload`, SURVEY, 'survey.csv')).status, 201);
  await events.waitFor(on('cell.result', profiled.id), 60_000);

  const res = await api.get(`/api/workspaces/${ws.id}/cells/${profiled.id}/suggestions`);
  assert.equal(res.status, 200);
  const suggestions = res.body as { kind: string; name: string; config: string }[];
  // Rules first, as "Suggest rules" takes the first; then the cleaning.
  assert.deepEqual(suggestions.map((s) => [s.kind, s.name]), [['rule', 'survey_rules'], ['transform', 'survey_clean']]);
  const yaml = suggestions[1]!.config;
  const steps = yaml.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.trim());
  assert.deepEqual(steps, [
    '- drop_rows: {first: 1}',
    '- drop_duplicates: {keep: first}',
    '- trim: [name]',
    '- replace: {status: {N/A: null, "-": null}, score: {"999": null, "-1": null}}',
    '- case: {region: title}',
    '- cast: {id: integer, amount: integer, score: integer}',
  ]);
  // Each step says what it was read from.
  assert.match(yaml, /# Row 1 repeats the column names \(name, region, status, score\): a second header row\./);
  assert.match(yaml, /# 1 row is an exact copy of an earlier row/);
  assert.match(yaml, /# Spaces around the text: name \(2 values\)\./);
  assert.match(yaml, /score "-1" \(1 row\), score "999" \(1 row\)/);
  assert.match(yaml, /# One category in several cases: region "Europe" 2 \/ "EUROPE" 1 \/ "europe" 1\./);

  const clean = await add('survey_clean', 'transform', yaml);
  const done = await events.waitFor((e) => on('cell.result', clean.id)(e) || on('cell.error', clean.id)(e), 60_000);
  events.close();
  assert.equal(done.event, 'cell.result', JSON.stringify(done.data.error));
  assert.deepEqual(done.data.result.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`),
    ['id:integer', 'name:string', 'region:string', 'amount:integer', 'status:string', 'score:integer']);
  const rows = await api.get(`/api/workspaces/${ws.id}/cells/${clean.id}/rows?limit=100`);
  assert.equal(rows.status, 200);
  assert.deepEqual(rows.body.rows, CLEAN);
});

test('a clean file suggests rules and no cleaning', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Clean');
  const table = await add('clean', 'upload', '');
  const profiled = await add('clean_profile', 'profile', 'input: clean\n');
  const csv = ['id,city,amount', ...CLEAN.map((r) => `${r[0]},${r[2]},${r[3]}`), ''].join('\n');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${table.id}/upload`, csv, 'clean.csv')).status, 201);
  await events.waitFor(on('cell.result', profiled.id), 60_000);
  events.close();
  const res = await api.get(`/api/workspaces/${ws.id}/cells/${profiled.id}/suggestions`);
  assert.deepEqual(res.body.map((s: { kind: string }) => s.kind), ['rule']);
});
