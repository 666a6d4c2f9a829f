// The upload cell: a CSV becomes a typed Parquet table plus a report of how it was read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { CellError, type CellKind, type RunContext, type StoredFile } from '../kind.ts';
import { parseUploadConfig, STARTER_CONFIG, uploadConfigSchema } from './config.ts';
import { joinHeaderRows, uniqueNames } from './header.ts';
import { castExprs, DEFAULT_NULL_MARKERS, inferColumns, lostValues, type ColumnPlan, type InferOptions } from './infer.ts';
import { checkFirstRecord, lineTooLong, MAX_LINE_BYTES } from './limits.ts';
import { findLongLine } from './lines.ts';
import { boundPreview, previewOf, previewRows } from './preview.ts';
import { readAsText } from './read-text.ts';
import type { CsvShape } from './scan.ts';
import { readApart } from './apart.ts';
import { sniff, textSample, type Sniffed } from './sniff.ts';
import { transcodeToUtf8 } from './transcode.ts';
import { checkSchemaLock } from './schema-lock.ts';
import { planFromSample, readTyped } from './typed-read.ts';
import { WIDE, writeParquetAtomically } from './write.ts';
import type { UploadConfig, UploadResult, UploadWarning } from './types.ts';
import { uploadFace } from './face.ts';

export type { UploadConfig, UploadResult } from './types.ts';

// Bump when the reading changes, so Parquet files cached by an older reader are not reused.
const READER_VERSION = 4;
const SHORT_ROWS_REPORTED = 20;

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
}


function planWarnings(plans: ColumnPlan[]): UploadWarning[] {
  const out: UploadWarning[] = [];
  for (const p of plans) {
    if (!p.note || p.note === 'empty column' || p.note === 'type set in the config') continue;
    const code = p.note.startsWith('dates') ? 'ambiguous_dates' : 'type_note';
    out.push({ code, column: p.name, message: `column "${p.name}": ${p.note}` });
  }
  return out;
}

/** How the file is to be read; a file too wide, or with names or a first line too long, is refused here. */
function sniffChecked(config: UploadConfig, file: StoredFile): Sniffed {
  // Rows after the header mean there is one, whatever the first rows look like.
  const header = config.header ?? (config.header_rows === 2 || config.skip_rows ? true : undefined);
  const sniffed = sniff(file.path, { delimiter: config.delimiter, quote: config.quote, encoding: config.encoding, header });
  if (!sniffed.records[0]) throw new CellError('empty_file', 'the file holds no records');
  // From the first record alone: polars never reads such a file.
  checkFirstRecord(sniffed.first, sniffed.header, file.name);
  return sniffed;
}

/**
 * Reads `file` into `${base}.parquet`. `typedPass: false` forces the careful pass (tests
 * compare the two); `sniffed` is the file's sniffChecked, when the caller has it already.
 */
