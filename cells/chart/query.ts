// The polars side of a chart: a lazy scan of the input's Parquet file, filtered, then either
// grouped (keys and measures), kept as rows (sampled beyond the point limit), or summarised
// into boxes. Only the points the page draws leave this module.
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import { ROW_NUMBER as ROW, type ColumnType } from '../shared/column-type.ts';
import { jsonSafe } from '../shared/json-safe.ts';
import { compileExpression, ExpressionError, parseExpression } from '../shared/expression.ts';
import type { ParamValues } from '../shared/params.ts';
import { bestTimeBucket, binEdge, bucketEnd, DEFAULT_BINS, EDGE_SLACK, numericBins, TRUNCATE_EVERY } from './bins.ts';
import { boxData } from './box.ts';
import { fillEmptyBins } from './empty-bins.ts';
import { MAX_BINS } from './spec.ts';
import type { Plan, PlannedEncoding } from './resolve.ts';
import type { ChartResult, ChartRow, ResolvedBin, ResolvedEncoding, ResolvedSpec } from './types.ts';
import type { Channel } from './vocabulary.ts';

/** At most this many points (data rows) go to the page. */
export const MAX_POINTS = 10_000;
/** Panels of a faceted chart, at most. */
export const MAX_FACETS = 30;
/** The seed of the scatter sample: the same table and spec always give the same points. */
const SAMPLE_SEED = [20_240_601, 7, 1_337, 99] as const;

export interface Source {
  /** The input's Parquet file, scanned lazily. */
  path: string;
  columns: Record<string, ColumnType>;
  signal: AbortSignal;
  /** Input cells' values the filter's `$name` reads. */
  params?: ParamValues;
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
}

function compileFilter(text: string, columns: Record<string, ColumnType>, params?: ParamValues): pl.Expr {
  try {
    return compileExpression(parseExpression(text), columns, params);
  } catch (err) {
    if (err instanceof ExpressionError) throw new CellError('filter_invalid', `filter: ${err.message}`, { key: 'filter' });
    throw err;
  }
}

/** Runs a polars query; a failure caused by the filter (not a condition, a type clash) is the filter's error. */
async function collect(frame: pl.LazyDataFrame, hasFilter: boolean): Promise<Record<string, unknown>[]> {
  try {
    return (await frame.collect()).toRecords() as Record<string, unknown>[];
  } catch (err) {
    const message = String((err as Error)?.message ?? err).split('\n')[0]!;
    if (hasFilter) throw new CellError('filter_invalid', `filter: polars could not apply it: ${message} (a filter is a condition, true or false per row)`, { key: 'filter' });
    throw err;
  }
}

const entries = (plan: Plan) => Object.entries(plan.encoding) as [Channel, PlannedEncoding][];

/** Channels that are grouped by (aggregate mode) or drawn as they are (raw mode). */
function keyChannels(plan: Plan): Channel[] {
  const keys = entries(plan).filter(([, e]) => !e.aggregate).map(([c]) => c);
  // The category first: sorting by keys then orders bars by category, then by color within.
  return plan.category && keys.includes(plan.category) ? [plan.category, ...keys.filter((c) => c !== plan.category)] : keys;
}

function notNull(fields: string[]): pl.Expr | undefined {
  return [...new Set(fields)].map((f) => pl.col(f).isNotNull()).reduce<pl.Expr | undefined>((a, b) => (a ? a.and(b) : b), undefined);
}

