// The input cell in the page: its widget with its label; a value outside its range is refused in
// the field (which says why) and nothing is saved; a value that fits is saved as `value:` in the
// cell's YAML and re-runs the rule that reads it as $max_temp.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, typeLines, typeYaml, weatherNotebook } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('an input widget: out of range refused where typed; a fitting value saved into the YAML re-runs the rule and the note that read it', async () => {
  const { page, errors } = await weatherNotebook(browser, server.url, 'input-page@example.com', 'Hot days');

  const input = await addCell(page, 'input', 'max_temp');
  await typeYaml(page, input, ['type: integer', 'default: 30', 'min: 0', 'max: 60', 'label: Hottest allowed day']);
  const widget = input.getByTestId('input-widget');
  await widget.getByText('Hottest allowed day').waitFor({ timeout: 30_000 });
  const field = input.getByTestId('input-field');
  await page.waitForFunction((el) => (el as HTMLInputElement).value === '30', await field.elementHandle());
  assert.equal(await input.getByTestId('input-slider').count(), 1, 'min and max set: a slider too');

  const rule = await addCell(page, 'rule', 'checks');
  await typeYaml(page, rule, ['input: weather', 'rules:', '  - check: range', '    column: temp_max', '    max: $max_temp']);
  // MANIFEST.md: temp_max reaches 35.6, so "at most 30" fails.
  const verdict = rule.locator('[data-testid="rule"]');
  await rule.locator('[data-testid="rule"][data-status="fail"]').waitFor({ timeout: 60_000 });
  const ruleRun = await rule.getAttribute('data-run-id');

  // A note reads the input and the rule's outcome as live values: they follow both.
  const story = await addCell(page, 'note', 'story');
  const rendered = story.getByTestId('note');
  await rendered.waitFor({ timeout: 30_000 });
  await rendered.dblclick();
  await story.locator('.cm-editor.cm-focused').waitFor();
  // Typed as note.test.ts does: Escape would fold a note's editor, so typeYaml is not for notes.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await typeLines(page, ['text: "Hottest allowed: $max_temp; failing rules: ${checks.summary.fail}."']);
  await page.keyboard.press('Shift+Enter');
  await rendered.getByText('Hottest allowed: 30; failing rules: 1.').waitFor({ timeout: 60_000 });

  // Out of range: the field says why, and nothing is saved or run.
  await field.fill('150');
  await input.getByTestId('input-problem').waitFor();
  assert.match(await input.getByTestId('input-problem').innerText(), /must be at most 60/);
  await field.press('Tab');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');

  // A fitting value: saved as value: 40, and the rule re-runs with it and passes.
  await field.fill('40');
  await field.press('Tab');
  await rule.locator('[data-testid="rule"][data-status="pass"]').waitFor({ timeout: 60_000 });
  assert.notEqual(await rule.getAttribute('data-run-id'), ruleRun);
  await rendered.getByText('Hottest allowed: 40; failing rules: 0.').waitFor({ timeout: 60_000 });
  assert.equal(await input.getByTestId('input-problem').count(), 0);
  const ws = await page.evaluate(async () => {
    const id = location.pathname.split('/')[2];
    return (await fetch(`/api/workspaces/${id}`)).json();
  });
  const saved = ws.cells.find((c: { name: string }) => c.name === 'max_temp').config;
  assert.match(saved, /^value: 40$/m, saved);
  assert.match(saved, /label: Hottest allowed day/);
  assert.equal(await verdict.count(), 1);

  // The editor completes `$` with the cells' names, as it completes `input:`.
  await rule.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\n    # $max');
  await page.locator('.cm-tooltip-autocomplete li', { hasText: 'max_temp' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');

  // A rerun given a value: the runs page lists it with the value it was given.
  const rerun = await page.evaluate(async (id) => {
    const res = await fetch(`/api/workspaces/${id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ params: { max_temp: 45 } }) });
    return { status: res.status, body: await res.json() };
  }, ws.id);
  assert.equal(rerun.status, 202, JSON.stringify(rerun.body));
  await page.goto(`${server.url}/w/${ws.id}/runs`);
  await page.locator(`[data-testid="run-row"][data-run="${rerun.body.runId}"] [data-testid="run-param"]`, { hasText: 'max_temp = 45' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
  await page.close();
});
