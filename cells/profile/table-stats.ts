// Statistics across columns: duplicate rows, correlations, the quality score.
import pl from 'nodejs-polars';
import { jsonSafe } from '../shared/json-safe.ts';
import { Sum } from './sketch.ts';
import { fewNegatives } from './column-stats.ts';
import { scoreOf } from './score.ts';
import type { Association, ColumnProfile, Correlation, QualityPart, QualityScore } from './types.ts';

/** Past this many numeric columns a correlation matrix is too big to read (and to compute). */
export const MAX_CORRELATED = 30;
const SEP = '\u241f';

// Rows hashed per query: each slice holds only its own rows, so memory stays flat
// (6.6 M rows: unique() over whole rows peaked at 4 GB and took 7.8 s; hashing, 0.5 GB, 2.4 s).
const HASH_BATCH = 1_000_000;

/**
 * Rows identical to an earlier row (the first of each set of copies is not counted),
 * counted by 64-bit row hashes: a false match among n rows has odds of about n²/2^65
 * (one in a million for 6.6 M rows), a price worth a flat memory profile.
 */
export async function duplicateRows(table: pl.LazyDataFrame, rows: number, columns: ColumnProfile[], kept = HASHES_KEPT): Promise<number> {
  if (rows < 2) return 0;
  // A column whose every value differs (a null at most once) makes every row differ: no
  // pass needed. A hashed count is never above the truth, so it cannot mislead here.
  // An estimated distinct count (bounded.ts) proves nothing.
  if (columns.some((c) => !c.estimates?.distinct && c.distinct + Math.min(c.nulls, 1) === rows)) return 0;
  const names = columns.map((c) => c.name);
  // The cast names the hash's dtype in the plan (without it, the modulo below took it for the struct).
  const rowHash = pl.struct(names.map((n) => pl.col(n))).hash(42, 0, 0, 0).cast(pl.UInt64);
  // Past HASHES_KEPT rows the hashes are counted a share at a time (those equal to p modulo
  // the number of shares, which copies share): memory stays that of HASHES_KEPT hashes.
  const shares = Math.ceil(rows / kept);
  let distinct = 0;
  for (let share = 0; share < shares; share++) {
    const parts: pl.DataFrame[] = [];
    // A share by the hash's leading bits, in floats (polars' modulo of a UInt64 by a number
    // went through floats too, and left a third of the rows in no share).
    const part = rowHash.cast(pl.Float64).div(2 ** 64).mul(shares).floor().clip(0, shares - 1);
    const hash = shares === 1 ? rowHash.alias('h') : rowHash.filter(part.eq(share)).alias('h');
    const batch = Math.min(HASH_BATCH, kept);
    for (let offset = 0; offset < rows; offset += batch) {
      parts.push(await table.slice(offset, batch).select(hash).collect());
    }
    distinct += (parts.length === 1 ? parts[0]! : pl.concat(parts)).getColumn('h').nUnique();
  }
  return rows - distinct;
}

/** Row hashes held at once by duplicateRows: 16 M of 8 bytes, 128 MB (and polars' count of them). */
export const HASHES_KEPT = 16_000_000;

// Spearman's ranks are taken on at most this many rows, evenly spaced through the table:
// ranking sorts every column, 3 s of a 6.6 M-row profile, and a rank correlation from a
// million rows is within about 0.001 of the whole table's.
const SPEARMAN_ROWS = 1_000_000;

/** Every SPEARMAN_ROWS-th share of rows: how many rows Spearman's ranks were taken on. */
export function spearmanStep(rows: number): { every: number; rows: number } {
  const every = Math.max(1, Math.ceil(rows / SPEARMAN_ROWS));
  return { every, rows: Math.ceil(rows / every) };
}

/**
 * Pearson's r over every row and Spearman's rank correlation (see SPEARMAN_ROWS) between
 * the first MAX_CORRELATED numeric columns that vary. One expression per column pairs it
 * with all later ones, so the query stays small (see column-stats.ts).
 */
