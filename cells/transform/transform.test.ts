import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError, type CellOutput } from '../kind.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { buildPlan } from './plan.ts';
import { tableColumns } from '../shared/column-type.ts';
import { writeTable } from '../table-result.ts';
import { transform } from './index.ts';

const workDir = tempDir('assay-transform-');
const uploads = new Map<string, Promise<CellOutput>>();
const FILES: Record<string, [file: string, config?: Record<string, unknown>]> = {
  weather: ['seattle-weather.csv'],
  covid: ['ecdc-covid19-2020-03-30-dmy.csv'],
  // The same file with its dates and counts kept as text, for the casts to read.
  covid_text: ['ecdc-covid19-2020-03-30-dmy.csv', { types: { dateRep: 'string', cases: 'string' } }],
  hotels: ['brussels-hotel-occupancy-latin1-semicolon.csv'],
};

async function table(name: string): Promise<CellOutput> {
  if (!uploads.has(name)) {
    const [file, config] = FILES[name]!;
    uploads.set(name, runUpload(file, config as never, workDir));
  }
  return uploads.get(name)!;
}

/** Runs a transform written as YAML over the test tables (and `extra` cells' outputs). */
async function run(yaml: string, extra: Record<string, CellOutput> = {}) {
  const config = transform.parseConfig(parseCellYaml(yaml));
  const inputs: Record<string, CellOutput> = { ...extra };
  for (const name of transform.inputs(config)) if (!inputs[name]) inputs[name] = await table(name);
  const ctx = context(workDir);
  const out = await transform.run({ config, inputs, ctx });
  return { ...out, ctx, rows: (await pl.scanParquet(out.table!).collect()).toRecords() };
}

async function failure(yaml: string, extra: Record<string, CellOutput> = {}): Promise<CellError> {
  try {
    await run(yaml, extra);
  } catch (err) {
    assert.ok(err instanceof CellError, `expected a CellError, got ${String(err)}`);
    return err;
  }
  assert.fail(`the transform ran:\n${yaml}`);
}

/** A CSV without quoted commas read with a plain split, apart from the upload cell and polars. */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(DATA, file), 'utf8').trim().split(/\r?\n/);
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}
const covidCsv = readCsv('ecdc-covid19-2020-03-30-dmy.csv');
const weatherCsv = readCsv('seattle-weather.csv');

test('filter, derive, group_by and sort: cases per 100,000 people by country, as computed from the CSV apart from polars', async () => {
  const { result, rows, ctx } = await run([
    'input: covid',
    'steps:',
    '  - filter: cases >= 0 and popData2018 is not null',
    '  - rename: {countriesAndTerritories: country}',
    '  - group_by: {by: country, aggregate: {cases: sum, popData2018: max, days: count}}',
    '  - derive: {per_100k: cases * 100000 / popData2018}',
    '  - sort: {by: cases, descending: true}',
  ].join('\n'));
  const byCountry = new Map<string, { cases: number; pop: number; days: number }>();
  for (const r of covidCsv) {
    if (r.popData2018 === '' || Number(r.cases) < 0) continue;
    const c = byCountry.get(r.countriesAndTerritories!) ?? { cases: 0, pop: Number(r.popData2018), days: 0 };
    c.cases += Number(r.cases);
    c.days += 1;
    byCountry.set(r.countriesAndTerritories!, c);
  }
  assert.equal(result.rows, byCountry.size);
  assert.deepEqual(result.columns, [
    { name: 'country', type: 'string' }, { name: 'cases', type: 'integer' }, { name: 'popData2018', type: 'integer' },
    { name: 'days', type: 'integer' }, { name: 'per_100k', type: 'float' },
  ]);
  for (const r of rows) {
    const want = byCountry.get(String(r.country))!;
    assert.equal(r.cases, want.cases, String(r.country));
    assert.equal(r.days, want.days, String(r.country));
    assert.ok(Math.abs(Number(r.per_100k) - (want.cases * 100000) / want.pop) < 1e-9, String(r.country));
  }
  const cases = rows.map((r) => Number(r.cases));
  assert.deepEqual(cases, [...cases].sort((a, b) => b - a), 'sorted by cases, descending');
  // The columns went to the page before the table was written.
  assert.deepEqual((ctx.partials[0] as { stage: string; columns: unknown }).columns, result.columns);
  assert.equal((ctx.partials[0] as { stage: string }).stage, 'planned');
  assert.deepEqual(result.steps, ['filter', 'rename', 'group_by', 'derive', 'sort']);
  assert.equal(transform.summarize!(result), `${byCountry.size} rows × 5 columns`);
});

