// The editor's help comes from each kind's config reference (GET /api/kinds, generated from
// the schema the server validates with): hovering a key explains it, and a top-level key
// being typed completes with its line of help.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { after, before, launchChromium, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
let api: ApiClient;
let workspaceId: string;
before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  api = new ApiClient(server.url);
  await api.signup('editor-help@example.com');
  workspaceId = (await api.post('/api/workspaces', { title: 'Help' })).body.id;
  const cell = await api.post(`/api/workspaces/${workspaceId}/cells`, { kind: 'profile', name: 'stats', config: 'input: sales\ndistinct: exact\n' });
  assert.equal(cell.status, 201, JSON.stringify(cell.body));
  const rules = await api.post(`/api/workspaces/${workspaceId}/cells`, { kind: 'rule', name: 'checks', config: 'input: sales\nrules:\n  - check: freshness\n    column: date' });
  assert.equal(rules.status, 201, JSON.stringify(rules.body));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('hovering a key shows its help from the kind\'s reference; a key being typed completes with its help', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.url}/w/${workspaceId}`);
  const cell = page.locator('[data-testid="cell"][data-cell-name="stats"]');
  const editor = cell.locator('.cm-content');
  await editor.waitFor();

  const key = editor.locator('.cm-line', { hasText: 'distinct: exact' });
  const box = (await key.boundingBox())!;
  // Over "distinct", the key: CodeMirror shows hover tooltips after a short rest of the pointer.
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  const help = cell.locator('.cm-key-help');
  await help.waitFor({ timeout: 10_000 });
  assert.match(await help.innerText(), /^distinct — how text columns' distinct values are counted: exact, approx/);

  await page.mouse.move(0, 0);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('col');
  const list = cell.locator('.cm-tooltip-autocomplete');
  await list.waitFor();
  assert.match(await list.innerText(), /columns[\s\S]*profile only these columns/);
  await page.keyboard.press('Escape');

  // A rule's options, completed by the rule kind's own completion, carry their help too.
  const ruleEditor = page.locator('[data-testid="cell"][data-cell-name="checks"] .cm-content');
  await ruleEditor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('    max');
  const options = page.locator('[data-testid="cell"][data-cell-name="checks"] .cm-tooltip-autocomplete');
  await options.waitFor();
  assert.match(await options.innerText(), /max_age[\s\S]*a duration like 7d/);
  await page.keyboard.press('Escape');
  assert.deepEqual(problems, []);
  await context.close();
});
