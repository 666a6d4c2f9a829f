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

// Mixed-case names PostgreSQL would fold unless quoted, whole numbers divided (PostgreSQL
// would drop the fraction), MEDIAN (no such function in PostgreSQL), a comment on the last line.
const QUERY = [
  'SELECT countriesAndTerritories AS country, sum(cases) AS cases, sum(deaths) AS deaths,',
  '       sum(deaths) / sum(cases) AS fatality, median(cases) AS median_cases, count(*) AS days',
  "FROM covid WHERE cases >= 0 AND geoId <> 'NA'",
  'GROUP BY countriesAndTerritories HAVING sum(cases) > 0',
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
