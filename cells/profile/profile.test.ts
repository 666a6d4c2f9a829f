import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { profile } from './index.ts';
import { profileGroup, type ColumnInfo } from './column-stats.ts';
import { cramersV } from './table-stats.ts';
import { countedStats } from './from-counts.ts';
import { tableColumns } from '../shared/column-type.ts';
import type { ColumnProfile, ProfileResult } from './types.ts';
import { comparable, sameFigures } from '../../tests/support/profile-figures.ts';

const workDir = tempDir('assay-profile-');

async function profileOf(file: string, extra: { columns?: string[]; distinct?: string } = {}) {
  const up = await runUpload(file, {}, workDir);
  const ctx = context(workDir);
  const { result } = await profile.run({ config: profile.parseConfig({ input: 'data', ...extra }), inputs: { data: up }, ctx });
  return { result, ctx };
}

function col(result: ProfileResult, name: string): ColumnProfile {
  const c = result.columns.find((x) => x.name === name);
  assert.ok(c, `column ${name}`);
  return c;
}

test('sample rows are the rows their numbers name: first, last and the seeded ones', async () => {
  const file = path.join(workDir, 'numbered.csv');
  fs.writeFileSync(file, 'n,label\n' + Array.from({ length: 30_000 }, (_, i) => `${i + 1},row ${i + 1}`).join('\n') + '\n');
  const { result } = await profileOf(file);
  const { first, last, random } = result.samples!;
  assert.deepEqual(first.map((r) => r.row), [1, 2, 3, 4, 5]);
  assert.deepEqual(last.map((r) => r.row), [29_996, 29_997, 29_998, 29_999, 30_000]);
  assert.equal(random.length, 5);
  for (const r of [...first, ...last, ...random]) assert.deepEqual(r.values, { n: r.row, label: `row ${r.row}` });
});

test('an integer column is binned across its range, not all in the first bin', async () => {
  const file = path.join(workDir, 'ints.csv');
  fs.writeFileSync(file, 'n\n' + Array.from({ length: 100 }, (_, i) => i).join('\n') + '\n');
  const up = await runUpload(file, {}, workDir);
  const { result } = await profile.run({ config: profile.parseConfig({ input: 'data' }), inputs: { data: up }, ctx: context(workDir) });
  assert.equal(col(result, 'n').type, 'integer');
  assert.deepEqual(col(result, 'n').histogram!.map((b) => b.count), Array(20).fill(5));
});

test('seattle-weather: ranges, categories, partials that add up to the result', async () => {
  const { result, ctx } = await profileOf('seattle-weather.csv');
  assert.equal(result.rows, 1461);
  const tmax = col(result, 'temp_max');
  assert.equal(tmax.type, 'float');
  assert.equal(tmax.min, -1.6);
  assert.equal(tmax.max, 35.6);
  assert.equal(tmax.nulls, 0);
  assert.equal(tmax.histogram?.length, 20);
  assert.equal(tmax.histogram!.reduce((n, b) => n + b.count, 0), 1461);
  assert.ok(tmax.quantiles && typeof tmax.quantiles.p50 === 'number' && tmax.quantiles.p5! <= tmax.quantiles.p95!);
  assert.equal(col(result, 'precipitation').max, 55.9);
  const weather = col(result, 'weather');
  assert.equal(weather.distinct, 5);
  assert.deepEqual(weather.top.slice(0, 2), [{ value: 'rain', count: 641 }, { value: 'sun', count: 640 }]);
  assert.equal(weather.minLength, 3);
  assert.equal(weather.maxLength, 7);
  const date = col(result, 'date');
  assert.equal(date.type, 'date');
  assert.equal(date.min, '2012-01-01');
  assert.equal(date.max, '2015-12-31');
  assert.equal(date.histogram?.[0]?.start, '2012-01-01');
  // One row a day for four years: every bin holds a twentieth of the days.
  assert.deepEqual(date.histogram!.map((b) => Math.abs(b.count - 1461 / 20) <= 1), Array(20).fill(true), JSON.stringify(date.histogram!.map((b) => b.count)));
  // Each bin counts the values in [start, end), the last one its end too.
  const temps = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
  for (const [k, b] of tmax.histogram!.entries()) {
    const inBin = temps.filter((t) => t >= Number(b.start) - 1e-9 && (k === 19 ? t <= Number(b.end) : t < Number(b.end) - 1e-9)).length;
    assert.ok(Math.abs(inBin - b.count) <= 1, `bin ${k}: ${b.count} counted, ${inBin} in range`);
  }
  assert.equal(result.duplicateRows, 0);
  assert.equal(result.quality.score, 100);
  // Five numeric-looking columns of which four are numbers: 4 choose 2 pairs.
  assert.equal(result.correlations.length, 6);
  assert.ok(result.correlations.every((c) => c.pearson === null || (c.pearson >= -1 && c.pearson <= 1)));
  const tmin = result.correlations.find((c) => c.a === 'temp_max' && c.b === 'temp_min');
  assert.ok(tmin && tmin.pearson! > 0.8);
  const fromPartials = ctx.partials.flatMap((p) => p.columns as ColumnProfile[]);
  assert.deepEqual(fromPartials, result.columns);
  // The first partial is the outline, before any statistic.
  assert.deepEqual(ctx.partials[0], { rows: 1461, columns: [], done: 0, total: 6, schema: result.columns.map((c) => ({ name: c.name, type: c.type })) });
  assert.equal(ctx.progressed.at(-1), 1);
  assert.doesNotThrow(() => JSON.stringify(result));
});

