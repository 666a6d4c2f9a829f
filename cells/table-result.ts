// A table a cell computes from other cells' tables (sql, transform): one lazy plan, its columns
// sent to the page as a `planned` partial before any row is computed, streamed to Parquet under
// a name the plan's inputs decide, and described as an upload's table is (rows, typed columns,
// a bounded preview), so every kind and the grid read it as they read an upload's.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { CellError, type CellOutput, type RunContext } from './kind.ts';
import { columnType, inputTable, tableColumns, type ColumnType } from './shared/column-type.ts';
import { previewOf } from './upload/preview.ts';
import { WriterMemoryError } from './upload/sink.ts';
import { writeParquetAtomically } from './upload/write.ts';
import type { ColumnPlan } from './upload/infer.ts';
import type { UploadPreview } from './upload/types.ts';

export interface TableShape {
  rows: number;
  columns: { name: string; type: string }[];
  preview: UploadPreview;
}

export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
}

/** Where a kind's table for `key` is written: the same plan over the same tables is the same file. */
export function tableFile(workDir: string, prefix: string, key: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 24);
  return path.join(workDir, `${prefix}-${hash}.parquet`);
}

export interface WriteTable {
  /** Bytes of the input tables: the sink's memory watch scales with them. */
  inputBytes: number;
  /**
   * The plan's output is small (it aggregates its input): written in this process, as the
   * writer's own process would cost more to start than it saves (upload/sink.ts).
   */
  small?: boolean;
  /** The plan's columns when the kind knows them (else polars is asked, on no rows). */
  columns?: { name: string; type: ColumnType }[];
  /** Fields of the kind's own the partial carries beside the table's (sql: the query). */
  extra?: Record<string, unknown>;
  /** Polars' failure (planning or writing) in the kind's words. */
  fail(err: Error): CellError;
}

/**
 * Sends the plan's columns as a `planned` partial (the page lays out the table at once), then
 * streams the plan to `target`. A cancelled run is a cancellation, never polars' error.
 */
export async function writeTable(frame: pl.LazyDataFrame, target: string, ctx: RunContext, opts: WriteTable): Promise<void> {
  const columns = opts.columns ?? await planColumns(frame).catch((err: Error) => { throw opts.fail(err); });
  ctx.partial({
    stage: 'planned', rows: null,
    columns,
    preview: { columns: columns.map((c) => c.name), rows: [] },
    ...opts.extra,
  });
  ctx.progress(0.1);
  checkAborted(ctx.signal);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // A large input is written apart (upload/sink.ts), and so is a plan that joins: a join makes
  // as many rows as its keys pair (a key on many rows of both sides), past what its inputs hold,
  // and only a writer of its own is held to the memory budget. Other plans over small inputs
  // are written here: no process to start (about 0.15 s), nothing to serialise.
  const apart = !opts.small && (opts.inputBytes >= APART_BYTES || joins(frame)) && carried(frame);
  const budget = queryMemoryBudgetMb();
  // sink.ts writes an input it is told is large in its own process (Infinity: whatever its size).
  await writeParquetAtomically(frame, target, columns.length, { inputBytes: apart ? Infinity : 0, signal: ctx.signal, memoryLimit: budget * 1048576 })
    .catch((err: Error) => {
      if (ctx.signal.aborted) throw new CellError('cancelled', 'the run was cancelled');
      if (err instanceof WriterMemoryError) throw budgetError(err, budget);
      throw opts.fail(err);
    });
}

/**
 * The memory a sql or transform cell's table may take to write, in MB: `ASSAY_QUERY_MEMORY_MB`,
 * 1024 by default. Read at each write (a test sets it); a bad value stops the server at start
 * (read once below, as the module loads).
 */
export function queryMemoryBudgetMb(): number {
  const raw = process.env.ASSAY_QUERY_MEMORY_MB;
  if (raw === undefined || raw === '') return 1024;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 64) throw new Error(`ASSAY_QUERY_MEMORY_MB must be a whole number of MB, at least 64, got "${raw}"`);
  return n;
}
queryMemoryBudgetMb();

