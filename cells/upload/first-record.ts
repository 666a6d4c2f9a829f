// The file's first record read whole, however long: the sniffing sample (256 KB) may end
// inside it, and a header cut there named the wrong columns ("the header's 39037" for a
// file of 100,000). It is read in chunks and only counted past what is kept, so a header of
// any width costs the memory of its first MAX_COLUMNS names, each cut to a bound.
import fs from 'node:fs';
import type { Encoding } from './types.ts';

export interface FirstRecord {
  /** The first `keepFields` fields, each cut to `keepChars` characters. */
  fields: string[];
  /** How many fields the record has (counted to its end, or to `maxBytes`). */
  count: number;
  /** The longest field: its 0-based index and its length in characters. */
  longest: { index: number; chars: number };
  /** The record's length in characters (what its names weigh in a result), up to `maxBytes` read. */
  chars: number;
  /** 1-based physical line where the record starts (blank lines before it are skipped). */
  line: number;
  /** False when `maxBytes` were read without reaching the record's end. */
  ended: boolean;
}

export interface FirstRecordOptions {
  encoding: Encoding;
  delimiter: string;
  quote: string;
  keepFields: number;
  keepChars: number;
  /** Stop reading after this many bytes of the file. */
  maxBytes: number;
}

const CHUNK = 1 << 20;

/** Reads the first record of `path` with the dialect given (RFC 4180 quoting, as splitRecords). */
export function readFirstRecord(path: string, o: FirstRecordOptions): FirstRecord {
  const decoder = new TextDecoder(o.encoding === 'utf-8-sig' ? 'utf-8' : o.encoding);
  const D = o.delimiter.charCodeAt(0);
  const Q = o.quote.charCodeAt(0);
  const fields: string[] = [];
  let field = '';
  let chars = 0;
  let count = 0;
  let longest = { index: 0, chars: 0 };
  let inQuotes = false;
  // A quote just closed: a second one right after is a doubled quote, part of the field.
  let closed = false;
  let line = 1;
  let total = 0;
  let start = true;
  const endField = () => {
    if (chars > longest.chars) longest = { index: count, chars };
    if (count < o.keepFields) fields.push(field);
    count++;
    field = '';
    chars = 0;
  };
  const take = (ch: string) => {
    if (chars < o.keepChars) field += ch;
    chars++;
  };
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let read = 0;
    let prevCR = false;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, o.maxBytes - read), read);
      const last = n === 0;
      let text = last ? decoder.decode() : decoder.decode(buf.subarray(0, n), { stream: true });
      if (start && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length) start = false;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const lf = c === 10 && prevCR;
        prevCR = c === 13;
        total++;
        if (inQuotes) {
          if (c === Q) { inQuotes = false; closed = true; continue; }
          if (c === 10 || c === 13) { if (!lf) line++; }
          take(text[i]!);
          continue;
        }
        if (c === Q && closed) { inQuotes = true; closed = false; take(o.quote); continue; }
        closed = false;
        if (c === Q && chars === 0) { inQuotes = true; continue; }
        if (c === D) { endField(); continue; }
        if (c === 10 || c === 13) {
          if (lf) continue;
          // A blank line before the first record is not a record (as splitRecords skips it).
          if (count === 0 && chars === 0) { line++; total = 0; continue; }
          endField();
          return { fields, count, longest, chars: total - 1, line, ended: true };
        }
        take(text[i]!);
      }
      read += n;
      if (last || read >= o.maxBytes) {
        if (last && count === 0 && chars === 0) return { fields, count: 0, longest, chars: 0, line, ended: true };
        endField();
        return { fields, count, longest, chars: total, line, ended: last };
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
