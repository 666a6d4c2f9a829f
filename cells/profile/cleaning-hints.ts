// What a profile finds that cleaning would fix, beyond its statistics: a second header row,
// markers of a missing value (N/A, -, 999), one category written in several cases, numbers
// stored as text (thousands separators, markers among them). Read from the first CLEANING_ROWS rows, as the
// text details are; "Suggest cleaning" (suggest-cleaning.ts) writes a transform cell from it.
import pl from 'nodejs-polars';
import type { ColumnProfile } from './types.ts';
import type { CleaningHints } from './cleaning-types.ts';

/** Rows read for the hints: the start of a tall table, as TextDetail's sample. */
export const CLEANING_ROWS = 100_000;
/** Text columns looked at for case variants: few enough distinct values to be categories. */
const CATEGORY_DISTINCT = 200;
/** Columns looked at, at most (a 1093-column survey). */
const MAX_COLUMNS = 300;

/** Words that stand for "no value" in exported text. `NA` is one only where values are not two-letter codes (Namibia is NA). */
export const TEXT_MARKERS = ['N/A', 'n/a', 'NA', '#N/A', '-', '--', '?', 'NULL', 'null', 'None', 'none', 'nan', 'NaN', 'missing', 'Unknown', 'unknown'];
/** Numbers that stand for "no value": each only where it sits apart from the rest (see numericMarkers). */
export const NUMBER_MARKERS = [-1, -99, -999, -9999, 99, 999, 9999, 99999];

const NUMBER = '^[+-]?(\\d+\\.?\\d*|\\.\\d+)$';
const GROUPED = '^[+-]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$';
const CODE = '^[A-Z]{2}$';

const sum = (e: pl.Expr, alias: string) => e.cast(pl.Int64).sum().alias(alias);

