// One page of a cell's table, for the notebook's data grid: a window of rows and of columns,
// optionally sorted by one column and filtered by text, read lazily from the cell's Parquet
// file. Only the requested rows and columns are decoded, so a page of a 6.6 M-row or a
// 10,000-column table costs milliseconds unless a sort or a filter has to read a column whole.
import pl from 'nodejs-polars';
import { jsonSafeCell } from '../../cells/shared/json-safe.ts';
import type { PageQuery } from '../../cells/wire.ts';

export type { PageQuery };

export const MAX_PAGE_ROWS = 500;
export const MAX_PAGE_COLUMNS = 200;

export interface Page {
  /** Rows matching the filters (all rows when there are none). */
  total: number;
  /** All columns of the table. */
  columnCount: number;
  offset: number;
  columns: { index: number; name: string }[];
  /** 1-based positions of the rows in the file, in the order given. */
  rowNumbers: number[];
  rows: unknown[][];
}

const ROW = '__assay_row';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A cell's Parquet file never changes once written (a new run writes a new file), so its
// column names are read once: on a 10,000-column file that read is most of a page's time.
const NAMES_KEPT = 64;
const namesByFile = new Map<string, string[]>();

function columnNames(parquetPath: string): string[] {
  let names = namesByFile.get(parquetPath);
  if (!names) {
    names = pl.scanParquet(parquetPath).columns;
    if (namesByFile.size >= NAMES_KEPT) namesByFile.delete(namesByFile.keys().next().value!);
  }
  namesByFile.delete(parquetPath);
  namesByFile.set(parquetPath, names);
  return names;
}

/** `check` sees the table's column count before any work, to refuse a query naming a column it lacks. */
export async function readPage(parquetPath: string, query: PageQuery, check: (columnCount: number) => void = () => {}): Promise<Page> {
  const names = columnNames(parquetPath);
  check(names.length);
  const window = names.slice(query.from, query.to);
  let frame = pl.scanParquet(parquetPath);
  const reordered = query.sort !== undefined || query.filters.length > 0;
  if (reordered) frame = frame.withRowIndex(ROW, 1);
  for (const f of query.filters) {
    // Text of any type: a number or a date filters by how it is written.
    frame = frame.filter(pl.col(names[f.column]!).cast(pl.Utf8).str.contains(`(?i)${escapeRegex(f.text)}`));
  }
  const counted = query.filters.length > 0 ? frame : pl.scanParquet(parquetPath);
  let selected: pl.LazyDataFrame;
  let order: number[] | null = null;
  if (query.sort) {
    // Sort only the row numbers and the sort column (the row number breaks ties, so the order
    // is stable without polars' slower order-keeping sort), then read just those rows whole.
    const by = names[query.sort.column]!;
    const picked = await frame.select(ROW, by).sort([by, ROW], [query.sort.descending, false], true, false)
      .slice(query.offset, query.limit).collect();
    order = picked.getColumn(ROW).toArray().map(Number);
    selected = pl.scanParquet(parquetPath).withRowIndex(ROW, 1).filter(pl.col(ROW).isIn(order)).select(ROW, ...window);
  } else {
    selected = frame.slice(query.offset, query.limit).select(...(reordered ? [ROW] : []), ...window);
  }
  const [page, count] = await Promise.all([selected.collect(), counted.select(pl.len().alias('n')).collect()]);
  const total = Number(count.getColumn('n').get(0));
  let rows = page.rows() as unknown[][];
  if (order) {
    const byRow = new Map(rows.map((r) => [Number(r[0]), r]));
    rows = order.map((n) => byRow.get(n)!);
  }
  const rowNumbers = reordered ? rows.map((r) => Number(r[0])) : rows.map((_, i) => query.offset + i + 1);
  const isDate = page.dtypes.slice(reordered ? 1 : 0).map((t) => String(t) === String(pl.Date));
  return {
    total,
    columnCount: names.length,
    offset: query.offset,
    columns: window.map((name, i) => ({ index: query.from + i, name })),
    rowNumbers,
    rows: rows.map((r) => (reordered ? r.slice(1) : r).map((v, i) => jsonSafeCell(v, isDate[i]!))),
  };
}
