// Decides each column's type from all of its values (not a sample), with polars doing
// the counting: a column is of a type when every non-missing value has that type's shape.
// Missing-value markers (NA, NULL, -, …) count as missing only in a column whose other
// values are numbers, dates or booleans, so text such as Namibia's code "NA" survives.
//
// Every expression here is built over a *list* of columns (`pl.col([...])`), which polars
// expands natively: nodejs-polars spends ~1 ms of JavaScript per expression node, so one
// expression per column and shape took a minute on a 1093-column file; this takes < 1 s.
import pl from 'nodejs-polars';
// nodejs-polars only exposes non-strict str.strptime; the strict form is in the binding.
import { _Expr } from 'nodejs-polars/bin/lazy/expr/index.js';
import type { ColumnType, DateOrder, UploadColumn } from './types.ts';
import { WIDE } from './write.ts';

export type { ColumnType, DateOrder };

export const DEFAULT_NULL_MARKERS = ['NA', 'N/A', 'n/a', 'NULL', 'null', 'Null', 'NaN', 'nan', '-', '?', 'Unknown', '#N/A', 'None'];

const DATE_SEPARATORS = ['/', '-', '.'] as const;
const esc = (sep: string) => (sep === '.' ? '\\.' : sep);

const RE: Record<string, string> = {
  boolean: '^(?i:true|false)$',
  // No leading zeros: "01001" is a code, not the number 1001.
  integer: '^[+-]?(0|[1-9][0-9]*)$',
  float: '^[+-]?(([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)$',
  thousands: '^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+$',
  thousandsFloat: '^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+\\.[0-9]+$',
  decimalComma: '^[+-]?[0-9]+,[0-9]+$',
  isoDate: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  isoDatetime: '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$',
  ymdSlash: '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$',
};
for (const sep of DATE_SEPARATORS) {
  RE[`dm4${sep}`] = `^[0-9]{1,2}${esc(sep)}[0-9]{1,2}${esc(sep)}[0-9]{4}$`;
  RE[`dm2${sep}`] = `^[0-9]{1,2}${esc(sep)}[0-9]{1,2}${esc(sep)}[0-9]{2}$`;
}

/** What inference decides for a column is exactly what the result reports. */
export type ColumnPlan = UploadColumn;

export interface InferOptions {
  nullMarkers: string[];
  decimalComma: boolean;
  dateOrder?: DateOrder;
  types?: Record<string, ColumnType>;
}

// A separator no header holds, so `name + SEP + stat` keys cannot collide.
const SEP = '\u241f';
// stripChars(null) trims whitespace in Rust; str.strip() runs as a per-value map and took most of the time.
const stripped = (names: string[]) => pl.col(names).str.stripChars(pl.lit(null));

type Build = (v: () => pl.Expr, raw: () => pl.Expr) => pl.Expr[];

const LONG_CELLS = 2_000_000;

/**
 * Runs aggregations built over a list of columns (`v`: stripped text, `raw`: as read),
 * returning `name + SEP + stat` keys. Wide tables with a known bound on their rows are
 * first turned long (one row per value, grouped by column name): polars then runs each
 * aggregation once over all columns, where a wide query runs it once per column, which
 * took 6.5 s for 10,000 columns × 120 rows. Otherwise in chunks of columns, so one query
 * stays a sane size.
 */
async function aggregate(table: pl.LazyDataFrame, names: string[], build: Build, rowsBound?: number) {
  const merged: Record<string, unknown> = {};
  if (rowsBound !== undefined && names.length > WIDE) {
    const NAME = `${SEP}name`;
    const per = Math.max(1, Math.floor(LONG_CELLS / Math.max(1, rowsBound)));
    for (let start = 0; start < names.length; start += per) {
      const chunk = names.slice(start, start + per);
      const df = await table.select(pl.col(chunk).cast(pl.Utf8)).unpivot([], chunk, { variableName: NAME, valueName: 'v' })
        .groupBy(NAME).agg(...build(() => stripped(['v']), () => pl.col('v'))).collect();
      for (const row of df.toRecords()) {
        for (const [key, value] of Object.entries(row)) if (key !== NAME) merged[`${String(row[NAME])}${key.slice(1)}`] = value;
      }
    }
    return merged;
  }
  const CHUNK = 400;
  for (let start = 0; start < names.length; start += CHUNK) {
    const chunk = names.slice(start, start + CHUNK);
    const df = await table.select(...build(() => stripped(chunk), () => pl.col(chunk))).collect();
    Object.assign(merged, df.toRecords()[0]);
  }
  return merged;
}

