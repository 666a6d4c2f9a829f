import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CellError, type CellOutput } from '../kind.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { MAX_POINTS } from './query.ts';
import { chart, type ChartResult } from './index.ts';

const workDir = tempDir('assay-chart-');
const uploads = new Map<string, Promise<CellOutput>>();

/** Runs a chart spec (as YAML, like a cell holds it) over a file, uploaded once per file. */
async function draw(file: string, yaml: string): Promise<ChartResult> {
  if (!uploads.has(file)) uploads.set(file, runUpload(file, {}, workDir));
  const config = chart.parseConfig(parseCellYaml(`input: data\n${yaml}`));
  return (await chart.run({ config, inputs: { data: await uploads.get(file)! }, ctx: context(workDir) })).result;
}

/** The CellError a spec fails with (parse or run), or a failure when it does not fail. */
async function refusal(file: string, yaml: string): Promise<CellError> {
  try {
    await draw(file, yaml);
  } catch (err) {
    assert.ok(err instanceof CellError, `expected a CellError, got ${String(err)}`);
    return err;
  }
  assert.fail(`the spec was accepted:\n${yaml}`);
}

/** A CSV without quoted commas read with a plain split, independently of the upload cell. */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.isAbsolute(file) ? file : path.join(DATA, file), 'utf8').trim().split(/\r?\n/);
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v.replace(/^"(.*)"$/, '$1')])));
}