/**
 * A plan streams from its inputs to the file, but a sort, a group_by of many groups, a
 * drop_duplicates, a pivot or the right side of a join holds all its rows at once, and
 * polars (0.54) does not spill them to disk: past the budget the writer is stopped.
 */
function budgetError(err: WriterMemoryError, budget: number): CellError {
  return new CellError('memory_budget', `writing the table stopped: its query reached ${Math.ceil(err.reached / 1048576).toLocaleString('en')} MB, past the memory budget of ${budget.toLocaleString('en')} MB for a sql or transform cell's table (ASSAY_QUERY_MEMORY_MB). A sort, a group_by of many groups, drop_duplicates, a pivot or a join to a large table holds all its rows at once: filter or select fewer rows and columns first, or raise the budget`);
}

async function planColumns(frame: pl.LazyDataFrame): Promise<{ name: string; type: ColumnType }[]> {
  const head = await frame.clone().limit(0).collect();
  return head.columns.map((name, i) => ({ name, type: columnType(head.dtypes[i]!) }));
}

// upload/sink.ts's APART_BYTES: inputs below it are written in-process whatever the plan.
const APART_BYTES = 64 * 1024 * 1024;

/** Whether the plan joins tables (a transform's join, a query's JOIN or IN (SELECT …)). */
function joins(frame: pl.LazyDataFrame): boolean {
  return /\bJOIN\b/.test(frame.describePlan());
}

/**
 * Whether the plan can travel to the Parquet writer's own process (upload/sink.ts), which
 * large inputs are written in. Some of nodejs-polars' expressions (a text's case) run as
 * opaque functions that do not serialise: such a plan is written in this process instead.
 */
function carried(frame: pl.LazyDataFrame): boolean {
  try {
    frame.serialize('json');
    return true;
  } catch {
    return false;
  }
}

/**
 * A written table as a result: its rows, typed columns and preview (`limit`: rows kept in the
 * preview). `known`: its columns when the writer knew them (else read from the file).
 */
export async function describeTable(file: string, limit?: number, known?: { name: string; type: string }[]): Promise<TableShape> {
  const columns = known ?? await fileColumns(file);
  // The count is in the file's footer; both at once.
  const [[count], preview] = await Promise.all([
    pl.scanParquet(file).select(pl.len().alias('n')).collect().then((f) => f.toRecords()),
    previewOf(file, columns as ColumnPlan[]),
  ]);
  return {
    rows: Number(count?.n ?? 0),
    columns,
    preview: limit ? { ...preview, rows: preview.rows.slice(0, limit), ...(preview.cut ? { cut: { ...preview.cut, cells: preview.cut.cells.filter(([r]) => r < limit) } } : {}) } : preview,
  };
}

async function fileColumns(file: string): Promise<{ name: string; type: string }[]> {
  const types = await tableColumns(file);
  // In the table's order: an object's keys put names like "2020" first (a pivot's columns).
  const names = (await pl.scanParquet(file).limit(0).collect()).columns;
  return names.map((name) => ({ name, type: types[name]! }));
}

export interface InputTables {
  /** Each input cell's Parquet file, by the cell's name. */
  tables: Record<string, string>;
  /** Each input's columns with their types, by the cell's name. */
  columns: Record<string, Record<string, ColumnType>>;
  inputBytes: number;
}

/** The tables of the cells `names`, as a plan reads them; `verb` says what the cell does with them, for the error. */
export async function inputTables(inputs: Record<string, CellOutput>, names: string[], verb: string): Promise<InputTables> {
  const out: InputTables = { tables: {}, columns: {}, inputBytes: 0 };
  for (const name of names) {
    const input = await inputTable(inputs, name, verb);
    out.tables[name] = input.path;
    out.columns[name] = input.columns;
    out.inputBytes += fs.statSync(input.path).size;
  }
  return out;
}
