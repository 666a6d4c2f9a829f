// The sql cell's editor (issue 21): the query inside the YAML is highlighted as SQL (keywords,
// strings, comments in their own colours; names plain), and completes a table's columns after
// its alias and a dot.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, cellDone, uploadCell, newWorkspace, signUp, typeYaml, watchErrors } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

/** The colour each distinct piece of the editor's text is drawn in, keyed by the text; and the theme's colour for `variable`. */
async function colours(cell: Locator, variables: string[]): Promise<{ text: Record<string, string>; theme: Record<string, string> }> {
  return cell.locator('.cm-content').evaluate((content, vars) => {
    const text: Record<string, string> = {};
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const piece = n.textContent!.trim();
      if (piece) text[piece] ??= getComputedStyle(n.parentElement!).color;
    }
    const theme: Record<string, string> = {};
    for (const v of vars) {
      const probe = document.createElement('span');
      probe.style.color = `var(${v})`;
      content.append(probe);
      theme[v] = getComputedStyle(probe).color;
      probe.remove();
    }
    return { text, theme };
  }, variables);
}

test('a sql cell\'s query is highlighted as SQL inside its YAML, and "alias." completes that table\'s columns', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  watchErrors(page, errors);
  await signUp(page, server.url, 'sql-editor@example.com');
  await newWorkspace(page, 'Editor');
  await uploadCell(page, 'weather', path.join(DATA, 'seattle-weather.csv'));

  const cell = await addCell(page, 'sql', 'rainy');
  await typeYaml(page, cell, [
    'sql: |',
    '  -- rainy days',
    "  SELECT w.date, w.precipitation FROM weather w WHERE w.weather = 'rain'",
  ]);
  await cellDone(page, 'rainy');
  const { text, theme } = await colours(cell, ['--cm-keyword', '--cm-string', '--cm-comment', '--cm-key']);
  assert.equal(text.SELECT, theme['--cm-keyword'], JSON.stringify(text));
  assert.equal(text.FROM, theme['--cm-keyword']);
  assert.equal(text["'rain'"], theme['--cm-string']);
  assert.equal(text['-- rainy days'], theme['--cm-comment']);
  assert.equal(text.sql, theme['--cm-key'], 'the YAML around the query is still YAML');
  assert.notEqual(text.weather, theme['--cm-keyword'], 'a table\'s name is no keyword');

  // At the end of the query: "AND w." offers weather's columns.
  await cell.locator('.cm-line', { hasText: "'rain'" }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' AND w.');
  const list = page.locator('.cm-tooltip-autocomplete');
  await list.waitFor({ timeout: 10_000 });
  const offered = await list.locator('li').allInnerTexts();
  assert.ok(['temp_max', 'wind', 'precipitation'].every((c) => offered.some((o) => o.startsWith(c))), JSON.stringify(offered));
  assert.deepEqual(errors, []);
  await page.close();
});
