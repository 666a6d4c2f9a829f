// The profile of a tall table in bounded memory: the table is read a batch of rows at a
// time (a Parquet slice: polars decodes only the row groups it covers), each batch is
// reduced by polars to a few numbers or short lists per column, and these merge in
// TypeScript (sketch.ts). Memory then follows the batch, not the table.
//
// Columns of few values (judged on the first rows, as column-stats.ts does) are counted
// value by value in every batch and the counts summed: every figure of theirs is exact
// (from-counts.ts). The others are summarised:
//   exact: count, nulls, min, max, sum, mean, std, skewness, kurtosis, zeros, negatives,
//          text lengths, values in the future, counts per day, the histogram (a second pass
//          between the exact min and max), the top values' counts (recounted exactly);
//   estimated, each with its bound in `estimates`: distinct (bottom-k sketch of hashes; exact
//          below 32,768 distinct values, and for a column that never repeats a value),
//          quantiles (a weighted sample of each sorted batch, a bounded rank error), and so
//          the IQR and the outlier fences, which come from them (the outliers are counted
//          exactly against those fences), which values are the most frequent (a value not
//          listed occurs at most `unlistedAtMost` times), the largest gap of a date column.
import v8 from 'node:v8';
import vm from 'node:vm';
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import {
  assemble, BINS, COUNTED_LIMIT, COUNTED_SHARE, DAY_MS, HASH_SEED, KIND_OF, normalise, QUANTILES, sampleExprs, SEP, TEXT_SAMPLE, textSampleExprs, TOP_KEPT,
  type ColumnInfo,
} from './column-stats.ts';
import { countedStats, quantilesOf, type ValueCount } from './from-counts.ts';
import { batchMoments, DistinctSketch, HeavyHitters, mergeMoments, momentFigures, NO_MOMENTS, QuantileSummary, Sum, type Moments } from './sketch.ts';
import type { ColumnEstimates, ColumnProfile, ProfileType } from './types.ts';

/** Distinct hashes a column's sketch keeps: 3 standard errors are 1.7 % of the count. */
const DISTINCT_K = 32_768;
/** Values each sorted batch keeps for the quantiles. */
const QUANTILE_K = 4_096;
/** A batch's most frequent repeating values sent back (see HeavyHitters). */
const HITTERS = 4 * TOP_KEPT;
/** Candidates for the most frequent values kept between batches (twice as many before trimming). */
const HITTERS_KEPT = 5_000;
/** Buckets between min and max in which a date column's largest gap is looked for. */
const GAP_BUCKETS = 65_536;
/** All columns of a group counted value by value hold at most this many pairs together. */
const COUNTED_TOTAL = 1_000_000;

/** Tables of more rows than this are profiled here. */
export const BOUNDED_ROWS = 2_000_000;
/** Cells (rows × columns) per batch: a batch of 14 columns is 570,000 rows. */
const BATCH_CELLS = Number(process.env.ASSAY_PROFILE_BATCH_CELLS ?? 8_000_000);

/** Rows per batch for a group: text counts as its length in 8-byte cells, roughly. */
function batchRowsFor(group: ColumnInfo[]): number {
  return Math.max(1000, Math.floor(BATCH_CELLS / Math.max(1, group.length)));
}

/** The profile's memory budget in MB: `ASSAY_PROFILE_MEMORY_MB`, 1024 by default. */
function memoryBudgetMb(): number {
  const raw = Number(process.env.ASSAY_PROFILE_MEMORY_MB ?? 1024);
  return Number.isFinite(raw) && raw > 0 ? raw : 1024;
}

// A batch's rows take about this many times their size in the file while polars works on
// them (decoded values, a sorted copy, hashes, their sorted copy, the allocator's slack):
// measured on the generated sales table, 14 columns of 570,000 rows peaked near 450 MB.
const AMPLIFY = 10;
/** Fewer rows than this a batch and the per-query cost swamps the work: a table this wide fails. */
const MIN_BATCH = 1000;

/**
 * Rows per batch for a group within the memory budget, from the size of its first rows'
 * values; fails, naming the budget, when even MIN_BATCH rows would pass it. `bounded`
 * says whether the whole table fits at once (the exact plan) or must go in batches.
 */
