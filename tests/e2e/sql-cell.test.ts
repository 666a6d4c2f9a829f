// The sql cell in the page: typed in its editor, its table shown in the same grid as an
// upload's, paged from the server once the run is done.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, typeLines, weatherNotebook } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('a sql cell typed in the page shows its table in the grid', async () => {
  const { page, errors } = await weatherNotebook(browser, server.url, 'sql-page@example.com', 'Weather by kind');

  const cell = await addCell(page, 'sql', 'kinds');
  // Its starter holds an example in comments: the cell waits for a query, it has not failed.
  assert.equal(await cell.getByTestId('cell-status').getAttribute('data-awaiting'), 'config');
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await typeLines(page, ['sql: SELECT weather, count(*) AS days FROM weather GROUP BY weather ORDER BY days DESC']);
  await page.keyboard.press('Shift+Enter');
  await page.locator('[data-testid="cell"][data-cell-name="kinds"][data-status="done"]').waitFor({ timeout: 60_000 });
  assert.match(await cell.getByTestId('sql-shape').innerText(), /5 rows × 2 columns/);
  // MANIFEST.md: rain 641, sun 640, fog 101, drizzle 53, snow 26, in that order.
  const grid = cell.getByTestId('preview-table').locator('[role=grid]');
  await grid.waitFor({ timeout: 30_000 });
  const text = await grid.innerText();
  const order = ['rain', 'sun', 'fog', 'drizzle', 'snow'].map((w) => text.indexOf(w));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), text);
  assert.match(text, /641/);
  assert.deepEqual(errors, []);
  await page.close();
});
