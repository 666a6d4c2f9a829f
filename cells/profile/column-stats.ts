// Statistics for one group of columns in one polars query.
//
// nodejs-polars spends about a millisecond of JavaScript per expression node, so the
// statistic expressions are built ONCE, over dtype selectors (`pl.col(pl.Float64)`),
// and reused for every group: each group's frame first brings its columns to a small
// set of dtypes (numbers → Float64, dates → Int64 days, datetimes → Int64 ms). A
// 1093-column file then costs a few hundred expression nodes, not a hundred thousand.
import pl from 'nodejs-polars';
import { jsonSafe } from '../shared/json-safe.ts';
import { byPeriod, countedStats, type ValueCount } from './from-counts.ts';
import { piiOf, SEMANTIC_KINDS, semanticOf } from './semantic.ts';
import { codeLike, SILENCED } from './alert-rank.ts';
import type {
  ColumnAlert, ColumnProfile, HistogramBin, NumericDetail, ProfileType, ProfileValue, Quantiles, SemanticType, TemporalDetail, TextDetail, TopValue,
} from './types.ts';

export const SEP = '\u241f';
export const BINS = 20;
const TOP = 10;
// Value counts kept to judge imbalance (entropy needs every class of a low-cardinality column).
export const TOP_KEPT = 50;
export const QUANTILES = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export const DAY_MS = 86_400_000;
/** Text values looked at for patterns, character classes and semantic types. */
export const TEXT_SAMPLE = 100_000;

const isNumeric = (t: ProfileType) => t === 'integer' || t === 'float';
const isTemporal = (t: ProfileType) => t === 'date' || t === 'datetime';

// Each group's columns are brought to one dtype per kind (see normalise), so a dtype
// selector picks a kind: numbers are Float64, dates Int32 days, datetimes Int64 ms.
const num = () => pl.col(pl.Float64);
const days = () => pl.col(pl.Int32);
const millis = () => pl.col(pl.Int64);
const text = () => pl.col(pl.Utf8);
// Each text column's lengths ride beside it as a column of their own (see normalise): three
// statistics of one str.lengths() expression computed it three times, 0.3 s a column.
const LENGTHS = `${SEP}len`;
const lengths = () => pl.col(pl.UInt32);

// Each numeric and temporal column arrives sorted, nulls first (see normalise), so an
// order statistic is a lookup: the value at its rank, not a sort per quantile. On 6.6 M
// rows seven polars quantiles cost 0.3 s a column; seven lookups cost nothing.
// Sub-expressions are built once and shared: each node costs a millisecond of JavaScript.
function ranks(c: pl.Expr) {
  const count = c.count();
  const some = count.gt(0);
  const last = count.sub(1).cast(pl.Float64);
  // An all-null column reads its first row (the result is masked by `some`).
  const at = (rank: pl.Expr) => c.gather(pl.when(some).then(c.nullCount().add(rank)).otherwise(pl.lit(0)).cast(pl.UInt32));
  return {
    /** The q-quantile, interpolated linearly between neighbours as numpy and pandas do. */
    linear(q: number): pl.Expr {
      const position = last.mul(q);
      const below = position.floor();
      const low = at(below);
      return pl.when(some).then(low.add(at(position.ceil()).sub(low).mul(position.sub(below)))).otherwise(pl.lit(null));
    },
    /** The q-quantile as one of the values (dates stay whole days). */
    nearest(q: number): pl.Expr {
      return pl.when(some).then(at(last.mul(q).round(0))).otherwise(pl.lit(null));
    },
  };
}

/**
 * Equal-width bins between the column's own min and max, counted in one pass; a constant
 * column is one bin. Bin k holds v when span·k ≤ (v − min)·bins < span·(k + 1): decided by
 * products, which round alike everywhere, not by a quotient, which polars computes as a
 * product by the reciprocal (5.6 in −7.1…18.3 fell in the bin below its own start).
 */
function ranged(c: () => pl.Expr): pl.Expr {
  // In floats, whatever the column's type: a difference of dates is a duration, and a duration
  // divided by a duration put every date but the last in the first bin.
  const v = () => c().dropNulls().cast(pl.Float64);
  const span = v().max().sub(v().min());
  const scaled = v().sub(v().min()).mul(BINS);
  const guess = scaled.div(span).floor().clip(0, BINS - 1);
  const bin = pl.when(guess.lt(BINS - 1).and(scaled.gtEq(span.mul(guess.add(1))))).then(guess.add(1))
    .when(scaled.lt(span.mul(guess))).then(guess.sub(1))
    .otherwise(guess);
  return pl.when(span.gt(0)).then(bin).otherwise(pl.lit(0)).cast(pl.Int32).valueCounts().implode().suffix(`${SEP}bins`);
}