export async function planBatches(table: pl.LazyDataFrame, group: ColumnInfo[], rows: number, input: string): Promise<{ bounded: boolean; batchRows: number }> {
  const texts = group.filter((c) => c.type === 'string' || c.type === 'other').map((c) => c.name);
  const head = (await table.select(pl.col(group.map((c) => c.name))).head(MIN_BATCH).select(
    pl.len().alias('rows'),
    ...(texts.length ? [pl.col(texts).cast(pl.Utf8, false).str.lengths().cast(pl.Float64).sum().suffix(`${SEP}bytes`)] : []),
  ).collect()).toRecords()[0] ?? {};
  const sampled = Math.max(1, Number(head.rows ?? 1));
  const textBytes = texts.reduce((n, name) => n + Number(head[`${name}${SEP}bytes`] ?? 0), 0);
  // Text by its length and a view's 16 bytes; anything else as 8 bytes.
  const rowBytes = textBytes / sampled + 16 * texts.length + 8 * (group.length - texts.length);
  const budget = memoryBudgetMb() * 1024 * 1024;
  const fits = Math.floor(budget / (rowBytes * AMPLIFY));
  if (fits < MIN_BATCH && rows * rowBytes > budget) {
    throw new CellError('memory_budget', `profiling "${input}" needs about ${Math.ceil((rowBytes * AMPLIFY * Math.min(rows, MIN_BATCH)) / 1048576)} MB for ${Math.min(rows, MIN_BATCH).toLocaleString('en')} rows at a time (${Math.round(rowBytes).toLocaleString('en')} bytes a row in ${group.length} column${group.length > 1 ? 's' : ''}), past the profile's memory budget of ${memoryBudgetMb()} MB (ASSAY_PROFILE_MEMORY_MB); profile fewer columns at once (columns: [...]) or raise the budget`);
  }
  // The exact plan holds whole columns, about their size (the 6.6 M-row sales table's 1.4 GB
  // of values peaked at 1.1 GB): it serves while they fit in the budget.
  const bounded = rows > BOUNDED_ROWS || rows * rowBytes > budget;
  return { bounded, batchRows: Math.max(MIN_BATCH, Math.min(batchRowsFor(group), fits)) };
}

/** After each batch: a process past the budget stops the profile before the machine runs out. */
function checkBudget(input: string): void {
  const rss = process.memoryUsage.rss();
  if (rss > memoryBudgetMb() * 1024 * 1024) {
    throw new CellError('memory_budget', `profiling "${input}" stopped: the process reached ${Math.round(rss / 1048576)} MB, past the profile's memory budget of ${memoryBudgetMb()} MB (ASSAY_PROFILE_MEMORY_MB)`);
  }
}

export interface BoundedOptions {
  /** Rows per batch. */
  batchRows: number;
  /** Called after each batch with the share of the group's passes done. */
  onBatch?: (share: number) => void;
  signal?: AbortSignal;
  /** Names the table in a budget error (see checkBudget). */
  input?: string;
}

const isNumeric = (t: ProfileType) => t === 'integer' || t === 'float';
const isTemporal = (t: ProfileType) => t === 'date' || t === 'datetime';
const isRanged = (t: ProfileType) => isNumeric(t) || isTemporal(t);
const hashScale = 2 ** 64;

/** What one summarised column gathers over its batches. */
interface Summary {
  count: number;
  nulls: number;
  min: number | null;
  max: number | null;
  sum: Sum;
  moments: Moments;
  zeros: number;
  negatives: number;
  future: number;
  days: Map<number, number>;
  lengths: { min: number | null; max: number | null; sum: Sum };
  distinct: DistinctSketch;
  quantiles: QuantileSummary;
  hitters: HeavyHitters<unknown>;
  first: unknown[];
  /** Each batch's [min, max] and whether it repeated a value within: for proving a column never repeats one. */
  ranges: [number, number][];
  repeats: boolean;
  trueCount: number;
}

function newSummary(): Summary {
  return {
    count: 0, nulls: 0, min: null, max: null, sum: new Sum(), moments: NO_MOMENTS, zeros: 0, negatives: 0, future: 0, days: new Map(),
    lengths: { min: null, max: null, sum: new Sum() }, distinct: new DistinctSketch(DISTINCT_K), quantiles: new QuantileSummary(),
    hitters: new HeavyHitters(HITTERS_KEPT), first: [], ranges: [], repeats: false, trueCount: 0,
  };
}

// Batch expressions over dtype selectors, built once (see column-stats.ts): the numbers,
// dates and datetimes arrive sorted, nulls first (normalise).
const num = () => pl.col(pl.Float64);
const days = () => pl.col(pl.Int32);
const millis = () => pl.col(pl.Int64);
const text = () => pl.col(pl.Utf8);
const lengths = () => pl.col(pl.UInt32);

/** Every ⌈n/k⌉-th value of a sorted column's non-null values (see QuantileSummary). */
function strided(c: pl.Expr): pl.Expr {
  const n = c.count();
  const m = pl.when(n.lt(QUANTILE_K)).then(n).otherwise(pl.lit(QUANTILE_K));
  // ⌊i·n/m⌋, with half a unit added: polars divides by multiplying by the reciprocal, and
  // 107 · (1/107) is a hair under 1.
  const at = pl.intRange(pl.lit(0), m).cast(pl.Float64).mul(n.cast(pl.Float64)).add(0.5).div(m.cast(pl.Float64)).floor().add(c.nullCount()).cast(pl.UInt32);
  return c.gather(at).implode();
}

/**
 * A column of one value beside each batch's columns: its sketch's largest kept hash, scaled
 * (DistinctSketch.threshold). Once a sketch is full only a hash below it can enter, so the
 * batch sends back only those: most of a batch's hashes then never leave polars, nor are
 * sorted there (on the 6.6 M-row sales table, 2.3 M hashes sent back over pass 1 → 0.4 M).
 * In Float32, a dtype no statistic selects, rounded up, so that no hash below is left out.
 */
