import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { after, before, downloadedBytes, launchChromium, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const SEATTLE = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8');
// Counted here from the file, not from the app.
const WEATHERS = new Set(SEATTLE.trim().split('\n').slice(1).map((line) => line.split(',')[5]));

let server: TestServer;
let browser: Browser;
let api: ApiClient;
let workspaceId: string;
before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  api = new ApiClient(server.url);
  await api.signup('charts@example.com');
  workspaceId = (await api.post('/api/workspaces', { title: 'Charts' })).body.id;
  await addCell('upload', 'weather', '', SEATTLE);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Adds a cell and waits for its run to finish. One at a time: adding cells while others of
 * the workspace settle can deadlock the server's event writes (a 500; see the report).
 */
async function addCell(kind: string, name: string, config: string, file?: string): Promise<string> {
  const events = api.events(workspaceId);
  await events.ready;
  try {
    const res = await api.post(`/api/workspaces/${workspaceId}/cells`, { kind, name, config });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    if (file !== undefined) await api.upload(`/api/workspaces/${workspaceId}/cells/${res.body.id}/upload`, file, `${name}.csv`);
    await events.waitFor((e) => (e.event === 'cell.result' || e.event === 'cell.error') && e.data.cellId === res.body.id);
    return res.body.id;
  } finally {
    events.close();
  }
}

const addChart = (name: string, config: string) => addCell('chart', name, config);

/** A page signed in as the API client's user, failing the test on any console error. */
async function openWorkspace(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1100, height: 900 } });
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.url}/w/${workspaceId}`);
  return { page, context, problems };
}

/** Polls `check` until it holds, failing after `ms`. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`not true within ${ms} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cellOf = (page: Page, name: string) => page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);