export async function correlations(table: pl.LazyDataFrame, columns: ColumnProfile[], rows: number, batchRows = rows > BATCHED_ROWS ? CORRELATION_BATCH : 0): Promise<Correlation[]> {
  const numeric = columns
    .filter((c) => (c.type === 'integer' || c.type === 'float') && c.distinct > 1)
    .slice(0, MAX_CORRELATED)
    .map((c) => c.name);
  if (numeric.length < 2) return [];
  const pairs = (suffix: string) => numeric.slice(0, -1).map((a, i) => pl.pearsonCorr(pl.col(numeric.slice(i + 1)), pl.col(a)).suffix(`${SEP}${suffix}${i}`));
  const values = pl.col(numeric).cast(pl.Float64);
  const pearson = table.select(values).select(...pairs('p'));
  // Spearman's rho is Pearson's r of the ranks: each column is ranked once here, where
  // spearmanRankCorr ranks both columns again for every pair (10 s against 1 s on 6.6 M rows).
  // A column's nulls are left out of its own ranking, not pairwise.
  const { every } = spearmanStep(rows);
  const ranked = (sample: pl.LazyDataFrame) => sample.select(values.rank('average').cast(pl.Float64)).select(...pairs('s')).collect();
  // Whole columns one after the other: side by side they would hold both copies of the
  // columns at once. Slices side by side: each holds one slice (1.5 s against 2.2 s on 6.6 M rows).
  const [p, s] = batchRows
    ? await Promise.all([
      pearsonBatched(table, columns.filter((c) => numeric.includes(c.name)), rows, batchRows),
      spearmanSample(table, values, rows, every, batchRows).then(ranked),
    ])
    : [await pearson.collect(), await ranked(table.select(values.gatherEvery(every)))];
  const row = { ...p.toRecords()[0], ...s.toRecords()[0] } as Record<string, unknown>;
  const num = (v: unknown) => {
    const r = jsonSafe(v);
    return typeof r === 'number' ? r : null;
  };
  const out: Correlation[] = [];
  numeric.forEach((a, i) => {
    for (const b of numeric.slice(i + 1)) out.push({ a, b, pearson: num(row[`${b}${SEP}p${i}`]), spearman: num(row[`${b}${SEP}s${i}`]) });
  });
  return out;
}

/** Above this many rows, correlations read the table a slice at a time (bounded memory). */
export const BATCHED_ROWS = 2_000_000;
const CORRELATION_BATCH = 1_000_000;

/** Every `every`-th row of the table, gathered a slice at a time: the rows spearmanStep names. */
async function spearmanSample(table: pl.LazyDataFrame, values: pl.Expr, rows: number, every: number, batchRows: number): Promise<pl.LazyDataFrame> {
  const parts: pl.DataFrame[] = [];
  for (let offset = 0; offset < rows; offset += batchRows) {
    parts.push(await table.slice(offset, batchRows).select(values.gatherEvery(every, (every - (offset % every)) % every)).collect());
  }
  return pl.concat(parts).lazy();
}

/**
 * Pearson's r from sums over slices of the table: per pair, over the rows where both are
 * present, the count and the sums of x, y, x², y² and xy, each value shifted by its column's
 * mean so the sums do not cancel (Chan, Golub and LeVeque's shifted data algorithm).
 */
