// The note cell in the page: written in its editor with live values, shown rendered with the
// editor folded away; double-click or Enter opens the editor, Escape and Shift+Enter fold it;
// a CSV value and the note's own HTML stay text; the run page shows the rendered note too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, newWorkspace, signUp, typeLines, watchErrors } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const PAYLOADS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '[x](javascript:alert(3))'];

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

test('a note with live values is rendered, edited on double-click or Enter, and folds on Escape and Shift+Enter', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  watchErrors(page, errors);
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signUp(page, server.url, 'note-page@example.com');
  await newWorkspace(page, 'Weather story');

  const weather = await addCell(page, 'upload', 'weather');
  await weather.getByTestId('upload-input').setInputFiles(path.join(DATA, 'seattle-weather.csv'));
  const evilDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-note-e2e-'));
  const evilFile = path.join(evilDir, 'evil.csv');
  fs.writeFileSync(evilFile, `id,text\n${PAYLOADS.map((p, i) => `${i},"${p}"`).join('\n')}\n`);
  const evil = await addCell(page, 'upload', 'evil');
  await evil.getByTestId('upload-input').setInputFiles(evilFile);
  fs.rmSync(evilDir, { recursive: true, force: true });
  for (const name of ['weather', 'evil']) await page.locator(`[data-testid="cell"][data-cell-name="${name}"][data-status="done"]`).waitFor({ timeout: 60_000 });

  // A new note starts from its starter, rendered, its editor folded away.
  const story = await addCell(page, 'note', 'story');
  const rendered = story.getByTestId('note');
  await rendered.locator('h2', { hasText: 'Notes' }).waitFor({ timeout: 30_000 });
  assert.match(await rendered.innerText(), /Live values show another cell's result/);
  assert.equal(await story.locator('assay-editor').isVisible(), false, 'the editor is folded while the note is read');

  // Double-click: the editor opens with the keyboard in it.
  await rendered.dblclick();
  await story.locator('.cm-editor.cm-focused').waitFor();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  const lines = [
    'text: |',
    '  # Weather: ${weather.rows} days',
    '  From ${weather.data[0].date}; **rain** on ${weather.data[1].date}.',
    '  - [x] counted',
    '  - ${evil.data[0].text}',
    '  - ${evil.data[1].text}',
    '  - ${evil.data[2].text}',
    '  - <img src=y onerror=alert(4)> [y](javascript:alert(5))',
  ];
  await typeLines(page, lines);
  assert.equal((await story.locator('.cm-content').innerText()).replace(/\n+$/, ''), lines.join('\n'));
  await page.keyboard.press('Shift+Enter');

  // Shift+Enter saves, runs and folds: the note reads as written, with its values.
  await rendered.locator('h1', { hasText: 'Weather: 1,461 days' }).waitFor({ timeout: 60_000 });
  assert.equal(await story.locator('assay-editor').isVisible(), false);
  assert.match(await rendered.innerText(), /From 2012-01-01; rain on 2012-01-02\./);
  assert.equal(await rendered.locator('strong').innerText(), 'rain');
  assert.equal(await rendered.locator('li input[type=checkbox][disabled]').count(), 1);
  // CSV values and the note's own HTML are text: no image, no script, no script link.
  const items = await rendered.locator('li').allInnerTexts();
  assert.deepEqual(items.slice(1).map((t) => t.trim()), [...PAYLOADS, '<img src=y onerror=alert(4)> [y](javascript:alert(5))']);
  assert.equal(await rendered.locator('img, script, a').count(), 0);

  // Enter on the rendered note opens the editor; Escape folds it again, keeping the keyboard on the note.
  await story.getByTestId('cell-result').focus();
  await page.keyboard.press('Enter');
  await story.locator('.cm-editor.cm-focused').waitFor();
  assert.equal(await story.locator('assay-editor').isVisible(), true);
  await page.keyboard.press('Escape');
  await story.locator('assay-editor').waitFor({ state: 'hidden' });
  assert.equal(await story.getByTestId('cell-result').evaluate((el) => el.matches(':focus')), true);

  // The run page shows the note as the notebook does.
  const runId = await story.getAttribute('data-run-id');
  const workspaceId = /\/w\/([^/]+)/.exec(page.url())![1];
  await page.goto(`${server.url}/w/${workspaceId}/runs/${runId}`);
  const onRunPage = page.locator('[data-testid="run-cell"][data-cell="story"] [data-testid="note"]');
  await onRunPage.locator('h1', { hasText: 'Weather: 1,461 days' }).waitFor({ timeout: 60_000 }).catch(async (err: Error) => {
    // Say what the run page showed instead: a slow page and a wrong one look alike from a timeout.
    throw new Error(`${err.message}\nthe run page of ${runId} showed: ${JSON.stringify(await page.locator('[data-testid="run-cell"]').allInnerTexts())}`);
  });
  assert.equal(await onRunPage.locator('img, script, a').count(), 0);

  // The view's second lock: HTML in a result that no note's run made is held to a note's tags and safe links.
  const errorsBefore = errors.length;
  const held = await page.evaluate(async () => {
    const view = document.createElement('assay-note-view') as HTMLElement & { result: unknown; updateComplete: Promise<unknown> };
    view.result = { title: '', values: [], html: '<p onclick="alert(6)">a<img src=x onerror="alert(7)"><script>alert(8)</script>'
      + '<a href="javascript:alert(9)">j</a><a href=" JaVa&#9;script:alert(10)">k</a><a href="https://example.com/">ok</a>'
      + '<iframe src="https://example.com"></iframe><b style="color:red">b</b></p>' };
    document.body.append(view);
    await view.updateComplete;
    const html = view.shadowRoot!.querySelector('.note')!.innerHTML.replace(/<!--[^>]*-->/g, '');
    view.remove();
    return html;
  });
  // An image keeps its (relative) source and loses its handler; the script links lose their href.
  assert.equal(held, '<p>a<img src="x"><a>j</a><a>k</a><a href="https://example.com/">ok</a>b</p>');
  // While that HTML was parsed, the page's CSP refused its inline handlers (a third lock): that and nothing else was said.
  const refusals = errors.splice(errorsBefore);
  assert.ok(refusals.every((e) => /inline event handler violates the following Content Security Policy.*The action has been blocked/.test(e)), refusals.join('\n'));

  assert.deepEqual(dialogs, [], 'no payload ran');
  assert.deepEqual(errors, []);
  await page.close();
});
