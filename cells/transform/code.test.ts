// "Show the code" of transform cells: the SQL runs in DuckDB over the same Parquet tables and
// gives the rows the cell gave; the Python names each step's polars method.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CellOutput } from '../kind.ts';
import { context, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { transformCode } from './code.ts';
import { transform } from './index.ts';

const workDir = tempDir('assay-transform-code-');
const uploads: Record<string, Promise<CellOutput>> = {};
const FILES: Record<string, string> = { weather: 'seattle-weather.csv', covid: 'ecdc-covid19-2020-03-30-dmy.csv' };

/** The cell's rows, and the rows DuckDB gives for the cell's SQL over the same tables. */
async function both(yaml: string, extra: Record<string, CellOutput> = {}) {
  const raw = parseCellYaml(yaml);
  const config = transform.parseConfig(raw);
  const inputs: Record<string, CellOutput> = { ...extra };
  for (const name of transform.inputs(config)) inputs[name] ??= await (uploads[name] ??= runUpload(FILES[name]!, {}, workDir));
  const cell = await transform.run({ config, inputs, ctx: context(workDir) });
  const code = transformCode(raw, cell.result)!;
  // With the run's columns known, nothing DuckDB alone reads.
  assert.doesNotMatch(code.sql.replace(/^--.*$/gm, ''), /REPLACE \(|EXCLUDE|RENAME \(|BY NAME|PIVOT|COLUMNS\(/);
  // The views read each cell's Parquet where the test wrote it.
  let sql = code.sql;
  for (const [name, out] of Object.entries(inputs)) sql = sql.replaceAll(`'${name}.parquet'`, `'${out.table}'`);
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  const statements = sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim());
  for (const s of statements.slice(0, -1)) await duck.run(s);
  const rows = (await duck.runAndReadAll(statements.at(-1)!)).getRowObjectsJson();
  duck.closeSync();
  return { cell, code, rows };
}

test('filter, derive, group_by and sort: DuckDB gives the cell\'s rows from its SQL', async () => {
  const { cell, code, rows } = await both([
    'input: covid',
    'steps:',
    '  - filter: cases >= 0 and popData2018 is not null',
    '  - group_by: {by: countriesAndTerritories, aggregate: {cases: sum, popData2018: max, days: count}}',
    '  - derive: {per_100k: cases * 100000 / popData2018}',
    '  - sort: {by: [cases, countriesAndTerritories], descending: [true, false]}',
    '  - limit: 10',
  ].join('\n'));
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.map((r) => [r.countriesAndTerritories, Number(r.cases), Number(r.days)]),
    cell.result.preview.rows.slice(0, 10).map((r) => [r[0], r[1], r[3]]));
  for (const [i, r] of rows.entries()) assert.ok(Math.abs(Number(r.per_100k) - Number(cell.result.preview.rows[i]![4])) < 1e-9);
  assert.match(code.sql, /"countriesAndTerritories"/, 'a mixed-case name is quoted, as PostgreSQL would fold it');
  assert.match(code.python, /\.filter\(\(\(pl\.col\("cases"\) >= pl\.lit\(0\)\) & pl\.col\("popData2018"\)\.is_not_null\(\)\)\)/);
  assert.match(code.python, /\.group_by\(\["countriesAndTerritories"\], maintain_order=True\)/);
});

test('drop_rows, rename, cast, fill_null, replace, drop_duplicates, drop and a join: the same rows in DuckDB', async () => {
  const totals = await transform.run({
    config: transform.parseConfig(parseCellYaml('input: covid\nsteps:\n  - group_by: {by: geoId, aggregate: {cases: sum}}\n  - rename: {cases: total}\n')),
    inputs: { covid: await (uploads.covid ??= runUpload(FILES.covid!, {}, workDir)) }, ctx: context(workDir),
  });
  const { cell, rows } = await both([
    'input: covid',
    'steps:',
    '  - drop_rows: {first: 2}',
    '  - replace: {countryterritoryCode: {"N/A": null}}',
    '  - fill_null: {countryterritoryCode: unknown, popData2018: 0}',
    '  - cast: {day: float}',
    '  - rename: {countriesAndTerritories: country}',
    '  - join: {with: totals, on: geoId, how: left}',
    '  - drop_duplicates: {columns: [country], keep: first}',
    '  - drop: [month, year]',
  ].join('\n'), { totals });
  assert.equal(rows.length, cell.result.rows);
  const byCountry = new Map(rows.map((r) => [String(r.country), r]));
  const at = (name: string) => cell.result.columns.findIndex((c) => c.name === name);
  for (const r of cell.result.preview.rows) {
    const duck = byCountry.get(String(r[at('country')]))!;
    assert.ok(duck, String(r[at('country')]));
    assert.equal(Number(duck.total), r[at('total')], String(r[at('country')]));
    assert.equal(duck.countryterritoryCode, r[at('countryterritoryCode')]);
    assert.equal(String(duck.dateRep).slice(0, 10), r[at('dateRep')]);
  }
  // The CSV: Anguilla's code is empty (4 rows), the conveyance's is "N/A" (64 rows).
  assert.deepEqual(rows.filter((r) => r.countryterritoryCode === 'unknown').map((r) => r.country).sort(), ['Anguilla', 'Cases_on_an_international_conveyance_Japan']);
});

test('union, unpivot and pivot read as DuckDB runs them; a config with an unknown step has no code', async () => {
  const stacked = await both('input: weather\nsteps:\n  - union: [weather]\n  - unpivot: {index: [date, weather], on: [temp_max, temp_min], variable: which, value: temp}\n');
  assert.equal(stacked.rows.length, stacked.cell.result.rows);
  assert.equal(stacked.rows.length, 1461 * 2 * 2);
  const wide = await both('input: covid\nsteps:\n  - pivot: {index: countriesAndTerritories, on: month, values: cases, aggregate: sum}\n  - sort: {by: countriesAndTerritories}\n');
  assert.equal(wide.rows.length, 196);
  assert.deepEqual(Object.keys(wide.rows[0]!).sort(), wide.cell.result.columns.map((c) => c.name).sort());
  assert.equal(transformCode(parseCellYaml('input: covid\nsteps:\n  - derrive: {x: cases}\n')), undefined);
  assert.equal(transformCode(parseCellYaml('steps:\n  - limit: 3\n')), undefined);
  assert.match(transformCode(parseCellYaml('input: covid\nsteps:\n  - fill_null: {x: {strategy: forward}}\n'))!.sql, /PostgreSQL has no IGNORE NULLS/);
});
