// Sharing in Chromium (the refusals a test provokes, 401/404/410, are not counted as page errors): the owner makes a link in the share dialog, a colleague without an
// account opens it, signs up on the link's page and lands in the workspace; the owner
// revokes it and the colleague is out. Then the settings page: API tokens and a new password.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

async function pageOf(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|404|410)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

test('a colleague opens a view link, signs up on its page, reads the workspace; a revoke shuts them out', async () => {
  const api = new ApiClient(server.url);
  await api.signup('owner@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Quarterly sales' })).body;
  const cell = (await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' })).body;
  const events = api.events(ws.id);
  await events.ready;
  await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, 'region,amount\nnorth,10\nsouth,20\n', 'sales.csv');
  await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id);
  events.close();

  const ownerContext = await browser.newContext();
  const [name, value] = api.cookie.split('=') as [string, string];
  await ownerContext.addCookies([{ name, value, url: server.url }]);
  const { page: owner, problems: ownerProblems } = await pageOf(ownerContext);
  await owner.goto(`${server.url}/w/${ws.id}`);
  await owner.getByTestId('share-open').click();
  await owner.getByTestId('share-role').selectOption('view');
  await owner.getByTestId('share-expiry').selectOption('7 days');
  await owner.getByTestId('share-label').fill('for Dana');
  await owner.getByTestId('share-create').click();
  const url = await owner.getByTestId('share-url').inputValue();
  assert.match(url, new RegExp(`^${server.url}/s/assay_s_[A-Za-z0-9_-]{40,}$`));
  await owner.locator('[data-testid="share-link"][data-state="live"]', { hasText: 'for Dana' }).waitFor();

  // A browser with no account: the link's page says what it opens and asks to sign up.
  const guestContext = await browser.newContext();
  const { page: guest, problems: guestProblems } = await pageOf(guestContext);
  await guest.goto(url);
  const preview = guest.getByTestId('share-preview');
  await preview.waitFor();
  assert.match(await preview.innerText(), /Quarterly sales/);
  assert.match(await preview.innerText(), /owner@example\.com shared this workspace: you can view it/);
  await guest.getByTestId('login-email').fill('dana@example.com');
  await guest.getByTestId('login-password').fill('a long password');
  await guest.getByTestId('signup-submit').click();
  await guest.waitForURL(`${server.url}/w/${ws.id}`);
  const grid = guest.getByTestId('preview-table').locator('[role=grid]');
  await grid.waitFor({ timeout: 30_000 });
  assert.match(await grid.innerText(), /north/);
  assert.equal(await guest.getByTestId('share-open').count(), 0, 'a viewer is offered no Share button');
  await guest.getByTestId('read-only').waitFor();
  const list = (await guest.evaluate(async () => (await fetch('/api/workspaces')).json())) as any[];
  assert.deepEqual(list.map((w) => [w.title, w.role, w.owner.email]), [['Quarterly sales', 'view', 'owner@example.com']]);

  // Its stream open before the revoke (the revoke is what must end it, at once): a page whose
  // stream was still connecting met a refusal instead, and the test failed now and then.
  await guest.locator('.live.open').waitFor();

  // The owner sees who opened it, then revokes it.
  await owner.getByTestId('share-close').click();
  await owner.getByTestId('share-open').click();
  await owner.getByTestId('audit').getByText('opened a view link "for Dana"').waitFor();
  assert.match(await owner.getByTestId('audit').innerText(), /dana@example\.com/);
  await owner.locator('[data-testid="share-link"]', { hasText: 'for Dana' }).getByTestId('share-revoke').click();
  await owner.locator('[data-testid="share-link"][data-state="revoked"]', { hasText: 'for Dana' }).waitFor();
  // The open page hears it at once: its stream ends and it says so.
  await guest.getByText('Your access to this workspace has ended').waitFor({ timeout: 15_000 });

  await guest.reload();
  await guest.getByText('This workspace does not exist, or you have no access to it.').waitFor();
  await guest.goto(url);
  assert.match(await guest.getByTestId('share-link-error').innerText(), /revoked/);

  // Shared by email instead: the list says the person has an account.
  await owner.getByTestId('member-email').fill('Dana@example.com');
  await owner.getByTestId('member-role').selectOption('edit');
  await owner.getByTestId('member-add').click();
  await owner.getByTestId('member').filter({ hasText: 'dana@example.com' }).waitFor();
  await guest.goto(`${server.url}/w/${ws.id}`);
  await guest.getByTestId('preview-table').waitFor({ timeout: 30_000 });

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(guestProblems, []);
  await ownerContext.close();
  await guestContext.close();
});

