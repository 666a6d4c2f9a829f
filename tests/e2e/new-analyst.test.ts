// What a new analyst hit on the page (issue 23, items 1, 8, 9, 10, 18, 20, 26), each as they met it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { pageSignedIn, serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import { addCell, headerFit } from '../support/notebook-page.ts';
import { workspaceWithStream } from '../support/workspace.ts';
import type { TestServer } from '../support/server.ts';

// With ASSAY_SCREENSHOTS=1 the README's pictures of these states are refreshed (as journey.test.ts does).
const SHOTS = process.env.ASSAY_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : null;
const shot = async (what: Page | Locator, name: string) => { if (SHOTS) await what.screenshot({ path: path.join(SHOTS, name) }); };
const ECDC = path.resolve(import.meta.dirname, '../../../shared/data/ecdc-covid19-2020-03-30-dmy.csv');
let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

/** A page signed in as `api`'s account; `phone`: its meta viewport honoured, touch, a dense screen (an iPhone 12 is 390 × 844). */
const pageAs = (api: ApiClient, viewport = { width: 1200, height: 900 }, phone = false) =>
  pageSignedIn(browser, server, api, { viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}) });

/** A new account with the ECDC workspace below, and a page signed in to it. */
async function analyst(email: string, title: string, viewport?: { width: number; height: number }, phone?: boolean) {
  const api = new ApiClient(server.url);
  await api.signup(email);
  const { ws } = await ecdcWorkspace(api, title);
  return { api, ws, page: await pageAs(api, viewport, phone) };
}

/** A workspace holding the ECDC file (years 2019–2020, cases up to 19,979) with its profile, both finished. */
async function ecdcWorkspace(api: ApiClient, title: string) {
  const { ws, events, add } = await workspaceWithStream(api, title);
  const upload = await add('covid', 'upload', '');
  const profile = await add('stats', 'profile', 'input: covid\n');
  await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, fs.readFileSync(ECDC), 'ecdc.csv');
  for (const cell of [upload, profile]) await events.waitFor((e) => e.event === 'cell.result' && e.data.cellId === cell.id, 60_000);
  events.close();
  return { ws, upload, profile };
}

/** What a profile card says for `stat` (its <dt>) of `column`. */
async function statOf(page: Page, column: string, stat: string): Promise<string> {
  const card = page.locator(`[data-testid="profile-column"][data-column="${column}"]`);
  return card.locator('dt', { hasText: new RegExp(`^${stat}$`) }).locator('xpath=following-sibling::dd[1]').innerText();
}

test('years and codes show without separators in the grid and the profile; quantities keep theirs (item 1)', async () => {
  const { ws, page } = await analyst('years@example.com', 'Covid years');
  await page.goto(`${server.url}/w/${ws.id}`);
  const grid = page.locator('[data-testid="cell"][data-cell-name="covid"]').getByTestId('preview-table');
  await grid.locator('[role="gridcell"][title="2020"]').first().waitFor();
  assert.equal(await grid.locator('[role="gridcell"][title="2,020"]').count(), 0, 'no year reads "2,020"');
  await page.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]').waitFor();
  assert.equal(await statOf(page, 'year', 'min'), '2019');
  assert.equal(await statOf(page, 'year', 'max'), '2020');
  assert.equal(await statOf(page, 'cases', 'max'), '19,979', 'a count stays grouped');
  await page.context().close();
});

test('a run page shows the run\'s table in the notebook\'s grid: every row, sorted and filtered (item 20)', async () => {
  const { api, ws, page } = await analyst('run-grid@example.com', 'Covid runs');
  const runs = (await api.get(`/api/workspaces/${ws.id}/runs`)).body as { id: string }[];
  await page.goto(`${server.url}/w/${ws.id}/runs/${runs[0]!.id}`);
  const cell = page.locator('[data-testid="run-cell"][data-cell="covid"]');
  const grid = cell.getByTestId('preview-table');
  await grid.getByTestId('grid-status').filter({ hasText: '7,710 rows × 10 columns' }).waitFor();
  await grid.locator('[role="gridcell"][title="2020"]').first().waitFor();
  await grid.locator('[data-testid="grid-filter"][data-column="year"]').fill('2019');
  await grid.getByTestId('grid-status').filter({ hasText: /\d of 7,710 rows match/ }).waitFor();
  const matching = Number(/([\d,]+) of/.exec(await grid.getByTestId('grid-status').innerText())![1]!.replace(/,/g, ''));
  assert.ok(matching > 0 && matching < 7710, `${matching} rows of 2019`);
  // The run's profile says its years as the notebook does (item 1).
  assert.equal(await statOf(page, 'year', 'max'), '2020');
  await page.context().close();
});