test('swiss funding: sum and distinct counts', async () => {
  const { result } = await profileOf('swiss-energy-research-funding.csv');
  const f = col(result, 'finanzbeitrag');
  assert.ok(Math.abs((f.sum as number) - 2414818134.07) < 0.01, String(f.sum));
  assert.equal(f.min, 0);
  assert.equal(f.max, 23990812.2);
  assert.equal(col(result, 'forschungsstaette').distinct, 31);
  assert.equal(col(result, 'finanzquelle').distinct, 10);
  assert.deepEqual(col(result, 'projekttyp').top.map((t) => t.value).sort(), ['FE', 'PD']);
  assert.equal(col(result, 'jahr').min, 2015);
  assert.equal(col(result, 'jahr').max, 2020);
});

test('ecdc: nulls, negative counts, Namibia kept, dates by day first', async () => {
  const { result } = await profileOf('ecdc-covid19-2020-03-30-dmy.csv');
  assert.equal(col(result, 'popData2018').nulls, 13);
  assert.equal(col(result, 'countryterritoryCode').nulls, 4);
  const cases = col(result, 'cases');
  assert.equal(cases.type, 'integer');
  assert.equal(cases.min, -9);
  assert.equal(cases.max, 19979);
  assert.equal(cases.sum, 715660);
  assert.equal(col(result, 'deaths').max, 971);
  assert.equal(col(result, 'countriesAndTerritories').distinct, 196);
  const geo = col(result, 'geoId');
  assert.equal(geo.type, 'string');
  assert.equal(geo.nulls, 0);
  assert.equal(geo.distinct, 196);
  const date = col(result, 'dateRep');
  assert.equal(date.type, 'date');
  assert.equal(date.distinct, 91);
  assert.equal(date.min, '2019-12-31');
  assert.equal(date.max, '2020-03-30');
});

test('geoId NA counts as a value (restricted profile)', async () => {
  const { result } = await profileOf('ecdc-covid19-2020-03-30-dmy.csv', { columns: ['geoId'] });
  assert.deepEqual(result.columns.map((c) => c.name), ['geoId']);
  // Every country has 91 days except a few; Namibia's 16 rows are a value, never a null.
  const dir = tempDir();
  const file = path.join(dir, 'na.csv');
  fs.writeFileSync(file, `geoId,n\n${Array.from({ length: 16 }, () => 'NA,1').join('\n')}\nAF,2\n`);
  const up = await runUpload(file, {}, dir);
  const { result: small } = await profile.run({ config: { input: 'u' }, inputs: { u: up }, ctx: context(dir) });
  assert.deepEqual(col(small, 'geoId').top[0], { value: 'NA', count: 16 });
  assert.equal(col(small, 'geoId').nulls, 0);
});

