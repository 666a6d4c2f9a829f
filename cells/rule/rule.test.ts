import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CellError } from '../kind.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { suggestRules } from '../profile/suggest-rules.ts';
import { profile } from '../profile/index.ts';
import { runRules } from '../../rules/engine.ts';
import { tableColumns } from '../shared/column-type.ts';
import { rule, type RuleResult } from './index.ts';

const workDir = tempDir('assay-rule-');

async function check(file: string, rules: unknown[], more: Record<string, string> = {}): Promise<RuleResult> {
  const inputs: Record<string, Awaited<ReturnType<typeof runUpload>>> = { data: await runUpload(file, {}, workDir) };
  for (const [name, f] of Object.entries(more)) inputs[name] = await runUpload(f, {}, workDir);
  const config = rule.parseConfig({ input: 'data', rules });
  return (await rule.run({ config, inputs, ctx: context(workDir) })).result;
}

const byName = (r: RuleResult, name: string) => {
  const found = r.rules.find((x) => x.name === name);
  assert.ok(found, `rule ${name}; have ${r.rules.map((x) => x.name).join(', ')}`);
  return found;
};

// Seattle's CSV has no quoting: a split reads it, independently of the upload cell.
const seattle = (() => {
  const [head, ...lines] = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
})();

test('seattle: value, table and statistic checks count what a hand count finds', async () => {
  const freezing = seattle.filter((r) => Number(r.temp_max) < 0).length;
  const rainOrSun = seattle.filter((r) => !['rain', 'sun'].includes(r.weather!)).length;
  const windy = seattle.filter((r) => Number(r.wind) > 7).length;
  const meanMax = seattle.reduce((a, r) => a + Number(r.temp_max), 0) / seattle.length;
  const wetAndWarm = seattle.filter((r) => r.weather === 'rain' && Number(r.temp_max) > 25).length;
  const r = await check('seattle-weather.csv', [
    { check: 'not_null', columns: ['date', 'weather'] },
    { check: 'range', column: 'temp_max', min: 0, name: 'above freezing' },
    { check: 'allowed_values', column: 'weather', values: ['rain', 'sun'] },
    { check: 'range', column: 'wind', max: 7, warn_if: '> 0', fail_if: '> 5%', name: 'calm' },
    { check: 'unique', column: 'date' },
    { check: 'duplicate_rows' },
    { check: 'row_count', min: 2000 },
    { check: 'mean', column: 'temp_max', min: 16, max: 17 },
    { check: 'distinct_count', column: 'weather', min: 5, max: 5 },
    { check: 'expression', expr: 'temp_max >= temp_min', name: 'max above min' },
    { check: 'range', column: 'temp_max', max: 25, where: "weather = 'rain'", name: 'rainy days are not hot' },
    { check: 'conditional', where: "weather = 'rain'", rule: { check: 'range', column: 'temp_max', max: 25 }, name: 'conditional form' },
    { check: 'freshness', column: 'date', max_age: '7d', severity: 'warn' },
    { check: 'schema', columns: { date: 'date', weather: 'string', wind: 'number', rain: 'float' } },
    { check: 'range', column: 'date', min: '2013-01-01', name: 'from 2013' },
  ]);
  assert.equal(r.rows, 1461);
  assert.deepEqual([byName(r, 'not_null date, weather').status, byName(r, 'not_null date, weather').violations], ['pass', 0]);
  assert.deepEqual([byName(r, 'above freezing').status, byName(r, 'above freezing').violations], ['fail', freezing]);
  assert.equal(byName(r, 'allowed_values weather').violations, rainOrSun);
  const calm = byName(r, 'calm');
  assert.equal(calm.violations, windy);
  assert.equal(calm.status, windy / 1461 > 0.05 ? 'fail' : windy > 0 ? 'warn' : 'pass');
  assert.equal(byName(r, 'unique date').violations, 0);
  assert.equal(byName(r, 'duplicate_rows').violations, 0);
  assert.deepEqual([byName(r, 'row_count').status, byName(r, 'row_count').observed], ['fail', 1461]);
  assert.equal(byName(r, 'mean temp_max').status, meanMax >= 16 && meanMax <= 17 ? 'pass' : 'fail');
  assert.equal(byName(r, 'distinct_count weather').status, 'pass');
  assert.equal(byName(r, 'max above min').violations, 0);
  const rainy = byName(r, 'rainy days are not hot');
  assert.equal(rainy.violations, wetAndWarm);
  assert.equal(rainy.rowsChecked, seattle.filter((x) => x.weather === 'rain').length);
  assert.equal(byName(r, 'conditional form').violations, wetAndWarm);
  assert.equal(byName(r, 'freshness date').status, 'warn');
  const schema = byName(r, 'schema');
  assert.equal(schema.violations, 1);
  assert.match(schema.message, /missing column "rain"/);
  assert.equal(byName(r, 'from 2013').violations, 366);
  // Samples: row numbers of the table and the values that failed.
  const freezingSamples = byName(r, 'above freezing').samples;
  assert.equal(freezingSamples.length, Math.min(20, freezing));
  for (const s of freezingSamples) assert.equal(Number(seattle[s.row - 1]!.temp_max), s.values.temp_max);
  assert.deepEqual(r.summary, {
    pass: r.rules.filter((x) => x.status === 'pass').length, warn: r.rules.filter((x) => x.status === 'warn').length,
    fail: r.rules.filter((x) => x.status === 'fail').length, error: 0,
  });
});