const THRESHOLD = `${SEP}threshold`;
const thresholds = new Map<number, pl.Expr>();
function thresholdColumn(threshold: number): pl.Expr {
  let t = Math.fround(threshold);
  if (t < threshold) t = Math.fround(threshold * (1 + 2 ** -20));
  // Built once for each value: a sketch's threshold stays 1 until it is full.
  if (thresholds.size > 1000) thresholds.clear();
  let column = thresholds.get(t);
  if (!column) thresholds.set(t, (column = pl.lit(t).cast(pl.Float32).alias(THRESHOLD)));
  return column;
}
const below = (scaled: pl.Expr) => scaled.filter(scaled.ltEq(pl.col(THRESHOLD).first().cast(pl.Float64)));
/** The smallest distinct hashes, scaled to [0, 1). */
const bottomK = (hashes: pl.Expr) => below(hashes.cast(pl.Float64).div(hashScale)).unique().sort().head(DISTINCT_K).implode();
/** … of hashes already sorted: their distinct ones are those unlike their neighbour before. */
const bottomKSorted = (sorted: pl.Expr) => {
  const kept = below(sorted.cast(pl.Float64).div(hashScale));
  return kept.filter(kept.neq(kept.shift(1)).fillNull(true)).head(DISTINCT_K).implode();
};
/** In a sorted column a repeat sits beside its copy: only those are counted. */
// (The first and last value have no neighbour on one side: null, which is not a repeat.)
const repeats = (v: pl.Expr) => v.eq(v.shift(1)).fillNull(false).or(v.eq(v.shift(-1)).fillNull(false));
const repeating = (v: pl.Expr) => v.filter(repeats(v)).valueCounts(true).head(HITTERS).implode();
/** … and values seen once in the batch, to fill its list up to HITTERS (one more: were any left out?). */
const single = (v: pl.Expr) => v.filter(repeats(v).not()).head(HITTERS + 1).implode();

function rangedExprs(c: () => pl.Expr): pl.Expr[] {
  const v = () => c().dropNulls();
  return [
    c().min().suffix(`${SEP}min`),
    c().max().suffix(`${SEP}max`),
    strided(c()).suffix(`${SEP}sample`),
    v().diff(1, 'drop').min().suffix(`${SEP}step`),
    bottomK(v().hash(HASH_SEED, 0, 0, 0)).suffix(`${SEP}kmv`),
    repeating(v()).suffix(`${SEP}top`),
    single(v()).suffix(`${SEP}single`),
    v().head(TOP_KEPT).implode().suffix(`${SEP}first`),
  ];
}

/** The kinds of summarised column, each with statistics of its own (see batchExprs). */
type BatchKind = 'number' | 'date' | 'datetime' | 'text';
const batchKind = (t: ProfileType): BatchKind => (isNumeric(t) ? 'number' : t === 'date' ? 'date' : t === 'datetime' ? 'datetime' : 'text');

const builtBatch = new Map<BatchKind, pl.Expr[]>();
/**
 * A batch's statistics for one kind of column. Each query holds one column (see
 * profileBounded), so only its kind's statistics go in: the others selected nothing, but
 * polars still planned them, a fixed cost per query that showed in every batch.
 */
function batchExprs(kind: BatchKind): pl.Expr[] {
  let built = builtBatch.get(kind);
  if (built) return built;
  const common = [pl.all().count().suffix(`${SEP}count`), pl.all().nullCount().suffix(`${SEP}nulls`)];
  if (kind === 'number') {
    built = [
      ...common,
      ...rangedExprs(num),
      num().sum().suffix(`${SEP}sum`),
      num().mean().suffix(`${SEP}mean`),
      num().var().suffix(`${SEP}var`),
      num().skew(true).suffix(`${SEP}skew`),
      num().kurtosis(false, true).suffix(`${SEP}kurtosis`),
      num().eq(0).sum().suffix(`${SEP}zeros`),
      num().lt(0).sum().suffix(`${SEP}negatives`),
    ];
  } else if (kind === 'date') {
    built = [...common, ...rangedExprs(days), days().dropNulls().valueCounts().implode().suffix(`${SEP}days`)];
  } else if (kind === 'datetime') {
    const toDay = millis().dropNulls().cast(pl.Float64).div(DAY_MS).floor().cast(pl.Int32);
    built = [...common, ...rangedExprs(millis), toDay.valueCounts().implode().suffix(`${SEP}days`)];
  } else {
    // By name: nodejs-polars' pl.col(pl.UInt64) selects no column (0.25).
    const hashed = () => pl.col(`^.*${SEP}h$`).dropNulls();
    built = [
      ...common,
      bottomKSorted(hashed()).suffix(`${SEP}kmv`),
      repeating(hashed()).suffix(`${SEP}top`),
      single(hashed()).suffix(`${SEP}single`),
      // The first values' hashes, in the order of the rows (the hashes' column is sorted).
      text().dropNulls().head(TOP_KEPT).hash(HASH_SEED, 0, 0, 0).cast(pl.UInt64).implode().suffix(`${SEP}h${SEP}first`),
      lengths().min().suffix(`${SEP}minLength`),
      lengths().max().suffix(`${SEP}maxLength`),
      lengths().sum().suffix(`${SEP}sumLength`),
    ];
  }
  builtBatch.set(kind, built);
  return built;
}