test('mlb: NULL markers are counted as nulls of an integer column', async () => {
  const { result } = await profileOf('mlb-allstar-player-talent-null.csv');
  const pos = col(result, 'startingPos');
  assert.equal(pos.type, 'integer');
  assert.equal(pos.nulls, 2351);
  assert.equal(pos.min, 0);
  assert.equal(pos.max, 10);
  assert.equal(col(result, 'OFF600').min, -36.61488566);
  assert.equal(col(result, 'lgID').distinct, 2);
  assert.equal(col(result, 'bbref_ID').distinct, 1482);
});

test('brussels, pulitzer, unemployment: numbers read through their quirks', async () => {
  const occupancy = col((await profileOf('brussels-hotel-occupancy-latin1-semicolon.csv')).result, 'Occupancy rate');
  assert.equal(occupancy.min, 0.374379722);
  assert.equal(occupancy.max, 0.896461837);
  const daily = col((await profileOf('pulitzer-circulation-thousands.csv')).result, 'Daily Circulation, 2004');
  assert.equal(daily.sum, 23121087);
  assert.equal(daily.min, 215735);
  assert.equal(daily.max, 2192098);
  const unemployment = (await profileOf('us-unemployment-by-county.tsv')).result;
  assert.equal(col(unemployment, 'rate').min, 0.012);
  assert.equal(col(unemployment, 'rate').max, 0.301);
  assert.equal(col(unemployment, 'id').distinct, 3218);
  assert.ok(col(unemployment, 'id').alerts.some((a) => a.code === 'unique'));
});

test('cabinet: empty columns and missing cells lower the quality score, with reasons', async () => {
  const { result } = await profileOf('cabinet-turnover-bom.csv');
  assert.equal(col(result, 'president').distinct, 8);
  assert.ok(col(result, 'column_9').alerts.some((a) => a.code === 'empty'));
  assert.ok(result.quality.score < 100 && result.quality.score > 0);
  assert.ok(result.quality.reasons.some((r) => r.includes('missing')));
});

test('nutrition: 1093 columns, streamed in groups', async () => {
  const { result, ctx } = await profileOf('nutrition-survey-wide-1093cols.csv');
  assert.equal(result.columns.length, 1093);
  assert.equal(result.rows, 54);
  assert.deepEqual(col(result, 'cancer').top, [{ value: 'Yes', count: 28 }, { value: 'No', count: 26 }]);
  assert.ok(ctx.partials.length >= 50);
  assert.deepEqual(ctx.partials.flatMap((p) => (p.columns as ColumnProfile[]).map((c) => c.name)), result.columns.map((c) => c.name));
  assert.ok(result.correlations.length <= (30 * 29) / 2);
});

test('duplicate rows and a perfect correlation', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'dups.csv');
  fs.writeFileSync(file, 'x,y,k\n1,2,a\n2,4,b\n3,6,c\n1,2,a\n1,2,a\n4,8,\n');
  const up = await runUpload(file, {}, dir);
  const { result } = await profile.run({ config: { input: 'u' }, inputs: { u: up }, ctx: context(dir) });
  assert.equal(result.duplicateRows, 2);
  assert.deepEqual(result.correlations, [{ a: 'x', b: 'y', pearson: 1, spearman: 1 }]);
  assert.ok(result.alerts.some((a) => a.code === 'high_correlation' && a.column === 'x' && a.value === 1));
  assert.ok(result.quality.reasons.some((r) => r.includes('2 duplicate row')));
  assert.equal(result.quality.score, Math.round(100 * (1 - 1 / 18) * (1 - 2 / 6)));
  assert.ok(col(result, 'k').alerts.length === 0);
  // A column of different values, one of them missing, rules out copies; two missing do not.
  for (const [csv, copies] of [['id,x\n1,a\n,a\n3,a\n', 0], ['id,x\n,a\n,a\n3,a\n', 1]] as const) {
    fs.writeFileSync(file, csv);
    const again = await runUpload(file, {}, dir);
    assert.equal((await profile.run({ config: { input: 'u' }, inputs: { u: again }, ctx: context(dir) })).result.duplicateRows, copies, csv);
  }
});

