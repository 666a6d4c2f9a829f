// The profile a ydata-profiling user expects (issue 23, items 5, 6, 21–25), in Chromium: the
// score's parts on expanding it, alerts most pressing first, a correlation matrix with its
// values and a method to choose, missing values and sample rows, an overview table with
// search and jump-to-column instead of a wall of cards, and the downloads (the profile as
// HTML and JSON, a rule's failing rows as CSV). Counts from MANIFEST.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { downloadedBytes, serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
// With ASSAY_SCREENSHOTS=1 the README's pictures of these views are refreshed (as journey.test.ts does).
const SHOTS = process.env.ASSAY_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : null;
let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

async function pageAs(api: ApiClient): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  return context.newPage();
}

/** An upload of `file`, its profile and (optionally) a rule cell, all finished. */
async function workspace(api: ApiClient, file: string, rules?: string) {
  const ws = (await api.post('/api/workspaces', { title: file })).body;
  const events = api.events(ws.id);
  await events.ready;
  const upload = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'data', config: '' })).body;
  const profile = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'stats', config: 'input: data\n' })).body;
  const rule = rules ? (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'rule', name: 'checks', config: rules })).body : null;
  await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(path.join(DATA, file)), file);
  for (const cell of [upload, profile, ...(rule ? [rule] : [])]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id, 90_000);
  events.close();
  return ws;
}

async function downloaded(page: Page, link: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: download.suggestedFilename(), text: (await downloadedBytes(download)).toString('utf8') };
}

