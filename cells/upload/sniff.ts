// Looks at the first bytes of a file and decides how to read it: encoding, delimiter,
// quote, line ending and the header's field names. Only a sample is read, so this is
// instant on any size; what the sample cannot show, the config can override.
import fs from 'node:fs';
import { CellError } from '../kind.ts';
import { readFirstRecord, type FirstRecord } from './first-record.ts';
import { MAX_COLUMNS, MAX_LINE_BYTES, MAX_NAME_CHARS } from './limits.ts';
import type { Encoding } from './types.ts';

export type { Encoding };

export const SAMPLE_BYTES = 256 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

export interface Dialect {
  encoding: Encoding;
  delimiter: string;
  quote: string;
  lineEnding: 'LF' | 'CRLF' | 'CR';
  header: boolean;
}

export interface Sniffed extends Dialect {
  /** Decoded sample text (BOM removed). */
  sample: string;
  /** Whether the sample is the whole file. */
  complete: boolean;
  /** The sample's records split into fields, as read with the chosen dialect. */
  records: string[][];
  /** 1-based physical line where each sampled record starts. */
  recordLines: number[];
  /** The first record as read whole from the file (records[0] holds its kept fields). */
  first: FirstRecord;
}

export function readSample(path: string): { bytes: Buffer; complete: boolean } {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    fs.readSync(fd, bytes, 0, bytes.length, 0);
    return { bytes, complete: size <= SAMPLE_BYTES };
  } finally {
    fs.closeSync(fd);
  }
}

export function detectEncoding(bytes: Buffer, complete: boolean): Encoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-sig';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes.includes(0)) {
    throw new CellError('not_csv', 'this file is not text: it holds NUL bytes (a binary file such as an image, archive or spreadsheet?)');
  }
  // A multi-byte character may be cut at the sample's end; that is not an encoding error.
  let end = bytes.length;
  if (!complete) {
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1]! & 0xc0) === 0x80) back++;
    if (end - back - 1 >= 0 && bytes[end - back - 1]! >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

export function decodeSample(bytes: Buffer, encoding: Encoding): string {
  const label = encoding === 'utf-8-sig' ? 'utf-8' : encoding;
  const text = new TextDecoder(label).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields may hold delimiters, quotes
 * doubled, and line breaks). A record cut at the end of an incomplete sample is dropped.
 */
export function splitRecords(text: string, delimiter: string, quote = '"', complete = true, limit = Infinity) {
  const records: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) {
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
  };
  while (i < n && records.length < limit) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) { field += quote; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
      field += ch; i++; continue;
    }
    if (ch === quote && field === '') { inQuotes = true; i++; continue; }
    if (ch === delimiter) { record.push(field); field = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch; i++;
  }
  if (i >= n && (complete || records.length === 0) && !inQuotes && (field !== '' || record.length)) endRecord();
  return { records, lines, unterminatedQuoteAt: inQuotes && complete ? recordLine : null };
}

/** The delimiter under which the sample's records have the most consistent field count above one. */
export function detectDelimiter(text: string, complete: boolean, quote = '"'): string {
  let best: { d: string; score: number } = { d: ',', score: -1 };
  for (const d of DELIMITERS) {
    const { records } = splitRecords(text, d, quote, complete, 200);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [modal, freq] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    if (modal < 2) continue;
    // Consistency first; more fields break ties (a comma inside "1,5" splits less evenly).
    const score = (freq / records.length) * 1000 + Math.min(modal, 999);
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

// Numbers (with separators and signs) and d/m/y or ISO dates: what a header name never is.
const VALUE_SHAPE = /^\s*([+-]?[0-9][0-9.,]*([eE][+-]?[0-9]+)?|[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}([ T][0-9:.]+)?)\s*$/;

/**
 * Whether the first record names the columns. A column whose other values are all numbers
 * or dates tells: a name there is a header, a number there is data. A file whose columns
 * are all text cannot tell and is taken to have a header (`header: false` overrides).
 */
export function detectHeader(records: string[][]): boolean {
  const [first, ...rest] = records.slice(0, 200);
  if (!first || rest.length === 0) return true;
  let named = 0;
  let valued = 0;
  for (let c = 0; c < first.length; c++) {
    const below = rest.map((r) => r[c] ?? '').filter((v) => v.trim() !== '');
    if (below.length === 0 || !below.every((v) => VALUE_SHAPE.test(v))) continue;
    if (VALUE_SHAPE.test(first[c]!)) valued++;
    else if (first[c]!.trim() !== '') named++;
  }
  return named > 0 || valued === 0;
}

export function detectLineEnding(text: string): Dialect['lineEnding'] {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  if (crlf >= 0 && crlf <= lf) return 'CRLF';
  if (lf >= 0) return 'LF';
  return text.includes('\r') ? 'CR' : 'LF';
}

/**
 * The sample decoded, or a CellError when the file is no CSV at all whatever the dialect: empty,
 * binary (an image, an archive), control characters. Checked before an upload becomes a cell's
 * file (so a PNG dropped on a good CSV changes nothing), and again when it is read.
 */
export function textSample(path: string, encodingOverride?: Encoding): { sample: string; complete: boolean; encoding: Encoding } {
  const { bytes, complete } = readSample(path);
  if (bytes.length === 0) throw new CellError('empty_file', 'the file is empty (0 bytes)');
  const encoding = encodingOverride ?? detectEncoding(bytes, complete);
  const sample = decodeSample(bytes, encoding);
  if (sample.trim() === '') throw new CellError('empty_file', 'the file holds only blank lines');
  const controls = sample.slice(0, 4096).match(/[\u0001-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (controls > 8) throw new CellError('not_csv', 'this file is not text: it holds control characters a CSV never does');
  return { sample, complete, encoding };
}

export function sniff(path: string, overrides: { delimiter?: string; quote?: string; encoding?: Encoding; header?: boolean } = {}): Sniffed {
  const { sample, complete, encoding } = textSample(path, overrides.encoding);
  const quote = overrides.quote ?? '"';
  const delimiter = overrides.delimiter ?? detectDelimiter(sample, complete, quote);
  const { records, lines, unterminatedQuoteAt } = splitRecords(sample, delimiter, quote, complete);
  if (unterminatedQuoteAt !== null) {
    throw new CellError('unterminated_quote', `line ${unterminatedQuoteAt}: a quoted field opens here and never closes`, { fileLine: unterminatedQuoteAt });
  }
  // The sample may end inside the first record (a header of 100,000 names is 0.6 MB):
  // that record is read whole from the file, its width counted however wide it is.
  const first = readFirstRecord(path, {
    encoding, delimiter, quote, keepFields: MAX_COLUMNS, keepChars: MAX_NAME_CHARS, maxBytes: MAX_LINE_BYTES + 1,
  });
  records[0] = first.fields;
  lines[0] = first.line;
  return {
    encoding, delimiter, quote, lineEnding: detectLineEnding(sample), header: overrides.header ?? detectHeader(records),
    sample, complete, records, recordLines: lines, first,
  };
}
