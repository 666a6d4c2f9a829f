// How polars is asked to read the CSV, in one place: the sample, the typed pass and the
// all-text pass must agree on the dialect, or they would read different tables.
import pl from 'nodejs-polars';

export interface CsvShape {
  /** A UTF-8 file (transcoded first when the upload was not). */
  source: string;
  /** Its size: progress, and whether the Parquet writer runs apart (sink.ts). */
  bytes: number;
  names: string[];
  header: boolean;
  delimiter: string;
  quote: string;
  lineEnding: 'LF' | 'CRLF' | 'CR';
  /** Records after the header that are not data: a second header row, notes (header_rows, skip_rows). */
  skipAfterHeader?: number;
}

/** Every column as text; `extra` names spare text columns appended after the data's. */
export function textSchema(names: string[], ...extra: string[]): Record<string, pl.DataType> {
  const schema: Record<string, pl.DataType> = {};
  for (const n of [...names, ...extra]) schema[n] = pl.Utf8;
  return schema;
}

/**
 * A lazy scan of the CSV. With `truncateRagged: false`, a row with more fields than the
 * schema makes the scan fail instead of being cut: the typed pass relies on that.
 */
export function scanCsv(shape: CsvShape, schema: Record<string, pl.DataType>, truncateRagged: boolean): pl.LazyDataFrame {
  return pl.scanCSV(shape.source, {
    hasHeader: shape.header, sep: shape.delimiter, quoteChar: shape.quote, schema, inferSchemaLength: 0,
    truncateRaggedLines: truncateRagged, rechunk: false,
    // An empty field is missing, quoted ("") or not: read natively, not by an expression per column.
    nullValues: '', ...(shape.lineEnding === 'CR' ? { eolChar: '\r' } : {}),
    ...(shape.skipAfterHeader ? { skipRowsAfterHeader: shape.skipAfterHeader } : {}),
  });
}