test('drop_rows, select, drop and limit on seattle-weather.csv (1461 rows)', async () => {
  const { result } = await run('input: weather\nsteps:\n  - drop_rows: {first: 1, last: 2}\n  - select: [weather, date, wind]\n  - drop: [wind]\n');
  assert.equal(result.rows, 1461 - 3);
  assert.deepEqual(result.columns.map((c) => c.name), ['weather', 'date']);
  assert.deepEqual(result.preview.rows[0], [weatherCsv[1]!.weather, weatherCsv[1]!.date]);
  assert.equal(result.preview.rows.at(-1)?.length, 2);
  const last = await run('input: weather\nsteps:\n  - drop_rows: {last: 2}\n  - limit: 3\n');
  assert.equal(last.result.rows, 3);
  const tail = await run('input: weather\nsteps:\n  - drop_rows: {last: 2}\n');
  assert.equal(tail.result.rows, 1459);
  assert.equal(tail.rows.at(-1)!.temp_max, Number(weatherCsv.at(-3)!.temp_max));
});

test('cast reads text as dates in DMY order and as integers; a value that does not read names its step, column and value', async () => {
  const { result, rows } = await run('input: covid_text\nsteps:\n  - cast: {dateRep: DMY, cases: integer}\n');
  assert.deepEqual(result.columns.slice(0, 5).map((c) => c.type), ['date', 'integer', 'integer', 'integer', 'integer']);
  const dates = rows.map((r) => (r.dateRep as unknown as Date).toISOString().slice(0, 10)).sort();
  // MANIFEST.md: 2019-12-31 to 2020-03-30, 91 distinct dates; every case sums to 715660.
  assert.equal(dates[0], '2019-12-31');
  assert.equal(dates.at(-1), '2020-03-30');
  assert.equal(new Set(dates).size, 91);
  assert.equal(rows.reduce((s, r) => s + Number(r.cases), 0), 715660);
  // Back to text, the weather's names are no numbers: the first that fails is named, with the count of the rest.
  const err = await failure('input: weather\nsteps:\n  - filter: wind > 0\n  - cast: {weather: integer}\n');
  assert.equal(err.code, 'cast_failed');
  assert.match(err.message, /^steps\[1\]\.cast\.weather: "\w+" is not a whole number \(and \d+ more values\)/);
  assert.equal(err.details.key, 'steps.1.cast.weather');
  assert.equal(err.details.line, 4);
});

test('fill_null with a value and forward; replace N/A with null (covid: 13 empty populations, 4 empty codes, 64 N/A codes)', async () => {
  const { rows } = await run([
    'input: covid',
    'steps:',
    '  - replace: {countryterritoryCode: {"N/A": null}}',
    '  - derive: {pop_forward: popData2018}',
    '  - fill_null: {popData2018: 0, pop_forward: {strategy: forward}}',
  ].join('\n'));
  assert.equal(rows.filter((r) => r.popData2018 === 0).length, 13);
  assert.equal(rows.filter((r) => r.popData2018 === null).length, 0);
  assert.equal(rows.filter((r) => r.countryterritoryCode === null).length, 4 + 64);
  // Forward: each empty population takes the last one above it in the file.
  let last: number | null = null;
  const forward = covidCsv.map((r) => (r.popData2018 === '' ? last : (last = Number(r.popData2018))));
  assert.deepEqual(rows.map((r) => r.pop_forward), forward);
  const text = await run('input: covid\nsteps:\n  - fill_null: {countryterritoryCode: unknown}\n');
  assert.equal(text.rows.filter((r) => r.countryterritoryCode === 'unknown').length, 4);
  const wrong = await failure('input: covid\nsteps:\n  - fill_null: {popData2018: unknown}\n');
  assert.equal(wrong.message, 'steps[0].fill_null.popData2018: "unknown" does not fit "popData2018", which holds whole numbers');
});

