// "Show the code" (issue 21): a sql cell's query as SQL and Python, from
// GET /api/workspaces/:id/cells/:cellId/code. The SQL is run, as written, by DuckDB on the
// input cell's Parquet (downloaded from …/table.parquet) and by PostgreSQL on the same rows, and
// both must give the cell's rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import type { ApiClient } from '../support/client.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

let api: ApiClient;
let server: TestServer;
serveSignedUp('code@example.com', (s, a) => { server = s; api = a; });

// Mixed-case and uppercase names PostgreSQL would fold unless quoted, whole numbers divided
// (PostgreSQL would drop the fraction), MEDIAN (no such function in PostgreSQL), a comment on the last line.
const QUERY = [
  'SELECT countriesAndTerritories AS country, geoId AS ID, sum(cases) AS cases, sum(deaths) AS deaths,',
  '       sum(deaths) / sum(cases) AS fatality, median(cases) AS median_cases, count(*) AS days',
  "FROM covid WHERE cases >= 0 AND geoId <> 'NA'",
  'GROUP BY countriesAndTerritories, geoId HAVING sum(cases) > 0',
  'ORDER BY cases DESC, country LIMIT 15 -- the largest outbreaks',
].join('\n');


/** Rows as plain values: numbers as numbers (DuckDB hands big integers as text), rounded past float noise. */
const plain = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
  const n = typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(v)) ? Number(v) : v;
  return [k, typeof n === 'number' ? Number(n.toPrecision(12)) : n];
})));

const PG_TYPES: Record<string, string> = { integer: 'bigint', float: 'double precision', string: 'text', date: 'date', boolean: 'boolean', datetime: 'timestamp' };