async function pearsonBatched(table: pl.LazyDataFrame, columns: ColumnProfile[], rows: number, batchRows: number): Promise<pl.DataFrame> {
  const names = columns.map((c) => c.name);
  const shift = new Map(columns.map((c) => [c.name, c.mean ?? 0]));
  const full = new Set(columns.filter((c) => c.nulls === 0).map((c) => c.name));
  const shifted = (n: string) => pl.col(n).cast(pl.Float64).sub(shift.get(n)!);
  const exprs: pl.Expr[] = [];
  const keys: [string, string][] = [];
  // A column without nulls shares its count, sum and sum of squares with every pair: only the
  // pair's products are its own (on 6.6 M rows, 0.7 s against 2.6 s for filtered copies per pair).
  if (full.size) exprs.push(pl.len().cast(pl.Float64).alias('n'));
  for (const a of full) exprs.push(shifted(a).sum().alias(`${a}${SEP}x`), shifted(a).pow(2).sum().alias(`${a}${SEP}xx`));
  names.forEach((a, i) => {
    for (const b of names.slice(i + 1)) {
      const k = `${keys.length}`;
      keys.push([a, b]);
      if (full.has(a) && full.has(b)) {
        exprs.push(shifted(a).mul(shifted(b)).sum().alias(`${k}xy`));
        continue;
      }
      // Only the columns with nulls in the mask: a column's filtered copy, its sum and its sum
      // of squares are then the same expressions in each of its pairs with a column without
      // nulls, and polars computes them once (20 M rows, one column of five with nulls: CPU
      // 8.2 → 6.0 s).
      const present = [a, b].filter((n) => !full.has(n)).map((n) => pl.col(n).isNotNull());
      const both = present.length === 2 ? present[0]!.and(present[1]!) : present[0]!;
      const x = shifted(a).filter(both);
      const y = shifted(b).filter(both);
      exprs.push(both.sum().cast(pl.Float64).alias(`${k}n`), x.sum().alias(`${k}x`), y.sum().alias(`${k}y`),
        x.pow(2).sum().alias(`${k}xx`), y.pow(2).sum().alias(`${k}yy`), x.mul(y).sum().alias(`${k}xy`));
    }
  });
  const sums = new Map<string, Sum>();
  for (let offset = 0; offset < rows; offset += batchRows) {
    const got = (await table.slice(offset, batchRows).select(...exprs).collect()).toRecords()[0] ?? {};
    for (const [key, v] of Object.entries(got)) {
      if (!sums.has(key)) sums.set(key, new Sum());
      sums.get(key)!.add(Number(v ?? 0));
    }
  }
  const out: Record<string, number | null> = {};
  keys.forEach(([a, b], k) => {
    const sum = (key: string) => sums.get(key)?.value ?? 0;
    const get = (s: string) => sum(`${k}${s}`);
    const shared = full.has(a) && full.has(b);
    const n = shared ? sum('n') : get('n');
    const [sx, sy] = shared ? [sum(`${a}${SEP}x`), sum(`${b}${SEP}x`)] : [get('x'), get('y')];
    const cov = get('xy') - (sx * sy) / n;
    const vx = (shared ? sum(`${a}${SEP}xx`) : get('xx')) - (sx * sx) / n;
    const vy = (shared ? sum(`${b}${SEP}xx`) : get('yy')) - (sy * sy) / n;
    out[`${b}${SEP}p${names.indexOf(a)}`] = n > 1 && vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : null;
  });
  return pl.DataFrame([out]);
}

/** Cramér's V is computed for text and boolean columns with this many classes at most … */
const MAX_CLASSES = 50;
/** … for this many such columns at most, on this many first rows. */
const MAX_ASSOCIATED = 10;
export const ASSOCIATION_ROWS = 1_000_000;

/**
 * Cramér's V, sqrt(χ² / (n · (min(r, c) − 1))), for each pair of low-cardinality text or
 * boolean columns: how strongly one tells the other, 0 (independent) to 1 (determined).
 */
export async function associations(table: pl.LazyDataFrame, columns: ColumnProfile[]): Promise<Association[]> {
  const names = columns
    .filter((c) => (c.type === 'string' || c.type === 'boolean') && c.distinct > 1 && c.distinct <= MAX_CLASSES)
    .slice(0, MAX_ASSOCIATED)
    .map((c) => c.name);
  if (names.length < 2) return [];
  const head = await table.select(pl.col(names).cast(pl.Utf8)).head(ASSOCIATION_ROWS).collect();
  const out: Association[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const [a, b] = [names[i]!, names[j]!];
      const cells = (await head.lazy().select(a, b).dropNulls().groupBy([a, b]).agg(pl.len().alias('n')).collect()).toRecords();
      out.push({ a, b, ...cramersV(cells.map((r) => [String(r[a]), String(r[b]), Number(r.n)] as const)) });
    }
  }
  return out;
}

export function cramersV(cells: readonly (readonly [string, string, number])[]): { cramersV: number | null; rows: number } {
  const rowsOf = new Map<string, number>();
  const colsOf = new Map<string, number>();
  let n = 0;
  for (const [r, c, k] of cells) {
    rowsOf.set(r, (rowsOf.get(r) ?? 0) + k);
    colsOf.set(c, (colsOf.get(c) ?? 0) + k);
    n += k;
  }
  const k = Math.min(rowsOf.size, colsOf.size);
  if (n === 0 || k < 2) return { cramersV: null, rows: n };
  // χ² over every cell of the table, the empty ones included (observed 0).
  let chi2 = 0;
  const seen = new Map(cells.map(([r, c, count]) => [`${r}\u0000${c}`, count]));
  for (const [r, nr] of rowsOf) {
    for (const [c, nc] of colsOf) {
      const expected = (nr * nc) / n;
      const observed = seen.get(`${r}\u0000${c}`) ?? 0;
      chi2 += (observed - expected) ** 2 / expected;
    }
  }
  return { cramersV: Math.sqrt(chi2 / (n * (k - 1))), rows: n };
}

