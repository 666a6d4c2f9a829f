// The shapes of file the upload refuses, and how much of a file its result carries.
//
// The upload's result is stored with the cell run and sent whole with every load of the
// workspace and to every watcher of its events, so what it holds from the file (names,
// preview values) is bounded here; the whole table stays in the Parquet file, read by pages
// through the grid (GET .../cells/:cellId/rows). The refusals are checked on the file's
// bytes before polars reads it: polars' memory grows with a file's width and with its
// longest line (figures in README, "Limits of an upload").
//
// The cell is a plain function (the headless CLI runs it too), so its limits come from the
// environment, read once at start: a bad value stops the server at start, not every upload.
import { CellError } from '../kind.ts';
import type { FirstRecord } from './first-record.ts';

function wholeFrom(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

/**
 * Most columns a file may have (ASSAY_MAX_COLUMNS). polars' memory grows with the width,
 * about 55 MB per 1,000 columns: measured in one process, 10,000 columns × 3 rows peaked at
 * 0.66 GB, × 120 rows at 1.1 GB, 30,000 × 3 at 1.66 GB (36 s), and 100,000 × 3 took the
 * server past 2.7 GB. At 10,000 a wide read (apart.ts) stays near 1 GB, and the wide files
 * people have (surveys of a thousand or a few thousand questions) still read.
 */
export const MAX_COLUMNS = wholeFrom('ASSAY_MAX_COLUMNS', 10_000, 1);

/** Longest column name, in characters: a longer one is a line of data, not a name. */
export const MAX_NAME_CHARS = 1_024;

/**
 * Most characters of the header (all names together): the names travel with every load of
 * the workspace, twice (columns and preview), so 10,000 names of 1,024 characters would be
 * 20 MB on each. This holds 10,000 names of a hundred characters.
 */
export const MAX_HEADER_CHARS = 1024 * 1024;

/**
 * Longest physical line, in MiB of the file as uploaded (ASSAY_MAX_LINE_MB). polars' CSV
 * reader slows sharply past 16 MB on one line: a scan of a file with a line of 16 MB took
 * 0.3–0.8 s, 24 MB 1.8 s, 32 MB 6 s, 50 MB 29 s, 64 MB 17 s (and an upload scans it two or
 * three times). 16 MB still holds a GeoJSON outline or a long document in a field.
 */
export const MAX_LINE_BYTES = wholeFrom('ASSAY_MAX_LINE_MB', 16, 1) * 1024 * 1024;

/** Preview values are cut to this many characters (with `…`): the grid serves them whole. */
export const PREVIEW_VALUE_CHARS = 1_000;
/** The preview's rows, fewer on a wide file: rows × columns stays within PREVIEW_CELLS. */
export const PREVIEW_ROWS = 50;
export const PREVIEW_CELLS = 25_000;
/** The preview's text in all: long values are cut shorter (not below PREVIEW_MIN_CHARS) to keep within it. */
export const PREVIEW_CHARS = 1_000_000;
export const PREVIEW_MIN_CHARS = 32;

const count = (n: number) => n.toLocaleString('en-US');
const mib = (n: number) => `${count(Math.round(n / 1024 / 1024))} MB`;

/** `line` of `file` is longer than MAX_LINE_BYTES. */
export function lineTooLong(file: string, line: number): CellError {
  return new CellError('line_too_long',
    `line ${count(line)} of "${file}" is longer than ${mib(MAX_LINE_BYTES)}, the most a line may hold: is this a CSV file?`,
    { fileLine: line, maxBytes: MAX_LINE_BYTES });
}

/**
 * Refuses a file by its first record, before polars reads it: too long a line, too many
 * columns, a name too long, names too long in all. Each error says what and where.
 */
export function checkFirstRecord(first: FirstRecord, header: boolean, file: string): void {
  if (!first.ended) throw lineTooLong(file, first.line);
  if (first.count > MAX_COLUMNS) {
    throw new CellError('too_many_columns', `too many columns (${count(first.count)}; at most ${count(MAX_COLUMNS)}) in "${file}"`,
      { columns: first.count, maxColumns: MAX_COLUMNS, fileLine: first.line });
  }
  if (!header) return;
  if (first.longest.chars > MAX_NAME_CHARS) {
    const column = first.longest.index + 1;
    throw new CellError('name_too_long',
      `column ${count(column)} of "${file}" has a name of ${count(first.longest.chars)} characters (at most ${count(MAX_NAME_CHARS)}): ` +
      `is line ${first.line} a header? If it is data, set header: false`,
      { column, chars: first.longest.chars, maxChars: MAX_NAME_CHARS, fileLine: first.line });
  }
  if (first.chars > MAX_HEADER_CHARS) {
    throw new CellError('header_too_long',
      `the header of "${file}" (line ${first.line}) is ${count(first.chars)} characters long; its column names may take at most ${count(MAX_HEADER_CHARS)} in all`,
      { chars: first.chars, maxChars: MAX_HEADER_CHARS, fileLine: first.line });
  }
}