export async function cleaningHints(table: pl.LazyDataFrame, columns: ColumnProfile[]): Promise<CleaningHints> {
  const head = table.head(CLEANING_ROWS);
  const looked = columns.slice(0, MAX_COLUMNS);
  const text = looked.filter((c) => c.type === 'string');
  const numbers = looked.filter((c) => c.type === 'integer' || c.type === 'float');
  const exprs: pl.Expr[] = [];
  text.forEach((c, i) => {
    const s = pl.col(c.name);
    const trimmed = s.str.stripChars(pl.lit(null));
    const rest = trimmed.slice(1, CLEANING_ROWS);
    exprs.push(
      s.first().alias(`t${i}_first`),
      sum(s.isNotNull(), `t${i}_present`),
      sum(s.neq(trimmed), `t${i}_padded`),
      sum(trimmed.str.contains(NUMBER), `t${i}_plain`),
      sum(trimmed.str.contains(GROUPED), `t${i}_grouped`),
      sum(rest.str.contains(NUMBER).or(rest.str.contains(GROUPED)), `t${i}_rest_numbers`),
      sum(rest.isIn(TEXT_MARKERS), `t${i}_rest_marked`),
      sum(rest.isNotNull(), `t${i}_rest_present`),
      sum(trimmed.str.contains('^[+-]?[\\d,]*\\.\\d'), `t${i}_fractions`),
      sum(trimmed.isIn(TEXT_MARKERS), `t${i}_marked`),
      sum(trimmed.str.contains(CODE), `t${i}_codes`),
      ...TEXT_MARKERS.map((m, k) => sum(trimmed.eq(pl.lit(m)), `t${i}_m${k}`)),
    );
  });
  // Number markers, in number columns and in text columns that hold numbers (read as numbers here).
  const numberMarkerExprs = (s: pl.Expr, prefix: string) => {
    exprs.push(sum(s.lt(0), `${prefix}_negative`));
    NUMBER_MARKERS.forEach((m, k) => {
      exprs.push(sum(s.eq(m), `${prefix}_m${k}`));
      // The value nearest the marker on its side: a marker sits apart from the rest.
      exprs.push((m < 0 ? s.filter(s.gt(m)).min() : s.filter(s.lt(m)).max()).cast(pl.Float64).alias(`${prefix}_near${k}`));
    });
  };
  numbers.forEach((c, i) => numberMarkerExprs(pl.col(c.name), `n${i}`));
  text.forEach((c, i) => numberMarkerExprs(pl.col(c.name).str.stripChars(pl.lit(null)).str.replaceAll(',', '', true).cast(pl.Float64, false), `tn${i}`));
  const [row] = exprs.length ? (await head.select(...exprs).collect()).toRecords() : [{}];
  const get = (k: string) => (row as Record<string, unknown>)[k];
  const n = (k: string) => Number(get(k) ?? 0);

  const hints: CleaningHints = { rowsRead: 0, secondHeader: null, padded: [], markers: [], caseVariants: [], numbersAsText: [] };
  hints.rowsRead = Number((await head.select(pl.len().alias('n')).collect()).getColumn('n').get(0));
  const headerLike: string[] = [];
  const textOverNumbers: { column: string; integer: boolean }[] = [];
  text.forEach((c, i) => {
    const first = get(`t${i}_first`);
    const firstText = typeof first === 'string' ? first.trim() : '';
    if (firstText && firstText.toLowerCase() === c.name.trim().toLowerCase()) headerLike.push(c.name);
    // Every value below the first reads as a number (or says none), the first does not: a header over numbers.
    const rest = n(`t${i}_rest_present`);
    const restNumbers = n(`t${i}_rest_numbers`);
    const integer = n(`t${i}_fractions`) === 0;
    if (firstText && restNumbers > 0 && restNumbers + n(`t${i}_rest_marked`) === rest && !new RegExp(`${NUMBER}|${GROUPED}`).test(firstText)) {
      textOverNumbers.push({ column: c.name, integer });
    }
    if (n(`t${i}_padded`) > 0) hints.padded.push({ column: c.name, values: n(`t${i}_padded`) });
    const present = n(`t${i}_present`);
    const codes = n(`t${i}_codes`);
    TEXT_MARKERS.forEach((m, k) => {
      const count = n(`t${i}_m${k}`);
      if (!count || count === present) return;
      if (m === 'NA' && codes - count >= (present - count) / 2) return; // two-letter codes: NA is a country
      hints.markers.push({ column: c.name, value: m, count });
    });
    const grouped = n(`t${i}_grouped`);
    const marked = n(`t${i}_marked`);
    const plain = n(`t${i}_plain`);
    // Numbers, with separators or beside markers of a missing value, and nothing else: text only because of those.
    if (plain + grouped > 0 && (grouped > 0 || marked > 0) && plain + grouped + marked === present) {
      hints.numbersAsText.push({ column: c.name, integer, grouped, marked });
    }
  });
  // Row 1 is a second header when it repeats the header, or is text over columns of numbers.
  if (headerLike.length >= Math.max(1, Math.ceil(text.length / 2)) || textOverNumbers.length > 0) {
    hints.secondHeader = { repeatsHeader: headerLike, textOverNumbers };
  }
  const numberMarkers = (column: string, prefix: string, written: (m: number) => string | number) => {
    NUMBER_MARKERS.forEach((m, k) => {
      const count = n(`${prefix}_m${k}`);
      const near = get(`${prefix}_near${k}`);
      if (!count || near === null || near === undefined) return;
      // -1 in a column otherwise ≥ 0; 999 far above every other value (more than twice the next).
      const apart = m < 0 ? n(`${prefix}_negative`) === count && Number(near) >= 0 : Number(near) * 2 < m;
      if (apart) hints.markers.push({ column, value: written(m), count });
    });
  };
  numbers.forEach((c, i) => numberMarkers(c.name, `n${i}`, (m) => m));
  // A text column of numbers is replaced as text, before it is cast: the marker as written.
  const numbersAsText = new Set([...textOverNumbers.map((c) => c.column), ...hints.numbersAsText.map((g) => g.column)]);
  text.forEach((c, i) => { if (numbersAsText.has(c.name)) numberMarkers(c.name, `tn${i}`, (m) => String(m)); });
  for (const c of text.filter((c) => c.distinct > 1 && c.distinct <= CATEGORY_DISTINCT && !c.distinctByHash)) {
    const counts = (await head.select(pl.col(c.name).str.stripChars(pl.lit(null)).alias('v')).dropNulls().groupBy('v').len().collect()).toRecords();
    const byLower = new Map<string, { value: string; count: number }[]>();
    for (const r of counts) {
      const value = String(r.v);
      const key = value.toLowerCase();
      byLower.set(key, [...(byLower.get(key) ?? []), { value, count: Number(r.len ?? r.count ?? 0) }]);
    }
    for (const forms of byLower.values()) {
      if (forms.length < 2) continue;
      forms.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      hints.caseVariants.push({ column: c.name, forms });
    }
  }
  return hints;
}
