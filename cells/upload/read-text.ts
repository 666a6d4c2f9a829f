// One pass over the CSV with polars, every field as text, straight into a Parquet file:
// types are decided afterwards from this columnar copy, which later passes read fast.
//
// Ragged rows. A row with FEWER fields than the header loses nothing: its missing
// fields are null, and the rows seen in the sample are reported as warnings. A row with
// MORE fields would lose data, so by default the upload fails with `ragged_rows` naming
// the physical line; with `skipBadRows: true` such rows are dropped and each dropped line
// is reported. To find them anywhere in the file (not only in the sample) the text is
// read with one spare column: polars cuts longer rows there, and a value in the spare
// column marks a row that was too long.
import pl from 'nodejs-polars';
import { ROW_NUMBER as ROW } from '../shared/column-type.ts';
import { CellError } from '../kind.ts';
import { linesOfRecords } from './lines.ts';
import { removePartial, sinkToParquet } from './sink.ts';
import { scanCsv, textSchema, type CsvShape } from './scan.ts';
import type { UploadWarning } from './types.ts';

const EXTRA = '\u241fextra';
const REPORTED_LINES = 20;

export interface TextReadOptions extends CsvShape {
  target: string;
  skipBadRows: boolean;
  signal?: AbortSignal;
}

/**
 * Writes `opts.target` (text Parquet, with helper columns) and returns a lazy view of
 * it holding only the data columns and rows kept; the caller removes the file.
 */
export async function readAsText(opts: TextReadOptions): Promise<{ warnings: UploadWarning[]; table: () => pl.LazyDataFrame }> {
  const tmp = opts.target;
  const warnings: UploadWarning[] = [];
  try {
    // A scratch file, read twice and deleted: the fastest codec will do.
    await sinkToParquet(scanCsv(opts, textSchema(opts.names, EXTRA), true).withRowIndex(ROW), tmp, { compression: 'lz4', statistics: false }, { inputBytes: opts.bytes, signal: opts.signal });
  } catch (err) {
    removePartial(tmp);
    const message = String((err as Error).message ?? err).split('\n')[0];
    throw new CellError('csv_unreadable', `the CSV could not be read: ${message}`);
  }
  const long = await pl.scanParquet(tmp).filter(pl.col(EXTRA).isNotNull()).select(pl.col(ROW)).collect();
  if (long.height > 0) {
    const rows = (long.getColumn(ROW).toArray() as (number | bigint)[]).map(Number);
    const lines = await linesOfRecords(opts.source, rows.slice(0, REPORTED_LINES), opts.header, opts.quote, opts.skipAfterHeader);
    const first = lines.get(rows[0]!) ?? rows[0]! + (opts.header ? 2 + (opts.skipAfterHeader ?? 0) : 1);
    if (!opts.skipBadRows) {
      throw new CellError('ragged_rows',
        `line ${first} has more fields than the header's ${opts.names.length}` +
        (rows.length > 1 ? ` (and ${rows.length - 1} more such row${rows.length > 2 ? 's' : ''})` : '') +
        '; fix the file, or set skipBadRows: true to drop such rows',
        { fileLine: first, rows: rows.length });
    }
    for (const r of rows.slice(0, REPORTED_LINES)) {
      const line = lines.get(r);
      warnings.push({ code: 'row_dropped', message: `line ${line ?? '?'} has more fields than the header's ${opts.names.length}; dropped (skipBadRows)`, ...(line ? { line } : {}) });
    }
    if (rows.length > REPORTED_LINES) {
      warnings.push({ code: 'rows_dropped', message: `${rows.length} rows in all had too many fields and were dropped (skipBadRows)` });
    }
  }
  // Without long rows there is nothing to filter, and every later pass reads less.
  const table = long.height > 0
    ? () => pl.scanParquet(tmp).filter(pl.col(EXTRA).isNull()).select(pl.col(opts.names))
    : () => pl.scanParquet(tmp).select(pl.col(opts.names));
  return { warnings, table };
}
