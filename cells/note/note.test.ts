import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseHTML } from 'linkedom';
import { CellError, type CellOutput } from '../kind.ts';
import { renameReferences } from '../references.ts';
import { rule } from '../rule/index.ts';
import { context, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { note, type NoteResult } from './index.ts';

const workDir = tempDir('assay-note-');
let weather: Promise<CellOutput> | undefined;
const weatherTable = () => (weather ??= runUpload('seattle-weather.csv', {}, workDir));

/** A note's config as a cell holds it: its text as a `text: |` block. */
const configOf = (text: string) => note.parseConfig(parseCellYaml(`text: |\n${text.split('\n').map((l) => `  ${l}`).join('\n')}\n`));

async function rendered(text: string, inputs: Record<string, CellOutput> = {}): Promise<NoteResult> {
  return (await note.run({ config: configOf(text), inputs, ctx: context(workDir) })).result;
}

/** The note's HTML as a document: what a browser would build from it. */
const dom = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;

/** Every element's tag and every attribute the HTML makes, to hold them to what Markdown makes. */
function markup(html: string): { tags: Set<string>; attributes: string[] } {
  const all = [...dom(html).body.querySelectorAll('*')];
  return {
    tags: new Set(all.map((e) => e.tagName.toLowerCase())),
    attributes: all.flatMap((e) => [...e.attributes].map((a) => `${e.tagName.toLowerCase()}[${a.name}=${a.value}]`)),
  };
}

/** Raised when the HTML could run script or reach a script URL. */
function assertInert(html: string, what: string): void {
  const { tags, attributes } = markup(html);
  for (const bad of ['script', 'iframe', 'object', 'embed', 'style', 'svg', 'img']) assert.ok(!tags.has(bad), `${what}: a <${bad}> element in ${html}`);
  for (const a of attributes) {
    assert.doesNotMatch(a, /\[on\w+=/i, `${what}: an event handler in ${html}`);
    assert.doesNotMatch(a, /\[(href|src)=\s*(javascript|vbscript|data):/i, `${what}: a script URL in ${html}`);
  }
}

test('Markdown: headings, emphasis, a GFM table with its alignment, a task list, strikethrough, code', async () => {
  const r = await rendered([
    '# Weather report',
    'Some **bold**, _italics_, ~~gone~~ and `code`.',
    '',
    '| weather | days |',
    '|:--------|-----:|',
    '| rain    |  641 |',
    '| sun     |  640 |',
    '',
    '- [ ] check the snow days',
    '- [x] count the rain',
    '- a plain item',
    '',
    '```',
    'SELECT 1',
    '```',
  ].join('\n'));
  const doc = dom(r.html);
  assert.equal(doc.querySelector('h1')?.textContent, 'Weather report');
  assert.equal(doc.querySelector('strong')?.textContent, 'bold');
  assert.equal(doc.querySelector('em')?.textContent, 'italics');
  assert.equal(doc.querySelector('s')?.textContent, 'gone');
  assert.deepEqual([...doc.querySelectorAll('th')].map((c) => [c.textContent, c.getAttribute('style')]), [['weather', 'text-align:left'], ['days', 'text-align:right']]);
  assert.deepEqual([...doc.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((c) => c.textContent)), [['rain', '641'], ['sun', '640']]);
  const items = [...doc.querySelectorAll('li')];
  assert.deepEqual(items.map((li) => li.textContent!.trim()), ['check the snow days', 'count the rain', 'a plain item']);
  assert.deepEqual(items.map((li) => li.querySelector('input')?.hasAttribute('checked') ?? null), [false, true, null]);
  assert.ok(items.slice(0, 2).every((li) => li.querySelector('input')!.hasAttribute('disabled') && li.className === 'task-list-item'));
  assert.equal(doc.querySelector('pre code')?.textContent, 'SELECT 1\n');
  assert.equal(r.title, 'Weather report');
  assert.equal(note.summarize!(r), 'Weather report');
  assert.deepEqual(r.values, []);
});

test('a note\'s own text never becomes markup: raw HTML, event handlers, script links and entities stay text', async () => {
  const payloads: [string, string][] = [
    ['<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>'],
    ['[click](javascript:alert(1))', '[click](javascript:alert(1))'],
    ['[click](JaVaScRiPt:alert(1))', '[click](JaVaScRiPt:alert(1))'],
    ['[click](&#106;avascript:alert(1))', '[click](javascript:alert(1))'],
    ['[click](java\tscript:alert(1))', '[click](java\tscript:alert(1))'],
    ['[click](<java\tscript:alert(1)>)', '[click](<java\tscript:alert(1)>)'],
    ['[click](java%0Ascript:alert(1))', '[click](java%0Ascript:alert(1))'],
    ['<javascript:alert(1)>', '<javascript:alert(1)>'],
    ['[click](vbscript:msgbox(1))', '[click](vbscript:msgbox(1))'],
    ['![x](data:text/html;base64,PHNjcmlwdD4=)', '![x](data:text/html;base64,PHNjcmlwdD4=)'],
    ['[ref]\n\n[ref]: javascript:alert(1)', '[ref]\n[ref]: javascript:alert(1)'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['&#60;img src=x onerror=alert(1)&#62;', '<img src=x onerror=alert(1)>'],
    ['<svg onload=alert(1)>', '<svg onload=alert(1)>'],
    ['<!-- comment --><style>body{}</style>', '<!-- comment --><style>body{}</style>'],
  ];
  for (const [text, shown] of payloads) {
    const r = await rendered(text);
    assertInert(r.html, text);
    assert.equal(dom(r.html).body.textContent!.replace(/\s+$/, ''), shown, text);
  }
  // What is safe stays a link: http(s), mailto, a path, an anchor; each with rel set.
  const links = dom((await rendered('[a](https://example.com/x?y=1) [b](mailto:a@example.com) [c](../runs) [d](#top)')).html);
  assert.deepEqual([...links.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.getAttribute('rel')]), [
    ['https://example.com/x?y=1', 'noopener noreferrer nofollow'], ['mailto:a@example.com', 'noopener noreferrer nofollow'],
    ['../runs', 'noopener noreferrer nofollow'], ['#top', 'noopener noreferrer nofollow'],
  ]);
});

test('live values read another cell\'s result by path, formatted as the page formats numbers', async () => {
  const w = await weatherTable();
  const min: CellOutput = { result: { type: 'number', value: 25000.5, label: 'Minimum' } };
  const r = await rendered([
    '## Seattle: ${weather.rows} days',
    'First day: ${weather.data[0].date} (${weather.data[0].weather}), ${weather.data[0]["temp_max"]} °C;',
    'third: ${ weather.data[2].precipitation } mm. Columns: ${weather.columns.length}, the second ${weather.columns[1].name}.',
    'Threshold $min; again ${weather.rows}; $$5 is a price.',
  ].join('\n'), { weather: w, min });
  const live = [...dom(r.html).querySelectorAll('span.live')].map((s) => [s.getAttribute('title'), s.textContent]);
  // MANIFEST.md: 1,461 days from 2012-01-01 (drizzle, 12.8 °C); 2012-01-03 had 0.8 mm.
  assert.deepEqual(live, [
    ['${weather.rows}', '1,461'], ['${weather.data[0].date}', '2012-01-01'], ['${weather.data[0].weather}', 'drizzle'],
    ['${weather.data[0]["temp_max"]}', '12.8'], ['${ weather.data[2].precipitation }', '0.8'], ['${weather.columns.length}', '6'],
    ['${weather.columns[1].name}', 'precipitation'], ['$min', '25,000.5'], ['${weather.rows}', '1,461'],
  ]);
  assert.equal(r.title, 'Seattle: 1,461 days');
  assert.match(dom(r.html).body.textContent!, /again 1,461; \$5 is a price\./);
  assert.deepEqual(r.values.find((v) => v.ref === '$min'), { ref: '$min', path: 'min.value', value: 25000.5, text: '25,000.5' });
  assert.equal(r.values.filter((v) => v.ref === '${weather.rows}').length, 1, 'a value written twice is read once');
  const refs = configOf('${weather.rows} $min ${weather.data[0].date}');
  assert.deepEqual([note.inputs(refs), note.params!(refs)], [['weather'], ['min']]);
});

test('a rule cell\'s summary and a chart\'s own data: the result as the API returns it', async () => {
  const w = await weatherTable();
  const rules = await rule.run({
    config: rule.parseConfig(parseCellYaml('input: weather\nrules:\n  - check: range\n    column: temp_max\n    max: 30\n  - check: row_count\n    min: 1\n')),
    inputs: { weather: w }, ctx: context(workDir),
  });
  // A chart's result carries its aggregated points as `data`: those are read, not its input's table.
  const chart: CellOutput = { result: { spec: {}, data: [{ weather: 'rain', days: 641 }], rowsIn: 1461, pointsOut: 1 }, table: w.table };
  const r = await rendered('Failing: ${checks.summary.fail} of ${checks.rules.length}; ${by_weather.data[0].weather}: ${by_weather.data[0].days}', {
    checks: { result: rules.result }, by_weather: chart,
  });
  assert.equal(dom(r.html).body.textContent!.trim(), 'Failing: 1 of 2; rain: 641');
});

test('a value from a CSV is text in the note, whatever it holds', async () => {
  const evil = [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '**bold** _it_ `code`',
    '&lt;b&gt; &amp;', '${other.rows}', '<a href="javascript:alert(1)">x</a>',
  ];
  const file = path.join(workDir, 'evil.csv');
  fs.writeFileSync(file, `id,text\n${evil.map((v, i) => `${i},"${v.replaceAll('"', '""')}"`).join('\n')}\n`);
  const table = await runUpload(file, {}, workDir);
  const text = evil.map((_, i) => `- \${evil.data[${i}].text}`).join('\n');
  const r = await rendered(text, { evil: table });
  assertInert(r.html, 'CSV values');
  const doc = dom(r.html);
  assert.deepEqual([...doc.querySelectorAll('li')].map((li) => li.textContent), evil);
  // Each value is the only thing in its span: no element came from a value.
  assert.ok([...doc.querySelectorAll('span.live')].every((s) => s.children.length === 0));
  assert.equal(doc.querySelectorAll('strong, em, code, a').length, 0);
  // The report's section is the same HTML.
  assert.equal(note.report!(r, { cell: 'n' }), `<div class="note">${r.html}</div>`);
});

test('code, escapes and prose are not references: only ${…} (inputs) and $name (input cells\' values) outside code are read', () => {
  const cases: [string, string[], string[]][] = [
    ['`${covid.rows}` and\n\n    ${indented.code}\n\n```\n$fenced\n```', [], []],
    ['\\${covid.rows} costs US$5, a$b, $5, $$literal, \\$escaped and $ alone', [], []],
    ['$min_cases then ${covid.rows}, ${covid.data[0].cases} and $min_cases', ['covid'], ['min_cases']],
    ['| a |\n|---|\n| ${t.rows} |', ['t'], []],
    ['[link ${lbl.value}](https://example.com) **${b.rows}**', ['lbl', 'b'], []],
  ];
  for (const [text, inputs, params] of cases) {
    const config = configOf(text);
    assert.deepEqual([note.inputs(config), note.params!(config)], [inputs, params], text);
  }
});

test('renaming a cell renames it in a note\'s live values, nowhere else', () => {
  const config = 'text: |\n  # ${covid.rows} rows; ${ covid.data[0].cases } cases\n  covid, `$covid`, \\${covid.rows}, $$covid and $covid\n';
  assert.equal(renameReferences(note, config, 'covid', 'ecdc'),
    'text: |\n  # ${ecdc.rows} rows; ${ ecdc.data[0].cases } cases\n  covid, `$ecdc`, \\${covid.rows}, $$covid and $ecdc\n');
  assert.equal(renameReferences(note, 'text: "${covidx.rows} $covid_2"\n', 'covid', 'ecdc'), undefined, 'a longer name is another cell');
});

test('a path that leads nowhere is an error naming it, the nearest key and the YAML line', async () => {
  const w = await weatherTable();
  const failure = async (text: string): Promise<CellError> => {
    try {
      await rendered(text, { weather: w });
    } catch (err) {
      assert.ok(err instanceof CellError, String(err));
      return err;
    }
    assert.fail(`no error for ${text}`);
  };
  const typo = await failure('# Title\n\nDays: ${weather.rowz}');
  assert.equal(typo.code, 'note_path');
  assert.equal(typo.details.path, 'weather.rowz');
  assert.match(typo.message, /^weather\.rowz: weather has no "rowz"; did you mean "rows"\? \(\$\{weather\.rowz\}, line 3 of the note\)$/);
  assert.equal(typo.details.line, 4, 'the YAML line: the block starts on line 2');
  const column = await failure('${weather.data[0].tmp_max}');
  assert.match(column.message, /weather\.data\[0\] has no "tmp_max"; did you mean "temp_max"\?/);
  const far = await failure('${weather.data[5000].weather}');
  assert.match(far.message, /weather\.data holds 1,?000 items \(weather\.data\[0\] to weather\.data\[999\]\)/);
  assert.match((await failure('${weather.columns}')).message, /weather\.columns is a list of 6; name an item \(weather\.columns\[0\]\) or its length/);
  assert.match((await failure('${weather.file}')).message, /weather\.file is a group of values; name one: weather\.file\.name/);
  assert.match((await failure('${weather.rows.count}')).message, /weather\.rows is the number 1461, with nothing inside/);
  assert.match((await failure('${weather.columns.first}')).message, /weather\.columns is a list of 6; name an item/);
  assert.match((await failure('$weather')).message, /weather\.value: weather has no "value"/);
});

test('a ${…} that cannot be read is refused with the config, naming its line', () => {
  const refused = (yaml: string, key = 'text'): CellError => {
    try {
      note.parseConfig(parseCellYaml(yaml));
    } catch (err) {
      assert.ok(err instanceof CellError);
      assert.equal(err.code, 'config_invalid');
      assert.equal(err.details.key, key);
      return err;
    }
    assert.fail(`accepted: ${yaml}`);
  };
  const open = refused('text: |\n  one\n  two ${covid.rows\n');
  assert.match(open.message, /"\$\{" is never closed by "\}" on its line .* \(line 2 of the note\)/);
  assert.equal(open.details.line, 3);
  assert.match(refused('text: |\n  ${covid.}\n').message, /cannot read "\."/);
  assert.match(refused('text: "${1abc.rows}"\n').message, /does not start with a cell's name/);
  assert.match(refused('text: "${covid}"\n').message, /names a cell but no value in it: write \$\{covid\.rows\}/);
  assert.match(refused('text: |\n  ${covid.data[x]}\n').message, /cannot read "\[x\]"/);
  assert.match(refused('text: hi\ntxt: hi\n', 'txt').message, /unknown key "txt".*did you mean "text"/);
});

test('the starter explains live values and parses; given an input, it shows that cell\'s rows', async () => {
  const bare = note.parseConfig(parseCellYaml(note.starterConfig()));
  assert.deepEqual(note.inputs(bare), []);
  assert.match(bare.text, /\$\{covid\.rows\}/);
  const withInput = note.parseConfig(parseCellYaml(note.starterConfig('weather')));
  assert.deepEqual(note.inputs(withInput), ['weather']);
  const r = (await note.run({ config: withInput, inputs: { weather: await weatherTable() }, ctx: context(workDir) })).result;
  assert.match(dom(r.html).body.textContent!, /weather has 1,461 rows\./);
});

test('a comparison names the live values that changed', () => {
  const result = (rows: string): NoteResult => ({ html: '', title: '', values: [{ ref: '${w.rows}', path: 'w.rows', value: 0, text: rows }] });
  assert.deepEqual(note.compare!(result('1,461'), result('366'), 'story'), { notes: [{ cell: 'story', kind: 'note', text: 'w.rows 1,461 → 366' }] });
  assert.deepEqual(note.compare!(result('1'), result('1'), 'story'), {});
});