test('config and inputs: errors name what is wrong', async () => {
  assert.deepEqual(profile.parseConfig({ input: 'sales' }), { input: 'sales' });
  assert.deepEqual(profile.inputs({ input: 'sales' }), ['sales']);
  assert.throws(() => profile.parseConfig({}), (e: unknown) => e instanceof CellError && e.details.key === 'input');
  assert.throws(() => profile.parseConfig({ input: 'a', colums: ['x'] }), (e: unknown) => e instanceof CellError && e.details.key === 'colums');
  assert.throws(() => profile.parseConfig({ input: 'a', columns: 'x' }), (e: unknown) => e instanceof CellError && e.details.key === 'columns');
  assert.match(profile.starterConfig('sales'), /^input: sales/);
  await assert.rejects(profile.run({ config: { input: 'gone' }, inputs: {}, ctx: context(workDir) }),
    (e: unknown) => e instanceof CellError && e.code === 'no_table' && e.message.includes('gone'));
  await assert.rejects(profileOf('seattle-weather.csv', { columns: ['weather', 'nope'] }),
    (e: unknown) => e instanceof CellError && e.code === 'unknown_column' && e.message.includes('"nope"'));
});

// Independent arithmetic for the checks below: the CSV read by hand, statistics by formula.
function seattleColumn(name: string): string[] {
  const [head, ...lines] = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  const i = head!.split(',').indexOf(name);
  return lines.map((l) => l.split(',')[i]!);
}
function linearQuantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo);
}
const close = (a: number | null | undefined, b: number, what: string) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('seattle-weather: numeric detail, dates by period, text shapes, against hand-computed figures', async () => {
  const { result } = await profileOf('seattle-weather.csv');
  const values = seattleColumn('precipitation').map(Number);
  const sorted = [...values].sort((a, b) => a - b);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const m2 = values.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  const m3 = values.reduce((a, v) => a + (v - mean) ** 3, 0) / n;
  const m4 = values.reduce((a, v) => a + (v - mean) ** 4, 0) / n;
  const g1 = m3 / m2 ** 1.5;
  const skew = (Math.sqrt(n * (n - 1)) / (n - 2)) * g1;
  const g2 = m4 / m2 ** 2 - 3;
  const kurt = ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * g2 + 6);
  const [q25, q75] = [linearQuantile(sorted, 0.25), linearQuantile(sorted, 0.75)];
  const [low, high] = [q25 - 1.5 * (q75 - q25), q75 + 1.5 * (q75 - q25)];
  const p = col(result, 'precipitation');
  assert.equal(p.numeric?.zeros, values.filter((v) => v === 0).length);
  assert.equal(p.numeric?.negatives, 0);
  close(p.quantiles?.p99 as number, linearQuantile(sorted, 0.99), 'p99');
  close(p.quantiles?.p1 as number, linearQuantile(sorted, 0.01), 'p1');
  close(p.numeric?.iqr, q75 - q25, 'iqr');
  close(p.numeric?.skewness, skew, 'skewness');
  close(p.numeric?.kurtosis, kurt, 'kurtosis');
  assert.equal(p.numeric?.outliers.count, values.filter((v) => v < low || v > high).length);
  assert.ok(p.numeric!.outliers.examples.length > 0 && p.numeric!.outliers.examples.every((v) => v < low || v > high));
  assert.ok(p.alerts.some((a) => a.code === 'zeros' && a.value === p.numeric!.zeros), 'more than half the days are dry');
  assert.ok(result.alerts.some((a) => a.column === 'precipitation' && a.code === 'outliers'));
  const tmin = col(result, 'temp_min');
  assert.equal(tmin.numeric?.negatives, seattleColumn('temp_min').map(Number).filter((v) => v < 0).length);
  assert.equal(tmin.memoryBytes, 8 * 1461);
  // Bins by exact arithmetic in tenths of a degree: bin k holds span·k ≤ (t − min)·20 < span·(k + 1),
  // so a value on a bin's start (5.6 °C, half-way through −7.1…18.3) is in that bin.
  const tenths = seattleColumn('temp_min').map((t) => Math.round(Number(t) * 10));
  const [lo, hi] = [Math.min(...tenths), Math.max(...tenths)];
  const byHand = Array(20).fill(0);
  for (const t of tenths) byHand[Math.min(19, Math.floor(((t - lo) * 20) / (hi - lo)))]++;
  assert.deepEqual(tmin.histogram!.map((b) => b.count), byHand);

  const date = col(result, 'date');
  assert.equal(date.temporal?.rangeDays, 1460);
  assert.equal(date.temporal?.largestGapDays, 1);
  assert.equal(date.temporal?.future, 0);
  assert.equal(date.temporal?.period, 'year');
  assert.deepEqual(date.temporal?.byPeriod, [
    { start: '2012-01-01', count: 366 }, { start: '2013-01-01', count: 365 }, { start: '2014-01-01', count: 365 }, { start: '2015-01-01', count: 365 },
  ]);
  assert.deepEqual([date.quantiles?.p1, date.quantiles?.p99].map((d) => typeof d), ['string', 'string']);

  const weather = col(result, 'weather');
  assert.deepEqual(weather.text?.patterns, [{ pattern: 'a+', count: 1461 }]);
  assert.equal(weather.text?.classes.letters, 1);
  assert.equal(weather.text?.classes.digits, 0);
  assert.equal(weather.text?.sampled, 1461);
  assert.equal(weather.semantic, null);
  assert.equal(weather.pii, false);
  // Five classes, rain and sun two thirds of the days: imbalance is 1 − H/ln 5.
  const counts = [641, 640, 101, 53, 26];
  const h = -counts.reduce((a, c) => a + (c / 1461) * Math.log(c / 1461), 0);
  const imbalance = weather.alerts.find((a) => a.code === 'imbalance');
  if (1 - h / Math.log(5) > 0.5) close(imbalance?.value, 1 - h / Math.log(5), 'imbalance');
  else assert.equal(imbalance, undefined);
});

