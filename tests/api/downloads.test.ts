// Downloads of one cell (issue 23, items 24 and 25): a profile alone as JSON and as a
// self-contained HTML document, its score with the rule results on the same table; and every
// row a rule fails on as CSV, not the 20 samples. Counts from MANIFEST.md (ecdc: 13 empty
// popData2018; cases min −9, the one negative value).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let api: ApiClient;
serveSignedUp('downloads@example.com', (_s, a) => { api = a; });

/** CSV lines split on commas (the ecdc file has no quoted commas). */
const lines = (csv: string) => csv.trim().split(/\r?\n/).map((l) => l.split(','));

test('a profile as JSON and HTML, and a rule\'s failing rows as CSV, from the API', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Covid <cases>');
  const covid = await add('covid', 'upload', '');
  const stats = await add('stats', 'profile', 'input: covid\n');
  const checks = await add('checks', 'rule', [
    'input: covid',
    'rules:',
    '  - check: not_null',
    '    columns: [popData2018]',
    '  - check: range',
    '    column: cases',
    '    min: 0',
    '  - check: row_count',
    '    min: 1',
    '',
  ].join('\n'));
  const file = fs.readFileSync(path.join(DATA, 'ecdc-covid19-2020-03-30-dmy.csv'), 'utf8');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${covid.id}/upload`, file, 'ecdc.csv')).status, 201);
  const ruled = await events.waitFor(on('cell.result', checks.id), 60_000);
  assert.deepEqual(ruled.data.result.rules.map((r: { violations: number }) => r.violations), [13, 1, 0]);
  await events.waitFor(on('cell.result', stats.id), 60_000);
  const base = `/api/workspaces/${ws.id}/cells`;

  // Every failing row, by number (1 first) or by name: the row number, then every column.
  const nulls = await api.get(`${base}/${checks.id}/failing-rows.csv?rule=1`);
  assert.equal(nulls.status, 200);
  assert.match(nulls.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(nulls.headers.get('content-disposition') ?? '', /attachment; filename="checks-not_null-popData2018-failing.csv"/);
  const [head, ...rows] = lines(nulls.body);
  assert.deepEqual(head, ['row', 'dateRep', 'day', 'month', 'year', 'cases', 'deaths', 'countriesAndTerritories', 'geoId', 'countryterritoryCode', 'popData2018']);
  assert.equal(rows.length, 13);
  assert.ok(rows.every((r) => r[10] === ''), 'each without a population');
  // Row numbers are the file's data rows: each names a line whose population is empty.
  const source = file.trim().split(/\r?\n/).slice(1);
  assert.ok(rows.every((r) => source[Number(r[0]) - 1]!.endsWith(',')), JSON.stringify(rows.map((r) => r[0])));
  const negative = await api.get(`${base}/${checks.id}/failing-rows.csv?rule=${encodeURIComponent('range cases')}`);
  assert.equal(negative.status, 200);
  assert.deepEqual(lines(negative.body).slice(1).map((r) => r[5]), ['-9']);

  // A table check has no failing rows; an unknown rule lists those there are.
  const whole = await api.get(`${base}/${checks.id}/failing-rows.csv?rule=3`);
  assert.equal(whole.status, 400);
  assert.match(whole.body.error.message, /rule 3 "row_count": a row_count check judges the table as a whole/);
  const unknown = await api.get(`${base}/${checks.id}/failing-rows.csv?rule=ranges`);
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /no rule "ranges" in this cell; its rules: 1 not_null popData2018, 2 range cases, 3 row_count/);
  assert.equal((await api.get(`${base}/${stats.id}/failing-rows.csv?rule=1`)).status, 400, 'of a rule cell only');

  // The profile as JSON: the stored result, its score with a fourth part from the rules on
  // the same table: the mean share of the data each passes (13 and 1 failing rows of 7,710;
  // the row count passes). 100 × (1 − 17/77,100) × (1 − 1/77,100) × 1 × 0.99939 is 99.9: 99.
  const json = await api.get(`${base}/${stats.id}/profile.json`);
  assert.equal(json.status, 200);
  assert.match(json.headers.get('content-disposition') ?? '', /filename="stats-profile.json"/);
  assert.equal(json.body.rows, 7710);
  const rules = json.body.quality.parts.rules;
  assert.ok(Math.abs(rules.share - (1 - 13 / 7710 + 1 - 1 / 7710 + 1) / 3) < 1e-12, String(rules.share));
  assert.deepEqual({ ...rules, share: undefined }, { share: undefined, bad: 2, of: 3, detail: '2 of 3 rules fail (checks): not_null popData2018 (13 rows), range cases (1 row)' });
  assert.equal(json.body.quality.score, 99);
  assert.ok(json.body.quality.reasons.includes(rules.detail));
  assert.equal(json.body.alerts[0].code, 'negatives');

  const page = await api.get(`${base}/${stats.id}/profile.html`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(page.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  const html = page.body as string;
  assert.match(html, /Covid &#60;cases&#62;/, 'the title escaped');
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /<h2>Quality 99 \/ 100<\/h2>/);
  assert.match(html, /<td>rules<\/td><td class="num">&#62; 99\.9%<\/td><td>2 of 3 rules fail \(checks\): not_null popData2018 \(13 rows\)/);
  assert.match(html, /1 negative value in a column that is otherwise ≥ 0/);
  assert.match(html, /<th>Spearman<\/th>/);
  assert.match(html, /Random rows \(fixed seed\)/);
});
