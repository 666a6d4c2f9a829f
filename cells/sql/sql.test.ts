import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError, type CellOutput } from '../kind.ts';
import { profile } from '../profile/index.ts';
import { rule } from '../rule/index.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { plan, sql, type SqlResult } from './index.ts';

const workDir = tempDir('assay-sql-');
const uploads = new Map<string, Promise<CellOutput>>();
const TABLES: Record<string, string> = { weather: 'seattle-weather.csv', covid: 'ecdc-covid19-2020-03-30-dmy.csv', funding: 'swiss-energy-research-funding.csv' };

/** The workspace's tables, each uploaded once, by the name a query uses. */
async function tables(): Promise<Record<string, CellOutput>> {
  const out: Record<string, CellOutput> = {};
  for (const [name, file] of Object.entries(TABLES)) {
    if (!uploads.has(name)) uploads.set(name, runUpload(file, {}, workDir));
    out[name] = await uploads.get(name)!;
  }
  return out;
}

const configOf = (query: string) => sql.parseConfig(parseCellYaml(`sql: |\n${query.split('\n').map((l) => `  ${l}`).join('\n')}\n`));

/** Runs a query (parsed from YAML, as a cell holds it) over the test tables. */
async function query(text: string) {
  const ctx = context(workDir);
  const out = await sql.run({ config: configOf(text), inputs: await tables(), ctx });
  return { ...out, ctx };
}

/** The rows of the table a run wrote, read back by polars, as records. */
async function written(table: string | undefined): Promise<Record<string, unknown>[]> {
  assert.ok(table && fs.existsSync(table), 'the run wrote a table');
  return (await pl.scanParquet(table).collect()).toRecords();
}

/** The CellError a query fails with (parse or run). */
async function failure(text: string): Promise<CellError> {
  try {
    await query(text);
  } catch (err) {
    assert.ok(err instanceof CellError, `expected a CellError, got ${String(err)}`);
    return err;
  }
  assert.fail(`the query ran:\n${text}`);
}

/** A CSV without quoted commas read with a plain split, apart from the upload cell. */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(DATA, file), 'utf8').trim().split(/\r?\n/);
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

test('a GROUP BY over an upload gives the counts the corpus states, as a table with types', async () => {
  const { result, table, ctx } = await query('SELECT weather, count(*) AS days FROM weather GROUP BY weather ORDER BY weather');
  // MANIFEST.md: drizzle 53, fog 101, rain 641, snow 26, sun 640.
  const expected = [['drizzle', 53], ['fog', 101], ['rain', 641], ['snow', 26], ['sun', 640]];
  assert.deepEqual(result.preview.rows, expected);
  assert.deepEqual((await written(table)).map((r) => [r.weather, r.days]), expected);
  assert.equal(result.rows, 5);
  assert.deepEqual(result.columns, [{ name: 'weather', type: 'string' }, { name: 'days', type: 'integer' }]);
  assert.match(result.sql, /GROUP BY weather/);
  // The columns went to the page before the table was written.
  assert.deepEqual((ctx.partials[0] as { columns: unknown }).columns, result.columns);
  assert.equal(sql.summarize!(result), '5 rows × 2 columns');
  // limit_preview keeps fewer rows in the result; the table holds them all.
  const short = await sql.run({
    config: sql.parseConfig(parseCellYaml('sql: SELECT weather, count(*) AS days FROM weather GROUP BY weather ORDER BY weather\nlimit_preview: 2\n')),
    inputs: await tables(), ctx: context(workDir),
  });
  assert.deepEqual(short.result.preview.rows, expected.slice(0, 2));
  assert.equal(short.result.rows, 5);
});