test('semantic types and personal data, booleans, mixed types, Cramér\'s V', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'people.csv');
  const rows = ['customer_name,email,site,token,ip,country,phone,zip,vip,tier,band,code'];
  const countries = ['DE', 'FR', 'NA', 'US'];
  for (let i = 0; i < 200; i++) {
    const hex = (i + 4096).toString(16).padStart(8, '0');
    rows.push([
      `Ann Smith${i}`, `ann${i}@example.org`, `https://example.org/p/${i}`, `${hex}-1234-4abc-8def-0123456789ab`,
      `10.0.${i % 256}.${(i * 7) % 256}`, countries[i % 4], `+41 44 ${String(100 + i).padStart(3, '0')} 12 34`,
      String(i * 37).padStart(5, '0'), i % 5 === 0 ? 'true' : 'false', i % 2 ? 'gold' : 'silver', i % 2 ? 'high' : 'low',
      i < 190 ? String(i) : `n/a ${i}`,
    ].join(','));
  }
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const up = await runUpload(file, {}, dir);
  const { result } = await profile.run({ config: { input: 'u' }, inputs: { u: up }, ctx: context(dir) });
  const kinds = Object.fromEntries(result.columns.map((c) => [c.name, [c.semantic, c.pii]]));
  assert.deepEqual(kinds, {
    customer_name: [null, true], email: ['email', true], site: ['url', false], token: ['uuid', false], ip: ['ip', true],
    country: ['country', false], phone: ['phone', true], zip: ['postal_code', false], vip: [null, false], tier: [null, false],
    band: [null, false], code: [null, false],
  });
  assert.match(col(result, 'customer_name').piiReason ?? '', /name/);
  const vip = col(result, 'vip');
  assert.deepEqual([vip.type, vip.trueCount, vip.falseCount], ['boolean', 40, 160]);
  const code = col(result, 'code');
  assert.equal(code.type, 'string');
  close(code.text?.numericShare, 190 / 200, 'numeric share');
  assert.ok(code.alerts.some((a) => a.code === 'mixed_types'));
  // tier and band say the same thing; vip is independent of both (every fifth row, either tier).
  const v = (a: string, b: string) => result.associations.find((x) => x.a === a && x.b === b)?.cramersV;
  close(v('tier', 'band'), 1, 'tier~band');
  assert.ok((v('vip', 'tier') ?? 1) < 0.05, String(v('vip', 'tier')));
});

test('Cramér\'s V against a worked 2×2 table', () => {
  // Rows 30/70, columns 40/60, n = 100: χ² = 4/12 + 4/18 + 4/28 + 4/42.
  const { cramersV: v, rows } = cramersV([['a', 'x', 10], ['a', 'y', 20], ['b', 'x', 30], ['b', 'y', 40]]);
  assert.equal(rows, 100);
  close(v, Math.sqrt((4 / 12 + 4 / 18 + 4 / 28 + 4 / 42) / 100), 'V');
});