test('ecdc: nulls, a forbidden value that is a real country, uniqueness counted in rows, a reference', async () => {
  const dir = tempDir();
  const known = path.join(dir, 'countries.csv');
  fs.writeFileSync(known, 'code\nAF\nAL\nDZ\n');
  const r = await check('ecdc-covid19-2020-03-30-dmy.csv', [
    { check: 'not_null', column: 'popData2018' },
    { check: 'forbidden_values', column: 'geoId', values: ['NA'] },
    { check: 'unique', columns: ['geoId', 'dateRep'] },
    { check: 'range', column: 'cases', min: 0 },
    { check: 'reference', column: 'geoId', in: { cell: 'known', column: 'code' } },
    { check: 'pattern', column: 'geoId', regex: '^[A-Z]{2}$' },
    { check: 'format', column: 'countryterritoryCode', format: 'integer', name: 'codes are numbers' },
  ], { known });
  assert.equal(byName(r, 'not_null popData2018').violations, 13);
  assert.equal(byName(r, 'forbidden_values geoId').violations, 16);
  assert.equal(byName(r, 'unique geoId, dateRep').violations, 0);
  const negative = byName(r, 'range cases');
  assert.ok(negative.violations > 0 && negative.samples.every((s) => (s.values.cases as number) < 0));
  const ref = byName(r, 'reference geoId');
  assert.ok(ref.violations > 7000 && ref.samples.every((s) => !['AF', 'AL', 'DZ'].includes(s.values.geoId as string)));
  assert.equal(rule.inputs(rule.parseConfig({ input: 'data', rules: [{ check: 'reference', column: 'x', in: { cell: 'known', column: 'code' } }] })).join(), 'data,known');
  assert.ok(byName(r, 'pattern geoId').violations > 0, 'some geoIds are longer than two letters');
  assert.equal(byName(r, 'codes are numbers').violations, 7710 - 4);
});

test('bad rules: each is that rule\'s error, named and explained; the other rules still run', async () => {
  const r = await check('seattle-weather.csv', [
    { check: 'not_nul', column: 'date' },
    { check: 'range', colum: 'wind', max: 5 },
    { check: 'range', column: 'windy', max: 5 },
    { check: 'pattern', column: 'weather', regex: '([a-z' },
    { check: 'expression', expr: 'temp_max >= ' },
    { check: 'expression', expr: "read_csv('/etc/passwd') = 1" },
    { check: 'range', column: 'wind', max: 5, fail_if: 'lots' },
    { check: 'not_null', column: 'date', name: 'the one good rule' },
    'not a mapping',
    { check: 'expression', expr: 'temp_mx > 0' },
  ]);
  const errors = r.rules.map((x) => [x.status, x.error?.message ?? '']);
  assert.equal(r.summary.error, 9);
  assert.equal(byName(r, 'the one good rule').status, 'pass');
  assert.match(errors[0]![1], /unknown check "not_nul"; did you mean "not_null"/);
  assert.match(errors[1]![1], /unknown option "colum" for range; did you mean "column"/);
  assert.match(errors[2]![1], /no column "windy"; did you mean "wind"/);
  assert.match(errors[3]![1], /"regex" does not compile/);
  assert.match(errors[4]![1], /"expr": the expression ends too soon/);
  assert.match(errors[5]![1], /functions are not part of the expression language/);
  assert.match(errors[6]![1], /"fail_if" must look like/);
  assert.match(errors[8]![1], /must be a mapping/);
  assert.match(errors[9]![1], /no column "temp_mx"; did you mean "temp_max"\?; the table has: date,/);
});

