// Statistics for one group of columns in one polars query.
//
// nodejs-polars spends about a millisecond of JavaScript per expression node, so the
// statistic expressions are built ONCE, over dtype selectors (`pl.col(pl.Float64)`),
// and reused for every group: each group's frame first brings its columns to a small
// set of dtypes (numbers → Float64, dates → Int64 days, datetimes → Int64 ms). A
// 1093-column file then costs a few hundred expression nodes, not a hundred thousand.
import pl from 'nodejs-polars';
import { jsonSafe } from '../json-safe.ts';
import type { ColumnAlert, ColumnProfile, HistogramBin, ProfileType, ProfileValue, Quantiles, TopValue } from './types.ts';

const SEP = '\u241f';
const BINS = 20;
const TOP = 10;
const QUANTILES = { p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;
const DAY_MS = 86_400_000;

/** The profile type of a polars dtype (by its variant name, which is stable across widths). */
export function profileType(dtype: pl.DataType): ProfileType {
  const v: string = dtype.variant;
  if (/^U?Int(8|16|32|64|128)$/.test(v)) return 'integer';
  if (v === 'Float32' || v === 'Float64' || v === 'Decimal') return 'float';
  if (v === 'Bool') return 'boolean';
  if (v === 'Date') return 'date';
  if (v === 'Datetime') return 'datetime';
  if (v === 'Utf8' || v === 'String' || v === 'Categorical' || v === 'Enum') return 'string';
  return 'other';
}

const isNumeric = (t: ProfileType) => t === 'integer' || t === 'float';
const isTemporal = (t: ProfileType) => t === 'date' || t === 'datetime';

let built: pl.Expr[] | null = null;
/** The statistic expressions, shared by every group (see the note at the top). */
function statExprs(): pl.Expr[] {
  if (built) return built;
  const num = () => pl.col(pl.Float64);
  const time = () => pl.col(pl.Int64);
  const text = () => pl.col(pl.Utf8);
  const ranged = (c: () => pl.Expr) => {
    // Equal-width bins between the column's own min and max; a constant column is one bin.
    const span = c().max().sub(c().min());
    const bin = pl.when(span.gt(0)).then(c().sub(c().min()).div(span).mul(BINS).floor().clip(0, BINS - 1)).otherwise(pl.lit(0));
    return Array.from({ length: BINS }, (_, k) => bin.eq(k).sum().suffix(`${SEP}h${k}`));
  };
  built = [
    pl.all().count().suffix(`${SEP}count`),
    pl.all().nullCount().suffix(`${SEP}nulls`),
    pl.all().dropNulls().nUnique().suffix(`${SEP}distinct`),
    pl.all().dropNulls().valueCounts(true).head(TOP).implode().suffix(`${SEP}top`),
    num().min().suffix(`${SEP}min`),
    num().max().suffix(`${SEP}max`),
    num().mean().suffix(`${SEP}mean`),
    num().std().suffix(`${SEP}std`),
    num().sum().suffix(`${SEP}sum`),
    ...Object.entries(QUANTILES).map(([k, q]) => num().quantile(q, 'linear').suffix(`${SEP}${k}`)),
    ...ranged(num),
    time().min().suffix(`${SEP}min`),
    time().max().suffix(`${SEP}max`),
    ...Object.entries(QUANTILES).map(([k, q]) => time().quantile(q, 'nearest').suffix(`${SEP}${k}`)),
    ...ranged(time),
    text().str.lengths().min().suffix(`${SEP}minLength`),
    text().str.lengths().mean().suffix(`${SEP}meanLength`),
    text().str.lengths().max().suffix(`${SEP}maxLength`),
  ];
  return built;
}

export interface ColumnInfo {
  name: string;
  type: ProfileType;
}

/** Brings a group's columns to the dtypes the shared expressions select. */
function normalise(group: ColumnInfo[]): pl.Expr[] {
  const by = (pred: (t: ProfileType) => boolean) => group.filter((c) => pred(c.type)).map((c) => c.name);
  const out: pl.Expr[] = [];
  const num = by(isNumeric);
  const time = by(isTemporal);
  const text = by((t) => t === 'string');
  const bool = by((t) => t === 'boolean');
  const other = by((t) => t === 'other');
  if (num.length) out.push(pl.col(num).cast(pl.Float64));
  if (time.length) out.push(pl.col(time).cast(pl.Int64));
  if (text.length) out.push(pl.col(text).cast(pl.Utf8));
  if (bool.length) out.push(pl.col(bool));
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

const num = (v: unknown): number | null => {
  const s = jsonSafe(v);
  return typeof s === 'number' ? s : null;
};

function histogram(row: Record<string, unknown>, name: string, type: ProfileType, min: number | null, max: number | null): HistogramBin[] | null {
  if (min === null || max === null) return null;
  const span = max - min;
  const bins: HistogramBin[] = [];
  const n = span > 0 ? BINS : 1;
  for (let k = 0; k < n; k++) {
    const start = min + (span * k) / BINS;
    const end = span > 0 ? min + (span * (k + 1)) / BINS : max;
    bins.push({ start: present(start, type) as number | string, end: present(end, type) as number | string, count: Number(row[`${name}${SEP}h${k}`] ?? 0) });
  }
  return bins;
}

export function alertsFor(c: Omit<ColumnProfile, 'alerts'>, rows: number): ColumnAlert[] {
  const alerts: ColumnAlert[] = [];
  if (rows > 0 && c.count === 0) alerts.push({ code: 'empty', message: 'every value is missing' });
  else if (c.distinct === 1) alerts.push({ code: 'constant', message: `one value only: ${String(c.top[0]?.value)}` });
  if (c.count > 0 && c.nullRate > 0.5) alerts.push({ code: 'many_missing', message: `${(c.nullRate * 100).toFixed(1)}% of values are missing` });
  if (rows > 1 && c.distinct === rows && c.type !== 'float') alerts.push({ code: 'unique', message: 'every value is different (an identifier?)' });
  else if (c.type === 'string' && c.distinct > 50 && c.distinct > c.count / 2) {
    alerts.push({ code: 'high_cardinality', message: `${c.distinct} distinct values in ${c.count}` });
  }
  return alerts;
}

/** Profiles one group of columns with a single polars query. */
export async function profileGroup(table: pl.LazyDataFrame, group: ColumnInfo[], rows: number): Promise<ColumnProfile[]> {
  const df = await table.select(...normalise(group)).select(...statExprs()).collect();
  const row = (df.toRecords()[0] ?? {}) as Record<string, unknown>;
  return group.map(({ name, type }) => {
    const get = (stat: string) => row[`${name}${SEP}${stat}`];
    const count = Number(get('count') ?? 0);
    const nulls = Number(get('nulls') ?? 0);
    const ranged = isNumeric(type) || isTemporal(type);
    const min = ranged ? num(get('min')) : null;
    const max = ranged ? num(get('max')) : null;
    const top: TopValue[] = ((get('top') as Record<string, unknown>[] | null) ?? []).map((s) => ({
      value: present(s[name], type), count: Number(s.count ?? 0),
    }));
    const quantiles = ranged && count > 0
      ? Object.fromEntries(Object.keys(QUANTILES).map((k) => [k, present(get(k), type)])) as unknown as Quantiles
      : null;
    const profile: Omit<ColumnProfile, 'alerts'> = {
      name, type, count, nulls,
      nullRate: rows > 0 ? nulls / rows : 0,
      distinct: Number(get('distinct') ?? 0),
      min: present(min, type),
      max: present(max, type),
      mean: isNumeric(type) ? num(get('mean')) : null,
      std: isNumeric(type) ? num(get('std')) : null,
      sum: isNumeric(type) ? num(get('sum')) : null,
      quantiles,
      histogram: ranged ? histogram(row, name, type, min, max) : null,
      top,
      ...(type === 'string' ? { minLength: num(get('minLength')), meanLength: num(get('meanLength')), maxLength: num(get('maxLength')) } : {}),
    };
    return { ...profile, alerts: alertsFor(profile, rows) };
  });
}
