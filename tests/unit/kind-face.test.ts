// A kind lives in its folder: one registered here, with nothing else touched, is summarised
// by the CLI (with its problems and its verdict), has its section in the HTML report, and
// its part in a run comparison, through its face alone (cells/face.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../server/cli.ts';
import { compareRuns } from '../../server/notebook/compare.ts';
import { renderReport } from '../../server/notebook/report.ts';
import { registerTally } from '../support/tally-kind.ts';

registerTally();

test('the CLI prints a registered kind\'s summary and problems, and its failing check fails the run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-face-'));
  const doc = path.join(dir, 'words.assay.yaml');
  fs.writeFileSync(doc, 'title: Words\ncells:\n  - name: greeting\n    kind: tally\n    config: |\n      word: greetings\n');
  let out = '';
  const code = await main(['run', doc, '--report', path.join(dir, 'report.html')], { write: (s: string) => (out += s) } as never, { write: () => true } as never);
  assert.equal(code, 1, 'a failing check of the new kind fails the run');
  assert.match(out, /✗ greeting \(tally\): 9 letters in "greetings"/);
  assert.match(out, /FAIL short words: "greetings" has 9 letters/);
  assert.match(out, /Rules: 0 pass, 0 warn, 1 fail, 0 error/);
  assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /<p class="tally">greetings · 9 letters<\/p>/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the report shows a registered kind\'s section, escaped by the kind', () => {
  const html = renderReport({
    title: 'Words',
    run: { createdAt: new Date(), trigger: 'edit', files: [], summary: { pass: 1, warn: 0, fail: 0, error: 0 } },
    cells: [{ name: 'w', kind: 'tally', status: 'done', error: null, result: { word: '<b>hi</b>', letters: 9, summary: { pass: 1, warn: 0, fail: 0, error: 0 } } }],
  });
  assert.match(html, /<p class="tally">&#60;b&#62;hi&#60;\/b&#62; · 9 letters<\/p>/);
});

test('a comparison carries a registered kind\'s part', () => {
  const cell = (letters: number) => ({ name: 'w', kind: 'tally', status: 'done', result: { word: 'x'.repeat(letters), letters, summary: {} } });
  const diff = compareRuns([cell(3)], [cell(7)]);
  assert.deepEqual(diff.notes, [{ cell: 'w', kind: 'tally', text: '3 → 7 letters' }]);
  assert.deepEqual(compareRuns([cell(3)], [cell(3)]).notes, []);
});

test('the API\'s description lists a registered kind\'s downloads, as the kind describes them', async () => {
  // Imported after the kind is registered, as the server is (its routes and document are built then).
  const { openApiDocument } = await import('../../server/http/openapi.ts');
  const paths = openApiDocument().paths as Record<string, Record<string, { summary: string; responses: Record<string, { content: Record<string, unknown> }> }>>;
  const tallyTxt = paths['/api/workspaces/{id}/cells/{cellId}/tally.txt']?.get;
  assert.equal(tallyTxt?.summary, 'a tally cell\'s word and its letters, as text');
  assert.deepEqual(Object.keys(tallyTxt!.responses['200']!.content), ['text/plain']);
  // The kinds of cells/ describe theirs the same way.
  assert.ok(paths['/api/workspaces/{id}/cells/{cellId}/failing-rows.csv']?.get, 'the rule kind\'s download is listed');
});
