import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import { context, DATA, runUpload, storedFile, tempDir } from './corpus.ts';
import { convert, upload } from './index.ts';

const typeOf = (result: { columns: { name: string; type: string }[] }, name: string) => result.columns.find((c) => c.name === name)?.type;

async function count(table: string, expr: pl.Expr): Promise<number> {
  const [row] = (await pl.scanParquet(table).select(expr.alias('n')).collect()).toRecords();
  return Number(row?.n);
}

async function rejects(p: Promise<unknown>, code: string): Promise<CellError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CellError, `expected a CellError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected CellError ${code}`);
}

test('seattle-weather: ISO dates, floats, text; a Parquet table in workDir', async () => {
  const workDir = tempDir();
  const { result, table } = await runUpload('seattle-weather.csv', {}, workDir);
  assert.equal(result.rows, 1461);
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [
    ['date', 'date'], ['precipitation', 'float'], ['temp_max', 'float'], ['temp_min', 'float'], ['wind', 'float'], ['weather', 'string'],
  ]);
  assert.deepEqual(result.dialect, { delimiter: ',', encoding: 'utf-8', header: true, quote: '"', lineEnding: 'LF' });
  assert.equal(result.preview.rows.length, 50);
  assert.deepEqual(result.preview.rows[0], ['2012-01-01', 0, 12.8, 5, 4.7, 'drizzle']);
  assert.ok(table && table.startsWith(workDir) && fs.existsSync(table));
  assert.match(path.basename(table), new RegExp(`^${result.file.sha256}-[0-9a-f]+\\.parquet$`));
  assert.equal(await count(table, pl.col('temp_max').min()), -1.6);
  assert.deepEqual(result.warnings, []);
  // Same bytes and options: the Parquet file is reused, not rewritten.
  const before = fs.statSync(table).mtimeMs;
  const again = await runUpload('seattle-weather.csv', {}, workDir);
  assert.equal(again.table, table);
  assert.equal(fs.statSync(table).mtimeMs, before);
  assert.deepEqual(again.result.columns, result.columns);
});

test('ecdc: DD/MM/YYYY dates, NA kept as Namibia, N/A kept in a text column', async () => {
  const { result, table } = await runUpload('ecdc-covid19-2020-03-30-dmy.csv');
  assert.equal(result.rows, 7710);
  const dateRep = result.columns.find((c) => c.name === 'dateRep');
  assert.equal(dateRep?.type, 'date');
  assert.equal(dateRep?.dateOrder, 'DMY');
  assert.equal(result.dialect.dateOrder, 'DMY');
  assert.equal(result.dialect.lineEnding, 'CRLF');
  assert.equal(typeOf(result, 'geoId'), 'string');
  assert.equal(await count(table!, pl.col('geoId').eq(pl.lit('NA')).sum()), 16);
  assert.equal(await count(table!, pl.col('countryterritoryCode').eq(pl.lit('N/A')).sum()), 64);
  assert.equal(typeOf(result, 'popData2018'), 'integer');
  assert.equal(await count(table!, pl.col('popData2018').nullCount()), 13);
  assert.equal(typeOf(result, 'cases'), 'integer');
  assert.equal(await count(table!, pl.col('cases').sum()), 715660);
});

test('us-generic-ballot: M/D/YYYY dates read as month first', async () => {
  const { result, table } = await runUpload('us-generic-ballot-topline-mdy.csv');
  assert.equal(result.columns.find((c) => c.name === 'modeldate')?.dateOrder, 'MDY');
  const [row] = (await pl.scanParquet(table!).select(pl.col('modeldate').min().alias('lo'), pl.col('modeldate').max().alias('hi')).collect()).toRecords();
  assert.equal((row!.lo as unknown as Date).toISOString().slice(0, 10), '1995-11-09');
  assert.equal((row!.hi as unknown as Date).toISOString().slice(0, 10), '2016-11-06');
  assert.equal(typeOf(result, 'timestamp'), 'string');
});

test('mlb: NULL markers in a number column become nulls of an integer column', async () => {
  const { result, table } = await runUpload('mlb-allstar-player-talent-null.csv');
  const col = result.columns.find((c) => c.name === 'startingPos');
  assert.equal(col?.type, 'integer');
  assert.equal(col?.markers, 2351);
  assert.equal(await count(table!, pl.col('startingPos').nullCount()), 2351);
  assert.equal(await count(table!, pl.col('startingPos').max()), 10);
});

test('brussels: Latin-1 and semicolons, decimal commas become floats', async () => {
  const { result, table } = await runUpload('brussels-hotel-occupancy-latin1-semicolon.csv');
  assert.notEqual(result.dialect.encoding, 'utf-8');
  assert.equal(result.dialect.encoding, 'windows-1252');
  assert.equal(result.dialect.delimiter, ';');
  assert.equal(result.rows, 638);
  assert.ok(result.columns.some((c) => c.name === 'Année'), result.columns.map((c) => c.name).join());
  assert.equal(typeOf(result, 'Occupancy rate'), 'float');
  assert.equal(await count(table!, pl.col('Occupancy rate').min()), 0.374379722);
  assert.equal(await count(table!, pl.col('Occupancy rate').max()), 0.896461837);
  assert.ok(await count(table!, pl.col('Quartier').eq(pl.lit('Quartier Européen')).sum()) > 0);
  // DD-MM-YY where the day is always 01: the order cannot be told, so it stays text, said so.
  assert.equal(typeOf(result, 'Date'), 'string');
  assert.ok(result.warnings.some((w) => w.code === 'ambiguous_dates' && w.column === 'Date'));
});