test('the history lists runs on new data by default, edits on asking; the trend\'s axis is dated (item 18)', async () => {
  const api = new ApiClient(server.url);
  await api.signup('history@example.com');
  const { ws, events, add } = await workspaceWithStream(api, 'Edits and files');
  const upload = await add('sales', 'upload', '');
  const rules = await add('checks', 'rule', 'input: sales\nrules:\n  - check: range\n    column: amount\n    min: 0\n');
  // The stream keeps every event: wait for one more result of the rule than there was.
  const results = () => events.received.filter((e) => e.event === 'cell.result' && e.data.cellId === rules.id).length;
  const nextResult = (n: number) => events.waitFor(() => results() > n, 60_000);
  const send = async (csv: string) => {
    const n = results();
    assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${upload.id}/upload`, csv, 'sales.csv')).status, 201);
    await nextResult(n);
  };
  await send('amount\n1\n-2\n');
  // Three Shift+Enters on the rule: three runs that read no new data.
  for (const min of [1, 2, 3]) {
    const n = results();
    const res = await api.patch(`/api/workspaces/${ws.id}/cells/${rules.id}`, { config: `input: sales\nrules:\n  - check: range\n    column: amount\n    min: ${min}\n` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await nextResult(n);
  }
  await send('amount\n5\n-1\n-3\n');
  events.close();
  const all = (await api.get(`/api/workspaces/${ws.id}/runs`)).body as { id: string; trigger: string }[];
  const uploads = all.filter((r) => r.trigger === 'upload').map((r) => r.id);
  assert.equal(uploads.length, 2);

  const page = await pageAs(api);
  await page.goto(`${server.url}/w/${ws.id}/runs`);
  const rows = page.getByTestId('run-row');
  await rows.first().waitFor();
  const listed = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')));
  assert.deepEqual(await listed(), uploads, 'only the runs on new files, newest first');
  assert.match(await page.getByTestId('run-filter-edits').innerText(), /Edits \(\d+\)/);
  await page.getByTestId('run-filter-all').click();
  await page.locator('[data-testid="run-filter-all"][aria-pressed="true"]').waitFor();
  assert.deepEqual(await listed(), all.map((r) => r.id));
  await page.getByTestId('run-filter-edits').click();
  await page.locator('[data-testid="run-filter-edits"][aria-pressed="true"]').waitFor();
  const edits = await listed();
  assert.equal(edits.length, all.length - 2);
  assert.ok(edits.every((id) => !uploads.includes(id!)), 'edits only');
  await page.getByTestId('run-filter-data').click();
  await shot(page, 'runs.png');

  // The comparison picked the two uploads; its trend is drawn over dates, not run numbers.
  await page.getByTestId('compare-runs').click();
  await page.waitForURL(new RegExp(`/compare\\?a=${uploads[1]}&b=${uploads[0]}`));
  const axis = page.locator('[data-testid="trend-chart"] svg [aria-label="x-axis label"]');
  await axis.waitFor();
  assert.match(await axis.textContent() ?? '', /run date/);
  await page.context().close();
});

test('at a phone\'s width the header\'s buttons do not overlap and the editor fits the screen (item 26)', async () => {
  // Cells that have run: their heads carry every control, their views are wide.
  const { api, ws, page } = await analyst('phone@example.com', 'Covid cases by country and week, cleaned', { width: 390, height: 844 }, true);
  // A long line, as a pattern or an expression makes: the editor scrolls it, the page does not widen.
  await api.post(`/api/workspaces/${ws.id}/cells`, {
    kind: 'rule', name: 'checks',
    config: 'input: covid\nrules:\n  - check: range\n    column: cases\n    min: 0\n  - check: expression\n    name: deaths never exceed the cases reported on the same day in the same country\n    expr: deaths <= cases\n',
  });
  await page.goto(`${server.url}/w/${ws.id}`);
  const editor = page.locator('[data-testid="cell"][data-cell-name="checks"] .cm-editor');
  await editor.waitFor();
  await page.locator('[data-testid="cell"][data-cell-name="checks"][data-status="done"]').waitFor();
  // Every control of the header that is shown, through the shadow roots of the parts that hold them.
  const header = await headerFit(page, 390);
  assert.ok(header.names.length >= 4, `the header's controls: ${header.names.join(', ')}`);
  assert.deepEqual(header.misfits, [], 'no header control overlaps another or leaves the screen');
  const box = (await editor.boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the editor's right edge ${box.x + box.width} is inside the 390 px screen`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'the page does not scroll sideways');
  // The header's dialogs fit the screen too: "Run with new files…" was 422 px wide (a min-width of 380 and its padding).
  await page.getByTestId('run-new-files').click();
  const rerun = page.locator('dialog[aria-labelledby="rerun-title"]');
  await rerun.waitFor();
  const dialog = (await rerun.boundingBox())!;
  assert.ok(dialog.x >= 0 && dialog.x + dialog.width <= 390, `the rerun dialog (${dialog.x}–${dialog.x + dialog.width}) is inside the screen`);
  await page.keyboard.press('Escape');
  await shot(page, 'notebook-phone.png');
  await page.context().close();
});

test('a PNG dropped on an upload cell holding a good CSV is refused: the cell says why, keeps its result, and the banner says so (item 8)', async () => {
  const { api, ws, page } = await analyst('refused-page@example.com', 'Covid refusals');
  await page.goto(`${server.url}/w/${ws.id}`);
  const covid = page.locator('[data-testid="cell"][data-cell-name="covid"][data-status="done"]');
  await covid.getByTestId('preview-table').waitFor();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
  await covid.locator('input[type="file"]').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: png });
  const error = covid.getByTestId('cell-error');
  await error.waitFor();
  assert.match(await error.innerText(), /"chart\.png" was not used: this file is not text.*cell "covid" keeps its file "ecdc\.csv" and its result/);
  const banner = page.getByTestId('upload-refused');
  await banner.waitFor();
  assert.match(await banner.innerText(), /covid · upload refused "chart\.png" was not used/);
  assert.match(await page.getByTestId('failing-rules').innerText(), /1 upload refused/);
  await shot(page, 'upload-refused.png');
  // Nothing else moved: the old result is shown, current, and its reader is still done.
  assert.equal(await covid.getAttribute('data-status'), 'done');
  await covid.getByTestId('preview-table').locator('[role="gridcell"][title="2020"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="cell"][data-cell-name="stats"]').getAttribute('data-status'), 'done');
  const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells as { name: string; latest: { status: string } }[];
  assert.deepEqual(cells.map((c) => [c.name, c.latest.status]), [['covid', 'done'], ['stats', 'done']]);
  await page.context().close();
});