export async function convert(config: UploadConfig, file: StoredFile, base: string, ctx: RunContext, { typedPass = true, sniffed = sniffChecked(config, file) } = {}) {
  const warnings: UploadWarning[] = [];
  const first = sniffed.records[0]!;
  const width = first.length;
  // Records after the header that are not data: a survey's answer row, then skip_rows.
  const skipped = sniffed.header ? (config.header_rows === 2 ? 1 : 0) + (config.skip_rows ?? 0) : 0;
  const dataStart = sniffed.header ? 1 + skipped : 0;
  const header = sniffed.header
    ? uniqueNames(config.header_rows === 2 ? joinHeaderRows(first, sniffed.records[1] ?? []) : first)
    : { names: first.map((_, i) => `column_${i + 1}`), warnings: [] };
  warnings.push(...header.warnings);
  const short: number[] = [];
  for (let r = dataStart; r < sniffed.records.length; r++) {
    if (sniffed.records[r]!.length < width) short.push(sniffed.recordLines[r]!);
  }
  for (const line of short.slice(0, SHORT_ROWS_REPORTED)) {
    warnings.push({ code: 'short_row', message: `line ${line} has fewer fields than the header's ${width}; the missing ones are empty`, line });
  }
  if (short.length > SHORT_ROWS_REPORTED) {
    warnings.push({ code: 'short_rows', message: `${short.length} rows in the first ${Math.round(sniffed.sample.length / 1024)} KB have fewer fields than the header` });
  }
  // What the sample shows goes to the page at once: on a big file, conversion takes a while
  // and the analyst can already check the header and the first rows. Types come with the result.
  const firstRows = sniffed.records.slice(dataStart, dataStart + previewRows(width));
  ctx.partial({
    stage: 'sniffed',
    rows: null,
    columns: header.names.map((name) => ({ name, type: 'detecting…' })),
    preview: boundPreview(header.names, firstRows.map((r) => header.names.map((_, i) => r[i] ?? null))),
    file: { name: file.name, size: file.size, sha256: file.sha256 },
    dialect: { delimiter: sniffed.delimiter, encoding: sniffed.encoding, header: sniffed.header, quote: sniffed.quote, lineEnding: sniffed.lineEnding },
    warnings: [...warnings],
  });
  ctx.progress(0.05);

  // A line longer than the limit (a 2 GB line would be read whole into polars' memory) is
  // refused before polars reads anything; a file smaller than the limit cannot hold one.
  if (file.size > MAX_LINE_BYTES) {
    const long = await findLongLine(file.path, MAX_LINE_BYTES, sniffed.lineEnding);
    if (long) throw lineTooLong(file.name, long.line);
    checkAborted(ctx.signal);
  }

  // Polars reads UTF-8 only: anything else is rewritten first, streamed.
  let source = file.path;
  if (sniffed.encoding !== 'utf-8' && sniffed.encoding !== 'utf-8-sig') {
    source = `${base}.utf8.csv`;
    await transcodeToUtf8(file.path, source, sniffed.encoding, ctx.signal);
  }
  checkAborted(ctx.signal);
  ctx.progress(0.15);

  const shape: CsvShape = {
    source, bytes: fs.statSync(source).size, names: header.names, header: sniffed.header, delimiter: sniffed.delimiter, quote: sniffed.quote, lineEnding: sniffed.lineEnding,
    ...(skipped ? { skipAfterHeader: skipped } : {}),
  };
  const opts: InferOptions = {
    nullMarkers: [...DEFAULT_NULL_MARKERS, ...(config.nulls ?? [])],
    // With a comma delimiter, "1,5" in a field was quoted on purpose: thousands, not decimals.
    decimalComma: sniffed.delimiter !== ',',
    dateOrder: config.dateOrder,
    types: config.types,
  };
  const finalPath = `${base}.parquet`;
  let refused: string | undefined;
  try {
    const planned = typedPass ? await planFromSample(shape, opts) : null;
    checkAborted(ctx.signal);
    if (planned) {
      const typed = await readTyped({
        shape, plan: planned, opts, target: finalPath,
        onProgress: (f) => ctx.progress(0.15 + 0.8 * f), signal: ctx.signal,
      });
      // A column empty in the sample was read as text; if values come later, the careful
      // pass decides its type from them, as it would have from the start.
      const late = 'rows' in typed ? await filledLater(finalPath, planned.plans, typed.rows) : undefined;
      if ('rows' in typed && !late) {
        warnings.push(...planWarnings(planned.plans));
        return { rows: typed.rows, plans: planned.plans, sniffed, warnings, finalPath, pass: { kind: 'typed' as const } };
      }
      refused = 'refused' in typed ? typed.refused : `column "${late}" is empty in the first rows but not after`;
      checkAborted(ctx.signal);
    }
    const careful = await readCarefully(shape, opts, config, finalPath, ctx);
    return { ...careful, sniffed, warnings: [...warnings, ...careful.warnings], finalPath, pass: { kind: 'careful' as const, ...(refused ? { refused } : {}) } };
  } finally {
    if (source !== file.path) fs.rmSync(source, { force: true });
  }
}

/** The first column that was empty in the sample but holds values in the written table. */
async function filledLater(table: string, plans: ColumnPlan[], rows: number): Promise<string | undefined> {
  const empty = plans.filter((p) => p.note === 'empty column').map((p) => p.name);
  if (!empty.length) return undefined;
  const [nulls] = (await pl.scanParquet(table).select(pl.col(empty).nullCount()).collect()).rows();
  const i = (nulls ?? []).findIndex((n) => Number(n) < rows);
  return i >= 0 ? empty[i] : undefined;
}

/**
 * The careful pass: every field as text first, every column's type confirmed on all its
 * values, every value the cast could not read accounted for. Slower, and exact about what
 * is wrong; it reads whatever the fast pass refused.
 */