test('police-killings: not UTF-8, markers only nulled in number columns', async () => {
  const { result, table } = await runUpload('police-killings-2015-missing-markers.csv');
  assert.equal(result.dialect.encoding, 'windows-1252');
  assert.equal(typeOf(result, 'age'), 'integer');
  assert.equal(await count(table!, pl.col('age').min()), 16);
  assert.equal(await count(table!, pl.col('age').max()), 87);
  assert.equal(typeOf(result, 'raceethnicity'), 'string');
  assert.equal(await count(table!, pl.col('raceethnicity').eq(pl.lit('Unknown')).sum()), 15);
});

test('cabinet-turnover: BOM stripped, empty header names made unique with a warning', async () => {
  const { result } = await runUpload('cabinet-turnover-bom.csv');
  assert.equal(result.dialect.encoding, 'utf-8-sig');
  assert.equal(result.columns[0]!.name, 'president');
  const names = result.columns.map((c) => c.name);
  assert.equal(new Set(names).size, 10);
  assert.deepEqual(names.slice(8), ['column_9', 'column_10']);
  const renamed = result.warnings.filter((w) => w.code === 'empty_header').map((w) => w.column);
  assert.deepEqual(renamed, ['column_9', 'column_10']);
  assert.equal(result.rows, 379);
  assert.equal(typeOf(result, 'length'), 'string');
});

test('pulitzer: quoted thousands separators become integers', async () => {
  const { result, table } = await runUpload('pulitzer-circulation-thousands.csv');
  const col = result.columns.find((c) => c.name === 'Daily Circulation, 2004');
  assert.equal(col?.type, 'integer');
  assert.equal(col?.format, 'thousands separators');
  assert.equal(await count(table!, pl.col('Daily Circulation, 2004').sum()), 23121087);
  assert.equal(typeOf(result, 'Change in Daily Circulation, 2004-2013'), 'string');
});

test('us-unemployment: tab-delimited', async () => {
  const { result } = await runUpload('us-unemployment-by-county.tsv');
  assert.equal(result.dialect.delimiter, '\t');
  assert.equal(result.rows, 3218);
  assert.equal(typeOf(result, 'rate'), 'float');
  assert.equal(typeOf(result, 'id'), 'integer');
});

// How long it takes is for the benchmarks; here, that a wide file is read right.
test('nutrition: 1093 columns, every one named and kept', async () => {
  const { result } = await runUpload('nutrition-survey-wide-1093cols.csv');
  assert.equal(result.columns.length, 1093);
  assert.equal(result.rows, 54);
  assert.equal(result.columns[0]!.name, 'ID');
  assert.equal(result.columns.at(-1)!.name, 'FORMONONETIN');
});

test('codes with leading zeros stay text; NA stays text in a text column', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'codes.csv');
  fs.writeFileSync(file, 'fips,n,name\n01001,1,NA\n02013,NA,Alaska\n10001,3,x\n');
  const { result, table } = await runUpload(file, {}, dir);
  assert.equal(typeOf(result, 'fips'), 'string');
  assert.equal(typeOf(result, 'n'), 'integer');
  assert.equal(typeOf(result, 'name'), 'string');
  assert.deepEqual(result.preview.rows[0], ['01001', 1, 'NA']);
  assert.equal(await count(table!, pl.col('n').nullCount()), 1);
});

test('bad files: empty, binary, no file', async () => {
  await rejects(runUpload('empty.csv'), 'empty_file');
  const dir = tempDir();
  const bin = path.join(dir, 'image.png');
  fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
  const err = await rejects(runUpload(bin, {}, dir), 'not_csv');
  assert.match(err.message, /not text/);
  await rejects(upload.run({ config: {}, inputs: {}, ctx: context(dir) }), 'no_file');
});

test('header-only: zero rows, two text columns', async () => {
  const { result, table } = await runUpload('header-only.csv');
  assert.equal(result.rows, 0);
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [['id', 'string'], ['name', 'string']]);
  assert.deepEqual(result.preview, { columns: ['id', 'name'], rows: [] });
  assert.ok(fs.existsSync(table!));
});

