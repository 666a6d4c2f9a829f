// What a profile finds that cleaning would fix, beyond its statistics: a second header row,
// markers of a missing value (N/A, -, 999), one category written in several cases, numbers
// stored as text (thousands separators, markers among them). Read from the first
// CLEANING_ROWS rows and MAX_COLUMNS columns; "Suggest cleaning" (suggest-cleaning.ts)
// writes a transform cell from it.
import pl from 'nodejs-polars';
import { ROW_NUMBER } from '../shared/column-type.ts';
import type { ColumnProfile } from './types.ts';
import type { CleaningHints } from './cleaning-types.ts';

/** Rows read for the hints: the start of a tall table (its text made long is held in memory). */
export const CLEANING_ROWS = 50_000;
/** Text columns looked at for case variants: few enough distinct values to be categories. */
const CATEGORY_DISTINCT = 200;
/** Columns looked at, at most (a 1093-column survey): a second header shows in the first ones. */
const MAX_COLUMNS = 100;
/** Text columns whose spellings are counted by a query of their own (those whose top values hold every value need none). */
const MAX_VARIANT_QUERIES = 20;

/** Words that stand for "no value" in exported text. `NA` is one only where values are not two-letter codes (Namibia is NA). */
export const TEXT_MARKERS = ['N/A', 'n/a', 'NA', '#N/A', '-', '--', '?', 'NULL', 'null', 'None', 'none', 'nan', 'NaN', 'missing', 'Unknown', 'unknown'];
/** Numbers that stand for "no value": each only where it sits apart from the rest (see numberMarkers). */
export const NUMBER_MARKERS = [-1, -99, -999, -9999, 99, 999, 9999, 99999];

const NUMBER = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)$';
const GROUPED = '^[+-]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$';
const CODE = '^[A-Z]{2}$';
const FRACTION = '^[+-]?[\\d,]*\\.\\d';

const sum = (e: pl.Expr, alias: string) => e.cast(pl.Int64).sum().alias(alias);

export async function cleaningHints(table: pl.LazyDataFrame, columns: ColumnProfile[]): Promise<CleaningHints> {
  const head = table.head(CLEANING_ROWS);
  const looked = columns.slice(0, MAX_COLUMNS);
  const text = looked.filter((c) => c.type === 'string');
  const hints: CleaningHints = { rowsRead: 0, secondHeader: null, padded: [], markers: [], caseVariants: [], numbersAsText: [] };
  hints.rowsRead = Number((await one(head, [pl.len().alias('n')])).n ?? 0);
  if (!text.length && !looked.length) return hints;

  // Every text column's figures at once, from the table made long (column, row, value): a
  // fixed handful of expressions whatever the width (one select of ten per column took
  // seconds on a 100-column table).
  const firstRow = text.length ? await one(head, text.map((c) => pl.col(c.name))) : {};
  const long = text.length ? head.select(...text.map((c) => pl.col(c.name))).withRowIndex(ROW_NUMBER)
    .unpivot([ROW_NUMBER], text.map((c) => c.name)).withColumns(pl.col('value').str.stripChars(pl.lit(null)).alias('t')) : undefined;
  const t = pl.col('t');
  const rest = pl.col(ROW_NUMBER).gt(0);
  const isNumber = t.str.contains(NUMBER).or(t.str.contains(GROUPED));
  const stats = long ? (await long.groupBy('variable').agg(
    sum(t.isNotNull(), 'present'),
    sum(pl.col('value').neq(t), 'padded'),
    sum(t.str.contains(NUMBER), 'plain'),
    sum(t.str.contains(GROUPED), 'grouped'),
    sum(t.isIn(TEXT_MARKERS), 'marked'),
    sum(t.str.contains(FRACTION), 'fractions'),
    sum(t.str.contains(CODE), 'codes'),
    sum(rest.and(isNumber), 'rest_numbers'),
    sum(rest.and(t.isIn(TEXT_MARKERS)), 'rest_marked'),
    sum(rest.and(t.isNotNull()), 'rest_present'),
  ).collect()).toRecords() : [];
  const byColumn = new Map(stats.map((r) => [String(r.variable), (k: string) => Number(r[k] ?? 0)]));

  const headerLike: string[] = [];
  const textOverNumbers: { column: string; integer: boolean }[] = [];
  for (const c of text) {
    const n = byColumn.get(c.name);
    if (!n) continue;
    const first = firstRow[c.name];
    const firstText = typeof first === 'string' ? first.trim() : '';
    if (firstText && firstText.toLowerCase() === c.name.trim().toLowerCase()) headerLike.push(c.name);
    const integer = n('fractions') === 0;
    // Every value below the first reads as a number (or says none), the first does not: a header over numbers.
    if (firstText && n('rest_numbers') > 0 && n('rest_numbers') + n('rest_marked') === n('rest_present') && !new RegExp(`${NUMBER}|${GROUPED}`).test(firstText)) {
      textOverNumbers.push({ column: c.name, integer });
    }
    if (n('padded') > 0) hints.padded.push({ column: c.name, values: n('padded') });
    const [plain, grouped, marked, present] = [n('plain'), n('grouped'), n('marked'), n('present')];
    // Numbers, with separators or beside markers of a missing value, and nothing else: text only because of those.
    if (plain + grouped > 0 && (grouped > 0 || marked > 0) && plain + grouped + marked === present) {
      hints.numbersAsText.push({ column: c.name, integer, grouped, marked });
    }
  }
  // Row 1 is a second header when it repeats the header, or is text over columns of numbers.
  if (headerLike.length >= Math.max(1, Math.ceil(text.length / 2)) || textOverNumbers.length > 0) {
    hints.secondHeader = { repeatsHeader: headerLike, textOverNumbers };
  }
  if (long) await textMarkers(long, text.map((c) => c.name), byColumn, hints);
  const numbersAsText = new Set([...textOverNumbers.map((c) => c.column), ...hints.numbersAsText.map((g) => g.column)]);
  await numberMarkers(head, looked, numbersAsText, hints);
  await caseVariants(head, text.filter((c) => !numbersAsText.has(c.name)), hints);
  return hints;
}

