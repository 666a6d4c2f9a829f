// A kind registered on the server alone (tests/support/tally-kind.ts: not in cells/, not in
// the page's views.ts) is summarised on the page through its face, and its failing check
// counts in the page's banner of failing rules as the server counts it.
import assert from 'node:assert/strict';
import { serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';
import { registerTally } from '../support/tally-kind.ts';
import type { Browser } from 'playwright-core';

registerTally();
let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('the page shows a server-registered kind\'s one-line summary, live and after a reload', async () => {
  const api = new ApiClient(server.url);
  await api.signup('tally-page@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Words' })).body;
  const events = api.events(ws.id);
  await events.ready;
  const cell = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'tally', name: 'greeting', config: 'word: greetings\n' })).body;
  const first = await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id, 30_000);
  assert.equal(first.data.summary, '9 letters in "greetings"', 'the event carries the summary');

  const context = await browser.newContext();
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/w/${ws.id}`);
  const shown = page.locator('[data-testid="cell"][data-cell-name="greeting"] [data-testid="kind-summary"]');
  await shown.waitFor();
  assert.equal(await shown.textContent(), '9 letters in "greetings"', 'from the workspace snapshot');

  // A new result arrives over the stream: the page's summary follows it.
  const version = (await api.get(`/api/workspaces/${ws.id}`)).body.version;
  await api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { config: 'word: hi\n', version });
  await page.locator('[data-testid="kind-summary"]', { hasText: '2 letters in "hi"' }).waitFor();
  events.close();
  await context.close();
});