test('cases per 100,000 people by country, equal to the sum computed from the CSV apart from polars', async () => {
  const { result, table } = await query([
    'SELECT countriesAndTerritories AS country, sum(cases) AS cases,',
    '       sum(cases) * 100000.0 / max(popData2018) AS per_100k',
    'FROM covid WHERE cases >= 0 AND popData2018 IS NOT NULL',
    'GROUP BY countriesAndTerritories ORDER BY cases DESC',
  ].join('\n'));
  const byCountry = new Map<string, { cases: number; pop: number }>();
  for (const r of readCsv(TABLES.covid!)) {
    if (r.popData2018 === '' || Number(r.cases) < 0) continue;
    const c = byCountry.get(r.countriesAndTerritories!) ?? { cases: 0, pop: Number(r.popData2018) };
    c.cases += Number(r.cases);
    byCountry.set(r.countriesAndTerritories!, c);
  }
  const rows = await written(table);
  assert.equal(result.rows, byCountry.size);
  assert.equal(rows.length, byCountry.size);
  for (const r of rows) {
    const want = byCountry.get(String(r.country))!;
    assert.equal(r.cases, want.cases, String(r.country));
    assert.ok(Math.abs(Number(r.per_100k) - (want.cases * 100000) / want.pop) < 1e-9, String(r.country));
  }
  assert.deepEqual(result.columns.map((c) => c.type), ['string', 'integer', 'float']);
  // MANIFEST.md: every case in the file sums to 715660, with -9 the lowest day.
  const all = await query('SELECT sum(cases) AS cases, min(cases) AS lowest, count(DISTINCT countriesAndTerritories) AS places FROM covid');
  assert.deepEqual(all.result.preview.rows, [[715660, -9, 196]]);
});

test('a CTE joined back to its table; dates stay dates', async () => {
  const { result, table } = await query([
    'WITH counts AS (SELECT weather, count(*) AS n FROM weather GROUP BY weather)',
    'SELECT w.date, w.weather, c.n FROM weather w JOIN counts c ON w.weather = c.weather ORDER BY w.date',
  ].join('\n'));
  assert.equal(result.rows, 1461);
  assert.deepEqual(result.columns.map((c) => c.type), ['date', 'string', 'integer']);
  assert.deepEqual(result.preview.rows[0], ['2012-01-01', 'drizzle', 53]);
  const rows = await written(table);
  const n = Object.fromEntries([['drizzle', 53], ['fog', 101], ['rain', 641], ['snow', 26], ['sun', 640]]);
  assert.ok(rows.every((r) => r.n === n[String(r.weather)]));
});

test('the table a query wrote is read by the other kinds as an upload\'s is', async () => {
  const { result, table } = await query('SELECT weather, temp_max FROM weather WHERE temp_max > 30');
  const input = { hot: { table, result } };
  const profiled = await profile.run({ config: profile.parseConfig({ input: 'hot' }), inputs: input, ctx: context(workDir) });
  const hot = readCsv(TABLES.weather!).filter((r) => Number(r.temp_max) > 30);
  assert.equal(profiled.result.rows, hot.length);
  const checked = await rule.run({
    config: rule.parseConfig(parseCellYaml('input: hot\nrules:\n  - check: range\n    column: temp_max\n    min: 30.1\n')), inputs: input, ctx: context(workDir),
  });
  assert.equal(checked.result.rules[0]!.status, 'pass');
});