test('ragged rows: a long row fails naming its line; skipBadRows drops it with a warning', async () => {
  // Chosen behaviour: long rows would lose data, so they fail by default (or are dropped
  // on request, each reported); short rows lose nothing and are padded with nulls.
  const err = await rejects(runUpload('ragged-duplicate-headers.csv'), 'ragged_rows');
  assert.equal(err.details.fileLine, 5);
  assert.match(err.message, /line 5/);
  const { result } = await runUpload('ragged-duplicate-headers.csv', { skipBadRows: true });
  assert.deepEqual(result.columns.map((c) => c.name), ['id', 'name', 'column_3', 'name_2']);
  assert.ok(result.warnings.some((w) => w.code === 'duplicate_header' && w.column === 'name_2'));
  assert.deepEqual(result.warnings.filter((w) => w.code === 'row_dropped').map((w) => w.line), [5]);
  assert.deepEqual(result.warnings.filter((w) => w.code === 'short_row').map((w) => w.line), [2, 3]);
  assert.ok(!result.preview.rows.some((r) => r[1] === 'german'));
  assert.ok(result.preview.rows.some((r) => r[1] === 'english'));
});

test('a long row past the sniffed sample is still found, with its line', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'long.csv');
  const body = Array.from({ length: 30_000 }, (_, i) => `${i},"multi\nline",x`).join('\n');
  fs.writeFileSync(file, `a,b,c\n${body}\n1,2,3,4\n`);
  const err = await rejects(runUpload(file, {}, dir), 'ragged_rows');
  assert.equal(err.details.fileLine, 2 + 30_000 * 2);
});

test('a large Latin-1 file is transcoded in chunks', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'latin.csv');
  const rows = Array.from({ length: 100_000 }, (_, i) => `${i};caf\xe9 ${i % 7};${i % 3},5`).join('\r\n');
  fs.writeFileSync(file, Buffer.from(`id;nom;valeur\r\n${rows}\r\n`, 'latin1'));
  const { result, table } = await runUpload(file, {}, dir);
  assert.equal(result.dialect.encoding, 'windows-1252');
  assert.equal(result.rows, 100_000);
  assert.equal(typeOf(result, 'valeur'), 'float');
  assert.equal(await count(table!, pl.col('nom').eq(pl.lit('café 3')).sum()), Math.ceil((100_000 - 3) / 7));
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.csv') && f !== 'latin.csv'), [], 'the UTF-8 copy is removed');
});

test('UTF-16 with a BOM is transcoded and reported', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'utf16.csv');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,n\r\nZoë,1\r\nÅsa,2\r\n', 'utf16le')]));
  const { result } = await runUpload(file, {}, dir);
  assert.equal(result.dialect.encoding, 'utf-16le');
  assert.deepEqual(result.preview.rows, [['Zoë', 1], ['Åsa', 2]]);
});

test('config: validated, every error names its key; starter config is all comments', () => {
  assert.deepEqual(upload.parseConfig({}), {});
  assert.deepEqual(upload.parseConfig({ delimiter: '\\t', dateOrder: 'dmy', encoding: 'latin-1', header: false, nulls: ['n.a.'] }),
    { delimiter: '\t', dateOrder: 'DMY', encoding: 'windows-1252', header: false, nulls: ['n.a.'] });
  for (const [raw, key] of [[{ delimter: ',' }, 'delimter'], [{ delimiter: ',,' }, 'delimiter'], [{ header: 'yes' }, 'header'],
    [{ dateOrder: 'DDMM' }, 'dateOrder'], [{ encoding: 'ebcdic' }, 'encoding'], [{ nulls: 'NA' }, 'nulls'], [{ skipBadRows: 1 }, 'skipBadRows']] as const) {
    assert.throws(() => upload.parseConfig(raw), (e: unknown) => e instanceof CellError && e.code === 'config_invalid' && e.details.key === key && e.message.includes(key));
  }
  const starter = upload.starterConfig();
  assert.ok(starter.split('\n').every((l) => l === '' || l.startsWith('#')));
  assert.match(starter, /# delimiter:/);
  assert.deepEqual(upload.inputs({}), []);
});

test('config overrides: header false, dateOrder for ambiguous dates', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ambiguous.csv');
  fs.writeFileSync(file, 'when,n\n01/02/2020,1\n03/04/2020,2\n');
  const auto = await runUpload(file, {}, dir);
  assert.equal(typeOf(auto.result, 'when'), 'string');
  assert.ok(auto.result.warnings.some((w) => w.code === 'ambiguous_dates'));
  const dmy = await runUpload(file, { dateOrder: 'DMY' }, dir);
  assert.equal(typeOf(dmy.result, 'when'), 'date');
  assert.equal(dmy.result.preview.rows[0]![0], '2020-02-01');
  const noHeader = await runUpload(file, { header: false }, dir);
  assert.equal(noHeader.result.rows, 3);
  assert.deepEqual(noHeader.result.preview.columns, ['column_1', 'column_2']);
  // Single quotes: the delimiter inside them is text.
  const single = path.join(dir, 'single.csv');
  fs.writeFileSync(single, "city;note\n'Paris';'a;b'\n'Rome';'it''s'\n");
  const quoted = await runUpload(single, { quote: "'" }, dir);
  assert.equal(quoted.result.dialect.quote, "'");
  assert.deepEqual(quoted.result.preview.rows, [['Paris', 'a;b'], ['Rome', "it's"]]);
});