test('fifty rules in one pass, and config errors', async () => {
  const rules = Array.from({ length: 50 }, (_, i) => ({ check: 'range', column: 'temp_max', max: i, name: `max ${i}` }));
  const r = await check('seattle-weather.csv', rules);
  const over = (i: number) => seattle.filter((x) => Number(x.temp_max) > i).length;
  for (const i of [0, 10, 25, 49]) assert.equal(byName(r, `max ${i}`).violations, over(i));
  assert.throws(() => rule.parseConfig({ input: 'a', rules: 'x' }), (e: unknown) => e instanceof CellError && e.details.key === 'rules');
  assert.throws(() => rule.parseConfig({ rules: [] }), (e: unknown) => e instanceof CellError && e.details.key === 'input');
  // A YAML alias bomb is refused by the YAML reader's limit, before any rule runs.
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'rules: [*i]', 'input: x'].join('\n');
  assert.throws(() => parseCellYaml(bomb), (e: unknown) => e instanceof CellError && /alias/i.test(e.message));
});

test('formats, lengths, blanks, statistics and column counts on a crafted file, counted by hand', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'contacts.csv');
  const rows = [
    ['alice@example.org', 'https://a.example', '3f2b8c1e-1234-4abc-8def-0123456789ab', '10.0.0.1', '+41 44 123 45 67', '12', '1.5', '01/02/2024', 'Al', '4'],
    ['bob(at)example.org', 'ftp://b.example', 'not-a-uuid', '300.1.1.1', 'call me', '12a', '"2,5"', '31/13/2024', 'Roberto', '8'],
    ['carol@example', 'https://c.example/x', '3F2B8C1E-1234-4ABC-8DEF-0123456789AB', '::1', '044 123 45 67', '-7', '.5', '29/02/2024', '  ', '6'],
    ['"dave @example.org"', 'www.d.example', '', '192.168.1.256', '12', '7', 'abc', '', '', '10'],
  ];
  const header = 'email,site,token,ip,phone,count,amount,day,nick,score';
  fs.writeFileSync(file, `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const r = await check(file, [
    { check: 'format', column: 'email', format: 'email' },
    { check: 'format', column: 'site', format: 'url' },
    { check: 'format', column: 'token', format: 'uuid' },
    { check: 'format', column: 'ip', format: 'ip' },
    { check: 'format', column: 'phone', format: 'phone' },
    { check: 'format', column: 'count', format: 'integer' },
    { check: 'format', column: 'amount', format: 'decimal' },
    { check: 'format', column: 'day', format: 'date', date_format: '%d/%m/%Y' },
    { check: 'length', column: 'nick', min: 3, max: 5 },
    { check: 'not_empty_string', column: 'nick' },
    { check: 'column_count', min: 10, max: 10 },
    { check: 'null_rate', column: 'token', max: 0.2 },
    { check: 'sum', column: 'score', min: 28, max: 28 },
    { check: 'min', column: 'score', min: 4 },
    { check: 'max', column: 'score', max: 9 },
    { check: 'stddev', column: 'score', min: 2.58, max: 2.59 },
    { check: 'range', column: 'score', min: 4, max: 10, exclusive: true, name: 'strictly inside' },
    { check: 'format', column: 'score', format: 'integer', name: 'whole scores' },
  ]);
  const v = (name: string) => byName(r, name).violations;
  assert.equal(v('format email'), 3, 'no @, no dot after @, a space');
  assert.equal(v('format site'), 2, 'ftp and a bare www');
  assert.equal(v('format token'), 1, 'the empty one is missing, not checked');
  assert.equal(v('format ip'), 2, '300.1.1.1 and .256');
  assert.equal(v('format phone'), 2, '"call me" and "12"');
  assert.equal(v('format count'), 1, '12a (the column is text because of it)');
  assert.equal(v('format amount'), 1, 'abc');
  assert.equal(v('format day'), 1, 'month 13 (29 Feb 2024 exists)');
  // Lengths count characters: "Al" (2) and "Roberto" (7) are outside 3..5; "  " is 2 long too.
  assert.equal(v('length nick'), 3);
  assert.equal(v('not_empty_string nick'), 1, 'the blank one; the empty one is missing');
  assert.equal(byName(r, 'column_count').status, 'pass');
  assert.deepEqual([byName(r, 'null_rate token').status, byName(r, 'null_rate token').observed], ['fail', 0.25]);
  assert.equal(byName(r, 'sum score').status, 'pass');
  assert.equal(byName(r, 'min score').status, 'pass');
  assert.equal(byName(r, 'max score').status, 'fail');
  const sd = Math.sqrt([4, 8, 6, 10].reduce((a, x) => a + (x - 7) ** 2, 0) / 3);
  assert.ok(Math.abs((byName(r, 'stddev score').observed as number) - sd) < 1e-12);
  assert.equal(v('strictly inside'), 2, '4 and 10 are on the bounds');
  assert.equal(v('whole scores'), 0, 'an integer column is all integers');
});

test('suggested rules, written from a profile, hold on the data they were read from', async () => {
  for (const file of ['seattle-weather.csv', 'ecdc-covid19-2020-03-30-dmy.csv', 'mlb-allstar-player-talent-null.csv', 'police-killings-2015-missing-markers.csv']) {
    const dir = tempDir();
    const up = await runUpload(file, {}, dir);
    const { result: prof } = await profile.run({ config: { input: 'data' }, inputs: { data: up }, ctx: context(dir) });
    const yaml = suggestRules(prof, 'data');
    const config = rule.parseConfig(parseCellYaml(yaml));
    assert.equal(config.input, 'data');
    const checks = new Set(config.rules.map((r) => (r as { check: string }).check));
    for (const expected of ['row_count', 'schema', 'not_null', 'range']) assert.ok(checks.has(expected), `${file}: ${expected}`);
    const { result } = await rule.run({ config, inputs: { data: up }, ctx: context(dir) });
    assert.equal(result.summary.error, 0, `${file}: ${JSON.stringify(result.rules.filter((r) => r.error))}`);
    assert.equal(result.summary.fail, 0, `${file}: ${JSON.stringify(result.rules.filter((r) => r.status === 'fail').map((r) => [r.name, r.message]))}`);
  }
});

test('rules compiled by an earlier run give the same outcomes, also at other positions', async () => {
  const rules = [
    { check: 'range', column: 'temp_max', min: 0, name: 'above freezing' },
    { check: 'allowed_values', column: 'weather', values: ['rain', 'sun'] },
    { check: 'range', column: 'temp_max', max: 25, where: "weather = 'rain'", name: 'rainy days are not hot' },
  ];
  const first = await check('seattle-weather.csv', rules);
  const again = await check('seattle-weather.csv', rules);
  assert.deepEqual(again, first);
  // The same rules in another order: each one's counts follow it to its new position.
  const reversed = await check('seattle-weather.csv', [...rules].reverse());
  assert.deepEqual(reversed.rules, [...first.rules].reverse());
});

test('a freshness rule is judged against the clock of each run, not of the run that first compiled it', async () => {
  const table = (await runUpload('seattle-weather.csv', {}, workDir)).table!;
  const config = rule.parseConfig({ input: 'data', rules: [{ check: 'freshness', column: 'date', max_age: '30d' }] });
  const at = async (now: string) => (await runRules(table, config.rules, { columns: await tableColumns(table), others: {}, now: Date.parse(now) })).rules[0]!.status;
  // The newest date in the file is 2015-12-31.
  assert.equal(await at('2016-01-10T00:00:00Z'), 'pass');
  assert.equal(await at('2016-06-01T00:00:00Z'), 'fail');
});

test('messages read as the page writes: counts with separators, and an expression\'s breaking rows in its own words', async () => {
  const aboveMin = seattle.filter((r) => !(Number(r.temp_max) >= Number(r.temp_min) + 5)).length;
  const r = await check('seattle-weather.csv', [
    { check: 'expression', name: 'spread', expr: 'temp_max >= temp_min + 5' },
    { check: 'expression', name: 'either', expr: 'temp_max > 30 or precipitation > 0' },
  ]);
  const spread = byName(r, 'spread');
  assert.equal(spread.violations, aboveMin);
  assert.equal(spread.message, `${aboveMin.toLocaleString('en-US')} of 1,461 rows: with temp_max < (temp_min + 5)`);
  assert.match(byName(r, 'either').message, /with not \(temp_max > 30 or precipitation > 0\)$/);
});

test('expressions read one-digit numbers before a space, a point or an operator (`wind > 1 or …`, `1.5`)', async () => {
  const calm = seattle.filter((r) => !(Number(r.wind) > 1 || Number(r.precipitation) > 0)).length;
  const below = seattle.filter((r) => !(Number(r.wind) >= 1.5)).length;
  const r = await check('seattle-weather.csv', [
    { check: 'expression', name: 'windy or wet', expr: 'wind > 1 or precipitation > 0' },
    { check: 'expression', name: 'breeze', expr: 'wind >= 1.5' },
  ]);
  assert.equal(byName(r, 'windy or wet').violations, calm);
  assert.equal(byName(r, 'breeze').violations, below);
});
