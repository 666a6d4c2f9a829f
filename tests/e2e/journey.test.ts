// The analyst's day, end to end in Chromium: sign up, build a notebook of every cell kind
// by typing YAML, edit a rule and see only that cell run again, while a second browser on
// the same workspace sees all of it live. Any page error or console error fails the test.
// Screenshots of the main states go to docs/screenshots/ with ASSAY_SCREENSHOTS=1 (the README shows them).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { after, before, launchChromium, test } from '../support/browser.ts';
import { addCell, cellOf, newWorkspace, signUp, typeYaml, watchErrors } from '../support/notebook-page.ts';
import { screenshotFolder } from '../support/screenshots.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
// The README's screenshots with ASSAY_SCREENSHOTS=1, else a temporary folder (tests/support/screenshots.ts).
const shots = screenshotFolder();
let SHOTS = '';

let server: TestServer;
let browser: Browser;
before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  SHOTS = shots.open();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  shots.close();
});

const done = (page: Page, name: string) => page.locator(`[data-testid="cell"][data-cell-name="${name}"][data-status="done"]`);
const runIdOf = (page: Page, name: string) => cellOf(page, name).getAttribute('data-run-id');

test('sign up, build a notebook by typing YAML, edit a rule and only it re-runs, a second browser sees it all live', async () => {
  const errors: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watchErrors(page, errors);
  const t0 = Date.now();

  await signUp(page, server.url, 'analyst@example.com');
  await newWorkspace(page, 'Seattle weather');

  // The second browser: the same account in another context, on the same workspace from the start.
  const watcherContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await watcherContext.addCookies(await context.cookies());
  const watcher = await watcherContext.newPage();
  watchErrors(watcher, errors);
  await watcher.goto(page.url());
  await watcher.getByTestId('workspace-title').waitFor();
  // Live before anything happens: what it must see arrives on its stream, which is open by now.
  await watcher.locator('.live.open').waitFor();

  // Upload through the file input.
  const upload = await addCell(page, 'upload', 'weather');
  await upload.getByTestId('upload-input').setInputFiles(path.join(DATA, 'seattle-weather.csv'));
  await done(page, 'weather').waitFor({ timeout: 30_000 });
  console.log(`# journey: signup to first result in ${Date.now() - t0} ms`);
  const grid = upload.getByTestId('preview-table').locator('[role=grid]');
  assert.match(await grid.innerText(), /2012-01-01/);
  assert.match(await upload.innerText(), /1,461 rows/);

  // Profile, rules and a chart, each typed as YAML.
  const profile = await addCell(page, 'profile', 'weather_profile');
  await typeYaml(page, profile, ['input: weather']);
  const tempMax = profile.locator('[data-testid="profile-column"][data-column="temp_max"]');
  await tempMax.waitFor({ timeout: 30_000 });
  assert.match(await tempMax.innerText(), /35\.6/);

  const rules = await addCell(page, 'rule', 'weather_rules');
  const rulesWithMin = (min: number) => [
    'input: weather', 'rules:', '- check: not_null', '  columns: [date, weather]',
    '- check: range', '  name: no frost', '  column: temp_min', `  min: ${min}`,
  ];
  await typeYaml(page, rules, rulesWithMin(0));
  await rules.locator('[data-testid="rule"][data-rule="no frost"][data-status="fail"]').waitFor({ timeout: 30_000 });
  assert.match(await rules.getByTestId('rule-summary').innerText(), /1 fail/i);

  const chart = await addCell(page, 'chart', 'weather_chart');
  await typeYaml(page, chart, ['input: weather', 'mark: bar', 'x: weather', 'y: count()']);
  await chart.locator('[data-testid="chart-plot"] svg').first().waitFor({ timeout: 30_000 });
  assert.match(await chart.getByTestId('chart-stats').innerText(), /5 points from 1,461 rows/);
  await done(page, 'weather_chart').waitFor();

  await page.screenshot({ path: path.join(SHOTS, 'notebook.png'), fullPage: true });
  await profile.screenshot({ path: path.join(SHOTS, 'profile.png') });
  await rules.screenshot({ path: path.join(SHOTS, 'rules.png') });
  await chart.screenshot({ path: path.join(SHOTS, 'chart.png') });

  // Edit the rule: only the rule cell runs again.
  const before = Object.fromEntries(await Promise.all(['weather', 'weather_profile', 'weather_rules', 'weather_chart']
    .map(async (n) => [n, await runIdOf(page, n)] as const)));
  await typeYaml(page, rules, rulesWithMin(-10));
  await rules.locator('[data-testid="rule"][data-rule="no frost"][data-status="pass"]').waitFor({ timeout: 30_000 });
  await done(page, 'weather_rules').waitFor();
  assert.notEqual(await runIdOf(page, 'weather_rules'), before.weather_rules);
  for (const name of ['weather', 'weather_profile', 'weather_chart']) {
    assert.equal(await runIdOf(page, name), before[name], `${name} did not run again`);
  }

  // A new file: while the upload runs, the cells below it show as pending at once (the
  // Observable runtime's graph), then each runs on the new rows.
  const fewer = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n').slice(0, 1001).join('\n') + '\n';
  // The pending state can be over before a locator's next poll (every 100–500 ms): the cell's
  // element itself notes each time it shows it, and the test reads that note.
  const chartCell = await page.locator('[data-testid="cell"][data-cell-name="weather_chart"]').elementHandle();
  await chartCell!.evaluate((el) => {
    const note = el as Element & { wasPending?: boolean };
    note.wasPending = false;
    new MutationObserver((records) => {
      if (el.getAttribute('data-graph') === 'pending' || records.some((r) => r.oldValue === 'pending')) note.wasPending = true;
    }).observe(el, { attributes: true, attributeFilter: ['data-graph'], attributeOldValue: true });
  });
  await upload.getByTestId('upload-input').setInputFiles({ name: 'seattle-1000.csv', mimeType: 'text/csv', buffer: Buffer.from(fewer) });
  await page.waitForFunction((el) => (el as Element & { wasPending?: boolean }).wasPending === true, chartCell, { timeout: 15_000 });
  for (const name of ['weather', 'weather_profile', 'weather_rules', 'weather_chart']) await done(page, name).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="cell"][data-cell-name="weather_chart"][data-graph="ready"]').waitFor({ timeout: 15_000 });
  await profile.locator('[data-testid="profile-column"][data-column="temp_max"]').waitFor();
  assert.match(await upload.innerText(), /1,000 rows/);

  // The second browser saw all of it, live, without a reload.
  for (const name of ['weather', 'weather_profile', 'weather_rules', 'weather_chart']) await done(watcher, name).waitFor({ timeout: 30_000 });
  await cellOf(watcher, 'weather_rules').locator('[data-testid="rule"][data-rule="no frost"][data-status="pass"]').waitFor({ timeout: 30_000 });
  assert.match(await cellOf(watcher, 'weather_rules').locator('.cm-content').innerText(), /min: -10/);
  assert.match(await cellOf(watcher, 'weather_profile').locator('[data-testid="profile-column"][data-column="temp_max"]').innerText(), /35\.6/);
  await cellOf(watcher, 'weather_chart').locator('[data-testid="chart-plot"] svg').first().waitFor();
  for (const name of ['weather', 'weather_profile', 'weather_rules', 'weather_chart']) {
    assert.equal(await runIdOf(watcher, name), await runIdOf(page, name), `the watcher shows ${name}'s latest run`);
  }

  // A fresh load of the finished notebook: how soon its results are on screen.
  const loadStart = Date.now();
  await page.reload();
  await cellOf(page, 'weather_profile').locator('[data-testid="profile-column"]').first().waitFor();
  const firstResultMs = Date.now() - loadStart;
  await cellOf(page, 'weather_chart').locator('[data-testid="chart-plot"] svg').first().waitFor();
  console.log(`# journey: reload to first result ${firstResultMs} ms, to every result (chart drawn) ${Date.now() - loadStart} ms`);

  // The workspaces page: last run and the rules' standing.
  await page.goto(`${server.url}/`);
  const item = page.locator('[data-testid="workspace-item"][data-title="Seattle weather"]');
  await item.waitFor();
  assert.equal(await item.getByTestId('workspace-rules').getAttribute('data-state'), 'pass');
  assert.match(await item.innerText(), /ran .*ago|ran just now/);
  await page.screenshot({ path: path.join(SHOTS, 'workspaces.png') });

  // Dark theme (follows the system) and a tablet's width.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goBack();
  await done(page, 'weather_chart').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(SHOTS, 'notebook-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.screenshot({ path: path.join(SHOTS, 'notebook-tablet.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page fits a tablet's width (overflows by ${overflow} px)`);

  assert.deepEqual(errors, []);
  await watcherContext.close();
  await context.close();
});