test('trim and case: Brussels districts upper, lower and title; padded text trimmed', async () => {
  const districts = ['All', 'Autour du Ring', 'Brussels Airport', 'Grand Place & environs', 'Midi-Lemonnier', 'Quartier Européen', 'Quartier Louise', 'Rogier/Botanique'];
  const upper = await run('input: hotels\nsteps:\n  - case: {Quartier: upper}\n  - drop_duplicates: {columns: [Quartier]}\n  - sort: {by: Quartier}\n');
  assert.deepEqual(upper.rows.map((r) => r.Quartier), districts.map((d) => d.toUpperCase()).sort());
  const title = await run('input: hotels\nsteps:\n  - case: {Quartier: title}\n  - drop_duplicates: {columns: [Quartier]}\n');
  assert.ok(title.rows.some((r) => r.Quartier === 'Autour Du Ring'), JSON.stringify(title.rows.map((r) => r.Quartier)));
  assert.equal(title.rows.length, 8);
  const padded = await run('input: hotels\nsteps:\n  - derive: {padded: "\'  \' + Quartier + \' \'"}\n  - trim: [padded]\n  - filter: padded = Quartier\n');
  assert.equal(padded.result.rows, 638);
  const notText = await failure('input: hotels\nsteps:\n  - trim: [Quartier, Année]\n');
  assert.equal(notText.message, 'steps[0].trim[1]: "Année" holds whole numbers, not text');
});

test('drop_duplicates: by columns keeping the first, the last or none; whole rows', async () => {
  const first = await run('input: weather\nsteps:\n  - drop_duplicates: {columns: [weather]}\n');
  // MANIFEST.md: five kinds of weather, each on more than one day.
  assert.equal(first.result.rows, 5);
  const firstDay = (w: string) => weatherCsv.find((r) => r.weather === w)!.date;
  const lastDay = (w: string) => weatherCsv.findLast((r) => r.weather === w)!.date;
  for (const r of first.result.preview.rows) assert.equal(r[0], firstDay(String(r[5])));
  const last = await run('input: weather\nsteps:\n  - drop_duplicates: {columns: [weather], keep: last}\n');
  for (const r of last.result.preview.rows) assert.equal(r[0], lastDay(String(r[5])));
  assert.equal((await run('input: weather\nsteps:\n  - drop_duplicates: {columns: [weather], keep: none}\n')).result.rows, 0);
  const doubled = await run('input: weather\nsteps:\n  - union: [weather]\n  - drop_duplicates\n');
  assert.equal(doubled.result.rows, 1461);
});