test('a cancelled run stops with a cancelled error', async () => {
  const ac = new AbortController();
  ac.abort();
  const dir = tempDir();
  await rejects(upload.run({ config: {}, inputs: {}, file: storedFile(path.join(DATA, 'seattle-weather.csv')), ctx: context(dir, ac.signal) }), 'cancelled');
});

test('csv-spectrum: every case parses to its expected strings', async () => {
  const dir = path.join(DATA, 'csv-spectrum');
  const cases = fs.readdirSync(path.join(dir, 'csvs')).map((f) => f.replace(/\.csv$/, ''))
    .filter((name) => name !== 'location_coordinates'); // its expected JSON is wrong upstream (MANIFEST.md)
  assert.equal(cases.length, 11);
  for (const name of cases) {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'json', `${name}.json`), 'utf8')) as Record<string, string>[];
    const types = Object.fromEntries(Object.keys(expected[0]!).map((k) => [k, 'string' as const]));
    const { result } = await runUpload(path.join(dir, 'csvs', `${name}.csv`), { types });
    const got = result.preview.rows.map((r) => Object.fromEntries(result.preview.columns.map((c, i) => [c, r[i] ?? ''])));
    assert.deepEqual(got, expected, name);
  }
});

test('a type the first rows suggest is confirmed on the whole column: late text, late nulls, late day-first dates', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'late.csv');
  const lines = ['id,late_text,late_fill,when,code'];
  for (let i = 1; i <= 25_000; i++) {
    // `when` is ambiguous (day ≤ 12) until row 24,000; `code` is an integer column until its last row.
    const day = i < 24_000 ? (i % 12) + 1 : 13 + (i % 15);
    lines.push([
      i,
      i === 20_000 ? 'n/a yet' : String(i * 2),
      i < 15_000 ? '' : String(i / 4),
      `${String(day).padStart(2, '0')}/0${(i % 9) + 1}/2020`,
      i === 25_000 ? 'X-1' : String(i),
    ].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const { result } = await runUpload(file, {}, dir);
  const types = Object.fromEntries(result.columns.map((c) => [c.name, c.type]));
  assert.deepEqual(types, { id: 'integer', late_text: 'string', late_fill: 'float', when: 'date', code: 'string' });
  assert.equal(result.columns.find((c) => c.name === 'when')!.dateOrder, 'DMY');
  assert.equal(result.rows, 25_000);
});

test('a value that has a type\'s shape but does not read as one keeps its column as text, with a warning', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'bad-date.csv');
  fs.writeFileSync(file, 'day,n\n2020-02-28,1\n2020-02-30,2\n2020-03-01,3\n');
  const { result, table } = await runUpload(file, {}, dir);
  const day = result.columns.find((c) => c.name === 'day')!;
  assert.equal(day.type, 'string');
  assert.ok(result.warnings.some((w) => w.code === 'kept_as_text' && w.column === 'day' && /1 value/.test(w.message)));
  const values = (await pl.scanParquet(table!).select('day').collect()).getColumn('day').toArray();
  assert.deepEqual(values, ['2020-02-28', '2020-02-30', '2020-03-01']);
});

test('the header, dialect and first rows go out as a partial before conversion starts', async () => {
  const dir = tempDir();
  const ctx = context(dir);
  const order: string[] = [];
  const file = storedFile(path.join(DATA, 'seattle-weather.csv'));
  const { result } = await upload.run({
    config: upload.parseConfig({}), inputs: {}, file,
    ctx: { ...ctx, progress: (f) => { order.push(`progress ${f}`); }, partial: (d) => { ctx.partials.push(d); order.push('partial'); } },
  });
  const [early] = ctx.partials as any[];
  assert.ok(early, 'a partial was sent');
  assert.deepEqual(early.preview.columns, result.preview.columns);
  assert.deepEqual(early.preview.rows[0], ['2012-01-01', '0.0', '12.8', '5.0', '4.7', 'drizzle']);
  assert.equal(early.dialect.delimiter, ',');
  // Sent before the file is read as a whole: the first progress step comes after it.
  assert.equal(order[0], 'partial');
  assert.ok(order.length > 1);
});

test('the one typed pass and the careful pass read every corpus file to the same table', async () => {
  const files = fs.readdirSync(DATA).filter((f) => /\.(csv|tsv)$/.test(f) && !['empty.csv', 'ragged-duplicate-headers.csv'].includes(f));
  const typedFiles: string[] = [];
  for (const name of files) {
    const file = storedFile(path.join(DATA, name));
    const dir = tempDir();
    const fast = await convert({}, file, path.join(dir, 'fast'), context(dir));
    const careful = await convert({}, file, path.join(dir, 'careful'), context(dir), { typedPass: false });
    assert.equal(careful.pass.kind, 'careful');
    if (fast.pass.kind === 'typed') typedFiles.push(name);
    assert.equal(fast.rows, careful.rows, name);
    assert.deepEqual(fast.plans, careful.plans, name);
    const a = pl.readParquet(fast.finalPath);
    const b = pl.readParquet(careful.finalPath);
    assert.deepEqual(a.schema, b.schema, name);
    assert.ok(a.frameEqual(b, true), `${name}: the two passes read different values`);
  }
  // The typed pass is the one that normally runs: every corpus file here takes it.
  assert.deepEqual(typedFiles, files);
});