test('a bar chart in the notebook page: a bar per category, a tooltip, SVG and PNG downloads, a width that follows the page', async () => {
  await addChart('by_weather', 'input: weather\nx: weather\ntitle: Days by weather\n');
  const t0 = Date.now();
  const { page, context, problems } = await openWorkspace();
  const cell = cellOf(page, 'by_weather');
  const bars = cell.locator('[data-testid="chart-plot"] g[aria-label="bar"] rect');
  await bars.first().waitFor({ timeout: 30_000 });
  assert.equal(await bars.count(), WEATHERS.size);
  console.log(`# chart: page open to bars drawn in ${Date.now() - t0} ms`);
  const axis = (await cell.locator('[data-testid="chart-plot"] g[aria-label="x-axis tick label"]').textContent()) ?? '';
  for (const w of WEATHERS) assert.match(axis, new RegExp(w!));
  assert.match(await cell.getByTestId('chart-stats').innerText(), /5 points from 1,461 rows/);

  // Hovering a bar shows Plot's tooltip with its category and count.
  const rain = [...WEATHERS].sort().indexOf('rain');
  await bars.nth(rain).hover();
  const tip = cell.locator('[data-testid="chart-plot"] g[aria-label="tip"]');
  await until(async () => ((await tip.textContent()) ?? '').includes('rain'));
  const rainDays = SEATTLE.split('\n').filter((l) => l.endsWith(',rain')).length;
  assert.match((await tip.textContent()) ?? '', new RegExp(`${rainDays}`));

  // SVG download: one standalone file with the title and the same bars.
  const [svgFile] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('chart-download-svg').click()]);
  assert.equal(svgFile.suggestedFilename(), 'days-by-weather.svg');
  const svg = (await downloadedBytes(svgFile)).toString('utf8');
  assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, />Days by weather</);
  assert.equal(svg.match(/<g aria-label="bar"[^>]*>(.*?)<\/g>/s)![1]!.match(/<rect/g)!.length, WEATHERS.size);
  assert.doesNotMatch(svg, /var\(--/, 'no CSS variables left in a standalone file');

  // PNG download: a PNG twice the chart's size.
  const [pngFile] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('chart-download-png').click()]);
  const png = await downloadedBytes(pngFile);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const svgWidth = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)![1]);
  assert.equal(png.readUInt32BE(16), svgWidth * 2);

  // Responsive: a narrower window redraws the chart narrower.
  const plot = cell.locator('[data-testid="chart-plot"] > svg');
  const wide = Number(await plot.getAttribute('width'));
  await page.setViewportSize({ width: 700, height: 900 });
  // The chart is redrawn as a new element: poll the locator, not a handle on the old one.
  await until(async () => Number(await plot.getAttribute('width')) < wide);
  assert.equal(await bars.count(), WEATHERS.size);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a colored chart has a legend; the dark theme reaches the chart; CSV text stays text', async () => {
  await addChart('temps', 'input: weather\nx: temp_max\ncolor: weather\n');
  await addCell('upload', 'hostile', '', 'name,n\n<img src=x onerror=alert(1)>,1\n<b>bold</b>,2\n');
  await addChart('hostile_chart', 'input: hostile\nx: name\ny: sum(n)\ncolor: name\n');
  const { page, context, problems } = await openWorkspace({ colorScheme: 'dark' });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  const cell = cellOf(page, 'temps');
  await cell.locator('[data-testid="chart-plot"] g[aria-label="rect"] rect').first().waitFor({ timeout: 30_000 });
  const legend = cell.locator('svg.assay-legend');
  assert.equal(await legend.locator('rect').count(), WEATHERS.size);
  assert.match(await legend.textContent() ?? '', /drizzle.*fog.*rain.*snow.*sun/);
  // Plot's text is currentColor: in the dark theme that is the page's light foreground.
  const color = await cell.locator('[data-testid="chart-plot"] > svg').evaluate((el) => getComputedStyle(el).color);
  const [r, g, b] = color.match(/\d+/g)!.map(Number) as [number, number, number];
  assert.ok(r + g + b > 600, `light text on the dark theme: ${color}`);

  const names = cellOf(page, 'hostile_chart');
  await names.locator('[data-testid="chart-plot"] g[aria-label="bar"] rect').first().waitFor({ timeout: 30_000 });
  const drawn = `${await names.locator('[data-testid="chart-plot"]').textContent()} ${await names.locator('svg.assay-legend').textContent()}`;
  assert.match(drawn, /<img src=x onerror=alert\(1\)>/);
  assert.match(drawn, /<b>bold<\/b>/);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await names.locator('b').count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('in the editor: marks, keys and columns complete; a bad spec is an error on the cell, marked at its line', async () => {
  const { page, context, problems } = await openWorkspace();
  await page.getByTestId('add-cell-kind').selectOption('chart');
  await page.getByTestId('add-cell-name').fill('typed');
  await page.getByTestId('add-cell-submit').click();
  const cell = cellOf(page, 'typed');
  await cell.waitFor();
  const editor = cell.locator('.cm-content');
  // The starter reads the last cell that makes a table (the hostile upload), not the chart above it.
  assert.match(await editor.innerText(), /^input: hostile$/m);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  // Escape first: Enter with a completion list open would pick from it.
  await page.keyboard.type('input: weather');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.keyboard.type('mark: ba');
  const list = cell.locator('.cm-tooltip-autocomplete');
  await list.waitFor();
  assert.match(await list.innerText(), /bar/);
  // CodeMirror ignores Enter for 75 ms after a completion list opens (its interactionDelay).
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  assert.match(await editor.innerText(), /mark: bar\b/);
  await page.keyboard.press('Enter');
  // After a channel: the input's columns, and aggregates.
  await page.keyboard.type('x: ');
  await list.waitFor();
  assert.match(await list.innerText(), /temp_max[\s\S]*weather[\s\S]*count\(\)[\s\S]*mean\(…\)/);
  await page.keyboard.type('wea');
  await until(async () => !/temp_max/.test(await list.innerText()));
  assert.match(await list.innerText(), /weather/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.keyboard.type('col');
  await list.waitFor();
  assert.match(await list.innerText(), /color/);
  await page.keyboard.press('Escape');
  // Remove "col" and its line, make the column a typo ("weathr"), save and run.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('thr');
  await page.keyboard.press('Escape');
  assert.equal(await editor.innerText(), 'input: weather\nmark: bar\nx: weathr');
  await page.keyboard.press('Shift+Enter');
  // (The starter config read the cell above, a chart with no table: that error goes with the new run.)
  const error = cell.getByTestId('cell-error').filter({ hasText: 'weathr' });
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.innerText(), /x: no column "weathr" in "weather"; did you mean "weather"\?/);
  assert.match(await error.innerText(), /unknown_field/);
  await cell.locator('.cm-lint-marker-error').waitFor();
  assert.match(await cell.locator('.cm-lintRange-error').innerText(), /x: weathr/);
  assert.deepEqual(problems, []);
  await context.close();
});