export async function chartData(source: Source, plan: Plan): Promise<ChartResult> {
  const { config } = plan;
  // Raw points and outliers are sampled by row number, so those scans carry one.
  const scan = plan.mode === 'aggregate' ? pl.scanParquet(source.path) : pl.scanParquet(source.path).withRowIndex(ROW);
  const filter = config.filter ? compileFilter(config.filter, source.columns, source.params) : undefined;
  const filtered = filter ? scan.filter(filter) : scan;
  const keys = keyChannels(plan);
  // Rows are left out when a key (or, for raw points and boxes, any field drawn) is missing.
  const required = entries(plan).filter(([c, e]) => e.field && (plan.mode !== 'aggregate' || keys.includes(c))).map(([, e]) => e.field!);
  const usable = notNull(required);

  // One pass for what the query needs to know first: row counts, bin ranges, panels.
  const stats: pl.Expr[] = [pl.len().alias('kept')];
  if (usable) stats.push(usable.cast(pl.UInt32).sum().alias('usable'));
  for (const [c, e] of entries(plan)) {
    if (e.bin && e.bin.kind !== 'none' && e.bin.kind !== 'time') stats.push(pl.col(e.field!).min().alias(`min ${c}`), pl.col(e.field!).max().alias(`max ${c}`));
  }
  if (plan.encoding.facet) stats.push(pl.col(plan.encoding.facet.field!).dropNulls().nUnique().alias('facets'));
  const [[total], [first]] = await Promise.all([collect(scan.select(pl.len().alias('rows')), false), collect(filtered.select(...stats), Boolean(filter))]);
  checkAborted(source.signal);
  const rowsIn = Number(total!.rows);
  const rowsFiltered = Number(first!.kept);
  const rowsUsable = usable ? Number(first!.usable ?? 0) : rowsFiltered;
  const facets = Number(first!.facets ?? 0);
  if (facets > MAX_FACETS) {
    throw new CellError('too_many_facets', `facet: "${plan.encoding.facet!.field}" has ${facets} values; a chart draws at most ${MAX_FACETS} panels (filter the rows, or facet by a column with fewer values)`, { key: 'facet' });
  }

  const bins = resolveBins(plan, first!);
  const warnings: string[] = [];
  if (rowsUsable < rowsFiltered) {
    const fields = [...new Set(required)].map((f) => `"${f}"`).join(', ');
    warnings.push(`${(rowsFiltered - rowsUsable).toLocaleString('en-US')} rows with no value in ${fields} are left out`);
  }
  const base = usable ? filtered.filter(usable) : filtered;

  let rows: ChartRow[];
  let sampled = false;
  let truncated = false;
  let outliers: ChartRow[] | undefined;
  if (plan.mode === 'box') {
    ({ rows, outliers, truncated } = await boxData(await positiveBoxValues(base, plan, warnings), plan, { keys, keyExpr: (c) => keyExpr(plan, c, bins[c]), rowNumber: ROW, maxBoxes: MAX_POINTS }));
  } else if (plan.mode === 'aggregate') {
    ({ rows, truncated } = await aggregated(base, plan, keys, bins, Boolean(filter)));
    if (!truncated) rows = fillEmptyBins(rows, plan, bins, MAX_POINTS);
  } else {
    ({ rows, sampled, truncated } = await raw(base, plan, rowsUsable, Boolean(filter)));
  }
  checkAborted(source.signal);
  rows = rows.map((r) => withBinEnds(r, bins));
  rows = dropNonPositive(rows, plan, warnings);
  if (sampled) warnings.push(`a sample of ${rows.length.toLocaleString('en-US')} of ${rowsUsable.toLocaleString('en-US')} rows is drawn (the same sample on every run)`);
  if (truncated) warnings.push(config.limit ? `limit: only the first ${config.limit.toLocaleString('en-US')} ${plan.category && keys.length > 1 ? 'categories' : 'rows'} are drawn` : `only the first ${MAX_POINTS.toLocaleString('en-US')} points are drawn; filter the rows, bin, or set a limit`);
  if (rowsFiltered === 0) warnings.push(filter ? 'no row passes the filter' : 'the input has no rows');
  return {
    spec: resolvedSpec(plan, bins),
    data: rows,
    rowsIn,
    rowsFiltered,
    pointsOut: rows.length + (outliers?.length ?? 0),
    sampled,
    truncated,
    ...(outliers ? { outliers } : {}),
    warnings,
  };
}

// --- bins ------------------------------------------------------------------------------------

function resolveBins(plan: Plan, stats: Record<string, unknown>): Partial<Record<Channel, ResolvedBin>> {
  const out: Partial<Record<Channel, ResolvedBin>> = {};
  for (const [c, e] of entries(plan)) {
    const bin = e.bin;
    if (!bin || bin.kind === 'none') continue;
    if (bin.kind === 'time') { out[c] = { unit: bin.unit }; continue; }
    const min = stats[`min ${c}`];
    const max = stats[`max ${c}`];
    const isTime = e.column === 'date' || e.column === 'datetime';
    if (isTime) {
      const lo = min instanceof Date ? min.getTime() : 0;
      const hi = max instanceof Date ? max.getTime() : 0;
      out[c] = { unit: bestTimeBucket(lo, hi, e.column === 'datetime') };
      continue;
    }
    const lo = Number(min ?? 0);
    const hi = Number(max ?? 0);
    const whole = e.column === 'integer';
    const b = numericBins(lo, hi, bin.kind === 'step' ? { step: bin.step, wholeNumbers: whole } : { maxBins: bin.kind === 'count' ? bin.count : DEFAULT_BINS, wholeNumbers: whole });
    if (b.count > MAX_BINS) {
      throw new CellError('too_many_bins', `${c}: bins of ${b.step} over ${lo} … ${hi} make ${b.count.toLocaleString('en-US')} bins; at most ${MAX_BINS}`, { key: `${c}.bin` });
    }
    out[c] = { start: b.start, step: b.step };
  }
  return out;
}