// Counts per day of a temporal column, for its counts per period (see temporalDetail): at
// most this many days (547 years of them) come back; a longer span is counted by a query.
const DAY_LIMIT = 200_000;

function temporalExprs(t: () => pl.Expr, tall: boolean, day: pl.Expr): pl.Expr[] {
  const sorted = ranks(t());
  return [
    day.valueCounts().head(DAY_LIMIT + 1).implode().suffix(`${SEP}days`),
    t().min().suffix(`${SEP}min`),
    t().max().suffix(`${SEP}max`),
    ...Object.entries(QUANTILES).map(([k, q]) => (tall ? sorted.nearest(q) : t().quantile(q, 'nearest')).suffix(`${SEP}${k}`)),
    ranged(t),
    // Sorted (see normalise): the largest step between neighbours is the largest gap.
    t().dropNulls().diff(1, 'ignore').max().suffix(`${SEP}gap`),
  ];
}

/** How a group is computed; each choice has its own shared expressions. */
export interface StatPlan {
  /** Order statistics by lookup into the sorted column: cheaper per row, dearer to plan. */
  tall: boolean;
  /** Text counted by 64-bit hashes: distinct values by hash, top values confirmed by value later. */
  hashed: boolean;
  /**
   * Most values of the group's columns differ (ids, emails, timestamps: judged on the
   * first rows). Value counts of millions of different values cost a second a column,
   * mostly sorting counts of 1, so only the values that repeat are counted: in a sorted
   * column (and in sorted hashes) a repeat sits next to its copy. Fewer than TOP_KEPT
   * repeating values are topped up with values seen once (see topUp).
   */
  sparse?: boolean;
  /**
   * Columns of few distinct values (judged on the first rows, see COUNTED_SHARE) are
   * profiled from their value counts (from-counts.ts): one hash count instead of a sort
   * and the passes above.
   */
  byCounts?: boolean;
}

/** A kind's distinct count and its most frequent values (text by hash, see StatPlan). */
function counted(c: () => pl.Expr, plan: StatPlan, sorted: boolean, byValue: () => pl.Expr = c): pl.Expr[] {
  const v = c().dropNulls();
  const distinct = v.nUnique().suffix(`${SEP}distinct`);
  if (!plan.sparse || !sorted) return [distinct, v.valueCounts(true).head(TOP_KEPT).implode().suffix(`${SEP}top`)];
  return [
    distinct,
    v.filter(v.eq(v.shift(1)).or(v.eq(v.shift(-1)))).valueCounts(true).head(TOP_KEPT).implode().suffix(`${SEP}top`),
    byValue().dropNulls().head(TOP_KEPT).implode().suffix(`${SEP}first`),
  ];
}

/** A sample with more distinct values than this share of its values is counted by hash. */
const MANY_VALUES = 0.05;
/** … and sparsely (see StatPlan.sparse) when more than this share. */
const SPARSE = 0.5;

// Hashes sorted first: polars then counts runs instead of growing a hash table, 2–3 times faster.
export const HASH_SEED = 42;
const hashedText = () => text().dropNulls().hash(HASH_SEED, 0, 0, 0).sort();

/** Memoised by key: the expressions are shared by every group (see the note at the top). */
function memo(cache: Map<string, pl.Expr[]>, key: string, build: () => pl.Expr[]): pl.Expr[] {
  let exprs = cache.get(key);
  if (!exprs) cache.set(key, (exprs = build()));
  return exprs;
}
const builtStats = new Map<string, pl.Expr[]>();
const builtCounts = new Map<string, pl.Expr[]>();