test('distinct: approx counts text by hash and agrees with the exact count; bad modes are refused', async () => {
  const exact = (await profileOf('mlb-allstar-player-talent-null.csv', { distinct: 'exact' })).result;
  const approx = (await profileOf('mlb-allstar-player-talent-null.csv', { distinct: 'approx' })).result;
  assert.equal(exact.distinctCounts, 'exact');
  assert.equal(approx.distinctCounts, 'approx');
  assert.ok(exact.columns.every((c) => !c.distinctByHash));
  for (const c of approx.columns) {
    const e = col(exact, c.name);
    assert.equal(c.distinct, e.distinct, `${c.name}: distinct`);
    assert.deepEqual(c.top, e.top, `${c.name}: top values`);
  }
  // Player ids are many: hashed. The league has two values: counted by value when alone.
  assert.ok(col(approx, 'bbref_ID').distinctByHash);
  const league = (await profileOf('mlb-allstar-player-talent-null.csv', { distinct: 'approx', columns: ['lgID'] })).result;
  assert.equal(col(league, 'lgID').distinctByHash, undefined);
  assert.equal(col(league, 'lgID').distinct, 2);
  assert.throws(() => profile.parseConfig({ input: 'data', distinct: 'fast' }),
    (e: unknown) => e instanceof CellError && e.code === 'config_invalid' && e.message.includes('auto, exact, approx'));
});

test('the tall plan (order statistics by lookup into sorted columns) gives the figures computed by hand', async () => {
  const up = await runUpload(path.join(DATA, 'seattle-weather.csv'), {}, workDir);
  const table = pl.scanParquet(up.table!);
  const group: ColumnInfo[] = [{ name: 'precipitation', type: 'float' }, { name: 'date', type: 'date' }, { name: 'weather', type: 'string' }];
  const [tall, short] = await Promise.all([true, false].map((t) => profileGroup(table, group, 1461, { tall: t, hashed: false })));
  const sorted = seattleColumn('precipitation').map(Number).sort((a, b) => a - b);
  for (const [k, q] of Object.entries({ p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 })) {
    close((tall[0]!.quantiles as unknown as Record<string, number>)[k], linearQuantile(sorted, q), k);
  }
  // Dates take the nearest value: the same in both plans.
  assert.deepEqual(tall[1]!.quantiles, short[1]!.quantiles);
  assert.deepEqual(tall.map((c) => c.histogram), short.map((c) => c.histogram));
  assert.deepEqual(tall[0]!.numeric, short[0]!.numeric);
});