/**
 * Each text column's 64-bit hashes beside it, sorted, computed once for the distinct sketch and
 * the repeats (sorted once: each of the three sorting them took as long as all the rest), and
 * named as its lengths' column is (`<name>␟h`), so the text statistics of `pl.col(pl.Utf8)` are
 * named by the column, its hash statistics `<name>␟h␟…`.
 */
function hashesOf(columns: ColumnInfo[]): pl.Expr[] {
  const texts = columns.filter((c) => c.type === 'string' || c.type === 'other').map((c) => c.name);
  // The cast names the dtype in the plan: without it, hash's output passed for Int64 there,
  // and the datetime statistics took the hashes for datetimes.
  // polars hashes a null too: kept null here, so a sketch's dropNulls drops it.
  return texts.map((n) => pl.when(pl.col(n).isNull()).then(pl.lit(null)).otherwise(pl.col(n).cast(pl.Utf8, false).hash(HASH_SEED, 0, 0, 0))
    .cast(pl.UInt64).sort().alias(`${n}${SEP}h`));
}

/** Values after now (the profile's start) of a kind. */
function futureExprs(kind: BatchKind, now: number): pl.Expr[] {
  if (kind === 'date') return [days().gt(pl.lit(Math.floor(now / DAY_MS))).sum().suffix(`${SEP}future`)];
  if (kind === 'datetime') return [millis().gt(pl.lit(now)).sum().suffix(`${SEP}future`)];
  return [];
}

const numberOf = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Folds one batch's figures for the summarised columns into their summaries. */
function foldBatch(row: Record<string, unknown>, columns: ColumnInfo[], summaries: Map<string, Summary>): void {
  for (const { name, type } of columns) {
    const s = summaries.get(name)!;
    const get = (stat: string) => row[`${name}${SEP}${stat}`];
    const count = Number(get('count') ?? 0);
    s.count += count;
    s.nulls += Number(get('nulls') ?? 0);
    // Text's sketches are of its hashes' column (see hashesOf).
    const isText = type === 'string' || type === 'other';
    const key = isText ? `${name}${SEP}h` : name;
    const sketched = (stat: string) => row[`${key}${SEP}${stat}`];
    s.distinct.add(listOf(sketched('kmv')).map(Number));
    const top = (listOf(sketched('top')) as Record<string, unknown>[]).map((t) => ({ key: t[key], count: Number(t.count) }));
    // A full list left out values as frequent as its last; a short one is filled with values
    // seen once, and left out none if they all fit.
    const singles = listOf(sketched('single'));
    const room = HITTERS - top.length;
    const floor = room <= 0 ? top.at(-1)!.count : singles.length > room ? 1 : 0;
    s.hitters.add([...top, ...singles.slice(0, Math.max(0, room)).map((k) => ({ key: k, count: 1 }))], floor);
    if (s.first.length === 0) s.first = listOf(sketched('first'));
    if (isText) {
      const [lo, hi] = [numberOf(get(`len${SEP}minLength`)), numberOf(get(`len${SEP}maxLength`))];
      if (lo !== null) s.lengths.min = Math.min(s.lengths.min ?? lo, lo);
      if (hi !== null) s.lengths.max = Math.max(s.lengths.max ?? hi, hi);
      s.lengths.sum.add(numberOf(get(`len${SEP}sumLength`)) ?? 0);
      continue;
    }
    if (!isRanged(type) || count === 0) continue;
    const [lo, hi] = [numberOf(get('min'))!, numberOf(get('max'))!];
    s.min = Math.min(s.min ?? lo, lo);
    s.max = Math.max(s.max ?? hi, hi);
    s.ranges.push([lo, hi]);
    const step = numberOf(get('step'));
    if (step !== null && step <= 0) s.repeats = true;
    s.quantiles.add(listOf(get('sample')).map(Number), count);
    if (isNumeric(type)) {
      s.sum.add(numberOf(get('sum')) ?? 0);
      s.moments = mergeMoments(s.moments, batchMoments(count, numberOf(get('mean')), numberOf(get('var')), numberOf(get('skew')), numberOf(get('kurtosis'))));
      s.zeros += Number(get('zeros') ?? 0);
      s.negatives += Number(get('negatives') ?? 0);
    } else {
      s.future += Number(get('future') ?? 0);
      for (const d of listOf(get('days')) as Record<string, unknown>[]) {
        const day = Number(d[name]);
        s.days.set(day, (s.days.get(day) ?? 0) + Number(d.count));
      }
    }
  }
}

/** True when no batch repeated a value and no two batches' ranges overlap: every value differs. */
function neverRepeats(s: Summary): boolean {
  if (s.repeats) return false;
  const sorted = [...s.ranges].sort((a, b) => a[0] - b[0]);
  return sorted.every((r, i) => i === 0 || r[0] > sorted[i - 1]![1]);
}

// A polars result is native memory behind a small JavaScript object, and may hold on to the
// whole batch it came from (text values are views into the batch's buffers): V8 sees only
// the small objects and collects them rarely, so a 20 M-row profile grew by 500 MB of
// batches already done. A collection every GC_EVERY batches frees them (20–25 ms each).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/**
 * Batches between garbage collections. On 20 M rows: after every batch, the bounded part took
 * 21.4 s and peaked at 760 MB; every 2nd, 20.1 s and 720 MB; every 3rd, 19.9 s and 690 MB;
 * every 4th and 8th, 20.4 s and 830 and 880 MB (load 10–11, one run each: the peaks vary by
 * ±50 MB from run to run). Every 2nd keeps the peak of every batch.
 */
