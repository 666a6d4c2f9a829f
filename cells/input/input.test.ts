import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { chart } from '../chart/index.ts';
import { CellError, type CellOutput } from '../kind.ts';
import { rule } from '../rule/index.ts';
import { compileExpression, parseExpression } from '../shared/expression.ts';
import { findParams, paramValues, substituteIn, substituteText } from '../shared/params.ts';
import { sql } from '../sql/index.ts';
import { transform } from '../transform/index.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { input, type InputResult } from './index.ts';

const workDir = tempDir('assay-input-');
let covid: Promise<CellOutput> | undefined;
const covidTable = () => (covid ??= runUpload('ecdc-covid19-2020-03-30-dmy.csv', {}, workDir));

/** The covid file's rows, read here without polars: what the cells' answers are checked against. */
const rows = fs.readFileSync(path.join(DATA, 'ecdc-covid19-2020-03-30-dmy.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
const casesAtLeast = (n: number) => rows.filter((r) => Number(r[4]) >= n).length;

async function runInput(yaml: string, inputs: Record<string, CellOutput> = {}): Promise<InputResult> {
  return (await input.run({ config: input.parseConfig(parseCellYaml(yaml)), inputs, ctx: context(workDir) })).result;
}

function configError(yaml: string): CellError {
  try {
    input.parseConfig(parseCellYaml(yaml));
  } catch (err) {
    assert.ok(err instanceof CellError);
    return err;
  }
  assert.fail(`parsed:\n${yaml}`);
}

/** What a cell reading input cells receives: each input's result under its name. */
const given = (values: Record<string, InputResult>): Record<string, CellOutput> =>
  Object.fromEntries(Object.entries(values).map(([name, result]) => [name, { result }]));

test('an input cell gives its value (the set value, else the default) with its type, label and range', async () => {
  assert.deepEqual(await runInput('type: number\ndefault: 0\nmin: 0\nmax: 1000000\nlabel: Minimum cases\nvalue: 10\n'),
    { type: 'number', value: 10, label: 'Minimum cases', min: 0, max: 1000000 });
  assert.equal((await runInput('type: integer\ndefault: 5\n')).value, 5);
  assert.deepEqual(await runInput('type: date\ndefault: 2020-03-01\nmin: 2019-12-31\n'), { type: 'date', value: '2020-03-01', label: null, min: '2019-12-31' });
  assert.equal((await runInput('type: boolean\n')).value, false);
  assert.deepEqual((await runInput('type: choice\noptions: [Europe, Asia]\n')).value, 'Europe');
  assert.equal((await runInput("type: text\nvalue: \"'; DROP TABLE x; --\"\n")).value, "'; DROP TABLE x; --");
});

test('a value outside its type, its range or its options is a config error naming the key', () => {
  assert.match(configError('type: number\nmin: 0\nmax: 100\nvalue: 101\n').message, /"value" must be at most 100/);
  assert.equal(configError('type: number\nmin: 0\nmax: 100\nvalue: 101\n').details.key, 'value');
  assert.match(configError('type: integer\ndefault: 2.5\n').message, /"default" must be a whole number/);
  assert.match(configError('type: date\nvalue: 2020-02-30\n').message, /"value" must be a date written YYYY-MM-DD/);
  assert.match(configError('type: choice\noptions: [Europe, Asia]\nvalue: Mars\n').message, /"value" must be one of the options \("Europe", "Asia"\), not "Mars"/);
  assert.match(configError('type: boolean\nvalue: maybe\n').message, /"value" must be true or false/);
  assert.match(configError('type: choice\n').message, /needs "options"/);
  assert.match(configError('type: text\nmin: 3\n').message, /"min" bounds only a number/);
  assert.match(configError('type: number\nmin: 5\nmax: 1\n').message, /"min" \(5\) is above "max" \(1\)/);
  assert.match(configError('type: nmber\n').message, /number/);
  assert.match(configError('type: number\nlable: x\n').message, /label/);
});

test('a choice reads its options from a table column (options_from), and a value among none of them fails naming "value"', async () => {
  const table = await covidTable();
  const r = await runInput('type: choice\noptions_from: {cell: covid, column: geoId}\nvalue: NA\n', { covid: table });
  const expected = [...new Set(rows.map((row) => row[7]))].sort();
  assert.deepEqual(r.options, expected);
  assert.equal(r.value, 'NA', 'Namibia\'s geoId is a value, not a null');
  assert.deepEqual(input.inputs(input.parseConfig(parseCellYaml('type: choice\noptions_from: {cell: covid, column: geoId}\n'))), ['covid']);
  await assert.rejects(runInput('type: choice\noptions_from: {cell: covid, column: geoId}\nvalue: XX\n', { covid: table }), /"value" must be one of the options/);
  await assert.rejects(runInput('type: choice\noptions_from: {cell: covid, column: geoid}\n', { covid: table }), /no column "geoid"; did you mean "geoId"\?/);
});

test('a run given a value sets `value:` in the YAML, keeping its comments, and refuses one that does not fit', () => {
  const yaml = '# how many\ntype: integer\nmin: 0\nmax: 100\nvalue: 3  # set by the widget\n';
  const set = input.parameter!.withValue(yaml, '42');
  assert.match(set, /# how many/);
  assert.equal(input.parseConfig(parseCellYaml(set)).value, 42);
  assert.throws(() => input.parameter!.withValue(yaml, 'many'), /"value" must be a number/);
  assert.throws(() => input.parameter!.withValue(yaml, 1000), /"value" must be at most 100/);
});

test('$name references: found outside quotes, escaped by $$ and \\$, substituted as values or text', () => {
  assert.deepEqual(findParams("cases > $min and geoId = '$not' or `$col` = $geo", { quotes: "'`" }).map((r) => r.name), ['min', 'geo']);
  assert.deepEqual(findParams('costs $5, $$literal, \\$also, $real').map((r) => r.name), ['real']);
  assert.equal(substituteText('Cases of at least $min_cases (in $$)', { min_cases: 100 }), 'Cases of at least 100 (in $)');
  assert.deepEqual(substituteIn({ min: '$min', fail_if: '> $pct%', expr: 'x > $min' }, { min: 10, pct: 2 }, ['expr']), { min: 10, fail_if: '> 2%', expr: 'x > $min' });
  assert.throws(() => substituteText('$min_casez', { min_cases: 1 }), /no input cell "min_casez"; did you mean "min_cases"\?/);
  assert.throws(() => paramValues(['covid'], { covid: { result: { rows: 1 } } }), /"\$covid" names cell "covid", which is not an input cell/);
});

test('the expression language binds $name as a value: a text that looks like code is compared, never read', async () => {
  const frame = pl.DataFrame({ n: [1, 5, 10], s: ['x', "' or 1=1 --", 'y'] });
  const kept = (expr: string, params: Record<string, number | string>) =>
    frame.filter(compileExpression(parseExpression(expr), { n: 'integer', s: 'string' }, params)).getColumn('n').toArray();
  assert.deepEqual(kept('n >= $min', { min: 5 }), [5, 10]);
  assert.deepEqual(kept('s = $t', { t: "' or 1=1 --" }), [5]);
  assert.deepEqual(kept('s = $t', { t: "x' or 1=1 --" }), []);
  assert.deepEqual(kept('s in ($a, \'y\')', { a: 'x' }), [1, 10]);
  assert.throws(() => kept('n > $mn', { min: 1 }), /no input cell "mn"; did you mean "min"\?/);
});

test('a rule reads $inputs in bounds, thresholds and expressions, and names them as its inputs', async () => {
  const yaml = [
    'input: covid',
    'rules:',
    '  - check: range',
    '    column: cases',
    '    min: $min_cases',
    '    warn_if: "> $max_bad"',
    '  - check: expression',
    '    name: big days',
    '    expr: cases < $min_cases or deaths >= 0',
    '  - check: pattern',
    '    column: geoId',
    "    regex: '^[A-Z]{2}$'",
  ].join('\n');
  const config = rule.parseConfig(parseCellYaml(yaml));
  assert.deepEqual(rule.params!(config), ['min_cases', 'max_bad']);
  const inputs = { covid: await covidTable(), ...given({ min_cases: { type: 'number', value: 100, label: null }, max_bad: { type: 'integer', value: 10, label: null } }) };
  const result = (await rule.run({ config, inputs, ctx: context(workDir) })).result;
  const range = result.rules[0]!;
  assert.equal(range.violations, rows.length - casesAtLeast(100));
  assert.equal(range.status, 'warn', 'warn_if "> $max_bad" read as "> 10"');
  assert.equal(result.rules[1]!.status, 'pass');
  await assert.rejects(rule.run({ config, inputs: { covid: inputs.covid, min_cases: (inputs as Record<string, (typeof inputs)["covid"]>).min_cases! }, ctx: context(workDir) }), /no input cell "max_bad"/);
});

test('a chart filters by $inputs and writes them into its title', async () => {
  const config = chart.parseConfig(parseCellYaml('input: covid\ntitle: Days with at least $min_cases cases\nx: geoId\ny: count()\nfilter: "cases >= $min_cases"\n'));
  assert.deepEqual(chart.params!(config), ['min_cases']);
  const result = (await chart.run({ config, inputs: { covid: await covidTable(), ...given({ min_cases: { type: 'number', value: 1000, label: null } }) }, ctx: context(workDir) })).result;
  assert.equal(result.spec.title, 'Days with at least 1000 cases');
  assert.equal(result.data.reduce((n: number, p: Record<string, unknown>) => n + Number(p.y), 0), casesAtLeast(1000));
});

test('sql binds $inputs as values: an injection text is compared as text, and numbers and dates keep their types', async () => {
  const config = (query: string) => sql.parseConfig(parseCellYaml(`sql: |\n  ${query}\n`));
  const run = async (query: string, values: Record<string, InputResult>) => {
    const out = await sql.run({ config: config(query), inputs: { covid: await covidTable(), ...given(values) }, ctx: context(workDir) });
    return { result: out.result, rows: (await pl.scanParquet(out.table!).collect()).toRecords() };
  };
  const text = (value: string): InputResult => ({ type: 'text', value, label: null });
  assert.deepEqual(sql.params!(config("SELECT * FROM covid WHERE geoId = $geo AND note = '$not_a_param' -- $nor_this")), ['geo']);
  for (const attack of ["'; DROP TABLE covid; --", "' OR 1=1 --", "NA' OR '1'='1", 'NA\\', '']) {
    const { rows: found } = await run('SELECT geoId FROM covid WHERE geoId = $geo', { geo: text(attack) });
    assert.equal(found.length, 0, `"${attack}" is a value no row has`);
  }
  const namibia = await run('SELECT geoId FROM covid WHERE geoId = $geo', { geo: text('NA') });
  assert.equal(namibia.rows.length, rows.filter((r) => r[7] === 'NA').length);
  assert.equal(namibia.result.sql.trim(), 'SELECT geoId FROM covid WHERE geoId = $geo', 'the result shows the query as written');
  const big = await run('SELECT cases FROM covid WHERE cases >= $min', { min: { type: 'number', value: -5, label: null } });
  assert.equal(big.rows.length, casesAtLeast(-5));
  const unicode = await run("SELECT $name AS who FROM covid LIMIT 1", { name: text('Zoë 🙂') });
  assert.equal(unicode.rows[0]!.who, 'Zoë 🙂');
  await assert.rejects(run('SELECT * FROM covid WHERE cases > $1', {}), /\$1 is not a parameter/);
});

test('a transform filters and derives with $inputs, bound as values; other values make another table', async () => {
  const config = transform.parseConfig(parseCellYaml('input: covid\nsteps:\n  - filter: cases >= $min_cases and geoId != $skip\n  - derive: {over: cases - $min_cases}\n'));
  assert.deepEqual(transform.params!(config), ['min_cases', 'skip']);
  const run = async (min: number, skip: string) => {
    const out = await transform.run({ config, inputs: { covid: await covidTable(), ...given({ min_cases: { type: 'integer', value: min, label: null }, skip: { type: 'text', value: skip, label: null } }) }, ctx: context(workDir) });
    return (await pl.scanParquet(out.table!).select('cases', 'over', 'geoId').collect()).toRecords();
  };
  const hundred = await run(100, "' or 1=1 --");
  assert.equal(hundred.length, casesAtLeast(100));
  assert.ok(hundred.every((r) => Number(r.over) === Number(r.cases) - 100));
  const thousand = await run(1000, 'IT');
  assert.equal(thousand.length, rows.filter((r) => Number(r[4]) >= 1000 && r[7] !== 'IT').length);
});