test('columns of mostly different values: only repeats are counted, then values seen once, as a full count would list them', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ids.csv');
  // id and code are all different over the first 100,000 rows; code repeats three values at the end; group has three values.
  const lines = ['id,code,group'];
  for (let i = 0; i < 100_010; i++) lines.push(`${i},c${i < 100_000 ? i : i - 100_000},${i % 3}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const up = await runUpload(file, {}, dir);
  const table = pl.scanParquet(up.table!);
  const group = (name: string, type: ColumnInfo['type']): ColumnInfo[] => [{ name, type }];
  for (const [name, type] of [['id', 'integer'], ['code', 'string'], ['group', 'integer']] as const) {
    const [fast] = await profileGroup(table, group(name, type), 100_010, { tall: true, hashed: true });
    const [plain] = await profileGroup(table, group(name, type), 100_010, { tall: false, hashed: false });
    assert.equal(fast!.distinct, plain!.distinct, `${name}: distinct`);
    assert.deepEqual(fast!.top.map((t) => t.count), plain!.top.map((t) => t.count), `${name}: top counts`);
  }
  const [code] = await profileGroup(table, group('code', 'string'), 100_010, { tall: true, hashed: true });
  assert.equal(code!.distinct, 100_000);
  assert.deepEqual(code!.top.slice(0, 3).map((t) => t.count), [2, 2, 2]);
  assert.deepEqual(code!.top.slice(0, 3).map((t) => t.value).sort(), ['c0', 'c1', 'c2']);
  const [id] = await profileGroup(table, group('id', 'integer'), 100_010, { tall: true, hashed: true });
  assert.deepEqual(id!.top.slice(0, 3), [{ value: 0, count: 1 }, { value: 1, count: 1 }, { value: 2, count: 1 }]);
});



test('by value counts, in one query or a group-by per column, a column has the figures of the sorted plan', async () => {
  const files = ['seattle-weather.csv', 'ecdc-covid19-2020-03-30-dmy.csv', 'swiss-energy-research-funding.csv', 'police-killings-2015-missing-markers.csv',
    'mlb-allstar-player-talent-null.csv', 'us-generic-ballot-topline-mdy.csv', 'cabinet-turnover-bom.csv'];
  for (const file of files) {
    const up = await runUpload(path.join(DATA, file), {}, workDir);
    const table = pl.scanParquet(up.table!);
    const schema = await tableColumns(up.table!);
    const rows = Number((await table.select(pl.len().alias('n')).collect()).getColumn('n').get(0));
    for (const [name, type] of Object.entries(schema)) {
      const group: ColumnInfo[] = [{ name, type }];
      const [sorted, oneQuery, groupBy] = await Promise.all([
        profileGroup(table, group, rows, { tall: false, hashed: false }),
        profileGroup(table, group, rows, { tall: false, hashed: false, byCounts: true }),
        profileGroup(table, group, rows, { tall: true, hashed: false, byCounts: true }),
      ]);
      sameFigures(comparable(oneQuery[0]!), comparable(sorted[0]!), `${file} ${name} (one query)`);
      sameFigures(comparable(groupBy[0]!), comparable(sorted[0]!), `${file} ${name} (group-by)`);
      const n = groupBy[0]!.numeric;
      if (n) assert.ok(n.outliers.examples.every((v) => v < n.outliers.low! || v > n.outliers.high!), `${file} ${name}: examples are outliers`);
    }
  }
});

test('figures from value counts alone match the sorted plan (seattle precipitation, counted here from the CSV)', async () => {
  const counts = new Map<number, number>();
  for (const v of seattleColumn('precipitation').map(Number)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const pairs = [...counts].map(([value, count]) => ({ value, count }));
  const stats = countedStats('number', 'precipitation', pairs, 1461, {
    bins: 20, quantiles: { p1: 0.01, p25: 0.25, p50: 0.5, p75: 0.75, p99: 0.99 }, topKept: 50, now: Date.now(), unitMs: 1,
  });
  const up = await runUpload(path.join(DATA, 'seattle-weather.csv'), {}, workDir);
  const [sorted] = await profileGroup(pl.scanParquet(up.table!), [{ name: 'precipitation', type: 'float' }], 1461, { tall: false, hashed: false });
  const q = sorted!.quantiles as unknown as Record<string, number>;
  sameFigures(
    [stats.count, stats.distinct, stats.mean, stats.std, stats.sum, stats.p1, stats.p25, stats.p50, stats.p75, stats.p99, stats.zeros, stats.skew, stats.kurtosis, stats.outliers],
    [sorted!.count, sorted!.distinct, sorted!.mean, sorted!.std, sorted!.sum, q.p1, q.p25, q.p50, q.p75, q.p99, sorted!.numeric!.zeros, sorted!.numeric!.skewness, sorted!.numeric!.kurtosis, sorted!.numeric!.outliers.count],
    'precipitation',
  );
  const bins = new Map((stats.bins as Record<string, number>[]).map((b) => [b.precipitation, b.count]));
  assert.deepEqual(sorted!.histogram!.map((_, k) => bins.get(k) ?? 0), sorted!.histogram!.map((b) => b.count));
  assert.equal((stats.top as Record<string, number>[])[0]!.precipitation, 0);
});

test('a column whose first rows repeat one value but which holds 210,000 more is profiled by sorting after all, with the same figures', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'late.csv');
  const lines = ['n,day'];
  for (let i = 0; i < 310_000; i++) lines.push(i < 100_000 ? '7,2020-01-01' : `${i},2020-01-0${1 + (i % 9)}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const up = await runUpload(file, {}, dir);
  const table = pl.scanParquet(up.table!);
  const group: ColumnInfo[] = [{ name: 'n', type: 'integer' }, { name: 'day', type: 'date' }];
  for (const tall of [true, false]) {
    const [n, day] = await profileGroup(table, group, 310_000, { tall, hashed: false, byCounts: true });
    assert.equal(n!.distinct, 210_001, `tall ${tall}: every late value counted`);
    assert.deepEqual(n!.top[0], { value: 7, count: 100_000 });
    assert.equal(n!.max, 309_999);
    // 100,000 sevens, then 100,000 … 309,999: the median lies between the 155,000th and the next.
    assert.equal(n!.quantiles!.p50, 154_999.5);
    // The date column has nine values: it still goes by counts, beside its sorted neighbour.
    assert.equal(day!.distinct, 9);
    assert.equal(day!.temporal!.byPeriod.reduce((a, p) => a + p.count, 0), 310_000);
  }
});