test('join: every day of a country gets its country\'s total; semi and anti; join keys of other types are refused', async () => {
  const totals = await run('input: covid\nsteps:\n  - group_by: {by: countriesAndTerritories, aggregate: {cases: sum}}\n  - rename: {countriesAndTerritories: country, cases: total}\n');
  const sum = new Map<string, number>();
  for (const r of covidCsv) sum.set(r.countriesAndTerritories!, (sum.get(r.countriesAndTerritories!) ?? 0) + Number(r.cases));
  const joined = await run('input: covid\nsteps:\n  - join: {with: totals, on: {countriesAndTerritories: country}, how: left}\n', { totals });
  assert.equal(joined.result.rows, 7710);
  assert.ok(joined.rows.every((r) => r.total === sum.get(String(r.countriesAndTerritories))));
  const few = await run('input: totals\nsteps:\n  - filter: total > 1000\n', { totals });
  const big = [...sum.values()].filter((v) => v > 1000).length;
  assert.equal(few.result.rows, big);
  const inner = await run('input: covid\nsteps:\n  - join: {with: few, on: {countriesAndTerritories: country}, how: semi}\n', { few });
  const anti = await run('input: covid\nsteps:\n  - join: {with: few, on: {countriesAndTerritories: country}, how: anti}\n', { few });
  const inBig = covidCsv.filter((r) => sum.get(r.countriesAndTerritories!)! > 1000).length;
  assert.equal(inner.result.rows, inBig);
  assert.equal(anti.result.rows, 7710 - inBig);
  assert.deepEqual(inner.result.columns.map((c) => c.name), joined.result.columns.map((c) => c.name).slice(0, 10));
  const err = await failure('input: covid\nsteps:\n  - join: {with: totals, on: {cases: country}}\n', { totals });
  assert.equal(err.message, 'steps[0].join.on: "cases" holds whole numbers and "country" of totals holds text: cast one first');
  const typo = await failure('input: covid\nsteps:\n  - join: {with: totals, on: {countriesAndTerritories: contry}}\n', { totals });
  assert.equal(typo.message, 'steps[0].join.on.countriesAndTerritories: no column "contry"; did you mean "country"?');
});

