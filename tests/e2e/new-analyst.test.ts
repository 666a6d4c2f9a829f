// What a new analyst hit on the page (issue 23, items 1, 8, 9, 10, 18, 20, 26), each as they met it.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { addCell } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

async function pageAs(api: ApiClient, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  return context.newPage();
}

test('typing YAML by hand keeps the indentation typed: Enter\'s indentation is overtyped, not doubled (item 10)', async () => {
  const api = new ApiClient(server.url);
  await api.signup('typing@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Typing' })).body;
  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}`);
  const chart = await addCell(page, 'chart', 'by_region');
  const content = chart.locator('.cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // As a person types it, key by key, indentation and all. An open completion list takes an
  // Enter as "accept" (see typeLines): a person then presses Enter again, and so does this.
  const lines = chart.locator('.cm-line');
  for (const line of ['chart:', '  x: a', '  y: b']) {
    await page.keyboard.type(line);
    const before = await lines.count();
    await page.keyboard.press('Enter');
    if (await lines.count() === before) await page.keyboard.press('Enter');
  }
  // Deeper than Enter's indentation is the user's to type too.
  await page.keyboard.type('    deeper: c');
  assert.equal(await content.innerText(), 'chart:\n  x: a\n  y: b\n    deeper: c');
  await page.context().close();
});