test('ecdc (issue 23, items 5, 6, 22): the negative case count is the first alert, month and year are quiet, the score has parts, rules follow the bulk', async () => {
  const { result } = await profileOf('ecdc-covid19-2020-03-30-dmy.csv');
  // MANIFEST: cases min −9, the one negative value among 7,710.
  assert.deepEqual(result.alerts[0], { column: 'cases', code: 'negatives', severity: 'act', value: 1, message: '1 negative value in a column that is otherwise ≥ 0 (min -9)' });
  for (const name of ['day', 'month', 'year']) {
    const noisy = col(result, name).alerts.filter((a) => ['outliers', 'skewed', 'imbalance'].includes(a.code));
    assert.deepEqual(noisy, [], `${name}: ${JSON.stringify(noisy)}`);
  }
  const order = ['act', 'check', 'note'];
  assert.deepEqual(result.alerts.map((a) => order.indexOf(a.severity!)), result.alerts.map((a) => order.indexOf(a.severity!)).toSorted(), 'most pressing first');
  // 13 empty popData2018 and 4 empty countryterritoryCode of 77,100 cells: not perfect, and not "0.0%".
  const q = result.quality;
  assert.equal(q.parts!.completeness.bad, 17);
  assert.equal(q.parts!.completeness.of, 77_100);
  assert.equal(q.parts!.validity.bad, 1);
  assert.match(q.parts!.validity.detail, /cases: 1 negative/);
  assert.equal(q.parts!.uniqueness.bad, 0);
  assert.equal(q.score, 99, 'a score of 100 means nothing was found');
  assert.ok(q.reasons.includes('<0.1% of cells are missing (17 of 77,100)'), q.reasons.join(' | '));
  // Which columns are missing together: the four rows without a code have no population either.
  assert.deepEqual(result.missing!.columns, ['popData2018', 'countryterritoryCode']);
  assert.equal(result.missing!.rowsWithMissing, 13);
  assert.deepEqual(result.missing!.together, [{ a: 'popData2018', b: 'countryterritoryCode', rows: 4 }]);
  assert.deepEqual(result.missing!.patterns, [{ missing: ['popData2018'], count: 9 }, { missing: ['popData2018', 'countryterritoryCode'], count: 4 }]);
  // Sample rows: the file's first and last lines, and five seeded rows that are the same on a rerun.
  assert.deepEqual(result.samples!.first[0], { row: 1, values: { dateRep: '2020-03-30', day: 30, month: 3, year: 2020, cases: 8, deaths: 1, countriesAndTerritories: 'Afghanistan', geoId: 'AF', countryterritoryCode: 'AFG', popData2018: 37172386 } });
  assert.equal(result.samples!.last.at(-1)!.row, 7710);
  assert.equal(result.samples!.random.length, 5);
  const again = await profileOf('ecdc-covid19-2020-03-30-dmy.csv');
  assert.deepEqual(again.result.samples!.random, result.samples!.random);
  // "Suggest rules": cases ≥ 0, as the bulk says (not −9 widened to −2,008), naming the row it catches.
  const yaml = profile.suggest!(result, { cell: 'stats', config: { input: 'data' } })[0]!.config;
  assert.match(yaml, /\{check: range, column: cases, min: 0, warn_if: "> 0", fail_if: "> 1%"\}|column: cases\n\s+min: 0\n/);
  assert.doesNotMatch(yaml, /column: cases[^\n]*min: -/);
  assert.match(yaml, /# {3}cases >= 0 would catch 1 row now \(the value -9\)/);
});