const GC_EVERY = 2;

/**
 * Reads the table's batches with `launch` and hands each result to `consume` in the order of
 * the rows, then frees what polars held for it (see collectGarbage). The next batch is sent
 * to polars before a result is folded and the garbage collected, so polars works through
 * both: one after the other, each batch of the 6.6 M-row sales table waited 25 ms on them.
 * (Two batches of half the rows each in flight at once cost 15 % more CPU and no time:
 * below a few hundred thousand rows each query's fixed cost shows.)
 */
async function eachBatch<T>(
  table: pl.LazyDataFrame, rows: number, opts: BoundedOptions, launch: (batch: pl.LazyDataFrame) => Promise<T>, consume: (result: T) => void,
): Promise<void> {
  let offset = 0;
  const next = (): Promise<T> | null => {
    if (offset >= rows) return null;
    const work = launch(table.slice(offset, opts.batchRows));
    offset += opts.batchRows;
    return work;
  };
  let coming = next();
  let done = 0;
  try {
    while (coming) {
      checkAborted(opts.signal);
      const result = await coming;
      coming = next();
      consume(result);
      if (++done % GC_EVERY === 0) collectGarbage();
      checkBudget(opts.input ?? 'the table');
    }
  } finally {
    // A batch in flight when the one before failed: its result (or error) is not wanted.
    coming?.catch(() => {});
  }
}

/** Checks the signal between batches. */
function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CellError('cancelled', 'the run was cancelled');
}

/**
 * Counts each column's values in one batch into `counts`: one query, each column's value
 * counts side by side (on a batch, half the time of a group-by per column, which serves a
 * whole column better: column-stats.ts's valueCountsOf); a column past COUNTED_LIMIT values
 * is returned to be summarised instead.
 */
async function countBatch(batch: pl.LazyDataFrame, query: CountQuery, counts: Map<string, Map<unknown, number>>): Promise<Set<string>> {
  const { columns } = query;
  const over = new Set<string>();
  const lists = (await batch.select(...query.inputs).select(...query.stats).collect()).toRecords()[0] ?? {};
  for (const c of columns) {
    const numeric = c.type !== 'string' && c.type !== 'boolean';
    const list = (lists[c.name] ?? []) as Record<string, unknown>[];
    const map = counts.get(c.name);
    // Found to hold too many values by a batch before, while this one was in flight.
    if (!map) continue;
    for (const p of list) {
      const key = numeric ? Number(p[c.name]) : p[c.name];
      map.set(key, (map.get(key) ?? 0) + Number(p.count));
    }
    if (list.length > COUNTED_LIMIT || map.size > COUNTED_LIMIT || (numeric && map.has(NaN))) over.add(c.name);
  }
  // Many columns of many values each: the largest are summarised instead, to keep memory bounded.
  let total = [...counts.values()].reduce((n, m) => n + m.size, 0);
  for (const [name, map] of [...counts].sort((a, b) => b[1].size - a[1].size)) {
    if (total <= COUNTED_TOTAL) break;
    if (!over.has(name)) over.add(name);
    total -= map.size;
  }
  return over;
}

/** countBatch's expressions for a set of counted columns, built once (see column-stats.ts). */
interface CountQuery { columns: ColumnInfo[]; inputs: pl.Expr[]; stats: pl.Expr[] }
function countQuery(columns: ColumnInfo[]): CountQuery {
  return { columns, inputs: normalise(columns, true), stats: columns.map((c) => pl.col(c.name).dropNulls().valueCounts().head(COUNTED_LIMIT + 1).implode()) };
}

interface Pass2 {
  bins: Map<number, number>;
  outliers: number;
  below: number[];
  above: number[];
  fences: [number, number] | null;
  gapMins: Map<number, number>;
  gapMaxes: Map<number, number>;
  recount: Map<unknown, number>;
}

/**
 * The columns pass 2 reads, each computed once: numbers, dates and datetimes in their
 * physical unit as pass 1 saw them (floats, days, ms), text as text, and for a date column
 * its non-null values sorted with the gap bucket of each (`<name>␟sorted`, `<name>␟bucket`).
 */
function pass2Columns(group: ColumnInfo[], summaries: Map<string, Summary>): pl.Expr[] {
  const out = normalise(group, true);
  for (const c of group) {
    const s = summaries.get(c.name)!;
    if (!isTemporal(c.type) || s.min === null || s.max === null || s.max === s.min) continue;
    const sorted = pl.col(c.name).cast(pl.Float64).sort();
    out.push(sorted.alias(`${c.name}${SEP}sorted`));
    out.push(sorted.sub(pl.lit(s.min)).mul(GAP_BUCKETS).div(pl.lit(s.max - s.min)).floor().clip(0, GAP_BUCKETS - 1).alias(`${c.name}${SEP}bucket`));
  }
  return out;
}