test('a file that breaks its first rows\' plan late is handed to the careful pass, which says why', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'late.csv');
  const lines = ['id,zip,score'];
  for (let i = 0; i < 60_000; i++) lines.push(`${i},${10000 + i},${i % 7}.5`);
  lines.push('60000,01234,1.5');
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  const { result, table } = await runUpload(csv, {}, dir);
  assert.equal(result.pass.kind, 'careful');
  assert.match(result.pass.refused ?? '', /zip/);
  assert.equal(typeOf(result, 'zip'), 'string');
  assert.equal(typeOf(result, 'score'), 'float');
  assert.equal(await count(table!, pl.col('zip').eq(pl.lit('01234')).sum()), 1);
});

test('a 10,000-column file: every column named, typed and kept', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'wide.csv');
  const width = 10_000;
  const header = Array.from({ length: width }, (_, c) => `c${c}`);
  // One column in three of integers, of decimals, of words; 120 rows.
  const cellText = (r: number, c: number) => (c % 3 === 0 ? String(r * c) : c % 3 === 1 ? `${r}.${c % 10}` : `w${(r + c) % 7}`);
  const rows = Array.from({ length: 120 }, (_, r) => header.map((_, c) => cellText(r, c)).join(','));
  fs.writeFileSync(csv, `${header.join(',')}\n${rows.join('\n')}\n`);
  const { result, table } = await runUpload(csv, {}, dir);
  assert.equal(result.rows, 120);
  assert.equal(result.columns.length, width);
  assert.deepEqual(result.columns.slice(0, 3).map((c) => c.type), ['integer', 'float', 'string']);
  assert.equal(result.columns.filter((c) => c.type === 'integer').length, Math.ceil(width / 3));
  assert.equal(result.columns[9_999]!.name, 'c9999');
  const last = await pl.scanParquet(table!).select(pl.col('c9999').sum(), pl.col('c9998').first(), pl.col('c9997').max()).collect();
  assert.deepEqual(last.row(0), [Array.from({ length: 120 }, (_, r) => r * 9999).reduce((a, b) => a + b, 0), `w${9998 % 7}`, 119.7]);
});

// One generated file of 800,000 rows (120 MB) for the tests that need a conversion long enough to watch.
let long: string | undefined;
function longCsv(): string {
  if (!long) {
    long = path.join(tempDir(), 'long.csv');
    execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../../shared/bench/gen-csv.mjs'), '800000', long, '7']);
  }
  return long;
}

test('conversion reports its progress while the typed pass writes', async () => {
  const dir = tempDir();
  const csv = longCsv();
  const ctx = context(dir);
  const out = await upload.run({ config: upload.parseConfig({}), inputs: {}, file: storedFile(csv), ctx });
  assert.equal(out.result.pass.kind, 'typed');
  const during = ctx.progressed.filter((f) => f > 0.15 && f < 0.95);
  assert.ok(during.length > 0, `progress: ${ctx.progressed.join(', ')}`);
  assert.deepEqual([...ctx.progressed].sort((a, b) => a - b), ctx.progressed, 'progress only goes forward');
  assert.equal(ctx.progressed.at(-1), 1);
});

test('a file without a header row is detected: its first line is data', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'noheader.csv');
  fs.writeFileSync(csv, '17,2021-03-04,alpha\n18,2021-03-05,beta\n19,2021-03-06,gamma\n');
  const { result } = await runUpload(csv, {}, dir);
  assert.equal(result.dialect.header, false);
  assert.equal(result.rows, 3);
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [['column_1', 'integer'], ['column_2', 'date'], ['column_3', 'string']]);
  // Names above numbers are a header, even when every column below is text but one.
  fs.writeFileSync(csv, 'id,name\n1,x\n2,y\n');
  assert.equal((await runUpload(csv, {}, dir)).result.dialect.header, true);
});

test('a column empty in the first rows and filled after is typed from its values, as the careful pass would', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'sparse.csv');
  const lines = ['id,late'];
  for (let i = 0; i < 25_000; i++) lines.push(`${i},${i < 21_000 ? '' : i * 2}`);
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  const { result, table } = await runUpload(csv, {}, dir);
  assert.equal(result.pass.kind, 'careful');
  assert.match(result.pass.refused ?? '', /"late" is empty in the first rows/);
  assert.equal(typeOf(result, 'late'), 'integer');
  assert.equal(await count(table!, pl.col('late').sum()), Array.from({ length: 4000 }, (_, k) => (21_000 + k) * 2).reduce((a, b) => a + b, 0));
});

// The processes this one started that are still alive (the Parquet writer runs apart: sink.ts).
const liveChildren = () => fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);

