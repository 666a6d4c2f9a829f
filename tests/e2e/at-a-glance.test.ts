// What the page says must be true at a glance (issue 23): a viewer sees no control they may
// not use, "Run stale" says whether anything is stale and what it did, a run page names its
// workspace, and the failing-rules banner follows dark mode.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { addCell } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

const WEATHER = path.resolve(import.meta.dirname, '../../../shared/data/seattle-weather.csv');
let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

async function pageAs(api: ApiClient, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ colorScheme });
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  return context.newPage();
}

/** A workspace with an uploaded file, its profile and a rule that fails, all finished. */
async function weatherWorkspace(api: ApiClient, title: string) {
  const ws = (await api.post('/api/workspaces', { title })).body;
  const events = api.events(ws.id);
  await events.ready;
  const upload = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'weather', config: '' })).body;
  const profile = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'stats', config: 'input: weather\n' })).body;
  const rules = (await api.post(`/api/workspaces/${ws.id}/cells`, {
    kind: 'rule', name: 'checks', config: 'input: weather\nrules:\n  - check: range\n    name: no frost\n    column: temp_min\n    min: 0\n',
  })).body;
  await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(WEATHER), 'seattle-weather.csv');
  for (const cell of [upload, profile, rules]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id, 60_000);
  events.close();
  return { ws, upload, profile, rules };
}

const luminance = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
};

test('a viewer sees no "Suggest rules"; the owner does', async () => {
  const owner = new ApiClient(server.url);
  await owner.signup('glance-owner@example.com');
  const { ws } = await weatherWorkspace(owner, 'Shared weather');
  const link = (await owner.post(`/api/workspaces/${ws.id}/shares`, { role: 'view' })).body;
  const viewer = new ApiClient(server.url);
  await viewer.signup('glance-viewer@example.com');
  assert.equal((await viewer.post('/api/shares/accept', { token: link.token })).status, 200);

  const viewerPage = await pageAs(viewer);
  await viewerPage.goto(`${server.url}/w/${ws.id}`);
  const stats = viewerPage.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]');
  await stats.waitFor();
  await stats.getByTestId('quality-score').waitFor();
  // Percentile chips show their whole value (issue 23, item 2): nothing overflows its chip.
  const chips = stats.getByTestId('quantile');
  assert.ok(await chips.count() > 0);
  const cut = await chips.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
  assert.deepEqual(cut, [], 'no percentile chip cuts its value');
  assert.equal(await stats.getByTestId('suggest-rules').count(), 0, 'no control a viewer cannot use');

  const ownerPage = await pageAs(owner);
  await ownerPage.goto(`${server.url}/w/${ws.id}`);
  await ownerPage.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]').getByTestId('suggest-rules').waitFor();
  await viewerPage.context().close();
  await ownerPage.context().close();
});

test('"Run stale" is disabled when every cell is current, counts what is not, and says what it did', async () => {
  const api = new ApiClient(server.url);
  await api.signup('glance-runs@example.com');
  const { ws } = await weatherWorkspace(api, 'Runs at a glance');
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  await page.locator('[data-testid="cell"][data-cell-name="checks"][data-status="done"]').waitFor();
  const button = page.getByTestId('run-stale');
  assert.equal(await button.isDisabled(), true, 'nothing is stale');
  assert.match((await button.getAttribute('title')) ?? '', /every cell is current/);

  // A cell that fails: one thing to run again.
  await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'broken', config: 'input: nowhere\n' });
  await page.locator('[data-testid="cell"][data-cell-name="broken"][data-status="error"]').waitFor();
  // The button turns on with the error's event; Playwright's locators see through shadow roots.
  await page.locator('[data-testid="run-stale"]:not([disabled])').waitFor();
  assert.match(await button.innerText(), /Run stale \(1\)/);
  await button.click();
  await page.getByTestId('run-note').waitFor();
  assert.match(await page.getByTestId('run-note').innerText(), /Running…|Nothing to run/);
  await page.context().close();
});

test('a run page names its workspace; in dark mode the failing-rules banner is dark', async () => {
  const api = new ApiClient(server.url);
  await api.signup('glance-dark@example.com');
  const { ws } = await weatherWorkspace(api, 'Dark weather');
  const runs = (await api.get(`/api/workspaces/${ws.id}/runs`)).body as { id: string }[];

  const page = await pageAs(api, 'dark');
  await page.goto(`${server.url}/w/${ws.id}/runs/${runs[0]!.id}`);
  const crumb = page.getByTestId('crumb-workspace');
  await page.locator('[data-testid="crumb-workspace"]', { hasText: 'Dark weather' }).waitFor();
  assert.equal(await crumb.innerText(), 'Dark weather');

  await page.goto(`${server.url}/w/${ws.id}`);
  const banner = page.getByTestId('failing-rules');
  await banner.waitFor();
  const background = await banner.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.ok(luminance(background) < 0.3, `the banner's background ${background} is dark`);
  await page.context().close();
});

test('a new chart cell waits for its config and a new upload cell for its file: neither is an error or "pending"', async () => {
  const api = new ApiClient(server.url);
  await api.signup('glance-new@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'New cells' })).body;
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  const upload = await addCell(page, 'upload', 'sales');
  const chart = await addCell(page, 'chart', 'by_region');
  await upload.locator('[data-testid="cell-status"][data-awaiting="file"]').waitFor();
  assert.equal(await upload.getByTestId('cell-status').innerText(), 'waiting for a file');
  await chart.locator('[data-testid="cell-status"][data-awaiting="config"]').waitFor();
  assert.equal(await chart.getByTestId('cell-status').innerText(), 'waiting for its config');
  assert.equal(await chart.getAttribute('data-status'), 'none', 'no error on a chart not yet written');
  const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells as { name: string; awaiting: string | null; latest: unknown }[];
  assert.deepEqual(cells.map((c) => [c.name, c.awaiting, c.latest]), [['sales', 'file', null], ['by_region', 'config', null]]);
  await page.context().close();
});

test('a number axis shows its longest tick label whole (issue 23, item 3: "5,500,000" lost its first digit)', async () => {
  const api = new ApiClient(server.url);
  await api.signup('glance-axis@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Big numbers' })).body;
  const events = api.events(ws.id);
  await events.ready;
  const upload = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' })).body;
  const chart = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'chart', name: 'by_region', config: 'input: sales\nx: region\ny: sum(amount)\n' })).body;
  await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, 'region,amount\nnorth,5500000\nsouth,2750000\neast,1250000\n', 'sales.csv');
  await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === chart.id, 60_000);
  events.close();
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  const plot = page.locator('[data-testid="cell"][data-cell-name="by_region"]').getByTestId('chart-plot');
  await plot.locator('svg').first().waitFor();
  const clipped = await plot.locator('svg').first().evaluate((svg) => {
    const left = svg.getBoundingClientRect().left;
    return [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')]
      .filter((t) => t.getBoundingClientRect().left < left - 0.5).map((t) => t.textContent);
  });
  const labels = await plot.locator('g[aria-label="y-axis tick label"] text').allTextContents();
  assert.ok(labels.some((l) => /,000,000$/.test(l)), `millions on the axis: ${labels.join(' ')}`);
  assert.deepEqual(clipped, [], 'no tick label starts left of the chart');
  await page.context().close();
});