/** A share as a reason says it: never "0.0%" when something is there (128 of 308,440 cells: "<0.1%"). */
const share = (fraction: number) => (fraction > 0 && fraction < 0.001 ? '<0.1%' : `${(fraction * 100).toFixed(1)}%`);
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Values that do not fit their column: a few negatives in a column otherwise ≥ 0 (counts
 * with corrections or typos), and the text in a column mostly of numbers (counted on the
 * sampled values, scaled to the column).
 */
export function invalidValues(columns: ColumnProfile[]): { bad: number; where: string[] } {
  let bad = 0;
  const where: string[] = [];
  for (const c of columns) {
    const negatives = fewNegatives(c);
    if (negatives) {
      bad += negatives;
      where.push(`${c.name}: ${count(negatives)} negative`);
    }
    const t = c.text;
    if (t && t.numericShare >= 0.5 && t.numericShare < 1) {
      const text = Math.max(1, Math.round((1 - t.numericShare) * c.count));
      bad += text;
      where.push(`${c.name}: ${t.sampled < c.count ? '≈ ' : ''}${count(text)} text among numbers`);
    }
  }
  return { bad, where };
}

const part = (bad: number, of: number, detail: string): QualityPart => ({ share: of > 0 ? (of - bad) / of : 1, bad, of, detail });

/**
 * 100 × completeness (cells present) × validity (cells whose value fits its column) ×
 * uniqueness (rows not a copy of an earlier one), rounded; never 100 when any part found
 * something, so "100" means nothing was found. Deliberately simple: a score a reader can
 * recompute from its parts, which the page shows beside it.
 */
export function quality(rows: number, columns: ColumnProfile[], duplicates: number): QualityScore {
  const cells = rows * columns.length;
  const missing = columns.reduce((n, c) => n + c.nulls, 0);
  const missingCells = cells > 0 ? missing / cells : 0;
  const dupShare = rows > 0 ? duplicates / rows : 0;
  const invalid = invalidValues(columns);
  const reasons: string[] = [];
  const withNulls = columns.filter((c) => c.nulls > 0).sort((a, b) => b.nulls - a.nulls);
  if (missing > 0) reasons.push(`${share(missingCells)} of cells are missing (${count(missing)} of ${count(cells)})`);
  const empty = columns.filter((c) => rows > 0 && c.count === 0).map((c) => c.name);
  if (empty.length) reasons.push(`${empty.length} column(s) hold no values: ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', …' : ''}`);
  if (invalid.bad > 0) reasons.push(`${count(invalid.bad)} value(s) do not fit their column (${invalid.where.slice(0, 3).join('; ')}${invalid.where.length > 3 ? '; …' : ''})`);
  if (duplicates > 0) reasons.push(`${count(duplicates)} duplicate row(s) (${share(dupShare)} of rows)`);
  if (rows === 0) reasons.push('the table has no rows');
  const parts = {
    completeness: part(missing, cells, missing ? `${share(missingCells)} of cells missing (${count(missing)} of ${count(cells)}): ${withNulls.slice(0, 5).map((c) => `${c.name} ${count(c.nulls)}`).join(', ')}${withNulls.length > 5 ? ', …' : ''}` : 'no cell is missing'),
    validity: part(invalid.bad, cells, invalid.bad ? `${share(invalid.bad / Math.max(cells, 1))} of cells do not fit their column (${count(invalid.bad)} of ${count(cells)}): ${invalid.where.join('; ')}` : 'every value fits its column'),
    uniqueness: part(duplicates, rows, duplicates ? `${share(dupShare)} of rows are copies of an earlier row (${count(duplicates)} of ${count(rows)})` : 'no row is a copy of another'),
  };
  return { score: scoreOf(rows, [parts.completeness, parts.validity, parts.uniqueness]), reasons, missingCells, parts };
}