type Stats = (stat: string) => number;

export interface Inferred {
  rows: number;
  plans: ColumnPlan[];
  /** Per typed column, how many values are present (not empty, not a marker): all must survive the cast. */
  present: Map<string, number>;
}

/** The counting expressions for `shapes` (all of them when omitted) over a list of columns. */
function shapeCounts(opts: InferOptions, shapes?: string[]) {
  const wanted = (stat: string) => !shapes || shapes.includes(stat);
  return (v: () => pl.Expr): pl.Expr[] => [
    v().neq(pl.lit('')).sum().suffix(`${SEP}filled`),
    v().isIn(opts.nullMarkers).sum().suffix(`${SEP}markers`),
    ...Object.entries(RE).filter(([shape]) => wanted(shape)).map(([shape, re]) => v().str.contains(re).sum().suffix(`${SEP}${shape}`)),
    ...(wanted('int64') ? [v().cast(pl.Int64, false).isNotNull().sum().suffix(`${SEP}int64`)] : []),
    // The largest first and second parts of d/m/y-like values tell day from month.
    ...(wanted('first') ? [
      v().str.extract('^([0-9]{1,2})[/.-]', 1).cast(pl.Int32, false).max().suffix(`${SEP}first`),
      v().str.extract('^[0-9]{1,2}[/.-]([0-9]{1,2})[/.-]', 1).cast(pl.Int32, false).max().suffix(`${SEP}second`),
    ] : []),
  ];
}

/** The shape counts a column's plan was decided on: verifying a candidate needs only these. */
function shapesOf(plan: ColumnPlan): string[] {
  switch (plan.type) {
    case 'boolean': return ['boolean'];
    case 'integer': return plan.format ? ['integer', 'thousands'] : ['integer', 'int64'];
    case 'float':
      if (plan.format === 'decimal comma') return ['decimalComma', 'integer'];
      return plan.format ? ['thousands', 'thousandsFloat', 'integer', 'float'] : ['float', 'integer'];
    case 'datetime': return ['isoDatetime'];
    case 'date': {
      if (plan.format === '%Y-%m-%d') return ['isoDate'];
      if (plan.format === '%Y/%m/%d') return ['ymdSlash'];
      const sep = DATE_SEPARATORS.find((d) => plan.format!.startsWith(`%d${d}`) || plan.format!.startsWith(`%m${d}`))!;
      return [`dm4${sep}`, `dm2${sep}`, 'first', 'second'];
    }
    case 'string': return [];
  }
}

// Rows looked at first. Most columns' type is settled by them; the whole column is then
// checked against that one type only, instead of against every shape.
const SAMPLE_ROWS = 10_000;

/**
 * Decides each column's type from all of its values. A sample proposes a type per column;
 * the full column then confirms it, counting only that type's shapes. A column whose
 * sample already holds free text is text, whatever the rest holds, and costs nothing more.
 * A column the full data does not confirm is counted against every shape. A table that is
 * itself a sample is best counted whole at once: pass its length as `sampleRows`.
 */