/** Everything but the value counts, which vary with more of the plan. */
function valueStats(tall: boolean): pl.Expr[] {
  const sorted = ranks(num());
  const quantiles = new Map(Object.values(QUANTILES).map((k) => [k, tall ? sorted.linear(k) : num().quantile(k, 'linear')]));
  const [q25, q75] = [quantiles.get(0.25)!, quantiles.get(0.75)!];
  const iqr = q75.sub(q25);
  const outside = num().lt(q25.sub(iqr.mul(1.5))).or(num().gt(q75.add(iqr.mul(1.5))));
  return [
    pl.all().count().suffix(`${SEP}count`),
    pl.all().nullCount().suffix(`${SEP}nulls`),
    num().min().suffix(`${SEP}min`),
    num().max().suffix(`${SEP}max`),
    num().mean().suffix(`${SEP}mean`),
    num().std().suffix(`${SEP}std`),
    num().sum().suffix(`${SEP}sum`),
    ...Object.entries(QUANTILES).map(([k, v]) => quantiles.get(v)!.suffix(`${SEP}${k}`)),
    ranged(num),
    num().eq(0).sum().suffix(`${SEP}zeros`),
    num().lt(0).sum().suffix(`${SEP}negatives`),
    num().skew(false).suffix(`${SEP}skew`),
    num().kurtosis(true, false).suffix(`${SEP}kurtosis`),
    outside.sum().suffix(`${SEP}outliers`),
    num().filter(outside).unique().head(5).implode().suffix(`${SEP}outlierExamples`),
    ...temporalExprs(days, tall, days().dropNulls()),
    ...temporalExprs(millis, tall, millis().dropNulls().cast(pl.Float64).div(DAY_MS).floor().cast(pl.Int32)),
    pl.col(pl.Bool).sum().suffix(`${SEP}true`),
    lengths().min().suffix(`${SEP}minLength`),
    lengths().mean().suffix(`${SEP}meanLength`),
    lengths().max().suffix(`${SEP}maxLength`),
  ];
}

/** The statistic expressions of a plan. */
function statExprs(plan: StatPlan): pl.Expr[] {
  return [
    ...memo(builtStats, String(plan.tall), () => valueStats(plan.tall)),
    ...memo(builtCounts, `${plan.hashed}/${plan.sparse}`, () => [
      ...[num, days, millis].flatMap((c) => counted(c, plan, true)),
      ...counted(() => pl.col(pl.Bool), plan, false),
      ...counted(plan.hashed ? hashedText : text, plan, plan.hashed, text),
    ]),
  ];
}

/** Values after now: rebuilt per query, since now moves. */
function futureExprs(): pl.Expr[] {
  const now = Date.now();
  return [
    days().gt(pl.lit(Math.floor(now / DAY_MS))).sum().suffix(`${SEP}future`),
    millis().gt(pl.lit(now)).sum().suffix(`${SEP}future`),
  ];
}

let builtText: pl.Expr[] | null = null;
/** Over the first TEXT_SAMPLE values of each text column: shapes, classes, semantic shares. */
export function textSampleExprs(): pl.Expr[] {
  if (builtText) return builtText;
  const v = () => text().dropNulls();
  const share = (re: string) => v().str.contains(re).mean();
  const pattern = () => v().str.replaceAll('[0-9]', '9').str.replaceAll('\\p{Lu}', 'A').str.replaceAll('\\p{Ll}+', 'a+');
  builtText = [
    v().count().suffix(`${SEP}sampled`),
    v().eq(pl.lit('')).sum().suffix(`${SEP}empty`),
    v().str.contains('^\\s|\\s$').sum().suffix(`${SEP}padded`),
    pattern().valueCounts(true).head(5).implode().suffix(`${SEP}patterns`),
    pattern().nUnique().suffix(`${SEP}patternCount`),
    share('\\p{L}').suffix(`${SEP}letters`),
    share('[0-9]').suffix(`${SEP}digits`),
    share('\\s').suffix(`${SEP}spaces`),
    share('[\\p{P}\\p{S}]').suffix(`${SEP}punctuation`),
    share('[^\\x00-\\x7F]').suffix(`${SEP}nonAscii`),
    share('^\\s*[+-]?[0-9][0-9.,]*\\s*$').suffix(`${SEP}numeric`),
    ...SEMANTIC_KINDS.map((k) => (k.re ? share(k.re) : v().isIn(k.values!).mean()).suffix(`${SEP}${k.kind}`)),
  ];
  return builtText;
}

export interface ColumnInfo {
  name: string;
  type: ProfileType;
}

/**
 * Brings a group's columns to the dtypes the shared expressions select; for the value
 * counts (`forCounts`), neither sorted nor with their lengths beside them.
 */
