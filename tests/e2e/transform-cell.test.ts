// The transform cell in the page: its steps typed in its editor, its table shown in the same
// grid as a query's with the steps under it, and its code (SQL and Python) shown on request.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, typeLines, weatherNotebook } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('a transform cell typed in the page shows its table, its steps and its code', async () => {
  const { page, errors } = await weatherNotebook(browser, server.url, 'transform-page@example.com', 'Weather by kind, by steps');

  const cell = await addCell(page, 'transform', 'kinds');
  // Its starter's steps are comments: the cell waits for one, it has not failed.
  assert.equal(await cell.getByTestId('cell-status').getAttribute('data-awaiting'), 'config');
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await typeLines(page, [
    'input: weather',
    'steps:',
    '- group_by: {by: weather, aggregate: {days: count}}',
    '- sort: {by: days, descending: true}',
  ]);
  await page.keyboard.press('Shift+Enter');
  await page.locator('[data-testid="cell"][data-cell-name="kinds"][data-status="done"]').waitFor({ timeout: 60_000 });
  assert.match(await cell.getByTestId('sql-shape').innerText(), /5 rows × 2 columns/);
  assert.match(await cell.getByTestId('transform-steps').innerText(), /2 steps: group_by → sort/);
  // MANIFEST.md: rain 641, sun 640, fog 101, drizzle 53, snow 26, in that order.
  const grid = cell.getByTestId('preview-table').locator('[role=grid]');
  await grid.waitFor({ timeout: 30_000 });
  const text = await grid.innerText();
  const order = ['rain', 'sun', 'fog', 'drizzle', 'snow'].map((w) => text.indexOf(w));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), text);

  await cell.getByTestId('cell-code').click();
  const code = cell.getByTestId('code-text');
  await code.waitFor({ timeout: 30_000 });
  assert.match(await code.innerText(), /GROUP BY weather[\s\S]*ORDER BY "days" DESC NULLS LAST/);
  await cell.getByTestId('code-tab-python').click();
  assert.match(await cell.getByTestId('code-text').innerText(), /\.group_by\(\["weather"\], maintain_order=True\)/);
  assert.deepEqual(errors, []);
  await page.close();
});