export async function inferColumns(table: pl.LazyDataFrame, names: string[], opts: InferOptions, sampleRows = SAMPLE_ROWS): Promise<Inferred> {
  const sample = await aggregate(table.head(sampleRows), names, shapeCounts(opts), sampleRows);
  const proposed = names.map((name) => planColumn(name, (stat) => Number(sample[`${name}${SEP}${stat}`] ?? 0), opts));
  const rowsRow = (await table.select(pl.len().alias('rows')).collect()).toRecords()[0];
  const rows = Number(rowsRow?.rows ?? 0);
  const stats = new Map<string, Stats>();
  const settled = (p: ColumnPlan) => Boolean(opts.types?.[p.name]) || (p.type === 'string' && !p.note);
  const sampleIsAll = rows <= sampleRows;
  for (const name of names) stats.set(name, (stat) => Number(sample[`${name}${SEP}${stat}`] ?? 0));

  if (!sampleIsAll) {
    // Confirm proposals, grouped by the shapes they need, one query per group.
    const byShapes = new Map<string, string[]>();
    for (const p of proposed) {
      if (p.type === 'string' || (settled(p) && !opts.types?.[p.name])) continue;
      // A forced type is not verified, but its present values are counted: the cast must keep them.
      const key = opts.types?.[p.name] ? '' : shapesOf(p).join(',');
      byShapes.set(key, [...(byShapes.get(key) ?? []), p.name]);
    }
    for (const [key, cols] of byShapes) {
      const row = await aggregate(table, cols, shapeCounts(opts, key.split(',')));
      for (const name of cols) stats.set(name, (stat) => Number(row[`${name}${SEP}${stat}`] ?? 0));
    }
    // Not confirmed, or undecided in the sample (empty, ambiguous dates): count every shape.
    const recount = proposed.filter((p, i) => !settled(p) && (p.type === 'string'
      || planColumn(p.name, stats.get(p.name)!, opts).type !== p.type || planColumn(p.name, stats.get(p.name)!, opts).format !== proposed[i]!.format));
    if (recount.length) {
      const row = await aggregate(table, recount.map((p) => p.name), shapeCounts(opts));
      for (const p of recount) stats.set(p.name, (stat) => Number(row[`${p.name}${SEP}${stat}`] ?? 0));
    }
  }
  const present = new Map<string, number>();
  const plans = names.map((name, i) => {
    const n = stats.get(name)!;
    const plan = !sampleIsAll && settled(proposed[i]!) ? proposed[i]! : planColumn(name, n, opts);
    if (plan.type === 'string') return plan;
    const markers = n('markers');
    if (markers > 0 && !opts.types?.[name]) plan.markers = markers;
    present.set(name, n('filled') - markers);
    return plan;
  });
  return { rows, plans, present };
}

function planColumn(name: string, n: Stats, opts: InferOptions): ColumnPlan {
  const forced = opts.types?.[name];
  if (forced) return { name, type: forced, note: 'type set in the config' };
  const filled = n('filled');
  const markers = n('markers');
  // Every non-empty value has one of the counted shapes, markers aside.
  const all = (k: number) => k > 0 && k + markers === filled;
  if (filled === 0) return { name, type: 'string', note: 'empty column' };
  if (n('boolean') === filled) return { name, type: 'boolean' };
  if (all(n('integer'))) {
    if (n('int64') >= n('integer')) return { name, type: 'integer' };
    return { name, type: 'string', note: 'numbers too large for a 64-bit integer: kept as text so no digit is lost' };
  }
  if (n('thousands') > 0 && all(n('thousands') + n('integer'))) return { name, type: 'integer', format: 'thousands separators' };
  if (all(n('float') + n('integer'))) return { name, type: 'float' };
  if (n('thousands') + n('thousandsFloat') > 0 && all(n('thousands') + n('thousandsFloat') + n('integer') + n('float'))) {
    return { name, type: 'float', format: 'thousands separators' };
  }
  if (opts.decimalComma && n('decimalComma') > 0 && all(n('decimalComma') + n('integer'))) {
    return { name, type: 'float', format: 'decimal comma' };
  }
  if (all(n('isoDate'))) return { name, type: 'date', format: '%Y-%m-%d', dateOrder: 'YMD' };
  if (all(n('isoDatetime'))) return { name, type: 'datetime', format: 'ISO' };
  if (all(n('ymdSlash'))) return { name, type: 'date', format: '%Y/%m/%d', dateOrder: 'YMD' };
  for (const sep of DATE_SEPARATORS) {
    const long = n(`dm4${sep}`);
    const short = n(`dm2${sep}`);
    if (!all(long + short)) continue;
    const first = n('first');
    const second = n('second');
    let order: DateOrder | undefined;
    if (first > 12 && second <= 12) order = 'DMY';
    else if (second > 12 && first <= 12) order = 'MDY';
    if (opts.dateOrder === 'DMY' || opts.dateOrder === 'MDY') order = opts.dateOrder;
    if (!order) {
      return {
        name, type: 'string',
        note: `dates whose day and month cannot be told apart (no part above 12): kept as text; set dateOrder: DMY or MDY to read them`,
      };
    }
    const dm = order === 'DMY' ? `%d${sep}%m` : `%m${sep}%d`;
    // Two-digit years read as 1969–2068, as strptime's %y does.
    const format = short === 0 ? `${dm}${sep}%Y` : long === 0 ? `${dm}${sep}%y` : `${dm}${sep}%Y|${dm}${sep}%y`;
    return { name, type: 'date', format, dateOrder: order };
  }
  return { name, type: 'string' };
}

