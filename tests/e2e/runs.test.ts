// The run pages in Chromium (issue 10): run a notebook with new files from the page, see the
// history, open a past run read-only, compare two runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { RULES, weatherOf, WEATHER } from '../support/runs.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('run with new files from the page, then history, a past run read-only, and a comparison', async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill('runs-page@example.com');
  await page.getByTestId('login-password').fill('a long password');
  await page.getByTestId('signup-submit').click();
  await page.waitForURL((url) => url.pathname === '/');

  // The notebook is set up through the API with the page's session; the flows under test are the page's.
  // Playwright's requests carry neither Origin nor Sec-Fetch-Site: as a script with the cookie, they send X-Assay-Client.
  const headers = { 'x-assay-client': 'tests' };
  const post = async (path: string, data: unknown) => (await page.request.post(`${server.url}${path}`, { data, headers })).json();
  const ws = await post('/api/workspaces', { title: 'Weather runs' });
  const upload = await post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'weather', config: '' });
  await post(`/api/workspaces/${ws.id}/cells`, { kind: 'profile', name: 'stats', config: 'input: weather\n' });
  await post(`/api/workspaces/${ws.id}/cells`, { kind: 'rule', name: 'checks', config: RULES });
  const first = await (await page.request.post(`${server.url}/api/workspaces/${ws.id}/cells/${upload.id}/upload?filename=seattle-weather.csv`, {
    headers: { ...headers, 'content-type': 'text/csv' }, data: fs.readFileSync(WEATHER),
  })).json();

  await page.goto(`${server.url}/w/${ws.id}`);
  // The first run finishes before the rerun: a rerun would otherwise replace its cells' runs,
  // leaving the first run with nothing to show (a slow machine did that).
  for (const name of ['weather', 'stats', 'checks']) {
    await page.locator(`[data-testid="cell"][data-cell-name="${name}"][data-status="done"]`).waitFor({ timeout: 30_000 });
  }
  const runButton = page.getByTestId('run-new-files');
  await runButton.waitFor();
  await runButton.click();
  const submit = page.getByTestId('rerun-submit');
  assert.equal(await submit.isDisabled(), true, 'a file per upload cell is needed first');
  await page.getByTestId('rerun-file-weather').setInputFiles({ name: 'weather-2012.csv', mimeType: 'text/csv', buffer: Buffer.from(weatherOf('2012')) });
  await submit.click();

  // The new run's page, read-only, filling in as its cells finish.
  await page.waitForURL(/\/w\/[^/]+\/runs\/[0-9a-f-]{36}$/);
  const newRunId = new URL(page.url()).pathname.split('/').pop()!;
  assert.match(await page.getByText('Input files:').innerText(), /weather: weather-2012\.csv/);
  const rules = page.locator('[data-testid="run-cell"][data-cell="checks"] assay-result-view');
  await rules.waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="run-cell"][data-cell="stats"] assay-result-view').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('run-title').innerText(), /read-only/);
  // The kinds' own views show the results (their text is inside their shadow roots).
  // Said twice: the upload's shape, and the grid that pages through the run's whole table.
  await page.locator('[data-testid="run-cell"][data-cell="weather"]').getByTestId('grid-status').getByText(/^366 rows × 6 columns$/).waitFor();
  const report = await page.request.get(`${server.url}${await page.getByTestId('download-report').getAttribute('href')}`);
  assert.equal(report.status(), 200);
  assert.match(await report.text(), /weather-2012\.csv/);

  // History: both runs; the first opens read-only with the whole file's rows.
  await page.goto(`${server.url}/w/${ws.id}/runs`);
  const rows = page.getByTestId('run-row');
  await rows.first().waitFor();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')));
  assert.deepEqual(ids.slice(0, 2), [newRunId, first.runId]);
  assert.match(await rows.first().innerText(), /new files/);
  await page.locator(`[data-testid="run-row"][data-run="${first.runId}"] [data-testid="open-run"]`).click();
  await page.waitForURL(new RegExp(`/runs/${first.runId}$`));
  await page.locator('[data-testid="run-cell"][data-cell="weather"] assay-result-view').waitFor();
  await page.locator('[data-testid="run-cell"][data-cell="weather"]').getByTestId('grid-status').getByText(/^1,?461 rows × 6 columns$/).waitFor();

  // Compare: the history picks the newest two (A the older, B the newer).
  await page.goto(`${server.url}/w/${ws.id}/runs`);
  await page.getByTestId('compare-runs').click();
  await page.waitForURL(/\/compare\?a=/);
  const tables = page.getByTestId('table-changes');
  await tables.waitFor();
  const tableText = await tables.innerText();
  assert.match(tableText, /1,461/);
  assert.match(tableText, /366/);
  assert.match(tableText, /-1,095|−1,095/);
  assert.ok(await page.getByTestId('profile-changes').locator('tr').count() > 1, 'profile changes listed');
  await page.locator('[data-testid="trend-chart"] svg').waitFor();
  assert.equal(errors.length, 0, errors.join('\n'));
  await page.close();
});
