// The presentation view in Chromium: the owner's notebook (a CSV, its profile, a rule, a chart)
// read at /w/:id/present with no editor, YAML, toolbar or run control; in dark; printed; and a
// share link made in the share dialog to open it. The screenshot goes to docs/screenshots/ with
// ASSAY_SCREENSHOTS=1 (the README shows it), else to a temporary folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { after, before, launchChromium, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { watchErrors } from '../support/notebook-page.ts';
import { WEATHER } from '../support/runs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { workspaceWithStream } from '../support/workspace.ts';

const CSV = fs.readFileSync(WEATHER, 'utf8');
// Counted here from the file, not from the app.
const ROWS = CSV.trim().split('\n').length - 1;
const HOT_DAYS = CSV.trim().split('\n').slice(1).filter((l) => Number(l.split(',')[2]) > 30).length;
const WEATHERS = new Set(CSV.trim().split('\n').slice(1).map((l) => l.split(',')[5]));

let server: TestServer;
let browser: Browser;
let owner: ApiClient;
let workspaceId: string;
let SHOTS = '';
before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  SHOTS = process.env.ASSAY_SCREENSHOTS === '1'
    ? path.resolve(import.meta.dirname, '../../docs/screenshots')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'assay-screenshots-'));
  owner = new ApiClient(server.url);
  await owner.signup('presenter@example.com');
  const { ws, events, add } = await workspaceWithStream(owner, 'Seattle weather, 2012–2015');
  workspaceId = ws.id;
  try {
    const upload = await add('weather', 'upload', '');
    await owner.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, CSV, 'seattle-weather.csv');
    await add('weather_profile', 'profile', 'input: weather');
    const rules = await add('heat_checks', 'rule', 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: 30\n  - check: not_null\n    column: precipitation\n');
    const chart = await add('days_by_weather', 'chart', 'input: weather\nx: weather\ntitle: Days by weather\n');
    for (const id of [rules.id, chart.id]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === id, 60_000);
  } finally {
    events.close();
  }
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (SHOTS && process.env.ASSAY_SCREENSHOTS !== '1') fs.rmSync(SHOTS, { recursive: true, force: true });
});

/** A page signed in as `who`, with console and page errors collected. */
async function pageAs(who: ApiClient, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: 1100, height: 900 } });
  const [name, value] = who.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  watchErrors(page, problems);
  return { page, context, problems };
}

const block = (page: Page, name: string) => page.locator(`[data-testid="present-cell"][data-cell="${name}"]`);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the owner\'s notebook as a presentation: sources in a line, the rule summary and the chart, no editor, YAML or run control; dark; printed', async () => {
  const { page, context, problems } = await pageAs(owner);
  await page.goto(`${server.url}/w/${workspaceId}`);
  await page.getByTestId('open-present').click();
  await page.waitForURL(`${server.url}/w/${workspaceId}/present`);
  assert.equal(await page.getByTestId('present-title').innerText(), 'Seattle weather, 2012–2015');

  // The upload and the profile: one line each, from their faces, not their views.
  const sources = page.getByTestId('present-source');
  assert.deepEqual(await sources.evaluateAll((els) => els.map((e) => e.getAttribute('data-cell'))), ['weather', 'weather_profile']);
  assert.match(await sources.first().innerText(), new RegExp(`weather: ${ROWS} rows, 6 columns`));
  // The rule and the chart, in the notebook's order, headed by their names.
  assert.deepEqual(await page.getByTestId('present-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell'))), ['heat_checks', 'days_by_weather']);
  assert.equal(await block(page, 'heat_checks').locator('h2').innerText(), 'Heat checks');
  const summary = block(page, 'heat_checks').getByTestId('rule-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /1\s*pass/i);
  assert.match(await summary.innerText(), /1\s*fail/i);
  assert.match(await block(page, 'heat_checks').locator('[data-testid="rule"][data-status="fail"]').innerText(), new RegExp(HOT_DAYS.toLocaleString('en-US')));
  const bars = block(page, 'days_by_weather').locator('[data-testid="chart-plot"] g[aria-label="bar"] rect');
  await bars.first().waitFor({ timeout: 30_000 });
  assert.equal(await bars.count(), WEATHERS.size);

  // Nothing to edit or run: no editor, no YAML, no cell toolbar, no run or add control.
  for (const chrome of ['.cm-editor', 'textarea', '[data-testid="cell"]', '[data-testid="run-stale"]', '[data-testid="add-cell-kind"]', '[data-testid="share-open"]']) {
    assert.equal(await page.locator(chrome).count(), 0, `${chrome} on the presentation`);
  }
  assert.doesNotMatch(await page.locator('assay-present').innerText(), /input: weather|check: range/, 'no YAML');
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'present.png'), fullPage: true });

  // The app's theme: the dark page has a dark background, the light one a light one.
  const light = await background(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background(page);
  assert.notEqual(dark, light);
  assert.equal(dark, 'rgb(15, 18, 22)');

  // Printed from the dark page: a white page, no app bar, no buttons, blocks kept whole.
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  assert.equal(await background(page), 'rgb(255, 255, 255)');
  assert.equal(await page.locator('assay-app nav').isVisible(), false, 'no app bar on paper');
  assert.equal(await page.getByTestId('present-print').isVisible(), false, 'no print button on paper');
  assert.equal(await block(page, 'days_by_weather').getByTestId('chart-download-svg').isVisible(), false, 'no chart buttons on paper');
  assert.equal(await block(page, 'days_by_weather').evaluate((el) => getComputedStyle(el).breakInside), 'avoid', 'a chart is not split across pages');
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link made to open the presentation view opens it for the viewer who claims it, without editors', async () => {
  const { page, context, problems } = await pageAs(owner);
  await page.goto(`${server.url}/w/${workspaceId}`);
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-present').check();
  await page.getByTestId('share-create').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /\/s\/assay_s_[^?]+\?present$/);
  await context.close();

  const viewer = new ApiClient(server.url);
  await viewer.signup('reader@example.com');
  const opened = await pageAs(viewer);
  await opened.page.goto(url);
  await opened.page.waitForURL(`${server.url}/w/${workspaceId}/present`);
  await block(opened.page, 'heat_checks').getByTestId('rule-summary').waitFor();
  assert.equal(await opened.page.locator('.cm-editor').count(), 0);
  assert.equal(await opened.page.getByTestId('present-notebook').innerText(), 'Open the notebook');
  assert.deepEqual([...problems, ...opened.problems], []);
  await opened.context.close();
});