test('a sql cell\'s code: the SQL gives the cell\'s rows in DuckDB and in PostgreSQL; the Python is its query over the same files', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Code');
  const covid = await add('covid', 'upload', '');
  const top = await add('top', 'sql', `sql: |\n${QUERY.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  const csv = fs.readFileSync(path.join(DATA, 'ecdc-covid19-2020-03-30-dmy.csv'));
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${covid.id}/upload`, csv, 'covid.csv')).status, 201);
  const done = await events.waitFor(on('cell.result', top.id), 60_000);
  events.close();
  const ours = plain((await api.get(`/api/workspaces/${ws.id}/cells/${top.id}/rows?limit=50`)).body.rows
    .map((r: unknown[]) => Object.fromEntries(done.data.result.columns.map((c: { name: string }, i: number) => [c.name, r[i]]))));
  assert.equal(ours.length, 15);
  assert.ok((ours[0]!.cases as number) >= (ours[1]!.cases as number) && ours.some((r) => r.country === 'China'), JSON.stringify(ours[0]));

  const res = await api.get(`/api/workspaces/${ws.id}/cells/${top.id}/code`);
  assert.equal(res.status, 200);
  const { sql, python, tables } = res.body as { sql: string; python: string; tables: { name: string; cellId: string }[] };
  assert.deepEqual(tables, [{ name: 'covid', cellId: covid.id }]);
  assert.match(sql, /CREATE VIEW covid AS SELECT \* FROM read_parquet\('covid\.parquet'\);/);
  assert.match(sql, /"countriesAndTerritories"/);
  assert.match(sql, /AS "ID"/);
  assert.doesNotMatch(sql, /median\(/i);
  assert.match(python, /"covid": pl\.scan_parquet\("covid\.parquet"\)/);
  assert.ok(python.includes(QUERY), 'the Python runs the query as written');

  // The files the code names, downloaded as the analyst would, into a folder of their own.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-code-'));
  try {
    for (const t of tables) {
      const file = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${t.cellId}/table.parquet`, { headers: api.headers() });
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-disposition'), `attachment; filename="${t.name}.parquet"`);
      fs.writeFileSync(path.join(dir, `${t.name}.parquet`), Buffer.from(await file.arrayBuffer()));
    }

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    // Relative paths are read from this folder, as they would be from the analyst's.
    await duck.run(`SET file_search_path = '${dir.replaceAll("'", "''")}'`);
    const statements = await duck.extractStatements(sql);
    let reader;
    for (let i = 0; i < statements.count; i++) reader = await (await statements.prepare(i)).runAndReadAll();
    assert.deepEqual(plain(reader!.getRowObjectsJS()), ours, 'DuckDB gives the cell\'s rows');

    // PostgreSQL: the table loaded under the cell's name, then the script without its DuckDB views.
    const pg = server.services.sql;
    const inputColumns = pl.scanParquet(path.join(dir, 'covid.parquet')).columns;
    const uploaded = (await api.get(`/api/workspaces/${ws.id}/cells/${covid.id}/result`)).body.result.columns as { name: string; type: string }[];
    assert.deepEqual(uploaded.map((c) => c.name), inputColumns);
    await pg.unsafe('CREATE SCHEMA code_check');
    await pg.unsafe(`CREATE TABLE code_check.covid (${uploaded.map((c) => `"${c.name}" ${PG_TYPES[c.type] ?? 'text'}`).join(', ')})`);
    // Dates as ISO text: PostgreSQL casts them to the column's date type.
    const rows = (await pl.scanParquet(path.join(dir, 'covid.parquet')).collect()).toRecords()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, (v as unknown) instanceof Date ? (v as unknown as Date).toISOString().slice(0, 10) : v])));
    for (let i = 0; i < rows.length; i += 1000) {
      await pg`INSERT INTO code_check.covid ${pg(rows.slice(i, i + 1000) as Record<string, never>[], inputColumns)}`;
    }
    const script = sql.split('\n').filter((l) => !l.startsWith('CREATE VIEW')).join('\n');
    const theirs = await pg.begin(async (tx) => {
      await tx.unsafe('SET LOCAL search_path = code_check');
      return tx.unsafe(script);
    });
    assert.deepEqual(plain([...theirs] as Record<string, unknown>[]), ours, 'PostgreSQL gives the cell\'s rows');
  } finally {
    await server.services.sql.unsafe('DROP SCHEMA IF EXISTS code_check CASCADE');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Transform cells covering every step that has SQL both share, over the shared files: the
// code route hands SQL written from the run's columns, and PostgreSQL, given the input cells'
// tables, gives each cell's rows (as DuckDB does).
const TRANSFORMS: Record<string, string> = {
  cleaned: [
    'input: covid',
    'steps:',
    '  - sort: {by: [geoId, dateRep]}',
    '  - drop_rows: {first: 2, last: 1}',
    '  - replace: {countryterritoryCode: {"N/A": null}}',
    '  - fill_null: {countryterritoryCode: unknown, popData2018: 0}',
    '  - cast: {day: float, dateRep: string, year: string}',
    '  - cast: {dateRep: date, year: integer}',
    '  - rename: {countriesAndTerritories: country, geoId: ID}',
    '  - trim: [country]',
    '  - case: {countryterritoryCode: lower}',
    '  - filter: cases >= 0 and popData2018 > 0',
    '  - derive: {per_100k: cases * 100000 / popData2018, day: day + 1}',
    '  - drop: [month]',
  ].join('\n'),
  monthly: [
    'input: covid',
    'steps:',
    '  - rename: {geoId: ID}',
    // PostgreSQL reads a table in no set order: the steps that count rows in order follow a sort.
    '  - sort: {by: [ID, dateRep]}',
    '  - drop_duplicates: {columns: [ID, month], keep: last}',
    '  - group_by: {by: [month, year], aggregate: {cases: [sum, mean, median, min, max, std], deaths: n_unique, countryterritoryCode: count, rows: count}}',
    '  - sort: {by: month, descending: true}',
    '  - limit: 2',
  ].join('\n'),
  firsts: 'input: covid\nsteps:\n  - sort: {by: [geoId, dateRep]}\n  - group_by: {by: geoId, aggregate: {dateRep: [first, last], cases: first}}\n',
  totals: 'input: covid\nsteps:\n  - group_by: {by: geoId, aggregate: {cases: sum, rows: count}}\n',
  joined: 'input: covid\nsteps:\n  - select: [geoId, dateRep, cases]\n  - join: {with: totals, on: geoId, how: full}\n',
  stacked: 'input: covid\nsteps:\n  - select: [geoId, cases, deaths]\n  - union: [totals, totals]\n',
  wide: 'input: covid\nsteps:\n  - filter: month >= 2\n  - pivot: {index: geoId, on: month, values: cases, aggregate: sum}\n',
  long: 'input: weather\nsteps:\n  - select: [date, temp_max, wind]\n  - unpivot: {index: date, variable: which}\n',
  filled: [
    'input: weather',
    'steps:',
    '  - sort: {by: date}',
    '  - replace: {weather: {sun: null}, precipitation: {"0": null}}',
    '  - fill_null: {weather: {strategy: forward}, precipitation: {strategy: backward}, wind: {strategy: mean}}',
    '  - derive: {wet: precipitation > 1}',
    '  - cast: {wet: string}',
    '  - cast: {wet: boolean}',
  ].join('\n'),
};

/** Rows as sorted plain values, for comparing tables whose row order SQL leaves open. */
const sortedPlain = (rows: Record<string, unknown>[]) => plain(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : v]))))
  .map((r) => JSON.stringify(r)).sort();