test('a query reads another query\'s table by its cell name', async () => {
  const first = await query('SELECT weather, temp_max FROM weather WHERE temp_max > 30');
  const ctx = context(workDir);
  const second = await sql.run({
    config: configOf('SELECT weather, count(*) AS days FROM hot GROUP BY weather ORDER BY days DESC, weather'),
    inputs: { ...(await tables()), hot: { table: first.table, result: first.result } }, ctx,
  });
  const hot = readCsv(TABLES.weather!).filter((r) => Number(r.temp_max) > 30);
  const counts = new Map<string, number>();
  for (const r of hot) counts.set(r.weather!, (counts.get(r.weather!) ?? 0) + 1);
  assert.deepEqual(second.result.preview.rows, [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
});

test('the same query over the same tables reuses its table; another query writes another', async () => {
  const a = await query('SELECT * FROM weather LIMIT 3');
  const b = await query('SELECT * FROM weather LIMIT 3');
  const c = await query('SELECT * FROM weather LIMIT 4');
  assert.equal(a.table, b.table);
  assert.notEqual(a.table, c.table);
  assert.equal(c.result.rows, 4);
});

test('a new cell\'s starter (comments only) waits for its query instead of failing', async () => {
  const starter = sql.parseConfig(parseCellYaml(sql.starterConfig()));
  assert.equal(sql.awaitsConfig!(starter), true);
  assert.deepEqual(sql.inputs(starter), []);
  await assert.rejects(sql.run({ config: starter, inputs: {}, ctx: context(workDir) }), (e: CellError) => e.code === 'config_invalid' && /no query yet/.test(e.message));
  assert.equal(sql.awaitsConfig!(configOf('-- counts\nSELECT 1')), false);
});

test('inputs are the tables after FROM, JOIN and commas, less the query\'s own WITH names', () => {
  const cases: [string, string[]][] = [
    ['SELECT * FROM covid', ['covid']],
    ['select * from covid c left join regions r on c.geoId = r.id inner join pops using (geoId)', ['covid', 'regions', 'pops']],
    ['SELECT * FROM jan, feb AS f, "mar"', ['jan', 'feb', 'mar']],
    ['SELECT * FROM "Odd_Name" JOIN `back_ticked` ON true', ['Odd_Name', 'back_ticked']],
    ['WITH a AS (SELECT * FROM covid), b (x) AS (SELECT 1 FROM regions) SELECT * FROM a JOIN b ON true', ['covid', 'regions']],
    ['WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t', []],
    ['SELECT * FROM covid WHERE geoId IN (SELECT id FROM regions) UNION ALL SELECT a, b FROM jan', ['covid', 'regions', 'jan']],
    ['SELECT EXTRACT(YEAR FROM dateRep) AS y, TRIM(BOTH \'x\' FROM geoId) FROM covid', ['covid']],
    ['SELECT * FROM (SELECT * FROM covid) AS sub JOIN (regions JOIN pops ON true) ON true', ['covid', 'regions', 'pops']],
    ["SELECT 'FROM nowhere' AS x, \"from\" FROM covid -- FROM comment\n/* JOIN hidden */", ['covid']],
    ['SELECT * FROM covid JOIN covid c2 ON true', ['covid']],
    ['SELECT * FROM covid a JOIN regions b ON a.x = b.x, pops WHERE f(a, b)', ['covid', 'regions', 'pops']],
    // As written: polars matches table names by case, and so does the graph.
    ['SELECT * FROM Covid_2020 JOIN "Regions" ON true', ['Covid_2020', 'Regions']],
  ];
  for (const [text, expected] of cases) assert.deepEqual(sql.inputs(configOf(text)), expected, text);
});

test('hostile queries are refused before polars sees them, saying why and where', async () => {
  const canary = path.join(workDir, 'canary.csv');
  fs.writeFileSync(canary, 'date,secret\n2012-01-01,hunter2\n');
  // Without the guard, polars' SQL reads that file (and registers it by its path, so a later
  // FROM '<path>' in the same context reads it too): the danger is real.
  const bare = pl.SQLContext().execute(`SELECT secret FROM read_csv('${canary}')`);
  assert.deepEqual((await bare.collect()).toRecords(), [{ secret: 'hunter2' }]);

  const hostile: [string, RegExp][] = [
    ["SELECT * FROM read_csv('/etc/passwd')", /"read_…" functions read files/],
    [`SELECT * FROM '${canary}'`, /file path .* cannot be read/],
    [`SELECT * FROM weather w JOIN '${canary}' c USING (date)`, /file path/],
    [`SELECT * FROM weather WHERE date IN (SELECT date FROM '${canary}')`, /file path/],
    [`SELECT * FROM weather a JOIN weather b ON a.date = b.date, '${canary}'`, /file path/],
    [`SELECT * FROM (SELECT * FROM weather UNION ALL SELECT * FROM '${canary}')`, /file path/],
    [`SELECT * FROM "read_parquet"('${canary}')`, /reads files/],
    [`SELECT * FROM /* a */ READ_CSV /* b */ ('${canary}')`, /read files/],
    [`SELECT * FROM weather, scan_csv('${canary}')`, /read files/],
    [`SELECT * FROM my_func('${canary}')`, /table functions/],
    ['SELECT * FROM weather; DROP TABLE weather', /one query per cell/],
    ['SELECT 1; SELECT 2', /one query per cell/],
    ['SELECT 1 /* ; */ ; SHOW TABLES', /one query per cell/],
    ['SHOW TABLES', /starts with SELECT or WITH/],
    ['CREATE TABLE t AS SELECT * FROM weather', /starts with SELECT or WITH/],
    ["COPY weather TO '/tmp/out.csv'", /starts with SELECT or WITH/],
    ["ATTACH '/tmp/other.db' AS other", /starts with SELECT or WITH/],
    ['WITH x AS (SELECT 1) INSERT INTO weather SELECT * FROM x', /INSERT is not allowed/],
    ['WITH x AS (SELECT 1) DELETE FROM weather', /DELETE is not allowed/],
    ['SELECT * INTO copy_of FROM weather', /INTO is not allowed/],
    ['EXPLAIN SELECT * FROM weather', /starts with SELECT or WITH/],
    ['SELECT * FROM other_workspace.weather', /names a table elsewhere/],
    ["SELECT E'\\'' AS x FROM weather", /E'…' strings/],
  ];
  for (const [text, why] of hostile) {
    // Refused when the config is read, before any run: the planner never sends it to a worker.
    let err: unknown;
    try { configOf(text); } catch (e) { err = e; }
    assert.ok(err instanceof CellError, `not refused: ${text}`);
    assert.equal(err.code, 'sql_refused', `${text}: ${err.message}`);
    assert.match(err.message, why, text);
    assert.ok(typeof err.details.sqlLine === 'number' || /empty/.test(err.message), `${text}: says where (${err.message})`);
    // And by the run itself, given the config without the parse.
    await assert.rejects(sql.run({ config: { sql: text }, inputs: await tables(), ctx: context(workDir) }), (e: CellError) => e.code === 'sql_refused', text);
  }
  // Behind the guard, the plan itself is held to the registered tables: a file scan is refused.
  assert.throws(() => plan(`SELECT secret FROM read_csv('${canary}')`, {}, []), (e: CellError) => e.code === 'sql_refused');
  // What only looks hostile runs: a semicolon in a comment or a string, a $-string holding a quote.
  assert.deepEqual((await query('SELECT 1 /* ; */ AS x')).result.preview.rows, [[1]]);
  assert.deepEqual((await query("SELECT ';' AS x, $$ ' $$ AS y FROM weather LIMIT 1;")).result.preview.rows, [[';', " ' "]]);
});

test('errors say where and suggest the nearest name', async () => {
  const column = await failure('SELECT date, wether FROM weather');
  assert.equal(column.code, 'sql_error');
  assert.match(column.message, /unable to find column "wether".*did you mean "weather"\?/);
  assert.doesNotMatch(column.message, /valid columns/);
  const joined = await failure('SELECT * FROM weather w JOIN covid c ON w.date = c.dateRepp');
  assert.match(joined.message, /dateRepp.*did you mean "dateRep"\?/);
  const syntax = await failure('SELECT weather\nFRM weather');
  assert.equal(syntax.code, 'sql_error');
  assert.deepEqual([syntax.details.sqlLine, syntax.details.sqlColumn], [2, 5]);
  assert.match(syntax.message, /Line: 2, Column: 5/);
  const open = await failure("SELECT 'unclosed FROM weather");
  assert.match(open.message, /string starting at line 1, column 8 is never closed/);
  const missing = await failure('SELECT * FROM regions');
  assert.equal(missing.code, 'no_table');
  assert.match(missing.message, /"regions"/);
});

test('the report shows the table and the query, escaped', async () => {
  const { result } = await query("SELECT weather AS \"<b>w</b>\" FROM weather WHERE weather <> '<script>' LIMIT 2");
  const html = sql.report!(result, { cell: 'q' });
  assert.match(html, /<p>2 rows · 1 columns<\/p>/);
  assert.match(html, /&#60;b&#62;w&#60;\/b&#62;/);
  assert.match(html, /<pre>SELECT weather AS &#34;&#60;b&#62;w/);
  assert.doesNotMatch(html, /<script>|<b>w/);
  const before: SqlResult = { ...result, rows: 5, columns: [...result.columns, { name: 'gone', type: 'integer' }] };
  assert.deepEqual(sql.compare!(before, result, 'q').tables?.[0]?.removed, [{ name: 'gone', type: 'integer' }]);
});
