// The upload cell's config and result. The web view imports these; the field names
// marked contract in DESIGN.md (rows, columns, preview, file, dialect) never change.

/** The simple type names a column is reported with. */
export type ColumnType = 'integer' | 'float' | 'boolean' | 'date' | 'datetime' | 'string';

/** Order of day, month and year in a date column's text. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

/** Text encodings the reader understands; everything else is decoded as windows-1252. */
export type Encoding = 'utf-8' | 'utf-8-sig' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface UploadConfig {
  /** One character; detected among , ; TAB | when absent. */
  delimiter?: string;
  /** The quoting character (doubled inside a field to stand for itself); `"` when absent. */
  quote?: string;
  encoding?: Encoding;
  /** false: the first line is data and columns are named column_1, column_2, … */
  header?: boolean;
  /** Extra markers read as missing in typed columns (added to the defaults). */
  nulls?: string[];
  /** How to read d/m/y-like dates whose order the data cannot show. */
  dateOrder?: DateOrder;
  /** Force a column's type: `{zip: string}`. */
  types?: Record<string, ColumnType>;
  /**
   * The schema lock: the columns and types a file must read as. A file that drifts
   * (a column missing, added or retyped) is the cell's error, so nothing downstream runs on
   * the wrong shape. Checked after reading; it never changes how the file is read.
   */
  schema?: Record<string, ColumnType>;
  /** Drop rows with more fields than the header (each reported) instead of failing. */
  skipBadRows?: boolean;
  /** 2: a survey export's question row and answer row make one name per column ("Question / Answer"). */
  header_rows?: 1 | 2;
  /** Records after the header (and its second row) that are not data, skipped. */
  skip_rows?: number;
}

export interface UploadWarning {
  /** e.g. empty_header, duplicate_header, short_rows, rows_dropped, kept_as_text, ambiguous_dates */
  code: string;
  message: string;
  /** 1-based physical line of the file, when the warning is about one line. */
  line?: number;
  /** The column concerned, by its (unique) name in the result. */
  column?: string;
  /** The columns concerned, when one warning stands for several (unnamed columns). */
  columns?: string[];
}

export interface UploadColumn {
  name: string;
  type: ColumnType;
  /** How text was read into the type: `thousands separators`, `decimal comma`, `%d/%m/%Y`, … */
  format?: string;
  /** For date columns read from d/m/y-like text: the order decided. */
  dateOrder?: DateOrder;
  /** Missing-value markers (NA, NULL, -, …) read as null in this column. */
  markers?: number;
  note?: string;
}

export interface UploadDialect {
  delimiter: string;
  encoding: Encoding;
  header: boolean;
  quote: string;
  lineEnding: 'LF' | 'CRLF' | 'CR';
  /** The order used for d/m/y-like date columns, when there was one (DMY or MDY). */
  dateOrder?: DateOrder;
}

/**
 * The first rows, typed and JSON-safe: numbers as numbers (64-bit integers beyond 2^53 as
 * text), dates as `YYYY-MM-DD`, datetimes as ISO text, missing as null. Bounded in size
 * (preview.ts): fewer rows on a wide table, long text cut.
 */
export interface UploadPreview {
  columns: string[];
  rows: unknown[][];
  /**
   * Present when values were cut: each cut value keeps its first `chars` characters and ends
   * with `…`; `cells` are their [row, column] indexes. The grid (GET .../rows) serves them whole.
   */
  cut?: { chars: number; cells: [number, number][] };
}

/** The upload cell's result (contract: rows, columns, preview, file, dialect). */
export interface UploadResult {
  rows: number;
  columns: UploadColumn[];
  /** The first 50 rows (fewer on a wide table), long values cut. */
  preview: UploadPreview;
  file: { name: string; size: number; sha256: string };
  dialect: UploadDialect;
  warnings: UploadWarning[];
  /**
   * How the file was read: `typed`, one streaming pass with the types its first rows
   * proposed; `careful`, every value checked as text first, because the typed pass
   * was `refused` (the first thing that broke the sample's plan) or could not apply.
   */
  pass: { kind: 'typed' | 'careful'; refused?: string };
}
