// A CSV whose column names and cells are HTML and script payloads, through an upload, a
// profile, a rule and a chart in Chromium: every payload shows as text, none runs, no
// element is made from one, and the page's Content-Security-Policy reports nothing.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { ApiClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';

const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '<script>window.__xss=2</script>';
const SVG = '<svg onload=window.__xss=3>';
const IFRAME = '<iframe src=javascript:window.__xss=4>';
const CSV = [
  `kind,${IMG},${SCRIPT},n`,
  `a,${SVG},<b>bold</b>,1`,
  `b,${IFRAME},</td><td>cell,2`,
  `a,${SVG},<style>body{display:none}</style>,3`,
  `c,plain,<a href=javascript:window.__xss=5>link</a>,4`,
].join('\n') + '\n';
const TITLE = '<img src=x onerror=window.__xss=6> report';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('payloads in a CSV, its column names and a title render as text in every cell kind, and nothing runs', async () => {
  const api = new ApiClient(server.url);
  await api.signup('xss@example.com');
  const ws = (await api.post('/api/workspaces', { title: TITLE })).body;
  const add = async (kind: string, name: string, config: string) => {
    const res = await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  await add('upload', 'hostile', '');

  const context = await browser.newContext();
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  // Collected in the page before any of its scripts run.
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/w/${ws.id}`);

  const upload = page.locator('[data-testid="cell"][data-cell-name="hostile"]');
  await upload.getByTestId('upload-input').setInputFiles({ name: `${IMG}.csv`, mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  const preview = upload.getByTestId('preview-table').locator('[role=grid]');
  await preview.waitFor({ timeout: 30_000 });

  await add('profile', 'look', 'input: hostile\n');
  await add('rule', 'checks', [
    'input: hostile',
    'rules:',
    `  - check: allowed_values`,
    `    column: "${IMG}"`,
    `    values: [plain]`,
    `  - check: not_null`,
    `    column: "${SCRIPT.replace('2', '7')}x"`,
  ].join('\n') + '\n');
  await add('chart', 'counts', `input: hostile\nx: "${IMG}"\ntitle: "${SCRIPT}"\n`);

  const profileCard = page.locator(`[data-testid="cell"][data-cell-name="look"] [data-testid="profile-column"][data-column="${IMG}"]`);
  await profileCard.waitFor({ timeout: 30_000 });
  const rules = page.locator('[data-testid="cell"][data-cell-name="checks"]');
  await rules.getByTestId('rule-summary').waitFor({ timeout: 30_000 });
  const plot = page.locator('[data-testid="cell"][data-cell-name="counts"] [data-testid="chart-plot"]');
  await plot.locator('g[aria-label="bar"] rect').first().waitFor({ timeout: 30_000 });

  // Shown literally, wherever each kind shows it.
  const previewText = await preview.innerText();
  for (const payload of [IMG, SCRIPT, SVG, IFRAME, '<b>bold</b>', '</td><td>cell', '<style>body{display:none}</style>']) {
    assert.ok(previewText.includes(payload), `the preview shows ${payload} as text`);
  }
  assert.ok((await profileCard.innerText()).includes(IMG));
  assert.ok((await profileCard.innerText()).includes(SVG), 'top values as text');
  const samples = (await rules.getByTestId('rule-samples').first().textContent()) ?? '';
  assert.ok(samples.includes(SVG) && samples.includes(IFRAME), `rule samples as text: ${samples}`);
  const ruleText = (await rules.getByTestId('rule').allTextContents()).join('\n');
  assert.ok(ruleText.includes(`${SCRIPT.replace('2', '7')}x`), `an unknown column named in the error, as text: ${ruleText}`);
  // Long tick labels are cut with an ellipsis.
  const ticks = (await plot.locator('g[aria-label="x-axis tick label"]').textContent()) ?? '';
  assert.ok(ticks.includes(SVG) && ticks.includes('<iframe src=javascript:'), `chart labels as text: ${ticks}`);
  assert.equal(await page.getByTestId('workspace-title').inputValue(), TITLE);
  assert.equal(await page.title(), `${TITLE} · Assay`);

  // Nothing was made from a payload, nothing ran, nothing was fetched for one.
  assert.equal(await page.locator('img[src="x"], iframe, [onerror], [onload], a[href^="javascript:"], b:text-is("bold")').count(), 0);
  assert.equal(await page.locator('style:text-matches("display:none")').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  // A relative src=x resolves against the page's path (/w/x), so look at the last segment.
  assert.deepEqual(requests.filter((p) => p.endsWith('/x')), [], 'no request for an injected image');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
  assert.deepEqual(problems, []);

  // The control: an inline script that did reach the page is refused by the policy, and reported.
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__xss = 9';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { __xss?: number }).__xss;
  });
  assert.equal(ran, undefined);
  assert.match((await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).join(), /script-src/);
  await context.close();
});