test('rename and delete ask in the page; a delete can be undone, and meanwhile its readers say it was deleted (item 9)', async () => {
  const { ws, page } = await analyst('undo@example.com', 'Covid undo');
  const native: string[] = [];
  page.on('dialog', (d) => { native.push(d.message()); void d.dismiss(); });
  await page.goto(`${server.url}/w/${ws.id}`);
  const cell = (name: string) => page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
  await page.locator('[data-testid="cell"][data-cell-name="stats"][data-status="done"]').waitFor();

  // Rename: a dialog with the name to edit; Escape would cancel.
  await cell('stats').getByTestId('cell-rename').click();
  const input = page.getByTestId('dialog-input');
  await input.waitFor();
  assert.equal(await input.inputValue(), 'stats');
  await input.fill('summary');
  await page.getByTestId('dialog-confirm').click();
  await cell('summary').waitFor();

  // Delete: a dialog naming who reads it, then a toast to undo.
  await cell('covid').getByTestId('cell-delete').click();
  const dialog = page.getByTestId('dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Delete "covid"\?[\s\S]*"summary" reads it/);
  await page.getByTestId('dialog-confirm').click();
  await cell('covid').waitFor({ state: 'detached' });
  const toast = page.getByTestId('toast');
  await toast.waitFor();
  assert.match(await toast.innerText(), /Deleted cell "covid"/);
  await shot(page, 'undo-delete.png');
  const error = cell('summary').getByTestId('cell-error');
  await error.waitFor();
  assert.match(await error.innerText(), /cell "covid" was deleted/);

  await page.getByTestId('toast-action').click();
  await page.locator('[data-testid="cell"][data-cell-name="covid"][data-status="done"]').waitFor();
  await page.locator('[data-testid="cell"][data-cell-name="summary"][data-status="done"]').waitFor();
  assert.equal(await cell('summary').getByTestId('cell-error').count(), 0);
  const names = await page.locator('[data-testid="cell"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell-name')));
  assert.deepEqual(names, ['covid', 'summary'], 'back in its place');
  await page.getByTestId('toast').waitFor({ state: 'detached' });
  assert.deepEqual(native, [], 'no prompt() or confirm()');
  await page.context().close();
});

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