const seattle = readCsv('seattle-weather.csv');
const funding = readCsv('swiss-energy-research-funding.csv');

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const close = (actual: unknown, expected: number, what: string) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${String(actual)} ≠ ${expected}`);

test('x: a category with no y counts rows per category: a bar chart, defaults said', async () => {
  const r = await draw('seattle-weather.csv', 'x: weather');
  const counts = groupBy(seattle, (row) => row.weather!);
  assert.equal(r.spec.mark, 'bar');
  assert.equal(r.spec.encoding.y?.aggregate, 'count');
  assert.ok(r.spec.defaults.some((d) => d.startsWith('mark: bar')) && r.spec.defaults.some((d) => d.startsWith('y: count()')));
  assert.deepEqual(r.data.map((d) => d.x), [...counts.keys()].sort(), 'categories in order');
  for (const d of r.data) assert.equal(d.y, counts.get(String(d.x))!.length, `count of ${d.x}`);
  assert.equal(r.rowsIn, 1461);
  assert.equal(r.rowsFiltered, 1461);
  assert.equal(r.pointsOut, counts.size);
  assert.equal(r.sampled, false);
});

test('sum and mean by category match sums and means of the parsed rows', async () => {
  const bySite = groupBy(funding, (row) => row.forschungsstaette!);
  const sums = await draw('swiss-energy-research-funding.csv', 'x: forschungsstaette\ny: sum(finanzbeitrag)');
  assert.equal(sums.data.length, 31);
  for (const d of sums.data) close(d.y, sum(bySite.get(String(d.x))!.map((row) => Number(row.finanzbeitrag))), `sum for ${d.x}`);
  close(sum(sums.data.map((d) => d.y as number)), 2414818134.07, 'total (MANIFEST)');

  const byWeather = groupBy(seattle, (row) => row.weather!);
  const means = await draw('seattle-weather.csv', 'x: weather\ny: {field: temp_max, aggregate: mean, label: Mean high}');
  assert.equal(means.spec.encoding.y?.label, 'Mean high');
  for (const d of means.data) close(d.y, mean(byWeather.get(String(d.x))!.map((row) => Number(row.temp_max))), `mean for ${d.x}`);
  // A raw number on a bar's measure is summed, and the result says so.
  const summed = await draw('seattle-weather.csv', 'x: weather\ny: precipitation');
  assert.ok(summed.spec.defaults.some((d) => d.startsWith('y: sum(precipitation)')));
  for (const d of summed.data) close(d.y, sum(byWeather.get(String(d.x))!.map((row) => Number(row.precipitation))), `precipitation for ${d.x}`);
});

test('a numeric x alone is a histogram: bins of a nice step, counted like a hand count', async () => {
  const auto = await draw('seattle-weather.csv', 'x: temp_max');
  assert.equal(auto.spec.mark, 'histogram');
  const bin = auto.spec.encoding.x?.bin as { start: number; step: number };
  assert.ok([1, 2, 5].some((f) => [0.1, 1, 10].some((p) => Math.abs(bin.step - f * p) < 1e-12)), `a nice step: ${bin.step}`);
  assert.ok(auto.data.length >= 10 && auto.data.length <= 21, `about 20 bins: ${auto.data.length}`);
  assert.equal(sum(auto.data.map((d) => d.y as number)), 1461, 'every row in one bin');

  const fives = await draw('seattle-weather.csv', 'x: {field: temp_max, bin: {step: 5}}\nmark: histogram');
  const expected = groupBy(seattle, (row) => String(Math.floor(Number(row.temp_max) / 5) * 5));
  assert.deepEqual(fives.data.map((d) => [d.x, d.x2]), [-5, 0, 5, 10, 15, 20, 25, 30, 35].map((s) => [s, s + 5]));
  for (const d of fives.data) assert.equal(d.y, expected.get(String(d.x))?.length ?? 0, `bin from ${d.x}`);
});

test('dates: a line by the best time bucket, months and years counted and averaged by hand, ISO dates', async () => {
  const auto = await draw('seattle-weather.csv', 'x: date');
  assert.equal(auto.spec.mark, 'line');
  const unit = (auto.spec.encoding.x?.bin as { unit: string }).unit;
  // 1,461 days: days would be more than 400 points; weeks are the finest that are not.
  assert.equal(unit, 'week');
  assert.ok(auto.data.length <= 400);
  assert.equal(sum(auto.data.map((d) => d.y as number)), 1461);

  const byMonth = groupBy(seattle, (row) => row.date!.slice(0, 7));
  const months = await draw('seattle-weather.csv', 'x: {field: date, bin: month}\ny: mean(temp_max)');
  assert.equal(months.data.length, 48);
  for (const d of months.data) {
    assert.match(String(d.x), /^\d{4}-\d{2}-01T00:00:00\.000Z$/, 'bucket starts as ISO text');
    close(d.y, mean(byMonth.get(String(d.x).slice(0, 7))!.map((row) => Number(row.temp_max))), `mean in ${d.x}`);
  }
  assert.equal(months.data[0]!.x2, '2012-02-01T00:00:00.000Z', 'a bucket ends where the next starts');

  const years = await draw('seattle-weather.csv', 'x: {field: date, bin: year}\nmark: bar');
  assert.deepEqual(years.data.map((d) => [String(d.x).slice(0, 4), d.y]), ['2012', '2013', '2014', '2015'].map((y) => [y, seattle.filter((row) => row.date!.startsWith(y)).length]));
});

test('filter (the rule expression language) and a heatmap of weather by year', async () => {
  const hot = (row: Record<string, string>) => Number(row.temp_max) > 25 && Number(row.precipitation) === 0;
  const r = await draw('seattle-weather.csv', 'x: weather\nfilter: temp_max > 25 and precipitation = 0');
  assert.equal(r.rowsIn, 1461);
  assert.equal(r.rowsFiltered, seattle.filter(hot).length);
  const counts = groupBy(seattle.filter(hot), (row) => row.weather!);
  assert.deepEqual(Object.fromEntries(r.data.map((d) => [d.x, d.y])), Object.fromEntries([...counts].map(([k, v]) => [k, v.length])));

  const grid = await draw('seattle-weather.csv', 'x: weather\ny: {field: date, bin: year}');
  assert.equal(grid.spec.mark, 'heatmap');
  for (const d of grid.data) {
    assert.equal(d.color, seattle.filter((row) => row.weather === d.x && row.date!.startsWith(String(d.y).slice(0, 4))).length, `${d.x} in ${d.y}`);
  }
});

test('sort and limit: the top categories by their measure; with colors, whole bars are ranked', async () => {
  const totals = [...groupBy(funding, (row) => row.forschungsstaette!)].map(([k, rows]) => [k, sum(rows.map((row) => Number(row.finanzbeitrag)))] as const)
    .sort((a, b) => b[1] - a[1]);
  const top = await draw('swiss-energy-research-funding.csv', 'x: forschungsstaette\ny: sum(finanzbeitrag)\nsort: -y\nlimit: 5');
  assert.deepEqual(top.data.map((d) => d.x), totals.slice(0, 5).map(([k]) => k));
  assert.equal(top.truncated, true);
  assert.ok(top.warnings.some((w) => /limit/.test(w)));

  const stacked = await draw('swiss-energy-research-funding.csv', 'x: forschungsstaette\ny: sum(finanzbeitrag)\ncolor: projekttyp\nsort: -y\nlimit: 3');
  assert.deepEqual([...new Set(stacked.data.map((d) => d.x))], totals.slice(0, 3).map(([k]) => k), 'the three largest bars, largest first');
  for (const [site, total] of totals.slice(0, 3)) close(sum(stacked.data.filter((d) => d.x === site).map((d) => d.y as number)), total, `segments of ${site}`);
  assert.deepEqual(new Set(stacked.data.map((d) => d.color)), new Set(['FE', 'PD']));

  const ascending = await draw('seattle-weather.csv', 'x: weather\nsort: y');
  assert.deepEqual(ascending.data.map((d) => d.y), [...ascending.data.map((d) => d.y as number)].sort((a, b) => a - b));
});

test('box: quartiles (linear), whiskers within 1.5 IQR, outliers beyond them', async () => {
  const r = await draw('seattle-weather.csv', 'mark: box\nx: weather\ny: wind');
  const quantile = (sorted: number[], q: number) => {
    const at = (sorted.length - 1) * q;
    const lo = Math.floor(at);
    return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
  };
  for (const box of r.data as unknown as { x: string; q1: number; median: number; q3: number; lo: number; hi: number; n: number }[]) {
    const winds = seattle.filter((row) => row.weather === box.x).map((row) => Number(row.wind)).sort((a, b) => a - b);
    const [q1, q3] = [quantile(winds, 0.25), quantile(winds, 0.75)];
    close(box.q1, q1, `q1 of ${box.x}`);
    close(box.median, quantile(winds, 0.5), `median of ${box.x}`);
    close(box.q3, q3, `q3 of ${box.x}`);
    assert.equal(box.n, winds.length);
    const inside = winds.filter((w) => w >= q1 - 1.5 * (q3 - q1) && w <= q3 + 1.5 * (q3 - q1));
    assert.equal(box.lo, inside[0]);
    assert.equal(box.hi, inside[inside.length - 1]);
    assert.equal(r.outliers!.filter((o) => o.x === box.x).length, winds.length - inside.length, `outliers of ${box.x}`);
  }
  assert.equal(r.pointsOut, r.data.length + r.outliers!.length);
});

test('a scatter of more rows than the limit is sampled, the same way every run, from real rows', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'big.csv');
  const rows = 25_000;
  const lines = ['a,b,group'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 7919) % 1000},${['x', 'y', 'z'][i % 3]}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const first = await draw(file, 'x: a\ny: b\ncolor: group');
  assert.equal(first.spec.mark, 'dot');
  assert.equal(first.sampled, true);
  assert.equal(first.rowsIn, rows);
  assert.ok(first.pointsOut <= MAX_POINTS && first.pointsOut === first.data.length, `pointsOut ${first.pointsOut}`);
  assert.equal(first.pointsOut, MAX_POINTS);
  assert.ok(first.warnings.some((w) => /sample/.test(w)));
  for (const d of first.data) assert.equal(d.y, ((d.x as number) * 7919) % 1000, 'each point is a row of the file (channels x and y hold a and b)');
  // Spread over the whole file, not its first rows.
  assert.ok(Math.max(...first.data.map((d) => d.x as number)) > rows * 0.95 && Math.min(...first.data.map((d) => d.x as number)) < rows * 0.05);
  const again = await draw(file, 'x: a\ny: b\ncolor: group');
  assert.deepEqual(again.data, first.data, 'deterministic');
  // Aggregates over the same file are exact, never sampled.
  const counts = await draw(file, 'x: group');
  assert.equal(counts.sampled, false);
  assert.deepEqual(counts.data.map((d) => d.y), [8334, 8333, 8333]);
  // A limit takes the first rows instead of a sample.
  const limited = await draw(file, 'mark: dot\nx: a\ny: b\nlimit: 100');
  assert.equal(limited.sampled, false);
  assert.deepEqual(limited.data.map((d) => d.x), Array.from({ length: 100 }, (_, i) => i));
});

test('bad specs: each a clear error naming what is wrong, with the closest name when there is one', async () => {
  const unknownField = await refusal('seattle-weather.csv', 'x: wether');
  assert.equal(unknownField.code, 'unknown_field');
  assert.match(unknownField.message, /no column "wether" in "data"; did you mean "weather"\?/);
  assert.equal(unknownField.details.key, 'x');

  const missing = await refusal('seattle-weather.csv', 'x: weather\ncolor: humidity');
  assert.equal(missing.code, 'unknown_field');
  assert.match(missing.message, /color: no column "humidity".*it has: date, precipitation, temp_max, temp_min, wind, weather/);

  const meanOfText = await refusal('seattle-weather.csv', 'x: date\ny: mean(weather)');
  assert.equal(meanOfText.code, 'aggregate_type');
  assert.match(meanOfText.message, /y: mean needs a number column; "weather" is text/);
  assert.equal(meanOfText.details.key, 'y.aggregate');
  const sumOfDates = await refusal('seattle-weather.csv', 'x: weather\ny: {field: date, aggregate: sum}');
  assert.match(sumOfDates.message, /sum needs a number column; "date" is a date/);

  const unknownMark = await refusal('seattle-weather.csv', 'mark: bars\nx: weather');
  assert.equal(unknownMark.code, 'config_invalid');
  assert.match(unknownMark.message, /unknown mark "bars"; did you mean "bar"\?; marks: bar, line/);
  assert.equal(unknownMark.details.key, 'mark');

  assert.match((await refusal('seattle-weather.csv', 'x: weather\ncolour: weather')).message, /unknown key "colour" in a chart spec; did you mean "color"\?/);
  assert.match((await refusal('seattle-weather.csv', 'x: weather\ny: avg(temp_max)')).message, /unknown aggregate "avg"/);
  assert.match((await refusal('seattle-weather.csv', 'x: weather\ny: count')).message, /no column "count".*count\(\)/);
  assert.match((await refusal('seattle-weather.csv', 'x: {field: weather, bin: month}')).message, /"bin: month" buckets dates; "weather" is text/);
  assert.match((await refusal('seattle-weather.csv', 'x: weather\ny: {aggregate: count, scale: log}\nmark: bar\ncolor: {field: weather, scale: log}')).message, /color: a log scale needs numbers/);
  assert.match((await refusal('seattle-weather.csv', 'mark: bar\nx: weather\nsize: wind')).message, /a bar chart does not use "size"; it takes x, y, color, facet/);
  assert.match((await refusal('seattle-weather.csv', 'x: weather\nsort: -z')).message, /"sort" must be one of/);
  const badFilter = await refusal('seattle-weather.csv', 'x: weather\nfilter: temp > 3');
  assert.equal(badFilter.code, 'filter_invalid');
  assert.match(badFilter.message, /filter: no column "temp"/);
  assert.match((await refusal('seattle-weather.csv', 'x: weather\nfilter: "temp_max >"')).message, /"filter": the expression ends too soon/);
  assert.match((await refusal('seattle-weather.csv', 'y: weather\nmark: line')).message, /a line chart needs "x"/);
  assert.match((await refusal('seattle-weather.csv', 'x: {field: temp_max, bin: {step: 0.001}}')).message, /make [\d,]+ bins; at most 1000/);
  // The starter config is accepted as YAML and asks for x when it runs.
  assert.match((await refusal('seattle-weather.csv', '')).message, /needs at least "x"/);
});

test('log scales leave out points at or below zero, and say so; a date x with bin: false stays raw', async () => {
  const r = await draw('seattle-weather.csv', 'mark: dot\nx: temp_max\ny: {field: precipitation, scale: log}');
  const positive = seattle.filter((row) => Number(row.precipitation) > 0).length;
  assert.equal(r.data.length, positive);
  assert.ok(r.warnings.some((w) => /at or below zero/.test(w)));
  const raw = await draw('seattle-weather.csv', 'x: {field: date, bin: false}\ny: temp_max');
  assert.equal(raw.spec.mark, 'line');
  assert.equal(raw.data.length, 1461);
  assert.equal(raw.data[0]!.x, '2012-01-01T00:00:00.000Z');
  assert.equal(raw.data[0]!.y, 12.8);
});

test('count(field) skips missing values, distinct counts different ones; dates read D/M/Y bucket by month', async () => {
  const ecdc = readCsv('ecdc-covid19-2020-03-30-dmy.csv');
  const byYear = groupBy(ecdc, (row) => row.year!);
  const r = await draw('ecdc-covid19-2020-03-30-dmy.csv', 'x: year\ny: count(popData2018)\nmark: bar');
  assert.deepEqual(r.data.map((d) => [d.x, d.y]), [...byYear].sort().map(([y, rows]) => [Number(y), rows.filter((row) => row.popData2018 !== '').length]));
  assert.equal(sum(r.data.map((d) => d.y as number)), 7710 - 13, 'MANIFEST: 13 empty popData2018');
  const distinct = await draw('ecdc-covid19-2020-03-30-dmy.csv', 'x: {field: dateRep, bin: month}\ny: distinct(countriesAndTerritories)');
  const byMonth = groupBy(ecdc, (row) => row.dateRep!.slice(6, 10) + '-' + row.dateRep!.slice(3, 5));
  assert.deepEqual(distinct.data.map((d) => [String(d.x).slice(0, 7), d.y]),
    [...byMonth].sort().map(([m, rows]) => [m, new Set(rows.map((row) => row.countriesAndTerritories)).size]));
});

test('empty bins of a count are zeros (a histogram shows them, a stacked area drops to them); of a mean, absent', async () => {
  const snow = seattle.filter((row) => row.weather === 'snow');
  const hist = await draw('seattle-weather.csv', 'x: {field: temp_max, bin: {step: 1}}\nfilter: "weather = \'snow\'"');
  const expected = groupBy(snow, (row) => String(Math.floor(Number(row.temp_max))));
  const edges = hist.data.map((d) => d.x as number);
  assert.deepEqual(edges, Array.from({ length: edges.length }, (_, i) => edges[0]! + i), 'every bin from the first to the last');
  for (const d of hist.data) assert.equal(d.y, expected.get(String(d.x))?.length ?? 0, `bin from ${d.x}`);
  assert.ok(hist.data.some((d) => d.y === 0), 'snow leaves some bins empty');

  const area = await draw('seattle-weather.csv', 'mark: area\nx: {field: date, bin: month}\ncolor: weather');
  assert.equal(area.data.length, 48 * 5, 'each weather in every month');
  for (const d of area.data) {
    assert.equal(d.y, seattle.filter((row) => row.weather === d.color && row.date!.startsWith(String(d.x).slice(0, 7))).length, `${d.color} in ${d.x}`);
  }
  const means = await draw('seattle-weather.csv', 'x: {field: date, bin: month}\ny: mean(temp_max)\ncolor: weather');
  assert.equal(means.data.length, new Set(seattle.map((row) => `${row.weather} ${row.date!.slice(0, 7)}`)).size);
});

test('a log scale on boxes: quartiles of the values above zero, the others said; a log count keeps empty bins as gaps, unwarned', async () => {
  const r = await draw('seattle-weather.csv', 'mark: box\nx: weather\ny: {field: precipitation, scale: log}');
  const wet = seattle.filter((row) => Number(row.precipitation) > 0);
  assert.deepEqual(new Set(r.data.map((b) => b.x)), new Set(wet.map((row) => row.weather)), 'a box for every weather with rain');
  for (const box of r.data as unknown as { x: string; n: number }[]) {
    assert.equal(box.n, wet.filter((row) => row.weather === box.x).length, `values of ${box.x}`);
  }
  assert.ok(r.warnings.some((w) => w.startsWith(`${(seattle.length - wet.length).toLocaleString('en-US')} values at or below zero`)), r.warnings.join('; '));
  const snow = await draw('seattle-weather.csv', 'x: {field: temp_max, bin: {step: 1}}\ny: {aggregate: count, scale: log}\nfilter: weather == "snow"');
  assert.ok(snow.data.every((b) => typeof b.y === 'number' && (b.y as number) > 0));
  assert.deepEqual(snow.warnings.filter((w) => /at or below zero/.test(w)), []);
});
