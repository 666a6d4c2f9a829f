import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, newWorkspace, signUp as signUpAt, typeLines } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

const signUp = (page: Page, email: string) => signUpAt(page, server.url, email);

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; }, { seedDemo: true });

test('a new user signs up and the demo workspace already shows its upload and profile', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  await signUp(page, 'demo@example.com');
  // Right after signup the demo is running, or has run: never "not run yet" (issue 23, item 15).
  const meta = page.getByTestId('workspace-item').first().locator('.meta');
  await meta.waitFor();
  assert.match(await meta.innerText(), /^(running now|ran )/);
  await page.getByTestId('workspace-link').first().click();
  await page.waitForURL(/\/w\//);
  const card = page.locator('[data-testid="profile-column"][data-column="temp_max"]');
  await card.waitFor({ timeout: 30_000 });
  console.log(`# browser: signup to first profile card in ${Date.now() - t0} ms`);
  assert.match(await card.innerText(), /35\.6/);
  assert.match(await card.innerText(), /-1\.6|−1\.6/);
  const preview = page.getByTestId('preview-table').locator('[role=grid]');
  assert.match(await preview.innerText(), /2012-01-01/);
  // The overview: the alerts list names columns, the heatmap has a cell per numeric pair (both halves).
  const alerts = page.getByTestId('profile-alerts');
  await alerts.waitFor();
  assert.match(await alerts.innerText(), /precipitation · zeros/);
  assert.equal(await page.locator('[data-testid="correlation-heatmap"] rect title').count(), 2 * 6);
  assert.match(await page.locator('[data-testid="correlation-heatmap"]').innerHTML(), /temp_max × temp_min: Pearson 0\.8/);
  const date = page.locator('[data-testid="profile-column"][data-column="date"]');
  assert.match(await date.innerText(), /1,460 days/);
  assert.equal(await date.locator('svg[aria-label="by year"] rect').count(), 4);

  // "Suggest rules" adds a rule cell after the profile; its rules hold on this data.
  await page.getByTestId('suggest-rules').click();
  const suggested = page.locator('[data-testid="cell"][data-cell-name="weather_rules"]');
  await suggested.waitFor({ timeout: 30_000 });
  const summary = suggested.getByTestId('rule-summary');
  await summary.waitFor({ timeout: 30_000 });
  assert.match(await summary.innerText(), /0 fail/i);
  assert.ok(await suggested.locator('[data-testid="rule"][data-status="pass"]').count() >= 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('build a notebook in the page: upload by file input, add a profile, edit it in CodeMirror, see results live', async () => {
  const page = await browser.newPage();
  await signUp(page, 'builder@example.com');
  await newWorkspace(page, 'Funding');
  const uploadCell = await addCell(page, 'upload', 'funding');
  await uploadCell.getByTestId('upload-input').setInputFiles(path.join(DATA, 'swiss-energy-research-funding.csv'));
  // The first rows show while converting; the row count comes with the result.
  await uploadCell.getByTestId('preview-table').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="cell"][data-cell-name="funding"][data-status="done"]').waitFor({ timeout: 30_000 });
  assert.match(await uploadCell.innerText(), /2[,.\u202f ]?311/);

  const profileCell = await addCell(page, 'profile', 'funding_profile');
  // Replace the starter config through the editor, then Shift+Enter saves and runs.
  const editor = profileCell.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('input: funding\n');
  await page.keyboard.press('Shift+Enter');
  const card = profileCell.locator('[data-testid="profile-column"][data-column="forschungsstaette"]');
  await card.waitFor({ timeout: 30_000 });
  assert.match(await card.innerText(), /\b31\b/);

  // A rule cell: its failing rule comes first, with the failing rows one click away.
  const ruleCell = await addCell(page, 'rule', 'funding_rules');
  const ruleEditor = ruleCell.locator('.cm-content');
  await ruleEditor.click();
  await page.keyboard.press('ControlOrMeta+a');
  // Typed line by line at column 0: CodeMirror would otherwise keep the previous indent.
  await typeLines(page, ['input: funding', 'rules:', '- check: row_count', '  min: 1', '- check: range', '  column: finanzbeitrag', '  max: 1000000', '  name: small grants']);
  await page.keyboard.press('Shift+Enter');
  const failing = ruleCell.locator('[data-testid="rule"][data-status="fail"]');
  await failing.waitFor({ timeout: 60_000 });
  assert.equal(await failing.getAttribute('data-rule'), 'small grants');
  assert.equal(await ruleCell.locator('[data-testid="rule"]').first().getAttribute('data-rule'), 'small grants');
  await failing.locator('summary').click();
  assert.match(await failing.getByTestId('rule-samples').innerText(), /finanzbeitrag/);
  assert.match(await ruleCell.getByTestId('rule-summary').innerText(), /1 fail/i);
  // The failing rule is named at the top of the workspace too.
  assert.match(await page.getByTestId('failing-rules').innerText(), /funding_rules · small grants fail/i);

  // Completion in a rule cell: check types after "check:", the input's columns after "column:".
  await ruleEditor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await page.keyboard.type('- check: not_n');
  // The list may first show what matched an earlier keystroke: wait for the one that names it.
  await ruleCell.locator('.cm-tooltip-autocomplete', { hasText: 'not_null' }).waitFor();
  // CodeMirror ignores Enter for 75 ms after a completion list opens (its interactionDelay).
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  assert.match(await ruleEditor.innerText(), /- check: not_null/);
  await page.keyboard.press('Enter');
  await page.keyboard.type('column: fin');
  await ruleCell.locator('.cm-tooltip-autocomplete', { hasText: 'finanzbeitrag' }).waitFor();
  // A rule naming a column that does not exist: that rule is an error, marked at its line.
  await page.keyboard.press('Escape');
  await page.keyboard.type('x');
  await page.keyboard.press('Shift+Enter');
  await ruleCell.locator('[data-testid="rule"][data-status="error"]').waitFor({ timeout: 30_000 });
  await ruleCell.locator('.cm-lint-marker-error').waitFor();
  const marked = await ruleCell.locator('.cm-lintRange-error').innerText();
  assert.match(marked, /column: finx/);
  await page.close();
});

test('renaming a cell offers to update the cells that read it, and they read it by its new name', async () => {
  const page = await browser.newPage();
  await signUp(page, 'renamer@example.com');
  await newWorkspace(page, 'Rename');
  const source = await addCell(page, 'upload', 'weather');
  await source.getByTestId('upload-input').setInputFiles(path.join(DATA, 'seattle-weather.csv'));
  // A new profile cell starts reading the cell above it.
  const profileCell = await addCell(page, 'profile', 'weather_profile');
  await page.locator('[data-testid="cell"][data-cell-name="weather_profile"][data-status="done"]').waitFor({ timeout: 30_000 });

  // Asked in the page (issue 23, item 9): the new name, and a tick box (ticked) to update its readers.
  const native: string[] = [];
  page.on('dialog', (d) => { native.push(d.message()); void d.dismiss(); });
  await source.getByTestId('cell-rename').click();
  await page.getByTestId('dialog-input').fill('daily');
  assert.match(await page.getByTestId('dialog').innerText(), /Also make "weather_profile" read the new name/);
  assert.equal(await page.getByTestId('dialog-tick').isChecked(), true);
  await page.getByTestId('dialog-confirm').click();
  await page.locator('[data-testid="cell"][data-cell-name="daily"]').waitFor();
  assert.deepEqual(native, [], 'no prompt() or confirm()');
  await profileCell.locator('.cm-content', { hasText: 'input: daily' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="cell"][data-cell-name="weather_profile"][data-status="done"]').waitFor({ timeout: 30_000 });
  await page.close();
});

test('an edit made on a page that missed another person\'s change is refused, says so, keeps its text, and saves when tried again', async () => {
  const context = await browser.newContext();
  const mine = await context.newPage();
  await signUp(mine, 'conflict@example.com');
  await newWorkspace(mine, 'Two editors');
  const cell = await addCell(mine, 'profile', 'shared');
  // The other page hears no events, so it keeps showing the workspace as it loaded it.
  const theirs = await context.newPage();
  await theirs.route('**/events*', (route) => route.abort());
  await theirs.goto(mine.url());
  const theirCell = theirs.locator('[data-testid="cell"][data-cell-name="shared"]');
  await theirCell.locator('.cm-content').waitFor();

  const type = async (page: Page, where: typeof cell, text: string) => {
    await where.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(text);
    await page.keyboard.press('Shift+Enter');
  };
  await type(mine, cell, 'input: mine');
  await cell.locator('.cm-content', { hasText: 'input: mine' }).waitFor();
  await mine.locator('[data-testid="cell"][data-cell-name="shared"] [data-testid="cell-error"]').waitFor();

  // The refusal makes the page load the workspace again.
  const reloaded = theirs.waitForResponse((r) => r.request().method() === 'GET' && /\/api\/workspaces\/[^/]+$/.test(new URL(r.url()).pathname));
  await type(theirs, theirCell, 'input: theirs');
  const refused = theirCell.getByTestId('cell-error');
  await refused.filter({ hasText: 'Someone else changed this workspace' }).waitFor();
  await reloaded;
  assert.match(await theirCell.locator('.cm-content').innerText(), /input: theirs/, 'their text is kept');
  assert.match(await refused.innerText(), /Someone else changed this workspace/, 'the reason stays after the reload');
  // Saved again, now on the current version, it is applied.
  await theirs.keyboard.press('Shift+Enter');
  await cell.locator('.cm-content', { hasText: 'input: theirs' }).waitFor({ timeout: 30_000 });

  // Saved again at once, before the reload that follows a refusal has landed (held back here),
  // the save waits for the reloaded version instead of being refused a second time on the old one.
  const refusals: number[] = [];
  theirs.on('response', (r) => { if (r.request().method() === 'PATCH' && r.status() === 409) refusals.push(r.status()); });
  await type(mine, cell, 'input: mine again');
  await cell.locator('.cm-content', { hasText: 'input: mine again' }).waitFor();
  const isWorkspace = (url: URL) => /\/api\/workspaces\/[^/]+$/.test(url.pathname);
  await theirs.route(isWorkspace, async (route) => {
    if (route.request().method() === 'GET') await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await type(theirs, theirCell, 'input: theirs again');
  await refused.filter({ hasText: 'Someone else changed this workspace' }).waitFor();
  await theirs.keyboard.press('Shift+Enter');
  await cell.locator('.cm-content', { hasText: 'input: theirs again' }).waitFor({ timeout: 30_000 });
  assert.equal(refusals.length, 1, 'refused once, not again while the page reloaded');
  await context.close();
});

test('a second browser sees results arrive live, and CSV text is shown as text, never run as HTML', async () => {
  const owner = await browser.newPage();
  await signUp(owner, 'live@example.com');
  await newWorkspace(owner, 'Live');
  const hostile = await addCell(owner, 'upload', 'hostile');

  // The same account in a second browser context, watching the same page.
  const watcherContext = await browser.newContext();
  await watcherContext.addCookies(await owner.context().cookies());
  const watcher = await watcherContext.newPage();
  let dialogs = 0;
  for (const p of [owner, watcher]) p.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  await watcher.goto(owner.url());
  await watcher.locator('[data-testid="cell"][data-cell-name="hostile"]').waitFor();

  const csv = 'name,<img src=x onerror=alert(1)>\n<b>bold</b>,<script>alert(2)</script>\n';
  await hostile.getByTestId('upload-input')
    .setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const table = watcher.getByTestId('preview-table').locator('[role=grid]');
  await table.waitFor({ timeout: 30_000 });
  const text = await table.innerText();
  assert.match(text, /<img src=x onerror=alert\(1\)>/);
  assert.match(text, /<b>bold<\/b>/);
  assert.equal(await watcher.locator('img[src="x"]').count(), 0);
  assert.equal(dialogs, 0);
  await watcherContext.close();
  await owner.close();
});