test('union stacks tables by column name; a column one table lacks is null there', async () => {
  const noWind = await run('input: weather\nsteps:\n  - drop: [wind]\n');
  const { result, rows } = await run('input: weather\nsteps:\n  - union: [weather, no_wind]\n', { no_wind: noWind });
  assert.equal(result.rows, 1461 * 3);
  assert.equal(rows.filter((r) => r.wind === null).length, 1461);
  assert.deepEqual(result.columns.map((c) => c.name), ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
});

test('pivot: a column per month of the year with the month\'s cases; unpivot turns two columns into rows', async () => {
  const { result, rows } = await run('input: covid\nsteps:\n  - pivot: {index: countriesAndTerritories, on: month, values: cases, aggregate: sum}\n');
  assert.deepEqual(result.columns.map((c) => c.name), ['countriesAndTerritories', '1', '2', '3', '12']);
  assert.equal(result.rows, 196);
  const italy = rows.find((r) => r.countriesAndTerritories === 'Italy')!;
  for (const month of ['1', '2', '3', '12']) {
    const want = covidCsv.filter((r) => r.countriesAndTerritories === 'Italy' && r.month === month).reduce((s, r) => s + Number(r.cases), 0);
    assert.equal(italy[month] ?? 0, want, month);
  }
  const long = await run('input: weather\nsteps:\n  - unpivot: {index: date, on: [temp_max, temp_min], variable: which, value: temp}\n');
  assert.equal(long.result.rows, 2922);
  assert.deepEqual(long.result.columns.map((c) => c.name), ['date', 'which', 'temp']);
  assert.equal(long.rows.filter((r) => r.which === 'temp_min').length, 1461);
});

test('errors name the step\'s index and key, the line, and the closest name', async () => {
  const yaml = 'input: covid\nsteps:\n  - filter: cases > 0\n  - derive:\n      per_100k: cases * 100000 / popData2108\n';
  const typo = await failure(yaml);
  assert.equal(typo.code, 'expression_invalid');
  assert.match(typo.message, /^steps\[1\]\.derive\.per_100k: no column "popData2108"; did you mean "popData2018"\?/);
  assert.equal(typo.details.key, 'steps.1.derive.per_100k');
  assert.equal(typo.details.line, 5);
  const unknownStep = await failure('input: covid\nsteps:\n  - derrive: {x: cases}\n');
  assert.equal(unknownStep.code, 'config_invalid');
  assert.equal(unknownStep.message, 'steps[0].derrive: unknown step "derrive"; did you mean "derive"?');
  assert.equal(unknownStep.details.line, 3);
  const badType = await failure('input: covid\nsteps:\n  - sort: {by: cases}\n  - cast:\n      cases: flaot\n');
  assert.equal(badType.message, 'steps[1].cast.cases: unknown type "flaot"; did you mean "float"?; types: integer, float, boolean, date, datetime, string, DMY, MDY, YMD');
  assert.equal(badType.details.line, 5);
  const option = await failure('input: covid\nsteps:\n  - drop_duplicates: {colums: [geoId]}\n');
  assert.match(option.message, /^steps\[0\]\.drop_duplicates\.colums: unknown key "colums".*did you mean "columns"\?/);
  const sumText = await failure('input: covid\nsteps:\n  - group_by: {by: geoId, aggregate: {countriesAndTerritories: sum}}\n');
  assert.match(sumText.message, /^steps\[0\]\.group_by\.aggregate\.countriesAndTerritories: sum adds up numbers; "countriesAndTerritories" holds text/);
  const column = await failure('input: covid\nsteps:\n  - sort: {by: [cases, deaht]}\n');
  assert.equal(column.message, 'steps[0].sort.by[1]: no column "deaht"; did you mean "deaths"?');
  const renamed = await failure('input: covid\nsteps:\n  - rename: {cases: n}\n  - filter: cases > 0\n');
  assert.match(renamed.message, /^steps\[1\]\.filter: no column "cases"/);
});

test('the inputs are the input, every joined table and every stacked one; the plan can travel to the writer\'s process', async () => {
  const config = transform.parseConfig(parseCellYaml('input: jan\nsteps:\n  - union: [feb, mar]\n  - join: {with: regions, on: country}\n  - union: [jan]\n'));
  assert.deepEqual(transform.inputs(config), ['jan', 'feb', 'mar', 'regions']);
  // Large inputs are written in a process of their own, to which the plan travels serialised:
  // every kind of step but a text's case goes there, and writes the table an in-process run writes.
  const yaml = [
    'input: covid_text', 'steps:', '  - drop_rows: {first: 1, last: 1}', '  - cast: {dateRep: DMY, cases: integer}', '  - filter: cases >= 0',
    '  - derive: {x: cases * 2}', '  - fill_null: {popData2018: {strategy: forward}, countryterritoryCode: none}', '  - trim: [geoId]',
    '  - replace: {geoId: {"NA": null}}', '  - join: {with: covid_text, on: [geoId, day, month], how: left}', '  - union: [covid_text]',
    '  - drop_duplicates: {columns: [geoId, dateRep]}', '  - sort: {by: [geoId, dateRep]}',
    '  - group_by: {by: [geoId, month], aggregate: {x: [sum, max], rows: count}}',
    '  - pivot: {index: geoId, on: month, values: x_sum, aggregate: sum}', '  - unpivot: {index: geoId, variable: month, value: x}', '  - limit: 500',
  ].join('\n');
  const many = transform.parseConfig(parseCellYaml(yaml));
  const text = await table('covid_text');
  const frame = await buildPlan(many, { covid_text: text.table! }, { covid_text: await tableColumns(text.table!) });
  assert.ok(frame.serialize('json').length > 0, 'the plan serialises, so the writer\'s own process takes it');
  const target = path.join(workDir, 'apart.parquet');
  await writeTable(frame, target, context(workDir), { inputBytes: Number.MAX_SAFE_INTEGER, fail: (err) => { throw err; } });
  const here = await run(yaml);
  assert.deepEqual((await pl.scanParquet(target).collect()).toRecords(), here.rows);
  assert.equal(here.result.rows, 500);
});

test('the report shows the table and its steps; a rerun of the same steps reuses the table', async () => {
  const yaml = 'input: weather\nsteps:\n  - filter: weather = \'<b>sun</b>\' or weather = \'sun\'\n';
  const a = await run(yaml);
  const b = await run(yaml);
  assert.equal(a.table, b.table);
  assert.equal(a.result.rows, 640);
  const html = transform.report!(a.result, { cell: 'sunny' });
  assert.match(html, /640 rows · 6 columns/);
  assert.match(html, /Steps: filter/);
});