/** A key channel's expression: the field, its bin index, or its date truncated to the bucket. */
function keyExpr(plan: Plan, c: Channel, bin: ResolvedBin | undefined): pl.Expr {
  const col = pl.col(plan.encoding[c]!.field!);
  if (bin && 'step' in bin) {
    return col.cast(pl.Float64).sub(pl.lit(bin.start)).div(pl.lit(bin.step)).add(pl.lit(EDGE_SLACK)).floor().cast(pl.Int64).alias(c);
  }
  if (bin && 'unit' in bin) return col.dt.truncate(TRUNCATE_EVERY[bin.unit]).alias(c);
  return col.alias(c);
}

/** Numeric bins come back as indexes: each becomes its start (in the channel) and end (x2, y2). */
function withBinEnds(row: ChartRow, bins: Partial<Record<Channel, ResolvedBin>>): ChartRow {
  for (const [c, bin] of Object.entries(bins) as [Channel, ResolvedBin][]) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    const end = `${c}2` as 'x2' | 'y2';
    if ('step' in bin) {
      row[c] = binEdge(bin, Number(v));
      if (c === 'x' || c === 'y') row[end] = binEdge(bin, Number(v) + 1);
    } else if (c === 'x' || c === 'y') {
      row[end] = bucketEnd(new Date(String(v)), bin.unit).toISOString();
    }
  }
  return row;
}

/** A log scale cannot place zero or less: those points are left out, and said so. */
function dropNonPositive(rows: ChartRow[], plan: Plan, warnings: string[]): ChartRow[] {
  const logged = entries(plan).filter(([, e]) => e.scale === 'log').map(([c]) => c);
  // A box's row holds its quartiles, not the value channel: its values were filtered before (positiveBoxValues).
  if (!logged.length || plan.mode === 'box') return rows;
  const kept = rows.filter((r) => logged.every((c) => typeof r[c] === 'number' && (r[c] as number) > 0));
  if (kept.length < rows.length) warnings.push(`${rows.length - kept.length} points at or below zero are left out of the log scale on ${logged.join(', ')}`);
  return kept;
}

/** For boxes on a log scale: only values above zero go into the quartiles, the others said so. */
async function positiveBoxValues(base: pl.LazyDataFrame, plan: Plan, warnings: string[]): Promise<pl.LazyDataFrame> {
  const channel = plan.orientation === 'vertical' ? 'y' : 'x';
  const value = plan.encoding[channel];
  if (value?.scale !== 'log') return base;
  const positive = pl.col(value.field!).gt(0);
  const [counted] = (await base.select(positive.not().sum().alias('n')).collect()).toRecords();
  const dropped = Number(counted?.n ?? 0);
  if (dropped > 0) warnings.push(`${dropped.toLocaleString('en-US')} values at or below zero are left out of the log scale on ${channel}`);
  return base.filter(positive);
}

// --- aggregate mode --------------------------------------------------------------------------

function measureExpr(e: PlannedEncoding): pl.Expr {
  if (!e.field) return pl.len();
  const col = pl.col(e.field);
  switch (e.aggregate!) {
    case 'count': return col.count();
    case 'distinct': return col.dropNulls().nUnique();
    case 'sum': return (e.column === 'boolean' ? col.cast(pl.UInt32) : col).sum();
    case 'mean': return col.cast(pl.Float64).mean();
    case 'median': return col.cast(pl.Float64).median();
    case 'min': return col.min();
    case 'max': return col.max();
  }
}