test('a cancelled conversion stops its writer process and leaves no partial file', async () => {
  const dir = tempDir();
  const csv = longCsv();
  const work = path.join(dir, 'work');
  fs.mkdirSync(work);
  const ac = new AbortController();
  const ctx = context(work, ac.signal);
  // Cancel as soon as the writer reports reading: mid-pass, with its output half written.
  const progress = ctx.progress;
  ctx.progress = (f) => { progress(f); if (f > 0.15 && f < 0.9) ac.abort(); };
  await assert.rejects(upload.run({ config: upload.parseConfig({}), inputs: {}, file: storedFile(csv), ctx }), (err: unknown) => err instanceof CellError && err.code === 'cancelled');
  assert.ok(ctx.progressed.some((f) => f > 0.15 && f < 0.9), `cancelled mid-pass: ${ctx.progressed.join(', ')}`);
  assert.deepEqual(fs.readdirSync(work), [], 'nothing left in the work folder');
  assert.deepEqual(liveChildren(), [], 'no writer process left running');
});

test('the writer process ends with the process that started it, removing its partial file', async () => {
  const dir = tempDir();
  const csv = longCsv();
  const target = path.join(dir, 'out.parquet');
  // A parent that starts the writer, then is killed outright (as by the OOM killer) while it writes.
  const script = `import pl from 'nodejs-polars';
import { sinkToParquet } from ${JSON.stringify(path.join(import.meta.dirname, 'sink.ts'))};
await sinkToParquet(pl.scanCSV(${JSON.stringify(csv)}), ${JSON.stringify(target)}, { compression: 'snappy' }, { onRead: (n) => { if (n > 1e6) console.log('reading'); } });`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => parent.stdout.once('data', () => resolve()));
  const writer = fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim();
  assert.match(writer, /^\d+$/, 'the writer runs in a process of its own');
  parent.kill('SIGKILL');
  const deadline = Date.now() + 5000;
  while (fs.existsSync(`/proc/${writer}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(fs.existsSync(`/proc/${writer}`), false, 'the writer ended with its parent');
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith('out.parquet')), [], 'no partial output left');
});

// Hostile shapes (issue 19, findings 1 and 7): each is refused from its first bytes, before
// polars reads the file, with an error saying what and where; what the result carries from
// the file is bounded.

test('a header wider than the sniffing sample is read whole: 100,000 columns are refused by their real count', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'wide-100k.csv');
  const names = Array.from({ length: 100_000 }, (_, c) => `c${c}`).join(',');
  fs.writeFileSync(csv, `${names}\n${names}\n${names}\n`);
  const err = await rejects(runUpload(csv, {}, dir), 'too_many_columns');
  assert.equal(err.message, 'too many columns (100,000; at most 10,000) in "wide-100k.csv"');
  assert.equal(err.details.columns, 100_000);
  assert.deepEqual(fs.readdirSync(dir), ['wide-100k.csv'], 'nothing written');
});

test('a header longer than the sniffing sample names every column', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'long-names.csv');
  // 300 names of 1,000 characters: 300 KB, past the 256 KB sample.
  const names = Array.from({ length: 300 }, (_, c) => `${String(c).padStart(3, '0')}${'n'.repeat(997)}`);
  fs.writeFileSync(csv, `${names.join(',')}\n${names.map((_, c) => c).join(',')}\n`);
  const { result } = await runUpload(csv, {}, dir);
  assert.equal(result.columns.length, 300);
  assert.equal(result.columns[299]!.name, names[299]);
  assert.equal(result.columns[299]!.type, 'integer');
  assert.equal(result.rows, 1);
});

test('a column name over 1,024 characters is refused naming the column; with header: false it is data', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'long-name.csv');
  fs.writeFileSync(csv, `id,name,${'x'.repeat(5_000)}\n1,a,b\n`);
  const err = await rejects(runUpload(csv, {}, dir), 'name_too_long');
  assert.match(err.message, /^column 3 of "long-name\.csv" has a name of 5,000 characters \(at most 1,024\)/);
  assert.equal(err.details.column, 3);
  const { result } = await runUpload(csv, { header: false }, dir);
  assert.equal(result.rows, 2);
  // A file with no line break at all is one long name.
  const blob = path.join(dir, 'blob.csv');
  fs.writeFileSync(blob, 'y'.repeat(2_000_000));
  const blobErr = await rejects(runUpload(blob, {}, dir), 'name_too_long');
  assert.match(blobErr.message, /column 1 of "blob\.csv" has a name of 2,000,000 characters/);
});

test('a line over 16 MB is refused naming its line, on the header or below it', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'long-line.csv');
  const rows = Array.from({ length: 1000 }, (_, i) => `${i},x`);
  fs.writeFileSync(csv, `id,text\n${rows.join('\n')}\n1001,${'z'.repeat(17 * 1024 * 1024)}\n1002,y\n`);
  const err = await rejects(runUpload(csv, {}, dir), 'line_too_long');
  assert.equal(err.details.fileLine, 1002);
  assert.match(err.message, /^line 1,002 of "long-line\.csv" is longer than 16 MB/);
  const first = path.join(dir, 'long-first.csv');
  fs.writeFileSync(first, `${'h,'.repeat(9 * 1024 * 1024)}h\n`);
  assert.equal((await rejects(runUpload(first, {}, dir), 'line_too_long')).details.fileLine, 1);
});

test('a long value is cut in the preview (and in the partial), marked, and kept whole in the table', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'big-field.csv');
  const big = `${'é'.repeat(1_999_999)}Z`;
  fs.writeFileSync(csv, `id,text\n1,${big}\n2,short\n`);
  const ctx = context(dir);
  const { result, table } = await upload.run({ config: {}, inputs: {}, file: storedFile(csv), ctx });
  assert.deepEqual(result.preview.rows[1], [2, 'short']);
  const cut = result.preview.rows[0]![1] as string;
  assert.equal(cut, `${'é'.repeat(1000)}…`);
  assert.deepEqual(result.preview.cut, { chars: 1000, cells: [[0, 1]] });
  assert.ok(JSON.stringify(result).length < 10_000, `the result is ${JSON.stringify(result).length} characters`);
  for (const p of ctx.partials) assert.ok(JSON.stringify(p).length < 10_000, `a partial of ${JSON.stringify(p).length} characters`);
  const whole = (await pl.scanParquet(table!).select('text').head(1).collect()).getColumn('text').get(0);
  assert.equal(whole, big);
});

test('a wide file\'s preview holds fewer rows, and its text stays within a bound in all', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'wide-text.csv');
  const width = 1_000;
  const header = Array.from({ length: width }, (_, c) => `t${c}`).join(',');
  const row = (r: number) => Array.from({ length: width }, (_, c) => `${r}-${c}-${'w'.repeat(150)}`).join(',');
  fs.writeFileSync(csv, `${header}\n${Array.from({ length: 30 }, (_, r) => row(r)).join('\n')}\n`);
  const { result } = await runUpload(csv, {}, dir);
  assert.equal(result.rows, 30);
  // 1,000 columns: 25 rows (25,000 values) instead of 50.
  assert.equal(result.preview.rows.length, 25);
  // 25,000 values of ~157 characters were 3.9 M; cut to a common length, 1 M in all (and a `…` each).
  const text = result.preview.rows.flat().reduce((n: number, v) => n + String(v).length, 0);
  assert.ok(text <= 1_025_000, `the preview's values hold ${text} characters`);
  assert.ok(result.preview.cut && result.preview.cut.chars < 60 && result.preview.cut.cells.length === 25 * width);
  assert.equal(result.preview.rows[24]![999], `24-999-${'w'.repeat(result.preview.cut.chars - 7)}…`);
});

/** A CSV of `width` columns (text and integers by turns) and `rows` rows. */
function wideCsv(dir: string, width: number, rows: number): string {
  const csv = path.join(dir, `wide-${width}x${rows}.csv`);
  const header = Array.from({ length: width }, (_, c) => `c${c}`);
  const lines = Array.from({ length: rows }, (_, r) => header.map((_, c) => (c % 2 ? String(r * c) : `w${(r + c) % 7}`)).join(','));
  fs.writeFileSync(csv, `${header.join(',')}\n${lines.join('\n')}\n`);
  return csv;
}

test('a wide file is read in a process of its own: the memory polars took for it is given back', async () => {
  const dir = tempDir();
  const csv = wideCsv(dir, 10_000, 3);
  // In a fresh process, so what earlier tests took cannot hide what this one takes.
  const script = `import { runUpload } from ${JSON.stringify(path.join(import.meta.dirname, 'corpus.ts'))};
const before = process.memoryUsage().rss;
const { result } = await runUpload(${JSON.stringify(csv)}, {}, ${JSON.stringify(path.join(dir, 'work'))});
console.log(JSON.stringify({ columns: result.columns.length, rows: result.rows, grown: process.memoryUsage().rss - before }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8' }));
  assert.equal(out.columns, 10_000);
  assert.equal(out.rows, 3);
  // Read in-process, the same upload left RSS 0.56 GB higher; apart, under 0.1 GB of JavaScript garbage.
  assert.ok(out.grown < 250e6, `RSS grew by ${Math.round(out.grown / 1e6)} MB`);
});

test('a cancelled wide read kills its reading process and leaves nothing behind', async () => {
  const dir = tempDir();
  const csv = wideCsv(dir, 5_000, 20);
  const work = path.join(dir, 'work');
  fs.mkdirSync(work);
  const ac = new AbortController();
  const ctx = context(work, ac.signal);
  const progress = ctx.progress;
  ctx.progress = (f) => { progress(f); if (f >= 0.15) ac.abort(); };
  await assert.rejects(upload.run({ config: {}, inputs: {}, file: storedFile(csv), ctx }), (err: unknown) => err instanceof CellError && err.code === 'cancelled');
  assert.ok(ctx.partials.length > 0, 'the reading process sent its partial');
  assert.deepEqual(fs.readdirSync(work), [], 'nothing left in the work folder');
  assert.deepEqual(liveChildren(), [], 'no reading process left running');
});

test('names over 1 M characters in all are refused; ASSAY_MAX_COLUMNS sets the column limit, and a bad value stops the start', async () => {
  const dir = tempDir();
  const csv = path.join(dir, 'heavy-header.csv');
  // 2,000 names of 600 characters: each allowed, 1.2 M characters together.
  const names = Array.from({ length: 2_000 }, (_, c) => `${String(c).padStart(4, '0')}${'h'.repeat(596)}`);
  fs.writeFileSync(csv, `${names.join(',')}\n${names.map((_, c) => c).join(',')}\n`);
  const err = await rejects(runUpload(csv, {}, dir), 'header_too_long');
  assert.match(err.message, /^the header of "heavy-header\.csv" \(line 1\) is 1,201,999 characters long; its column names may take at most 1,048,576 in all$/);

  const six = path.join(dir, 'six.csv');
  fs.writeFileSync(six, 'a,b,c,d,e,f\n1,2,3,4,5,6\n');
  const script = `import { runUpload } from ${JSON.stringify(path.join(import.meta.dirname, 'corpus.ts'))};
try { await runUpload(${JSON.stringify(six)}, {}, ${JSON.stringify(path.join(dir, 'work'))}); console.log('read'); } catch (e) { console.log(e.message); }`;
  const run = (value: string) => execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ASSAY_MAX_COLUMNS: value } }).trim();
  assert.equal(run('5'), 'too many columns (6; at most 5) in "six.csv"');
  assert.equal(run('6'), 'read');
  assert.throws(() => run('many'), (e: { stderr?: string }) => /ASSAY_MAX_COLUMNS must be a whole number of at least 1, got "many"/.test(String(e.stderr)));
});

test('23 unnamed columns are one warning, not 23 (issue 23, item 17)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'unnamed.csv');
  const header = ['id', 'a', 'b', 'c', ...Array(23).fill(''), 'z'];
  fs.writeFileSync(file, `${header.join(',')}\n${header.map((_, i) => i).join(',')}\n`);
  const { result } = await runUpload(file, {}, dir);
  const unnamed = result.warnings.filter((w) => w.code === 'empty_header');
  assert.equal(unnamed.length, 1, JSON.stringify(unnamed));
  assert.equal(unnamed[0]!.message, '23 columns had no name: column_5 … column_27');
  assert.deepEqual(unnamed[0]!.columns, Array.from({ length: 23 }, (_, i) => `column_${i + 5}`));
  assert.equal(result.columns.length, 28);
});

// As survey tools export them (SurveyMonkey's "expanded" CSV): a question row naming each
// question over its first answer column, an answer row under it, then the responses.
const SURVEY = [
  'Respondent ID,Start Date,How did you hear of us?,,,How satisfied are you?,Comments',
  ',,Friend,Web,Other (please specify),Response,Open-Ended Response',
  '1001,2024-03-01,Friend,,,4,fine',
  '1002,2024-03-02,,Web,,5,',
  '1003,2024-03-02,,,a flyer,2,"too slow, twice"',
].join('\n') + '\n';

test('a survey export: header_rows: 2 reads the question and answer rows into one name per column (issue 23, item 17)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'survey.csv');
  fs.writeFileSync(file, SURVEY);
  const { result, table } = await runUpload(file, { header_rows: 2 }, dir);
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [
    ['Respondent ID', 'integer'], ['Start Date', 'date'],
    ['How did you hear of us? / Friend', 'string'], ['How did you hear of us? / Web', 'string'], ['How did you hear of us? / Other (please specify)', 'string'],
    ['How satisfied are you? / Response', 'integer'], ['Comments / Open-Ended Response', 'string'],
  ]);
  assert.equal(result.rows, 3, 'the answer row is not a response');
  assert.deepEqual(result.preview.rows[0], [1001, '2024-03-01', 'Friend', null, null, 4, 'fine']);
  assert.equal(await count(table!, pl.col('How satisfied are you? / Response').sum()), 11);
  // Without the option the answer row is read as data: four rows, the scores as text.
  const plain = await runUpload(file, {}, dir);
  assert.equal(plain.result.rows, 4);
  assert.equal(typeOf(plain.result, 'How satisfied are you?'), 'string');
});

test('skip_rows skips rows after the header (a units row); bad values name the key', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'units.csv');
  fs.writeFileSync(file, 'station,temp,rain\n(name),°C,mm\nA,12.5,0\nB,-3,4.2\n');
  const { result } = await runUpload(file, { skip_rows: 1 }, dir);
  assert.equal(result.rows, 2);
  assert.deepEqual(result.columns.map((c) => c.type), ['string', 'float', 'float']);
  assert.throws(() => upload.parseConfig({ skip_rows: -1 }), /"skip_rows" must be a whole number from 0 to 100/);
  assert.throws(() => upload.parseConfig({ header_rows: 3 }), /"header_rows" must be 1 or 2/);
  assert.throws(() => upload.parseConfig({ header: false, header_rows: 2 }), /"header_rows" needs a header/);
});