/** The one row of a select over `frame`, as a record. */
async function one(frame: pl.LazyDataFrame, exprs: pl.Expr[]): Promise<Record<string, unknown>> {
  return (await frame.select(...exprs).collect()).toRecords()[0] ?? {};
}

/** Which markers each text column holds, and how often; NA only where the values are not two-letter codes. */
async function textMarkers(long: pl.LazyDataFrame, names: string[], byColumn: Map<string, (k: string) => number>, hints: CleaningHints): Promise<void> {
  const found = (await long.filter(pl.col('t').isIn(TEXT_MARKERS)).groupBy(['variable', 't']).len().collect()).toRecords();
  const order = (r: Record<string, unknown>) => TEXT_MARKERS.indexOf(String(r.t));
  // In the table's column order, each column's markers in TEXT_MARKERS' order.
  for (const r of found.sort((a, b) => names.indexOf(String(a.variable)) - names.indexOf(String(b.variable)) || order(a) - order(b))) {
    const n = byColumn.get(String(r.variable))!;
    const count = Number(r.len ?? r.count ?? 0);
    if (count === n('present')) continue;
    if (r.t === 'NA' && n('codes') - count >= (n('present') - count) / 2) continue; // two-letter codes: NA is a country
    hints.markers.push({ column: String(r.variable), value: String(r.t), count });
  }
}

/**
 * Number markers: a negative one (-1) in a column otherwise ≥ 0, a large one (999) as the
 * column's largest value, more than twice the next. Number columns, and text columns of
 * numbers (read as numbers here; the marker is replaced as written, before the cast).
 */
async function numberMarkers(head: pl.LazyDataFrame, looked: ColumnProfile[], numbersAsText: Set<string>, hints: CleaningHints): Promise<void> {
  const targets = looked.filter((c) => c.type === 'integer' || c.type === 'float' || numbersAsText.has(c.name));
  if (!targets.length) return;
  const long = head.select(...targets.map((c) => (c.type === 'string'
    ? pl.col(c.name).str.stripChars(pl.lit(null)).str.replaceAll(',', '', true).cast(pl.Float64, false) : pl.col(c.name).cast(pl.Float64))))
    .unpivot([], targets.map((c) => c.name));
  const v = pl.col('value');
  const figures = new Map((await long.groupBy('variable').agg(
    sum(v.lt(0), 'negative'), sum(v.isNotNull(), 'present'), v.max().alias('max'),
    pl.when(v.lt(v.max())).then(v).otherwise(pl.lit(null)).max().alias('next'),
  ).collect()).toRecords().map((r) => [String(r.variable), r]));
  const found = (await long.filter(v.isIn(NUMBER_MARKERS)).groupBy(['variable', 'value']).len().collect()).toRecords();
  for (const c of targets) {
    const f = figures.get(c.name);
    if (!f) continue;
    for (const m of NUMBER_MARKERS) {
      const hit = found.find((r) => r.variable === c.name && Number(r.value) === m);
      const count = Number(hit?.len ?? hit?.count ?? 0);
      if (!count || count === Number(f.present)) continue;
      const apart = m < 0 ? Number(f.negative) === count : Number(f.max) === m && f.next !== null && Number(f.next) * 2 < m;
      if (apart) hints.markers.push({ column: c.name, value: c.type === 'string' ? String(m) : m, count });
    }
  }
}

/** Categories written in several cases: from the top values when they hold every value, else counted. */
async function caseVariants(head: pl.LazyDataFrame, text: ColumnProfile[], hints: CleaningHints): Promise<void> {
  let queries = 0;
  for (const c of text.filter((c) => c.distinct > 1 && c.distinct <= CATEGORY_DISTINCT && !c.distinctByHash)) {
    let values: { value: string; count: number }[];
    if (c.top.length >= c.distinct && !c.estimates?.top) values = c.top.map((t) => ({ value: String(t.value), count: t.count }));
    else if (queries++ < MAX_VARIANT_QUERIES) {
      const rows = (await head.select(pl.col(c.name).alias('v')).dropNulls().groupBy('v').len().collect()).toRecords();
      values = rows.map((r) => ({ value: String(r.v), count: Number(r.len ?? r.count ?? 0) }));
    } else continue;
    // Spaces around a value are trim's: "Europe " and "Europe" are one spelling here.
    const spellings = new Map<string, number>();
    for (const { value, count } of values) spellings.set(value.trim(), (spellings.get(value.trim()) ?? 0) + count);
    const byLower = new Map<string, { value: string; count: number }[]>();
    for (const [value, count] of spellings) byLower.set(value.toLowerCase(), [...(byLower.get(value.toLowerCase()) ?? []), { value, count }]);
    for (const forms of byLower.values()) {
      if (forms.length < 2) continue;
      forms.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      hints.caseVariants.push({ column: c.name, forms });
    }
  }
}