/** Per column, with the literals of pass 1: bins, outliers, gap buckets, exact counts of the candidates. */
function pass2Exprs(c: ColumnInfo, s: Summary, fences: [number, number] | null, keys: unknown[]): pl.Expr[] {
  const name = c.name;
  const out: pl.Expr[] = [];
  const col = () => pl.col(name);
  if (isRanged(c.type) && s.min !== null && s.max !== null) {
    const v = () => col().dropNulls().cast(pl.Float64);
    const span = s.max - s.min;
    if (span > 0) {
      // As column-stats.ts's `ranged`, with the whole column's min and span.
      const scaled = v().sub(pl.lit(s.min)).mul(BINS);
      const guess = scaled.div(pl.lit(span)).floor().clip(0, BINS - 1);
      const bin = pl.when(guess.lt(BINS - 1).and(scaled.gtEq(guess.add(1).mul(span)))).then(guess.add(1))
        .when(scaled.lt(guess.mul(span))).then(guess.sub(1))
        .otherwise(guess);
      out.push(bin.cast(pl.Int32).valueCounts().implode().alias(`${name}${SEP}bins`));
    }
    if (fences) {
      const [low, high] = fences;
      out.push(v().lt(low).or(v().gt(high)).sum().alias(`${name}${SEP}outliers`));
      out.push(v().filter(v().lt(low)).sort().head(5).implode().alias(`${name}${SEP}below`));
      out.push(v().filter(v().gt(high)).sort().tail(5).implode().alias(`${name}${SEP}above`));
    }
    if (isTemporal(c.type) && span > 0) {
      // Sorted nulls first: the first and last value of each run of a bucket are its min and max.
      const valid = pl.col(`${name}${SEP}sorted`).isNotNull();
      const sorted = pl.col(`${name}${SEP}sorted`).filter(valid);
      const bucket = pl.col(`${name}${SEP}bucket`).filter(valid);
      const firsts = bucket.neq(bucket.shift(1)).fillNull(true);
      const lasts = bucket.neq(bucket.shift(-1)).fillNull(true);
      out.push(bucket.filter(firsts).implode().alias(`${name}${SEP}buckets`));
      out.push(sorted.filter(firsts).implode().alias(`${name}${SEP}bucketMin`));
      out.push(sorted.filter(lasts).implode().alias(`${name}${SEP}bucketMax`));
    }
  }
  if (keys.length) {
    if (c.type === 'string' || c.type === 'other') {
      const t = col();
      const hashes = pl.lit(pl.Series('h', keys as bigint[], pl.UInt64));
      out.push(t.filter(t.hash(HASH_SEED, 0, 0, 0).cast(pl.UInt64).isIn(hashes)).valueCounts(true).implode().alias(`${name}${SEP}recount`));
    } else {
      const v = col();
      const dtype = isNumeric(c.type) ? pl.Float64 : c.type === 'date' ? pl.Int32 : pl.Int64;
      out.push(v.filter(v.isIn(pl.lit(pl.Series('k', keys as number[], dtype)))).valueCounts(true).implode().alias(`${name}${SEP}recount`));
    }
  }
  return out;
}

/** The largest gap between neighbouring values from each bucket's min and max; exact when at least a bucket wide. */
function largestGap(p: Pass2, s: Summary): { gap: number | null; atMost: number | null } {
  if (s.min === null || s.max === null || s.count < 2) return { gap: s.count > 1 ? 0 : null, atMost: null };
  const span = s.max - s.min;
  if (span === 0) return { gap: 0, atMost: null };
  const width = span / GAP_BUCKETS;
  const buckets = [...p.gapMins.keys()].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < buckets.length; i++) gap = Math.max(gap, p.gapMins.get(buckets[i]!)! - p.gapMaxes.get(buckets[i - 1]!)!);
  // A gap within a bucket is less than its width; one across buckets is seen whole.
  return { gap, atMost: gap >= width ? null : width };
}

/**
 * Profiles one group of columns of a tall table in batches of `batchRows` rows (see the
 * note at the top). The profiles have the fields of profileGroup's, plus `estimates`.
 */