/** Same type, format and treatment: one expression casts them all. */
function groupPlans(plans: ColumnPlan[], facts?: SampleFacts): ColumnPlan[][] {
  const groups = new Map<string, ColumnPlan[]>();
  for (const p of plans) {
    const f = facts?.get(p.name);
    const key = `${p.type}|${p.format ?? ''}|${p.markers ? 'markers' : ''}|${f?.padded ?? ''}|${f?.blanks ?? ''}|${f?.pattern ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}

/**
 * What a sample shows about each column's text that the strict pass can skip work for:
 * values with surrounding spaces (to strip), and empty text or markers (to null). A
 * column whose sample has none is cast as it is; a later value that needs either then
 * fails the strict cast, and the careful pass takes the file.
 */
export type SampleFacts = Map<string, { padded: boolean; blanks: boolean; pattern?: string }>;

// ISO datetimes come in a few spellings; a column that keeps to one is parsed with that
// exact pattern, a third faster than letting polars find it value by value.
const DATETIME_PATTERNS: Record<string, string> = {
  '%Y-%m-%d %H:%M:%S': '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$',
  '%Y-%m-%dT%H:%M:%S': '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$',
  '%Y-%m-%d %H:%M': '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$',
  '%Y-%m-%dT%H:%M': '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$',
};

export async function sampleFacts(sample: pl.LazyDataFrame, plans: ColumnPlan[], opts: InferOptions, rowsBound: number): Promise<SampleFacts> {
  const facts: SampleFacts = new Map();
  const names = plans.filter((p) => p.type !== 'string').map((p) => p.name);
  if (names.length === 0) return facts;
  const datetimes = plans.filter((p) => p.type === 'datetime').map((p) => p.name);
  const row = await aggregate(sample, names, (v, raw) => [
    raw().str.contains('^\\s|\\s$').sum().suffix(`${SEP}padded`),
    v().eq(pl.lit('')).or(v().isIn(opts.nullMarkers)).sum().suffix(`${SEP}blanks`),
    raw().isNotNull().sum().suffix(`${SEP}values`),
  ], rowsBound);
  if (datetimes.length) {
    Object.assign(row, await aggregate(sample, datetimes, (_, raw) => Object.entries(DATETIME_PATTERNS)
      .map(([pattern, re]) => raw().str.contains(re).sum().suffix(`${SEP}${pattern}`)), rowsBound));
  }
  const n = (name: string, stat: string) => Number(row[`${name}${SEP}${stat}`] ?? 0);
  for (const name of names) {
    const pattern = datetimes.includes(name) ? Object.keys(DATETIME_PATTERNS).find((p) => n(name, p) === n(name, 'values') - n(name, 'blanks')) : undefined;
    facts.set(name, { padded: n(name, 'padded') > 0, blanks: n(name, 'blanks') > 0, ...(pattern ? { pattern } : {}) });
  }
  return facts;
}

type Bound = { _expr: { strToDate(...a: unknown[]): unknown; strToDatetime(...a: unknown[]): unknown } };
const toDate = (e: pl.Expr, format: string, strict: boolean): pl.Expr =>
  _Expr((e as unknown as Bound)._expr.strToDate(format, strict, strict, false));
const toDatetime = (e: pl.Expr, format: string | undefined, strict: boolean): pl.Expr =>
  _Expr((e as unknown as Bound)._expr.strToDatetime(format, 'ms', undefined, strict, strict, false, undefined));

/**
 * Text to the plan's type. Non-strict, a value that does not read becomes null (the
 * careful pass counts those afterwards); strict, it makes the whole query fail (the fast
 * pass then hands the file to the careful one). Strict casts accept a little more than the
 * shapes do, so what the shapes exclude is first made unreadable: "007" in an integer
 * column becomes "x" and fails, instead of reading as 7. The tests are byte prefixes and
 * literal searches, not regular expressions: this runs on every value of the file.
 */
function typedExpr(plan: ColumnPlan, v: () => pl.Expr, strict: boolean, pattern?: string): pl.Expr {
  // (text first, so the result keeps the column's name and a failing cast names it.)
  const unless = (bad: pl.Expr, text: pl.Expr) => pl.when(bad.not().fillNull(true)).then(text).otherwise(pl.lit('x'));
  switch (plan.type) {
    case 'boolean': {
      // Not str.toLowerCase(): nodejs-polars runs it as an opaque function, which a plan
      // sent to the Parquet writer's process (sink.ts) cannot carry.
      const isTrue = v().str.contains('^(?i)true$');
      if (!strict) return isTrue;
      return pl.when(isTrue).then(pl.lit('1')).when(v().str.contains('^(?i)false$')).then(pl.lit('0'))
        .when(v().isNull()).then(pl.lit(null)).otherwise(pl.lit('x')).cast(pl.UInt8, true).cast(pl.Bool);
    }
    case 'integer': {
      const text = plan.format ? v().str.replaceAll(',', '', true) : v();
      if (!strict) return text.cast(pl.Int64, false);
      const t = () => text;
      const zeros = t().str.startsWith('0').and(t().neq(pl.lit('0')))
        .or(t().str.startsWith('-0').and(t().neq(pl.lit('-0'))))
        .or(t().str.startsWith('+0').and(t().neq(pl.lit('+0'))));
      return unless(zeros, text).cast(pl.Int64, true);
    }
    case 'float': {
      const text = plan.format === 'decimal comma' ? v().str.replace(',', '.', true)
        : plan.format ? v().str.replaceAll(',', '', true) : v();
      if (!strict) return text.cast(pl.Float64, false);
      // nan, inf and infinity read as floats, but are not numbers to an analyst: each holds an n.
      return unless(text.str.contains('n', true).or(text.str.contains('N', true)), text).cast(pl.Float64, true);
    }
    case 'date': {
      const [long, short] = (plan.format ?? '%Y-%m-%d').split('|') as [string, string | undefined];
      if (!short) return toDate(v(), long, strict);
      // Both branches are computed for every value, so this mix has no strict form.
      if (strict) throw new Error('mixed year widths need the careful pass');
      return pl.when(v().str.contains('[0-9]{4}$')).then(toDate(v(), long, false)).otherwise(toDate(v(), short, false));
    }
    case 'datetime':
      if (pattern) return toDatetime(v(), pattern, strict);
      return toDatetime(v().str.replace('T', ' ', true), plan.format === 'ISO' ? undefined : plan.format, strict);
    case 'string':
      return pl.col(plan.name);
  }
}

/**
 * Whether the fast, strict pass can read columns so planned. Dates ambiguous in a sample
 * may be told apart by the rest of the file, which only the careful pass counts.
 */
export function strictReadable(plans: ColumnPlan[], wholeFile: boolean): boolean {
  return plans.every((p) => !p.format?.includes('|') && (wholeFile || !p.note?.startsWith('dates')));
}

/**
 * Expressions that turn the text columns into their types, one per group of like
 * columns; markers and empty text become null. Output columns keep their names; the
 * order is fixed by a final select on the caller's side. `strict`: see typedExpr.
 */
export function castExprs(plans: ColumnPlan[], opts: InferOptions, strict?: SampleFacts): pl.Expr[] {
  return groupPlans(plans, strict).map((group) => {
    const names = group.map((p) => p.name);
    const plan = group[0]!;
    // Text stays as it is: empty fields were read as null (scan.ts).
    if (plan.type === 'string') return pl.col(names);
    if (strict) {
      const facts = strict.get(names[0]!)!;
      const text = () => (facts.padded ? stripped(names) : pl.col(names));
      // (then first: the expression keeps the column's name, so a failing cast names it.)
      const present = facts.blanks
        ? () => pl.when(text().neq(pl.lit('')).and(text().isIn(opts.nullMarkers).not())).then(text()).otherwise(pl.lit(null))
        : text;
      return typedExpr({ ...plan, name: names[0]! }, present, true, facts.pattern).keepName();
    }
    const missing = () => stripped(names).eq(pl.lit('')).or(stripped(names).isIn(opts.nullMarkers));
    const typed = typedExpr({ ...plan, name: names[0]! }, () => stripped(names), false);
    // Numbers and dates read empty text as null by themselves; only markers need the test.
    if (!plan.markers && plan.type !== 'boolean') return typed.keepName();
    return pl.when(missing().not()).then(typed).otherwise(pl.lit(null)).keepName();
  });
}

/**
 * Per typed column, how many present values the cast turned into null: those would be
 * lost. Read from the written file's null counts, so it costs no pass over the data.
 */
export async function lostValues(typed: pl.LazyDataFrame, rows: number, present: Map<string, number>): Promise<Map<string, number>> {
  if (present.size === 0) return new Map();
  const [nulls] = (await typed.select(pl.col([...present.keys()]).nullCount()).collect()).toRecords();
  const lost = new Map<string, number>();
  for (const [name, count] of present) {
    const kept = rows - Number(nulls?.[name] ?? 0);
    if (kept < count) lost.set(name, count - kept);
  }
  return lost;
}