export function normalise(group: ColumnInfo[], forCounts = false): pl.Expr[] {
  const by = (pred: (t: ProfileType) => boolean) => group.filter((c) => pred(c.type)).map((c) => c.name);
  const out: pl.Expr[] = [];
  const numbers = by(isNumeric);
  const dates = by((t) => t === 'date');
  const datetimes = by((t) => t === 'datetime');
  const texts = by((t) => t === 'string');
  const bools = by((t) => t === 'boolean');
  const other = by((t) => t === 'other');
  // Every statistic here is of one column alone, so each column may be sorted on its own:
  // sorted once, its seven quantiles, min, max and IQR bounds are lookups, not sorts.
  const sorted = (e: pl.Expr) => (forCounts ? e : e.sort());
  if (numbers.length) out.push(sorted(pl.col(numbers).cast(pl.Float64)));
  if (dates.length) out.push(sorted(pl.col(dates).cast(pl.Int32)));
  if (datetimes.length) out.push(sorted(pl.col(datetimes).cast(pl.Datetime('ms')).cast(pl.Int64)));
  if (texts.length) out.push(pl.col(texts).cast(pl.Utf8));
  if (texts.length && !forCounts) out.push(pl.col(texts).cast(pl.Utf8).str.lengths().cast(pl.UInt32).suffix(LENGTHS));
  if (bools.length) out.push(pl.col(bools));
  // Lists, structs and the like: only counted, as text.
  if (other.length) out.push(pl.col(other).cast(pl.Utf8, false));
  return out;
}

/** Physical value back to what a reader expects: ISO text for temporal columns. */
function present(value: unknown, type: ProfileType): ProfileValue {
  const v = jsonSafe(value);
  if (typeof v !== 'number') return v as ProfileValue;
  if (type === 'date') return new Date(Math.round(v) * DAY_MS).toISOString().slice(0, 10);
  if (type === 'datetime') return new Date(Math.round(v)).toISOString();
  return v;
}

const numberOf = (v: unknown): number | null => {
  const s = jsonSafe(v);
  return typeof s === 'number' ? s : null;
};

function histogram(row: Record<string, unknown>, name: string, type: ProfileType, min: number | null, max: number | null): HistogramBin[] | null {
  if (min === null || max === null) return null;
  const span = max - min;
  const counted = new Map(((row[`${name}${SEP}bins`] as Record<string, unknown>[] | null) ?? []).map((b) => [Number(b[name]), Number(b.count ?? 0)]));
  const bins: HistogramBin[] = [];
  const n = span > 0 ? BINS : 1;
  for (let k = 0; k < n; k++) {
    const start = min + (span * k) / BINS;
    const end = span > 0 ? min + (span * (k + 1)) / BINS : max;
    bins.push({ start: present(start, type) as number | string, end: present(end, type) as number | string, count: counted.get(k) ?? 0 });
  }
  return bins;
}

/** 1 − entropy / log(classes): 0 when every class is as frequent, near 1 when one dominates. */
export function imbalance(counts: number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length < 2 || total === 0) return null;
  const entropy = -counts.reduce((h, c) => (c > 0 ? h + (c / total) * Math.log(c / total) : h), 0);
  return 1 - entropy / Math.log(counts.length);
}

// Thresholds as ydata-profiling's defaults where it has one.
const SKEWED = 20;
const ZEROS = 0.5;
const IMBALANCED = 0.5;