async function readCarefully(shape: CsvShape, opts: InferOptions, config: UploadConfig, finalPath: string, ctx: RunContext) {
  const warnings: UploadWarning[] = [];
  const rawPath = finalPath.replace(/\.parquet$/, '.text.parquet');
  try {
    const read = await readAsText({ ...shape, target: rawPath, skipBadRows: Boolean(config.skipBadRows), signal: ctx.signal });
    warnings.push(...read.warnings);
    checkAborted(ctx.signal);
    ctx.progress(0.45);
    const { rows, plans, present } = await inferColumns(read.table(), shape.names, opts);
    checkAborted(ctx.signal);
    ctx.progress(0.65);
    const write = () => writeParquetAtomically(read.table().select(...castExprs(plans, opts)).select(pl.col(shape.names)), finalPath, shape.names.length, { inputBytes: shape.bytes, signal: ctx.signal });
    await write();
    // A value the cast cannot read would silently become null: keep that column as text,
    // unless the config set its type, and then say how many values were lost.
    const lost = await lostValues(pl.scanParquet(finalPath), rows, present);
    let rewrite = false;
    for (const [i, p] of plans.entries()) {
      const n = lost.get(p.name);
      if (!n) continue;
      if (config.types?.[p.name]) {
        warnings.push({ code: 'unreadable_values', column: p.name, message: `column "${p.name}": ${n} value(s) do not read as ${p.type} (type set in the config) and are null` });
        continue;
      }
      warnings.push({ code: 'kept_as_text', column: p.name, message: `column "${p.name}" looks like ${p.type} but ${n} value(s) do not read as one; kept as text` });
      plans[i] = { name: p.name, type: 'string' };
      rewrite = true;
    }
    if (rewrite) await write();
    warnings.push(...planWarnings(plans));
    checkAborted(ctx.signal);
    return { rows, plans, warnings };
  } finally {
    fs.rmSync(rawPath, { force: true });
  }
}

/** Reads `file` into `${base}.parquet` and writes its report beside it (`${base}.json`): the result. */
export async function readUpload(config: UploadConfig, file: StoredFile, base: string, ctx: RunContext, sniffed?: Sniffed): Promise<UploadResult> {
  const finalPath = `${base}.parquet`;
  const reportPath = `${base}.json`;
  const { rows, plans, sniffed: dialect, warnings, pass } = await convert(config, file, base, ctx, sniffed ? { sniffed } : {});
  checkAborted(ctx.signal);
  const dateOrder = plans.find((p) => p.dateOrder === 'DMY' || p.dateOrder === 'MDY')?.dateOrder;
  const result: UploadResult = {
    rows,
    columns: plans.map((p) => ({
      name: p.name,
      type: p.type,
      ...(p.format ? { format: p.format } : {}),
      ...(p.dateOrder ? { dateOrder: p.dateOrder } : {}),
      ...(p.markers ? { markers: p.markers } : {}),
      ...(p.note ? { note: p.note } : {}),
    })),
    preview: await previewOf(finalPath, plans),
    file: { name: file.name, size: file.size, sha256: file.sha256 },
    dialect: {
      delimiter: dialect.delimiter, encoding: dialect.encoding, header: dialect.header, quote: dialect.quote,
      lineEnding: dialect.lineEnding, ...(dateOrder ? { dateOrder } : {}),
    },
    warnings,
    pass,
  };
  fs.writeFileSync(`${reportPath}.tmp`, JSON.stringify(result));
  fs.renameSync(`${reportPath}.tmp`, reportPath);
  return result;
}

export const upload: CellKind<UploadConfig, UploadResult> = {
  ...uploadFace,
  kind: 'upload',
  version: READER_VERSION,
  producesTable: true,
  heavy: true,
  acceptsFile: true,
  starterConfig: () => STARTER_CONFIG,
  parseConfig: parseUploadConfig,
  configSchema: uploadConfigSchema,
  inputs: () => [],
  ownResult: (result, { file }) => (file ? { ...result, file } : result),
  refuseFile: (file, config) => { textSample(file, config?.encoding); },

  async run({ config, file, ctx }) {
    if (!file) throw new CellError('no_file', 'no file uploaded yet; drop a CSV on this cell');
    checkAborted(ctx.signal);
    // The schema lock checks what was read and never changes the reading: it is left out here
    // so locking a schema reuses the Parquet already read.
    const { schema: locked, ...reading } = config;
    const optsHash = createHash('sha256').update(JSON.stringify({ v: READER_VERSION, config: reading })).digest('hex').slice(0, 12);
    const base = path.join(ctx.workDir, `${file.sha256}-${optsHash}`);
    const finalPath = `${base}.parquet`;
    const reportPath = `${base}.json`;
    const fileInfo = { name: file.name, size: file.size, sha256: file.sha256 };
    // Same bytes, same options: the Parquet and its report are reused as they are.
    if (fs.existsSync(finalPath) && fs.existsSync(reportPath)) {
      const cached = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as UploadResult;
      checkSchemaLock(locked, cached.columns, file.name);
      ctx.progress(1);
      return { result: { ...cached, file: fileInfo }, table: finalPath };
    }
    fs.mkdirSync(ctx.workDir, { recursive: true });
    const sniffed = sniffChecked(reading, file);
    // A wide file is read in a process of its own: polars' memory for thousands of columns
    // (0.6 GB for 10,000 × 3) was not given back to the system, and grew with each such upload.
    const result = sniffed.first.count > WIDE
      ? await readApart(reading, file, base, ctx)
      : await readUpload(reading, file, base, ctx, sniffed);
    checkSchemaLock(locked, result.columns, file.name);
    ctx.progress(1);
    return { result, table: finalPath };
  },
};