export async function profileBounded(table: pl.LazyDataFrame, group: ColumnInfo[], rows: number, opts: BoundedOptions): Promise<ColumnProfile[]> {
  const texts = group.filter((c) => c.type === 'string');
  // The first rows' counts decide which columns are counted; their text statistics (regular
  // expressions over 100,000 values, 0.8 s on the sales table) are wanted only at the end,
  // so they are computed beside pass 1, on a core its queries leave free.
  const head = table.select(pl.col(group.map((c) => c.name))).head(TEXT_SAMPLE);
  const firstRows = async (exprs: pl.Expr[]) => ((await head.select(...exprs).collect()).toRecords()[0] ?? {}) as Record<string, unknown>;
  const sample = await firstRows(sampleExprs(false));
  const textSample = texts.length ? firstRows(textSampleExprs()) : Promise.resolve({});
  // Not awaited until the end: a failure then is the profile's, not an unhandled rejection.
  textSample.catch(() => {});
  const few = (c: ColumnInfo) => c.type === 'boolean' || (c.type in KIND_OF
    && Number(sample[`${c.name}${SEP}sampleDistinct`] ?? 0) <= COUNTED_SHARE * Number(sample[`${c.name}${SEP}sampleCount`] ?? 0));
  let counted = group.filter(few);
  let summarised = group.filter((c) => !few(c));
  const counts = new Map(counted.map((c) => [c.name, new Map<unknown, number>()]));
  const summaries = new Map<string, Summary>();
  const batches = Math.max(1, Math.ceil(rows / opts.batchRows));
  let done = 0;
  const step = () => opts.onBatch?.(Math.min(1, ++done / (batches * 2)));

  // Pass 1: counts of the counted columns, summaries of the others. A counted column found
  // to hold too many values starts again as a summarised one in a pass of its own.
  let pending = summarised;
  let first = true;
  // Expressions are built once for the whole profile: each node costs JavaScript time
  // (1.7 s of a 13 s profile of the 6.6 M-row sales table went to building them per batch).
  const startedAt = Date.now();
  const statsOf = new Map<BatchKind, pl.Expr[]>();
  const stats = (t: ProfileType) => {
    const kind = batchKind(t);
    if (!statsOf.has(kind)) statsOf.set(kind, [...batchExprs(kind), ...futureExprs(kind, startedAt)]);
    return statsOf.get(kind)!;
  };
  while (first || pending.length) {
    for (const c of pending) summaries.set(c.name, newSummary());
    const inputs = pending.map((c) => [...normalise([c]), ...hashesOf([c])]);
    const counting = first ? counted : [];
    const overflow = new Set<string>();
    let countQueryFor: CountQuery | null = null;
    const columns = pending;
    await eachBatch(table, rows, opts, (batch) => {
      // A query per column, run at once, and the counts beside them: on a batch of the sales
      // table one query of its five summarised columns took 950 ms of CPU (690 ms wall), a
      // query per column 650 ms (360 ms wall: polars runs the queries side by side).
      // (A sketch's threshold is the one after the batches folded so far: the batch before
      // may still be in flight, and an older threshold is higher, so it keeps every hash needed.)
      const live = counting.filter((c) => !overflow.has(c.name));
      if (live.length && countQueryFor?.columns.length !== live.length) countQueryFor = countQuery(live);
      return Promise.all([
        Promise.all(columns.map((c, i) => batch.select(...inputs[i]!, thresholdColumn(summaries.get(c.name)!.distinct.threshold)).select(...stats(c.type)).collect())),
        live.length ? countBatch(batch, countQueryFor!, counts) : new Set<string>(),
      ]);
    }, ([frames, over]) => {
      frames.forEach((df, i) => foldBatch((df.toRecords()[0] ?? {}) as Record<string, unknown>, [columns[i]!], summaries));
      for (const name of over) {
        overflow.add(name);
        counts.delete(name);
      }
      step();
    });
    first = false;
    counted = counted.filter((c) => !overflow.has(c.name));
    pending = group.filter((c) => overflow.has(c.name));
    summarised = [...summarised, ...pending];
  }

  // Pass 2 over the summarised columns: with the whole column's min, max and quartiles known.
  const row: Record<string, unknown> = {};
  const estimates = new Map<string, ColumnEstimates>();
  const passes = new Map<string, Pass2>();
  const exprs = new Map<string, pl.Expr[]>();
  const keysOf = new Map<string, unknown[]>();
  const unique = new Set<string>();
  for (const c of summarised) {
    const s = summaries.get(c.name)!;
    const est: ColumnEstimates = {};
    const never = isRanged(c.type) && s.count > 0 && neverRepeats(s);
    if (never) unique.add(c.name);
    let fences: [number, number] | null = null;
    if (isRanged(c.type) && s.count > 0) {
      const q = quantilesOf(s.quantiles.pairs(), QUANTILES, isNumeric(c.type));
      Object.entries(q).forEach(([k, v]) => (row[`${c.name}${SEP}${k}`] = v));
      if (s.quantiles.rankError > 0) est.quantiles = { rankError: s.quantiles.rankError / s.count };
      if (isNumeric(c.type)) {
        const iqr = q.p75! - q.p25!;
        fences = [q.p25! - 1.5 * iqr, q.p75! + 1.5 * iqr];
      }
    }
    const best = s.hitters.best(2 * TOP_KEPT);
    const keys = never ? [] : [...new Set([...best.keys, ...s.first])].filter((k) => k !== null && k !== undefined);
    if (!never && !best.exact) est.top = { unlistedAtMost: best.unlistedAtMost };
    keysOf.set(c.name, keys);
    passes.set(c.name, { bins: new Map(), outliers: 0, below: [], above: [], fences, gapMins: new Map(), gapMaxes: new Map(), recount: new Map() });
    exprs.set(c.name, pass2Exprs(c, s, fences, keys));
    estimates.set(c.name, est);
  }
  // A query per column: side by side in one query, a table of 20 M rows grew the process by
  // 900 MB over the pass (fragments the allocator kept); a query each, run at once, it stays
  // flat (700 MB peak on 20 M rows) and takes half the time of one after the other.
  const queries = summarised.filter((c) => exprs.get(c.name)!.length).map((c) => ({ c, columns: pass2Columns([c], summaries), exprs: exprs.get(c.name)! }));
  if (queries.length) {
    await eachBatch(table, rows, opts, (batch) => Promise.all(queries.map(({ columns, exprs: own }) => batch.select(...columns).select(...own).collect())), (frames) => {
      for (const [i, { c }] of queries.entries()) {
        const got = (frames[i]!.toRecords()[0] ?? {}) as Record<string, unknown>;
        const p = passes.get(c.name)!;
        const get = (stat: string) => got[`${c.name}${SEP}${stat}`];
        for (const b of listOf(get('bins')) as Record<string, unknown>[]) {
          const k = Number(b[c.name]);
          p.bins.set(k, (p.bins.get(k) ?? 0) + Number(b.count));
        }
        p.outliers += Number(get('outliers') ?? 0);
        p.below = [...p.below, ...listOf(get('below')).map(Number)].sort((a, b) => a - b).slice(0, 5);
        p.above = [...p.above, ...listOf(get('above')).map(Number)].sort((a, b) => b - a).slice(0, 5);
        const buckets = listOf(get('buckets')).map(Number);
        const mins = listOf(get('bucketMin')).map(Number);
        const maxes = listOf(get('bucketMax')).map(Number);
        buckets.forEach((b, i) => {
          p.gapMins.set(b, Math.min(p.gapMins.get(b) ?? Infinity, mins[i]!));
          p.gapMaxes.set(b, Math.max(p.gapMaxes.get(b) ?? -Infinity, maxes[i]!));
        });
        for (const r of listOf(get('recount')) as Record<string, unknown>[]) {
          const key = r[c.name];
          p.recount.set(key, (p.recount.get(key) ?? 0) + Number(r.count));
        }
      }
      step();
    });
  }

  // Into the row profileGroup's assembly reads (column-stats.ts).
  for (const c of summarised) {
    const s = summaries.get(c.name)!;
    const p = passes.get(c.name)!;
    const est = estimates.get(c.name)!;
    const set = (stat: string, v: unknown) => (row[`${c.name}${SEP}${stat}`] = v);
    set('count', s.count);
    set('nulls', s.nulls);
    const distinct = s.distinct.estimate();
    if (unique.has(c.name)) set('distinct', s.count);
    else {
      set('distinct', distinct.distinct);
      if (distinct.relativeError > 0) est.distinct = { relativeError: distinct.relativeError };
    }
    const top = unique.has(c.name)
      ? s.first.map((v) => ({ [c.name]: v, count: 1 }))
      : [...p.recount].sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1)).slice(0, TOP_KEPT).map(([v, n]) => ({ [c.name]: v, count: n }));
    set('top', top);
    if (c.type === 'string' || c.type === 'other') {
      set(`len${SEP}minLength`, s.lengths.min);
      set(`len${SEP}maxLength`, s.lengths.max);
      set(`len${SEP}meanLength`, s.count > 0 ? s.lengths.sum.value / s.count : null);
    }
    if (isRanged(c.type)) {
      set('min', s.min);
      set('max', s.max);
      set('bins', [...p.bins].map(([k, n]) => ({ [c.name]: k, count: n })));
    }
    if (isNumeric(c.type)) {
      const m = momentFigures(s.moments);
      set('sum', s.count > 0 ? s.sum.value : null);
      set('mean', m.mean);
      set('std', m.std);
      set('skew', m.skew);
      set('kurtosis', m.kurtosis);
      set('zeros', s.zeros);
      set('negatives', s.negatives);
      set('outliers', p.outliers);
      if (p.fences) {
        const [low, high] = p.fences;
        const beyond = (v: number) => (v < low ? low - v : v - high);
        set('outlierExamples', [...p.below, ...p.above].sort((a, b) => beyond(b) - beyond(a)).slice(0, 5));
      }
    }
    if (isTemporal(c.type)) {
      set('future', s.future);
      set('days', [...s.days].map(([d, n]) => ({ [c.name]: d, count: n })));
      const { gap, atMost } = largestGap(p, s);
      set('gap', gap);
      if (atMost !== null) est.largestGap = { atMost: atMost / (c.type === 'date' ? 1 : DAY_MS) };
    }
  }
  const now = Date.now();
  for (const c of counted) {
    const kind = KIND_OF[c.type as keyof typeof KIND_OF];
    const pairs: ValueCount[] = [...counts.get(c.name)!].map(([value, count]) => ({ value: value as ValueCount['value'], count }));
    const stats = countedStats(kind, c.name, pairs, rows, {
      bins: BINS, quantiles: QUANTILES, topKept: TOP_KEPT, now: kind === 'date' ? Math.floor(now / DAY_MS) : now, unitMs: kind === 'date' ? DAY_MS : 1,
    });
    for (const [stat, value] of Object.entries(stats)) row[`${c.name}${SEP}${stat}`] = value;
  }
  // Counted by hashes, below the sketch's size: exact unless two values share a hash (see types.ts).
  const byHash = (name: string) => summaries.has(name) && !unique.has(name) && !estimates.get(name)?.distinct;
  const profiles = await assemble(table, group, rows, row, { ...sample, ...await textSample }, byHash);
  return profiles.map((p) => {
    const est = estimates.get(p.name);
    return est && Object.keys(est).length ? { ...p, estimates: est } : p;
  });
}