export function alertsFor(c: Omit<ColumnProfile, 'alerts'>, rows: number, allCounts: number[] | null): ColumnAlert[] {
  const alerts: ColumnAlert[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (rows > 0 && c.count === 0) alerts.push({ code: 'empty', message: 'every value is missing' });
  else if (c.distinct === 1) alerts.push({ code: 'constant', message: `one value only: ${String(c.top[0]?.value)}`, value: 1 });
  if (c.count > 0 && c.nullRate > 0.5) alerts.push({ code: 'many_missing', message: `${pct(c.nullRate)} of values are missing`, value: c.nullRate });
  if (rows > 1 && c.distinct === rows && c.type !== 'float') {
    const identifier = c.type === 'integer' || c.type === 'string';
    alerts.push({ code: 'unique', message: `every value is different${identifier ? ' (an identifier?)' : ''}`, value: c.distinct });
  }
  else if (c.type === 'string' && c.distinct > 50 && c.distinct > c.count / 2) {
    alerts.push({ code: 'high_cardinality', message: `${c.distinct} distinct values in ${c.count}`, value: c.distinct });
  }
  const n = c.numeric;
  if (n?.skewness !== null && n?.skewness !== undefined && Math.abs(n.skewness) > SKEWED) {
    alerts.push({ code: 'skewed', message: `skewness ${n.skewness.toFixed(1)}`, value: n.skewness });
  }
  if (n && c.count > 0 && n.zeros / c.count > ZEROS) alerts.push({ code: 'zeros', message: `${pct(n.zeros / c.count)} of values are zero`, value: n.zeros });
  if (n && n.outliers.count > 0) {
    const round = (v: number | null) => (v === null ? '?' : String(Number(v.toPrecision(6))));
    alerts.push({ code: 'outliers', message: `${n.outliers.count} value(s) outside [${round(n.outliers.low)}, ${round(n.outliers.high)}] (1.5 × IQR)`, value: n.outliers.count });
  }
  if (allCounts && c.distinct > 1 && c.distinct <= TOP_KEPT) {
    const score = imbalance(allCounts);
    if (score !== null && score > IMBALANCED) alerts.push({ code: 'imbalance', message: `imbalanced: ${pct(allCounts[0]! / c.count)} of values are "${String(c.top[0]?.value)}"`, value: score });
  }
  if (c.text && c.text.numericShare >= 0.5 && c.text.numericShare < 1) {
    alerts.push({ code: 'mixed_types', message: `${pct(c.text.numericShare)} of values are numbers, the rest text`, value: c.text.numericShare });
  }
  const few = fewNegatives(c);
  if (few) alerts.push({ code: 'negatives', message: `${few.toLocaleString('en-US')} negative value${few === 1 ? '' : 's'} in a column that is otherwise ≥ 0 (min ${String(c.min)})`, value: few });
  const code = codeLike(c);
  return code ? alerts.filter((a) => !SILENCED[code].includes(a.code)) : alerts;
}

/** At most this share of a column's values negative, the rest ≥ 0: a column of counts with a few corrections or typos. */
export const FEW_NEGATIVES = 0.01;

/**
 * How many values break a column of whole numbers that is otherwise never negative (counts);
 * 0 when it is not such a column. Measures in floats (temperatures, balances) may dip below
 * zero now and then: they are left alone.
 */
export function fewNegatives(c: Pick<ColumnProfile, 'type' | 'count' | 'numeric'>): number {
  if (c.type !== 'integer') return 0;
  const negatives = c.numeric?.negatives ?? 0;
  return negatives > 0 && negatives < c.count && negatives <= c.count * FEW_NEGATIVES ? negatives : 0;
}

const BYTES: Partial<Record<ProfileType, number>> = { integer: 8, float: 8, date: 4, datetime: 8 };

/** Profiles one group of columns: one query over all rows, one over the first text values. */
export async function profileGroup(table: pl.LazyDataFrame, group: ColumnInfo[], rows: number, plan: StatPlan): Promise<ColumnProfile[]> {
  const texts = group.filter((c) => c.type === 'string').map((c) => c.name);
  // The first rows decide how the whole group is counted; text columns' shapes come from them too.
  const sample = ((await table.select(pl.col(group.map((c) => c.name))).head(TEXT_SAMPLE).select(...sampleExprs(texts.length > 0)).collect()).toRecords()[0] ?? {}) as Record<string, unknown>;
  const seen = (name: string) => [Number(sample[`${name}${SEP}sampleDistinct`] ?? 0), Number(sample[`${name}${SEP}sampleCount`] ?? 0)] as const;
  const row: Record<string, unknown> = {};
  const counted = plan.byCounts
    ? await countValues(table, group.filter((c) => seen(c.name)[0] <= COUNTED_SHARE * seen(c.name)[1]), rows, Boolean(plan.tall), row)
    : new Set<string>();
  const rest = group.filter((c) => !counted.has(c.name));
  const restTexts = rest.filter((c) => c.type === 'string').map((c) => c.name);
  // Hashing pays only where values are many: a dozen categories count faster by value.
  const manyValues = restTexts.some((n) => seen(n)[0] > MANY_VALUES * seen(n)[1]);
  const sparse = plan.tall && rest.every((c) => seen(c.name)[0] > SPARSE * seen(c.name)[1]);
  const used: StatPlan = { ...plan, hashed: plan.hashed && manyValues, sparse };
  if (rest.length) {
    const df = await table.select(...normalise(rest)).select(...statExprs(used), ...futureExprs()).collect();
    Object.assign(row, df.toRecords()[0] ?? {});
    if (used.hashed) await countTopTexts(table, rest.filter((c) => c.type === 'string' || c.type === 'other').map((c) => c.name), row);
    if (used.sparse) for (const c of rest) topUp(row, c.name);
  }
  const byHash = (name: string, type: ProfileType) => used.hashed && !counted.has(name) && (type === 'string' || type === 'other');
  return assemble(table, group, rows, row, sample, byHash);
}

/** The statistics given to the sampleExprs of the first rows, for countValues and sketches alike. */
export function sampleExprs(texts: boolean): pl.Expr[] {
  return [
    ...(texts ? textSampleExprs() : []),
    pl.all().dropNulls().count().suffix(`${SEP}sampleCount`),
    pl.all().dropNulls().nUnique().suffix(`${SEP}sampleDistinct`),
  ];
}

/**
 * Each column's profile from `row`, its statistics named `<column>␟<statistic>`, and
 * `sample`, the statistics of its first rows (see profileGroup; bounded.ts fills `row`
 * the same way from its batches).
 */
export async function assemble(
  table: pl.LazyDataFrame, group: ColumnInfo[], rows: number, row: Record<string, unknown>, sample: Record<string, unknown>,
  byHash: (name: string, type: ProfileType) => boolean,
): Promise<ColumnProfile[]> {
  return Promise.all(group.map(async ({ name, type }) => {
    const get = (stat: string) => row[`${name}${SEP}${stat}`];
    const count = Number(get('count') ?? 0);
    const nulls = Number(get('nulls') ?? 0);
    const distinct = Number(get('distinct') ?? 0);
    const ranged = isNumeric(type) || isTemporal(type);
    const min = ranged ? numberOf(get('min')) : null;
    const max = ranged ? numberOf(get('max')) : null;
    const counts = ((get('top') as Record<string, unknown>[] | null) ?? []).map((s) => ({ value: present(s[name], type), count: Number(s.count ?? 0) }));
    const top: TopValue[] = counts.slice(0, TOP);
    const quantiles = ranged && count > 0
      ? Object.fromEntries(Object.keys(QUANTILES).map((k) => [k, present(get(k), type)])) as unknown as Quantiles
      : null;
    let semantic: SemanticType | null = null;
    let textDetail: TextDetail | undefined;
    if (type === 'string') {
      const t = (stat: string) => Number(sample[`${name}${SEP}${stat}`] ?? 0);
      textDetail = {
        empty: t('empty'),
        padded: t('padded'),
        sampled: t('sampled'),
        classes: { letters: t('letters'), digits: t('digits'), spaces: t('spaces'), punctuation: t('punctuation'), nonAscii: t('nonAscii') },
        patterns: ((sample[`${name}${SEP}patterns`] as Record<string, unknown>[] | null) ?? []).map((p) => ({ pattern: String(p[name]), count: Number(p.count ?? 0) })),
        numericShare: t('numeric'),
      };
      const shares = Object.fromEntries(SEMANTIC_KINDS.map((k) => [k.kind, t(k.kind)]));
      semantic = semanticOf(shares, rows > 1 && distinct === count && count === rows, t('patternCount'));
    } else if (type === 'integer' && rows > 1 && distinct === rows) {
      semantic = 'identifier';
    }
    let numeric: NumericDetail | undefined;
    if (isNumeric(type)) {
      const q25 = numberOf(get('p25'));
      const q75 = numberOf(get('p75'));
      const iqr = q25 !== null && q75 !== null ? q75 - q25 : null;
      numeric = {
        zeros: Number(get('zeros') ?? 0),
        negatives: Number(get('negatives') ?? 0),
        iqr,
        skewness: numberOf(get('skew')),
        kurtosis: numberOf(get('kurtosis')),
        outliers: {
          count: Number(get('outliers') ?? 0),
          low: iqr !== null ? q25! - 1.5 * iqr : null,
          high: iqr !== null ? q75! + 1.5 * iqr : null,
          examples: ((get('outlierExamples') as unknown[] | null) ?? []).map(numberOf).filter((v): v is number => v !== null),
        },
      };
    }
    const temporal = isTemporal(type) && min !== null && max !== null
      ? await temporalDetail(table, name, type, min, max, numberOf(get('gap')), Number(get('future') ?? 0), get('days') as Record<string, unknown>[] | null)
      : undefined;
    const profile: Omit<ColumnProfile, 'alerts'> = {
      name, type, count, nulls,
      nullRate: rows > 0 ? nulls / rows : 0,
      distinct,
      ...(byHash(name, type) ? { distinctByHash: true as const } : {}),
      min: present(min, type),
      max: present(max, type),
      mean: isNumeric(type) ? numberOf(get('mean')) : null,
      std: isNumeric(type) ? numberOf(get('std')) : null,
      sum: isNumeric(type) ? numberOf(get('sum')) : null,
      quantiles,
      histogram: ranged ? histogram(row, name, type, min, max) : null,
      top,
      ...(type === 'string' ? { minLength: numberOf(get(`len${SEP}minLength`)), meanLength: numberOf(get(`len${SEP}meanLength`)), maxLength: numberOf(get(`len${SEP}maxLength`)) } : {}),
      memoryBytes: type === 'string' ? Math.round((numberOf(get(`len${SEP}meanLength`)) ?? 0) * count) : type === 'boolean' ? Math.ceil(rows / 8) : (BYTES[type] ?? 8) * rows,
      semantic,
      ...piiOf(name, semantic),
      ...(numeric ? { numeric } : {}),
      ...(textDetail ? { text: textDetail } : {}),
      ...(temporal ? { temporal } : {}),
      ...(type === 'boolean' ? { trueCount: Number(get('true') ?? 0), falseCount: count - Number(get('true') ?? 0) } : {}),
    };
    const allCounts = distinct <= TOP_KEPT ? counts.map((c) => c.count) : null;
    return { ...profile, alerts: alertsFor(profile, rows, allCounts) };
  }));
}

/**
 * Replaces each hashed text column's most frequent hashes by the values behind them,
 * counted by value in a second pass over those rows only: the counts are exact, and two
 * values that share a hash are told apart.
 */
async function countTopTexts(table: pl.LazyDataFrame, names: string[], row: Record<string, unknown>): Promise<void> {
  const hashesOf = new Map(names.map((name) => [name, ((row[`${name}${SEP}top`] as Record<string, unknown>[] | null) ?? []).map((t) => t[name])]));
  // A sparse column where nothing repeats has no hashes to look up (see StatPlan.sparse).
  const wanted = names.filter((name) => hashesOf.get(name)!.length > 0);
  for (const name of names) row[`${name}${SEP}top`] = [];
  if (!wanted.length) return;
  const exprs = wanted.map((name) => {
    const v = pl.col(name).cast(pl.Utf8, false);
    return v.filter(v.hash(HASH_SEED, 0, 0, 0).cast(pl.UInt64).isIn(pl.lit(pl.Series('hashes', hashesOf.get(name)!, pl.UInt64)))).valueCounts(true).head(TOP_KEPT).implode().alias(name);
  });
  Object.assign(row, Object.fromEntries(Object.entries((await table.select(...exprs).collect()).toRecords()[0] ?? {}).map(([name, top]) => [`${name}${SEP}top`, top])));
}

/**
 * A sparse column's repeating values (see StatPlan.sparse), then values seen once: when
 * fewer than TOP_KEPT values repeat, every repeating value is already listed, so any
 * other value occurs exactly once.
 */
function topUp(row: Record<string, unknown>, name: string): void {
  const first = row[`${name}${SEP}first`];
  if (!Array.isArray(first)) return;
  const top = ((row[`${name}${SEP}top`] as Record<string, unknown>[] | null) ?? []);
  const listed = new Set(top.map((t) => t[name]));
  for (const value of first) {
    if (top.length >= TOP_KEPT) break;
    if (!listed.has(value)) top.push({ [name]: value, count: 1 });
    listed.add(value);
  }
  row[`${name}${SEP}top`] = top;
}

/** Counts per day, month or year (chosen so there are a readable number of periods). */
async function temporalDetail(
  table: pl.LazyDataFrame, name: string, type: ProfileType, min: number, max: number, gap: number | null, future: number, days: Record<string, unknown>[] | null,
): Promise<TemporalDetail> {
  const unit = type === 'date' ? 1 : DAY_MS;
  const rangeDays = Math.floor((max - min) / unit);
  const period = rangeDays <= 92 ? 'day' : rangeDays <= 3 * 366 ? 'month' : 'year';
  const detail = { rangeDays, largestGapDays: gap === null ? null : gap / unit, future, period } as const;
  if (days && days.length <= DAY_LIMIT) {
    return { ...detail, byPeriod: byPeriod(days.map((d) => ({ value: Number(d[name]), count: Number(d.count) })), period) };
  }
  // Values spread over more days than DAY_LIMIT: counted per period by polars.
  const every = { day: '1d', month: '1mo', year: '1y' }[period];
  const df = await table.select(pl.col(name).cast(pl.Date).dt.truncate(every).alias('p')).dropNulls()
    .groupBy('p').agg(pl.len().alias('n')).sort('p').collect();
  return { ...detail, byPeriod: df.toRecords().map((r) => ({ start: (r.p as unknown as Date).toISOString().slice(0, 10), count: Number(r.n) })) };
}

// A column goes by counts (see StatPlan.byCounts) when its first rows hold at most this share
// of distinct values: the 6.6 M-row sales file's prices have 15 % in the first 100,000 rows
// and 55,115 in all, its timestamps and names nearly 100 %.
export const COUNTED_SHARE = 0.2;
/** More distinct values than this and the column is profiled the sorted way after all. */
export const COUNTED_LIMIT = 200_000;

export const KIND_OF = { integer: 'number', float: 'number', date: 'date', datetime: 'datetime', boolean: 'boolean', string: 'text' } as const;

let builtCountsQuery: pl.Expr | null = null;
const COUNT = `${SEP}n`;

/**
 * Each column's non-null values with their counts; a column with more distinct values than
 * COUNTED_LIMIT is left out. A short table's columns are counted in one query; a tall
 * table's one by one, by a group-by, which polars runs in parallel (and on sorted keys for
 * numbers and dates): 0.1–0.25 s a column on 6.6 M rows, against 0.15–0.5 s for value_counts.
 */
async function valueCountsOf(table: pl.LazyDataFrame, columns: ColumnInfo[], tall: boolean): Promise<Map<string, ValueCount[]>> {
  const out = new Map<string, ValueCount[]>();
  const numeric = (c: ColumnInfo) => c.type !== 'string' && c.type !== 'boolean';
  if (!tall) {
    builtCountsQuery ??= pl.all().dropNulls().valueCounts().head(COUNTED_LIMIT + 1).implode();
    const counts = (await table.select(...normalise(columns, true)).select(builtCountsQuery).collect()).toRecords()[0] ?? {};
    for (const c of columns) {
      const list = (counts[c.name] ?? []) as Record<string, unknown>[];
      if (list.length <= COUNTED_LIMIT) out.set(c.name, list.map((p) => ({ value: (numeric(c) ? Number(p[c.name]) : p[c.name]) as ValueCount['value'], count: Number(p.count) })));
    }
    return out;
  }
  for (const c of columns) {
    const [value] = normalise([c], true);
    const keys = numeric(c) ? value!.sort() : value!;
    const df = await table.select(keys).groupBy(c.name).agg(pl.len().alias(COUNT)).head(COUNTED_LIMIT + 2).collect();
    // (one more row than the limit allows, for the null group)
    const values = df.getColumn(c.name).toArray() as unknown[];
    const counts = df.getColumn(COUNT).toArray() as unknown[];
    const pairs: ValueCount[] = [];
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) pairs.push({ value: (numeric(c) ? Number(v) : v) as ValueCount['value'], count: Number(counts[i]) });
    });
    if (pairs.length <= COUNTED_LIMIT) out.set(c.name, pairs);
  }
  return out;
}

