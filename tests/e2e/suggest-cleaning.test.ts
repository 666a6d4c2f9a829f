// "Suggest cleaning" in the page (issue 21): a profile that found defects offers, beside
// "Suggest rules", a button that adds the suggested transform cell after it, which runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
// test, before and after skip when there is no Chromium to drive (tests/support/browser.ts).
import { serverAndBrowser, test } from '../support/browser.ts';
import { addCell, cellDone, uploadCell, cellOf, newWorkspace, signUp, typeYaml, watchErrors } from '../support/notebook-page.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
let browser: Browser;
serverAndBrowser((s, b) => { server = s; browser = b; });

// Spaces around names, one copied row, "Europe" written twice as "europe": three defects the profile names.
const CSV = ['name,region,score', ' Alice ,Europe,10', 'Bob,Asia,11', 'Carol,Asia,12', 'Carol,Asia,12', 'Dan ,europe,15', 'Eve,Europe,9', 'Frank,europe,8', ''].join('\n');

test('a profile with defects offers "Suggest cleaning", which adds a transform cell that runs', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  watchErrors(page, errors);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cleaning-'));
  const file = path.join(dir, 'people.csv');
  fs.writeFileSync(file, CSV);
  try {
    await signUp(page, server.url, 'cleaning-page@example.com');
    await newWorkspace(page, 'Cleaning');
    await uploadCell(page, 'people', file);
    const profile = await addCell(page, 'profile', 'people_profile');
    await typeYaml(page, profile, ['input: people']);
    await cellDone(page, 'people_profile');

    await profile.getByTestId('suggest-cleaning').click();
    const clean = cellOf(page, 'people_clean');
    await cellDone(page, 'people_clean');
    const yaml = await clean.locator('.cm-content').innerText();
    assert.match(yaml, /- trim: \[name\]/);
    assert.match(yaml, /- drop_duplicates: \{keep: first\}/);
    assert.match(yaml, /- case: \{region: title\}/);
    // 7 rows less the copy; the cell sits right after the profile.
    assert.match(await clean.getByTestId('sql-shape').innerText(), /^6 rows × 3 columns/);
    const names = await page.locator('[data-testid="cell"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell-name')));
    assert.deepEqual(names, ['people', 'people_profile', 'people_clean']);
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await page.close();
  }
});
