// "Show the code" in the page (issue 21): a sql cell's control opens a panel with the SQL and
// the Python of its query, in tabs; Copy puts the shown tab's text on the clipboard and
// Download saves it as <cell>.sql or <cell>.py. A cell of a kind without code has no control.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { downloadedBytes, serverAndBrowser, test } from '../support/browser.ts';
import { addCell, cellDone, uploadCell, newWorkspace, signUp, typeYaml, watchErrors } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('a sql cell shows its code as SQL and Python, copied and downloaded', async () => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  watchErrors(page, errors);
  await signUp(page, server.url, 'code-page@example.com');
  await newWorkspace(page, 'Code');
  const upload = await uploadCell(page, 'weather', path.join(DATA, 'seattle-weather.csv'));
  assert.equal(await upload.getByTestId('cell-code').count(), 0, 'an upload has no code to show');

  const cell = await addCell(page, 'sql', 'kinds');
  await typeYaml(page, cell, ['sql: SELECT weather, max(temp_max) AS hottest FROM weather GROUP BY weather']);
  await cellDone(page, 'kinds');

  await cell.getByTestId('cell-code').click();
  const text = cell.getByTestId('code-text');
  await text.waitFor();
  const sql = await text.innerText();
  assert.match(sql, /CREATE VIEW weather AS SELECT \* FROM read_parquet\('weather\.parquet'\);/);
  assert.match(sql, /SELECT weather, max\(temp_max\) AS hottest FROM weather GROUP BY weather;/);

  await cell.getByTestId('code-copy').click();
  await cell.getByTestId('code-status').getByText('Copied').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.trim(), sql.trim());

  await cell.getByTestId('code-tab-python').click();
  assert.equal(await cell.getByTestId('code-tab-python').getAttribute('aria-selected'), 'true');
  const python = await text.innerText();
  assert.match(python, /"weather": pl\.scan_parquet\("weather\.parquet"\)/);
  // The file the code reads, one click away.
  const [table] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('code-tables').getByText('weather.parquet').click()]);
  assert.equal(table.suggestedFilename(), 'weather.parquet');
  assert.equal((await downloadedBytes(table)).subarray(0, 4).toString(), 'PAR1');
  const [download] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('code-download').click()]);
  assert.equal(download.suggestedFilename(), 'kinds.py');
  const saved = (await downloadedBytes(download)).toString('utf8');
  assert.equal(saved.trim(), python.trim());
  assert.match(saved, /^import polars as pl$/m);

  await cell.getByTestId('cell-code').click();
  assert.equal(await cell.getByTestId('code-panel').count(), 0, 'the control closes the panel');
  assert.deepEqual(errors, []);
  await context.close();
});