/**
 * Profiles the columns it can from their value counts into `row` (see from-counts.ts);
 * returns their names. A column with more distinct values than COUNTED_LIMIT, or with
 * NaN (no order to place it in), is left for the sorted query.
 */
async function countValues(table: pl.LazyDataFrame, columns: ColumnInfo[], rows: number, tall: boolean, row: Record<string, unknown>): Promise<Set<string>> {
  const done = new Set<string>();
  const candidates = columns.filter((c) => c.type in KIND_OF);
  if (!candidates.length) return done;
  const counted = await valueCountsOf(table, candidates, tall);
  const now = Date.now();
  for (const { name, type } of candidates) {
    const kind = KIND_OF[type as keyof typeof KIND_OF];
    const pairs = counted.get(name);
    if (!pairs || pairs.some((p) => Number.isNaN(p.value))) continue;
    const stats = countedStats(kind, name, pairs, rows, {
      bins: BINS, quantiles: QUANTILES, topKept: TOP_KEPT,
      now: kind === 'date' ? Math.floor(now / DAY_MS) : now,
      unitMs: kind === 'date' ? DAY_MS : 1,
    });
    for (const [stat, value] of Object.entries(stats)) row[`${name}${SEP}${stat}`] = value;
    done.add(name);
  }
  return done;
}