test('the settings page makes and revokes API tokens and changes the password', async () => {
  const context = await browser.newContext();
  const { page, problems } = await pageOf(context);
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill('sam@example.com');
  await page.getByTestId('login-password').fill('a long password');
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(`${server.url}/`);
  await page.getByTestId('user-email').click();
  await page.waitForURL(`${server.url}/settings`);

  await page.getByTestId('token-name').fill('nightly CI');
  await page.getByTestId('token-create').click();
  const token = await page.getByTestId('token-value').inputValue();
  const script = new ApiClient(server.url);
  script.bearer = token;
  assert.equal((await script.get('/api/me')).body.email, 'sam@example.com');
  await page.getByTestId('token').filter({ hasText: 'nightly CI' }).getByTestId('token-revoke').click();
  await page.getByText('No tokens.').waitFor();
  assert.equal((await script.get('/api/me')).status, 401);

  // A read-only token for a dashboard, expiring in 30 days: it reads and changes nothing.
  await page.getByTestId('token-name').fill('dashboard');
  await page.getByTestId('token-scope').selectOption('read');
  await page.getByTestId('token-expiry').selectOption('30');
  await page.getByTestId('token-create').click();
  const reader = new ApiClient(server.url);
  reader.bearer = await page.getByTestId('token-value').inputValue();
  const listed = page.getByTestId('token').filter({ hasText: 'dashboard' });
  await listed.waitFor();
  assert.match(await listed.innerText(), /read only .*expires in (29|30) days/s);
  assert.equal((await reader.get('/api/workspaces')).status, 200);
  assert.equal((await reader.post('/api/workspaces', { title: 'nope' })).status, 403);

  // A new password, revoking every token on the way.
  await page.getByTestId('current-password').fill('a long password');
  await page.getByTestId('new-password').fill('an even longer password');
  await page.getByTestId('repeat-password').fill('an even longer password');
  await page.getByTestId('revoke-tokens').check();
  await page.getByTestId('change-password').click();
  assert.match(await page.getByTestId('password-changed').innerText(), /API tokens were revoked \(1\)/);
  await page.getByText('No tokens.').waitFor();
  assert.equal((await reader.get('/api/me')).status, 401);
  const check = new ApiClient(server.url);
  assert.equal((await check.post('/api/auth/login', { email: 'sam@example.com', password: 'an even longer password' })).status, 200);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an open page whose session ends elsewhere (a logout in another tab) goes to the login page at once', async () => {
  const api = new ApiClient(server.url);
  await api.signup('tabs@example.com');
  const ws = (await api.post('/api/workspaces', { title: 'Two tabs' })).body;
  const context = await browser.newContext();
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const { page, problems } = await pageOf(context);
  await page.goto(`${server.url}/w/${ws.id}`);
  await page.locator('.live.open').waitFor();
  // The other tab logs out: the same cookie, sent by another client.
  assert.equal((await api.post('/api/auth/logout')).status, 200);
  // Well within the stream's periodic recheck (15 s): the logout itself ends the stream.
  await page.waitForURL(`${server.url}/login?next=${encodeURIComponent(`/w/${ws.id}`)}`, { timeout: 8_000 });
  assert.deepEqual(problems, []);
  await context.close();
});