async function aggregated(base: pl.LazyDataFrame, plan: Plan, keys: Channel[], bins: Partial<Record<Channel, ResolvedBin>>, hasFilter: boolean) {
  const measures = entries(plan).filter(([, e]) => e.aggregate);
  const aggs = measures.map(([c, e]) => measureExpr(e).alias(c));
  let frame = keys.length
    ? base.groupBy(keys.map((c) => keyExpr(plan, c, bins[c]))).agg(...aggs)
    : base.select(...aggs);
  const { sort, limit } = plan.config;
  const by: pl.Expr[] = [];
  const descending: boolean[] = [];
  if (sort) {
    const isMeasure = Boolean(plan.encoding[sort.channel]!.aggregate);
    // Stacked or faceted bars rank their categories by the whole bar, not by one segment.
    by.push(isMeasure && plan.category && keys.length > 1 ? pl.col(sort.channel).sum().over(plan.category) : pl.col(sort.channel));
    descending.push(sort.descending);
  }
  for (const c of keys) { by.push(pl.col(c)); descending.push(false); }
  if (by.length) frame = frame.sort(by, descending, true);
  let truncated = false;
  if (limit && plan.category && keys.length > 1 && keys.includes(plan.category)) {
    const firstCategories = frame.select(pl.col(plan.category)).unique({ maintainOrder: true }).head(limit);
    const [{ n }] = await collect(frame.select(pl.col(plan.category).nUnique().alias('n')), hasFilter) as [{ n: number }];
    truncated = Number(n) > limit;
    frame = frame.join(firstCategories, { on: plan.category, how: 'semi' }).sort(by, descending, true);
  } else if (limit) {
    frame = frame.head(limit + 1);
  }
  const records = await collect(frame.head(MAX_POINTS + 1), hasFilter);
  const cap = limit && !(plan.category && keys.length > 1) ? Math.min(limit, MAX_POINTS) : MAX_POINTS;
  if (records.length > cap) truncated = true;
  return { rows: records.slice(0, cap).map(toRow), truncated };
}

// --- raw mode --------------------------------------------------------------------------------

async function raw(base: pl.LazyDataFrame, plan: Plan, available: number, hasFilter: boolean) {
  const { sort, limit } = plan.config;
  const columns = entries(plan).map(([c, e]) => pl.col(e.field!).alias(c));
  let frame = base.select(pl.col(ROW), ...columns);
  const ordered = (f: pl.LazyDataFrame) => {
    if (sort) return f.sort(pl.col(sort.channel), sort.descending, true);
    // A line is drawn in x order; other marks keep the table's order.
    if ((plan.mark === 'line' || plan.mark === 'area' || plan.mark === 'rule') && plan.encoding.x) return f.sort([pl.col('x'), pl.col(ROW)]);
    return f;
  };
  const cap = Math.min(limit ?? MAX_POINTS, MAX_POINTS);
  let sampled = false;
  if (limit || available <= MAX_POINTS) {
    frame = ordered(frame).head(cap);
  } else {
    // Deterministic: the rows whose hashed row numbers are smallest, a uniform sample that
    // the same table and spec give again on every run; then back in table order.
    frame = ordered(frame.sort(pl.col(ROW).hash(...SAMPLE_SEED)).head(cap).sort(ROW));
    sampled = true;
  }
  const records = await collect(frame, hasFilter);
  return { rows: records.map(toRow), sampled, truncated: !sampled && available > cap };
}

function toRow(record: Record<string, unknown>): ChartRow {
  const row: ChartRow = {};
  for (const [k, v] of Object.entries(record)) if (k !== ROW) row[k as Channel] = jsonSafe(v) as ChartRow[Channel];
  return row;
}

// --- the spec as drawn ---------------------------------------------------------------------------

function label(e: PlannedEncoding, bin: ResolvedBin | undefined): string {
  if (e.label) return e.label;
  if (e.aggregate) return e.aggregate === 'count' && !e.field ? 'count' : `${e.aggregate}(${e.field})`;
  if (bin && 'unit' in bin) return `${e.field} (${bin.unit})`;
  return e.field!;
}

function resolvedSpec(plan: Plan, bins: Partial<Record<Channel, ResolvedBin>>): ResolvedSpec {
  const encoding: ResolvedSpec['encoding'] = {};
  for (const [c, e] of entries(plan)) {
    const r: ResolvedEncoding = { type: e.type, label: label(e, bins[c]) };
    if (e.field) r.field = e.field;
    if (e.aggregate) r.aggregate = e.aggregate;
    if (bins[c]) r.bin = bins[c];
    if (e.format) r.format = e.format;
    if (e.scale) r.scale = e.scale;
    encoding[c] = r;
  }
  const { config } = plan;
  return {
    mark: plan.mark,
    orientation: plan.orientation,
    ...(config.title ? { title: config.title } : {}),
    encoding,
    ...(config.filter ? { filter: config.filter } : {}),
    ...(config.sort ? { sort: config.sort } : {}),
    ...(config.limit ? { limit: config.limit } : {}),
    ...(config.height ? { height: config.height } : {}),
    defaults: plan.defaults,
  };
}
