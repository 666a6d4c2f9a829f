// The presentation view in Chromium: the owner's notebook (a CSV, its profile, an input, a rule
// that reads it, a chart) read at /w/:id/present with no editor, YAML, toolbar or run control;
// in dark; printed; a share link made in the share dialog to open it; and a viewer who changes
// the input there and sees the rule change while the owner's page stays as it was. The screenshot goes to docs/screenshots/ with
// ASSAY_SCREENSHOTS=1 (the README shows it), else to a temporary folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { after, before, launchChromium, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { watchErrors } from '../support/notebook-page.ts';
import { WEATHER } from '../support/runs.ts';
import { screenshotFolder } from '../support/screenshots.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { workspaceWithStream } from '../support/workspace.ts';

const CSV = fs.readFileSync(WEATHER, 'utf8');
// Counted here from the file, not from the app.
const ROWS = CSV.trim().split('\n').length - 1;
const hotterThan = (t: number) => CSV.trim().split('\n').slice(1).filter((l) => Number(l.split(',')[2]) > t).length;
const HOT_DAYS = hotterThan(30);
const WEATHERS = new Set(CSV.trim().split('\n').slice(1).map((l) => l.split(',')[5]));

let server: TestServer;
let browser: Browser;
let owner: ApiClient;
let workspaceId: string;
const shots = screenshotFolder();
let SHOTS = '';
before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  SHOTS = shots.open();
  owner = new ApiClient(server.url);
  await owner.signup('presenter@example.com');
  const { ws, events, add } = await workspaceWithStream(owner, 'Seattle weather, 2012–2015');
  workspaceId = ws.id;
  try {
    const upload = await add('weather', 'upload', '');
    await owner.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, CSV, 'seattle-weather.csv');
    await add('weather_profile', 'profile', 'input: weather');
    await add('max_temp', 'input', 'type: number\ndefault: 30\nmin: 0\nmax: 50\nlabel: Hottest allowed day (°C)\n');
    const rules = await add('heat_checks', 'rule', 'input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: $max_temp\n  - check: not_null\n    column: precipitation\n');
    const chart = await add('days_by_weather', 'chart', 'input: weather\nx: weather\ntitle: Days by weather\n');
    for (const id of [rules.id, chart.id]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === id, 60_000);
  } finally {
    events.close();
  }
});
after(async () => {
  await browser?.close();
  await server?.stop();
  shots.close();
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

// A page's first load brings the notebook's chunk (CodeMirror and the views): on a loaded
// machine (2 cores shared by several test runs) it has taken over 30 s.
const LOADED = 90_000;

const block = (page: Page, name: string) => page.locator(`[data-testid="present-cell"][data-cell="${name}"]`);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the owner\'s notebook as a presentation: sources in a line, the rule summary and the chart, no editor, YAML or run control; dark; printed', async () => {
  const { page, context, problems } = await pageAs(owner);
  await page.goto(`${server.url}/w/${workspaceId}`);
  await page.getByTestId('open-present').click({ timeout: LOADED });
  await page.waitForURL(`${server.url}/w/${workspaceId}/present`);
  assert.equal(await page.getByTestId('present-title').innerText(), 'Seattle weather, 2012–2015');

  // The upload and the profile: one line each, from their faces, not their views.
  const sources = page.getByTestId('present-source');
  assert.deepEqual(await sources.evaluateAll((els) => els.map((e) => e.getAttribute('data-cell'))), ['weather', 'weather_profile']);
  assert.match(await sources.first().innerText(), new RegExp(`weather: ${ROWS} rows, 6 columns`));
  // The rule and the chart, in the notebook's order, headed by their names.
  assert.deepEqual(await page.getByTestId('present-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell'))), ['max_temp', 'heat_checks', 'days_by_weather']);
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
  await page.getByTestId('share-open').click({ timeout: LOADED });
  await page.getByTestId('share-present').check();
  await page.getByTestId('share-create').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /\/s\/assay_s_[^?]+\?present$/);
  await context.close();

  const viewer = new ApiClient(server.url);
  await viewer.signup('reader@example.com');
  const opened = await pageAs(viewer);
  await opened.page.goto(url);
  await opened.page.waitForURL(`${server.url}/w/${workspaceId}/present`, { timeout: LOADED });
  await block(opened.page, 'heat_checks').getByTestId('rule-summary').waitFor({ timeout: LOADED });
  assert.equal(await opened.page.locator('.cm-editor').count(), 0);
  assert.equal(await opened.page.getByTestId('present-notebook').innerText(), 'Open the notebook');
  assert.deepEqual([...problems, ...opened.problems], []);
  await opened.context.close();
});