test('two editors: moving cells by keys and by drag shows on both pages; a save over unsaved text is announced, not lost', async () => {
  const errors: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const mine = await context.newPage();
  watchErrors(mine, errors);
  await signUp(mine, server.url, 'pair@example.com');
  await newWorkspace(mine, 'Pairing');
  for (const name of ['first', 'second', 'third']) await addCell(mine, 'profile', name);
  const theirs = await context.newPage();
  watchErrors(theirs, errors);
  await theirs.goto(mine.url());
  await cellOf(theirs, 'third').waitFor();
  await theirs.locator('.live.open').waitFor();
  const order = (page: Page) => page.locator('[data-testid="cell"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell-name')));

  // Alt+↓ on the first cell's header moves it down, on both pages.
  await cellOf(mine, 'first').locator('header .name').click();
  await mine.keyboard.press('Alt+ArrowDown');
  await expectOrder(theirs, ['second', 'first', 'third']);
  await expectOrder(mine, ['second', 'first', 'third']);
  // Dragging the third cell's handle above the second.
  await cellOf(mine, 'third').getByTestId('cell-drag').dragTo(cellOf(mine, 'second').locator('header'), { targetPosition: { x: 200, y: 2 } });
  await expectOrder(theirs, ['third', 'second', 'first']);
  await expectOrder(mine, ['third', 'second', 'first']);
  assert.deepEqual(await order(mine), await order(theirs));

  // Unsaved text on my page; they save the same cell: my text stays, the cell says so.
  await cellOf(mine, 'second').locator('.cm-content').click();
  await mine.keyboard.press('ControlOrMeta+End');
  await mine.keyboard.type('\n# my note');
  await typeYaml(theirs, cellOf(theirs, 'second'), ['input: elsewhere']);
  const notice = cellOf(mine, 'second').getByTestId('cell-conflict');
  await notice.waitFor({ timeout: 15_000 });
  assert.match(await cellOf(mine, 'second').locator('.cm-content').innerText(), /# my note/);
  await notice.getByTestId('conflict-theirs').click();
  assert.match(await cellOf(mine, 'second').locator('.cm-content').innerText(), /input: elsewhere/);
  assert.doesNotMatch(await cellOf(mine, 'second').locator('.cm-content').innerText(), /# my note/);
  assert.equal(await notice.count(), 0);

  // Folding a cell keeps it folded after a reload (this browser remembers).
  await cellOf(mine, 'first').getByTestId('cell-collapse').click();
  await mine.reload();
  await cellOf(mine, 'first').waitFor();
  assert.equal(await cellOf(mine, 'first').locator('.cm-content').isVisible(), false);
  assert.equal(await cellOf(mine, 'third').locator('.cm-content').isVisible(), true);

  assert.deepEqual(errors, []);
  await context.close();

  async function expectOrder(page: Page, names: string[]): Promise<void> {
    await page.waitForFunction((want) => {
      const app = document.querySelector('assay-app')?.shadowRoot?.querySelector('assay-notebook')?.shadowRoot;
      const got = [...(app?.querySelectorAll('assay-cell') ?? [])].map((c) => c.shadowRoot?.querySelector('article')?.getAttribute('data-cell-name'));
      return JSON.stringify(got) === JSON.stringify(want);
    }, names, { timeout: 15_000 });
  }
});