async function download(ws: { id: string }, cellId: string, file: string): Promise<void> {
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${cellId}/table.parquet`, { headers: api.headers() });
  assert.equal(res.status, 200);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
}

/** A Parquet table loaded into PostgreSQL under `name`, with its columns' types. */
async function loadIntoPostgres(schema: string, name: string, file: string): Promise<void> {
  const pg = server.services.sql;
  const frame = await pl.scanParquet(file).collect();
  const type = (dtype: string) => (/Int/.test(dtype) ? 'bigint' : /Float/.test(dtype) ? 'double precision' : /Bool/.test(dtype) ? 'boolean' : dtype === 'Date' ? 'date' : /Datetime/.test(dtype) ? 'timestamp' : 'text');
  await pg.unsafe(`CREATE TABLE ${schema}."${name}" (${frame.columns.map((c, i) => `"${c}" ${type(String(frame.dtypes[i]))}`).join(', ')})`);
  const rows = frame.toRecords().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, (v as unknown) instanceof Date ? (v as unknown as Date).toISOString().slice(0, 10) : v])));
  for (let i = 0; i < rows.length; i += 1000) await pg`INSERT INTO ${pg(schema)}.${pg(name)} ${pg(rows.slice(i, i + 1000) as Record<string, never>[], frame.columns)}`;
}

test('a transform cell\'s code, once run, lists its columns: PostgreSQL gives the cell\'s rows for every step both share', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Transform code');
  const covid = await add('covid', 'upload', '');
  const weather = await add('weather', 'upload', '');
  const ids: Record<string, string> = { covid: covid.id, weather: weather.id };
  for (const [name, yaml] of Object.entries(TRANSFORMS)) ids[name] = (await add(name, 'transform', yaml)).id;
  const done = Object.keys(TRANSFORMS).map((name) => events.waitFor(on('cell.result', ids[name]!), 120_000));
  for (const [cell, file] of [['covid', 'ecdc-covid19-2020-03-30-dmy.csv'], ['weather', 'seattle-weather.csv']] as const) {
    assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${ids[cell]}/upload`, fs.readFileSync(path.join(DATA, file)), file)).status, 201);
  }
  await Promise.all(done);
  events.close();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-transform-code-'));
  const pg = server.services.sql;
  try {
    await pg.unsafe('CREATE SCHEMA transform_check');
    for (const input of ['covid', 'weather', 'totals']) {
      await download(ws, ids[input]!, path.join(dir, `${input}.parquet`));
      await loadIntoPostgres('transform_check', input, path.join(dir, `${input}.parquet`));
    }
    for (const name of Object.keys(TRANSFORMS)) {
      const { sql } = (await api.get(`/api/workspaces/${ws.id}/cells/${ids[name]}/code`)).body as { sql: string };
      assert.match(sql, /for DuckDB and PostgreSQL\./, name);
      assert.doesNotMatch(sql.replace(/^--.*$/gm, ''), /REPLACE \(|EXCLUDE|RENAME \(|BY NAME|PIVOT|COLUMNS\(|IGNORE NULLS|first\(|last\(/, name);
      await download(ws, ids[name]!, path.join(dir, `${name}.parquet`));
      const ours = (await pl.scanParquet(path.join(dir, `${name}.parquet`)).collect()).toRecords() as Record<string, unknown>[];
      assert.ok(ours.length > 0, name);
      const script = sql.split('\n').filter((l) => !l.startsWith('CREATE VIEW')).join('\n');
      const theirs = await pg.begin(async (tx) => {
        await tx.unsafe('SET LOCAL search_path = transform_check');
        return tx.unsafe(script);
      }).catch((err: Error) => { throw new Error(`${name}: PostgreSQL refused the SQL: ${err.message}\n${script}`); });
      assert.deepEqual(sortedPlain([...theirs] as Record<string, unknown>[]), sortedPlain(ours), `${name}: PostgreSQL gives the cell's rows`);
    }
    // An all-uppercase name is quoted: PostgreSQL would fold ID to id.
    const { sql } = (await api.get(`/api/workspaces/${ws.id}/cells/${ids.monthly}/code`)).body as { sql: string };
    assert.match(sql, /"ID"/);
  } finally {
    await pg.unsafe('DROP SCHEMA IF EXISTS transform_check CASCADE');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the code route: a kind without code is refused, a cell without a query has none yet', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'No code');
  const upload = await add('weather', 'upload', '');
  const fresh = await add('fresh', 'sql', '');
  events.close();
  const refused = await api.get(`/api/workspaces/${ws.id}/cells/${upload.id}/code`);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /an? upload cell has no code to show/);
  const none = await api.get(`/api/workspaces/${ws.id}/cells/${fresh.id}/code`);
  assert.equal(none.status, 409);
  assert.match(none.body.error.message, /cell "fresh" holds nothing that can be written as code yet/);
});