test('ecdc: the score\'s parts, ranked alerts, the matrix with values and a method, missing values, samples, downloads', async () => {
  const api = new ApiClient(server.url);
  await api.signup('profile-view@example.com');
  const ws = await workspace(api, 'ecdc-covid19-2020-03-30-dmy.csv', 'input: data\nrules:\n  - check: not_null\n    columns: [popData2018]\n');
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  const stats = page.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]');
  await stats.getByTestId('quality-score').waitFor({ timeout: 60_000 });

  // Item 5: 17 empty cells and a negative count are not "100"; the parts say what was found.
  assert.equal(await stats.getByTestId('quality-score').innerText(), '99 / 100');
  await stats.getByTestId('quality-score').click();
  const parts = stats.getByTestId('quality-parts');
  await parts.waitFor();
  // The rule cell on the same table gives the page's score its rules part, as the downloads (issue 23, item 5).
  assert.deepEqual(await parts.locator('tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset.part)), ['completeness', 'validity', 'uniqueness', 'rules']);
  assert.match(await parts.locator('tr[data-part="completeness"]').innerText(), /Completeness\s+> 99\.9%\s+<0\.1% of cells missing \(17 of 77,100\): popData2018 13, countryterritoryCode 4/);
  assert.match(await parts.locator('tr[data-part="validity"]').innerText(), /cases: 1 negative/);
  assert.doesNotMatch(await stats.innerText(), /\b0\.0 ?%/, 'never "0.0%" when something is missing');

  // Item 6: the negative count comes first; month, year and day make no noise.
  const alerts = stats.getByTestId('profile-alerts').locator('li');
  assert.match(await alerts.first().innerText(), /^cases · negatives: 1 negative value in a column that is otherwise ≥ 0 \(min -9\)/);
  const noisy = (await alerts.allInnerTexts()).filter((t) => /^(day|month|year) · (outliers|skewed|imbalance)/.test(t));
  assert.deepEqual(noisy, []);

  // Item 23: the matrix shows its values in its cells, whole labels, and Spearman on request.
  const matrix = stats.getByTestId('correlation-heatmap');
  const pairs = await matrix.locator('rect title').count();
  assert.ok(pairs >= 2 * 10, `${pairs / 2} pairs`);
  assert.equal(await matrix.getByTestId('matrix-value').count(), pairs);
  const labels = await matrix.locator('svg > text:not(.v)').allTextContents();
  assert.ok(labels.includes('popData2018') && labels.every((l) => !l.includes('…')), labels.join(','));
  const pearson = await matrix.getByTestId('matrix-value').allTextContents();
  assert.ok(pearson.every((v) => /^−?\d\.\d\d$|^$/.test(v)), pearson.join(' '));
  await stats.getByTestId('correlation-method').selectOption('spearman');
  await page.waitForFunction(() => true);
  const spearman = await matrix.getByTestId('matrix-value').allTextContents();
  assert.notDeepEqual(spearman, pearson, 'Spearman\'s values differ from Pearson\'s');
  assert.match(await matrix.locator('rect title').first().textContent() ?? '', /: Spearman /);

  // Item 22: per column, and which are missing together; sample rows, the random ones seeded.
  const missing = stats.getByTestId('missing-values');
  assert.match(await missing.getByTestId('missing-column').first().innerText(), /popData2018\s+13 \(0\.2%\)/);
  assert.equal(await missing.getByTestId('missing-patterns').locator('tbody tr').count(), 2);
  assert.match(await missing.getByTestId('missing-together').innerText(), /popData2018 and countryterritoryCode: 4 rows/);
  const samples = stats.getByTestId('sample-rows');
  await samples.locator('summary').click();
  assert.match(await samples.locator('tbody tr').first().innerText(), /^1\s+2020-03-30\s+30\s+3\s+2020\s+8\s+1\s+Afghanistan/);
  await samples.getByTestId('sample-random').click();
  assert.equal(await samples.locator('tbody tr').count(), 5);
  await samples.getByTestId('sample-last').click();
  assert.match(await samples.locator('tbody tr').last().innerText(), /^7,710\s/);
  if (SHOTS) await stats.screenshot({ path: path.join(SHOTS, 'profile-quality.png') });

  // Item 24: the profile alone, as HTML and as JSON.
  const htmlFile = await downloaded(page, stats.getByTestId('profile-download-html'));
  assert.equal(htmlFile.name, 'stats-profile.html');
  assert.match(htmlFile.text, /<td>rules<\/td><td class="num">99\.8%<\/td><td>1 of 1 rules fail \(checks\): not_null popData2018 \(13 rows\)<\/td>/, 'with the rule that fails on the same table');
  const jsonFile = await downloaded(page, stats.getByTestId('profile-download-json'));
  assert.equal(jsonFile.name, 'stats-profile.json');
  assert.equal(JSON.parse(jsonFile.text).rows, 7710);

  // Item 25: every failing row, not the 20 samples.
  const checks = page.locator('[data-testid="cell"][data-cell-name="checks"][data-status="done"]');
  const csv = await downloaded(page, checks.getByTestId('failing-rows-download'));
  assert.equal(csv.name, 'checks-not_null-popData2018-failing.csv');
  assert.equal(csv.text.trim().split(/\r?\n/).length, 1 + 13);
  await page.context().close();
});

test('34 columns: an overview table with search and jump-to-column, cards opened from it', async () => {
  const api = new ApiClient(server.url);
  await api.signup('profile-wide@example.com');
  const ws = await workspace(api, 'police-killings-2015-missing-markers.csv');
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  const stats = page.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]');
  const overview = stats.getByTestId('profile-overview');
  await overview.waitFor({ timeout: 60_000 });
  assert.equal(await overview.getByTestId('overview-row').count(), 34);
  assert.equal(await stats.getByTestId('profile-column').count(), 0, 'no wall of 34 cards');
  // MANIFEST: raceethnicity has 6 distinct values.
  assert.match(await overview.locator('[data-testid="overview-row"][data-column="raceethnicity"]').innerText(), /raceethnicity\s+string\s+0%\s+6/);

  // Search filters the table; Enter jumps to the first match's card.
  await stats.getByTestId('column-search').fill('raceeth');
  assert.equal(await overview.getByTestId('overview-row').count(), 1);
  await stats.getByTestId('column-search').press('Enter');
  const card = stats.locator('[data-testid="profile-column"][data-column="raceethnicity"]');
  await card.waitFor();
  await page.waitForFunction(() => true);
  assert.ok(await card.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }), 'the card is scrolled into view');

  // A name in the table opens its card beside the first.
  await stats.getByTestId('column-search').fill('');
  await overview.locator('[data-testid="overview-row"][data-column="state"]').getByTestId('open-column').click();
  await stats.locator('[data-testid="profile-column"][data-column="state"]').waitFor();
  assert.equal(await stats.getByTestId('profile-column').count(), 2);
  assert.match(await stats.locator('[data-testid="profile-column"][data-column="state"]').innerText(), /distinct\s+47/);
  if (SHOTS) await stats.screenshot({ path: path.join(SHOTS, 'profile-overview.png') });
  await page.context().close();
});