test('a viewer changes the input in the presentation: their rule changes, the page says whose values they are, the owner\'s page stays as it was; reset', async () => {
  const share = (await owner.post(`/api/workspaces/${workspaceId}/shares`, { role: 'view' })).body;
  const viewer = new ApiClient(server.url);
  await viewer.signup('tinkerer@example.com');
  assert.equal((await viewer.post('/api/shares/accept', { token: share.token })).status, 200);

  // The owner's notebook page, open all along.
  const mine = await pageAs(owner);
  await mine.page.goto(`${server.url}/w/${workspaceId}`);
  const ownerRule = mine.page.locator('[data-testid="cell"][data-cell-name="heat_checks"]');
  await ownerRule.locator('[data-testid="rule"][data-status="fail"]').waitFor({ timeout: LOADED });
  const ownerRunId = await ownerRule.getAttribute('data-run-id');
  const ownerRuleText = await ownerRule.locator('[data-testid="rule-summary"]').innerText();

  const theirs = await pageAs(viewer);
  const page = theirs.page;
  await page.goto(`${server.url}/w/${workspaceId}/present`);
  const rule = block(page, 'heat_checks').locator('[data-testid="rule"]').first();
  await rule.waitFor({ timeout: LOADED });
  assert.match(await rule.innerText(), new RegExp(`${HOT_DAYS} of 1,461 rows`));
  assert.equal(await page.getByTestId('present-values').getAttribute('data-whose'), 'saved');

  // 33 °C: fewer hot days break the rule, for this viewer only.
  const t0 = Date.now();
  const field = block(page, 'max_temp').getByTestId('input-field');
  await field.fill('33');
  await field.press('Enter');
  await page.locator('[data-testid="present-values"][data-whose="yours"]').waitFor();
  await page.locator('[data-testid="present-cell"][data-cell="heat_checks"][data-personal]').waitFor({ timeout: 30_000 });
  const hotter = hotterThan(33);
  await page.waitForFunction(([n]) => {
    const host = document.querySelector('assay-app')?.shadowRoot?.querySelector('assay-present')?.shadowRoot;
    const view = host?.querySelector('[data-cell="heat_checks"] assay-result-view')?.shadowRoot?.querySelector('assay-rule-view')?.shadowRoot;
    return view?.querySelector('[data-testid="rule"]')?.textContent?.includes(`${n} of 1,461 rows`) ?? false;
  }, [hotter]);
  console.log(`# presentation: input changed to the viewer's rule shown in ${Date.now() - t0} ms`);
  const banner = await page.getByTestId('present-values').innerText();
  assert.match(banner, /Your values: max_temp = 33\. The notebook's saved values are max_temp = 30\./);
  assert.equal(await field.inputValue(), '33');
  await page.screenshot({ path: path.join(SHOTS, 'present.png'), fullPage: true });

  // The owner's page has not moved: the same run, the same outcome, the saved value.
  assert.equal(await ownerRule.getAttribute('data-run-id'), ownerRunId);
  assert.equal(await ownerRule.locator('[data-testid="rule-summary"]').innerText(), ownerRuleText);
  const saved = (await owner.get(`/api/workspaces/${workspaceId}`)).body.cells.find((c: any) => c.name === 'max_temp');
  assert.match(saved.config, /default: 30/);
  assert.doesNotMatch(saved.config, /33/);
  assert.equal(saved.latest.result.value, 30);

  // Back to the saved values.
  await page.getByTestId('present-reset').click();
  await page.locator('[data-testid="present-values"][data-whose="saved"]').waitFor();
  await rule.waitFor();
  assert.match(await block(page, 'heat_checks').locator('[data-testid="rule"]').first().innerText(), new RegExp(`${HOT_DAYS} of 1,461 rows`));
  assert.equal(await field.inputValue(), '30');
  assert.deepEqual([...mine.problems, ...theirs.problems], []);
  await mine.context.close();
  await theirs.context.close();
});
