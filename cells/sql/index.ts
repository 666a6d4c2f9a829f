// The sql cell: one SELECT over the workspace's tables (cells that make one, by name), run by
// polars' SQL context over lazy scans of their Parquet, written as a table of its own that
// every other kind reads as it reads an upload's.
import fs from 'node:fs';
import pl from 'nodejs-polars';
import { CellError, type CellKind, type RunContext } from '../kind.ts';
import { closest } from '../shared/closest.ts';
import { checkAborted, describeTable, inputTables, tableFile, writeTable } from '../table-result.ts';
import { parseSqlConfig, sqlConfigSchema, STARTER_CONFIG, type SqlConfig } from './config.ts';
import { checkQuery, isBlank, queryInputs } from './guard.ts';
import { sqlCode } from './code.ts';
import { sqlFace, type SqlResult } from './face.ts';
import { renameTable } from './rename.ts';
import { bindParams, queryParams } from './params.ts';

export type { SqlConfig } from './config.ts';
export type { SqlResult } from './face.ts';

// Raised when what a query's result holds changes; part of the table's file name too.
const VERSION = 1;

/** Line and column polars' parser gives ("at Line: 2, Column: 7"), when it gives them. */
function parserPosition(message: string): { sqlLine: number; sqlColumn: number } | undefined {
  const m = /at Line: (\d+), Column: (\d+)/.exec(message);
  return m ? { sqlLine: Number(m[1]), sqlColumn: Number(m[2]) } : undefined;
}

/** Polars' error as the cell's: its message, where it is, and the nearest name for an unknown one. */
export function sqlError(message: string, columns: string[], tables: string[]): CellError {
  const text = message.trim().replace(/\s+/g, ' ');
  const position = parserPosition(text);
  const column = /unable to find column "([^"]+)"/.exec(text)?.[1] ?? /no column named '([^']+)'/.exec(text)?.[1];
  const table = /relation '([^']+)' was not found/.exec(text)?.[1];
  // Polars lists every column it knows; the nearest one is the helpful part on a wide table.
  const said = text.replace(/; valid columns: \[.*\]$/, '');
  const hint = column !== undefined ? closest(column, columns) : table !== undefined ? closest(table, tables) : '';
  return new CellError('sql_error', `SQL: ${said}${hint}`, {
    ...(position ?? {}), ...(column !== undefined ? { column } : {}), ...(table !== undefined ? { table } : {}),
  });
}

/** Plans the query over lazy scans of its input tables; polars' refusal becomes a CellError. */
export function plan(sql: string, tables: Record<string, string>, columns: string[]): pl.LazyDataFrame {
  const context = pl.SQLContext();
  for (const [name, file] of Object.entries(tables)) context.register(name, pl.scanParquet(file));
  const frame = context.execute(sql);
  // nodejs-polars hands back polars' error as the frame instead of throwing it.
  const inner = (frame as unknown as { _ldf?: unknown })._ldf;
  if (inner instanceof Error) throw sqlError(inner.message, columns, Object.keys(tables));
  checkScans(frame, Object.values(tables));
  return frame;
}

/**
 * The plan reads the registered tables and nothing else: a second lock behind the guard, so a
 * file read that slipped past the query's check would still never reach a result.
 */
function checkScans(frame: pl.LazyDataFrame, allowed: string[]): void {
  const scans = [...frame.describePlan().matchAll(/SCAN \[([^\]]*)\]/g)].map((m) => m[1]!);
  const stray = scans.find((s) => !allowed.includes(s));
  if (stray !== undefined) throw new CellError('sql_refused', 'the query reads something other than the workspace\'s tables');
}

async function runQuery(config: SqlConfig, inputs: Record<string, { table?: string; result: unknown }>, ctx: RunContext) {
  checkAborted(ctx.signal);
  const names = queryInputs(config.sql);
  const { tables, columns: byTable, inputBytes } = await inputTables(inputs, names, 'query');
  const columns = new Set(Object.values(byTable).flatMap((c) => Object.keys(c)));
  const target = tableFile(ctx.workDir, 'sql', { v: VERSION, sql: config.sql, tables: Object.entries(tables).sort() });
  if (!fs.existsSync(target)) {
    const frame = plan(config.sql, tables, [...columns]);
    await writeTable(frame, target, ctx, { inputBytes, extra: { sql: config.sql }, fail: (err) => sqlError(err.message, [...columns], names) });
  }
  checkAborted(ctx.signal);
  ctx.progress(0.9);
  const result: SqlResult = { ...await describeTable(target, config.limit_preview), sql: config.sql };
  ctx.progress(1);
  return { result, table: target };
}

export const sql: CellKind<SqlConfig, SqlResult> = {
  ...sqlFace,
  kind: 'sql',
  code: sqlCode,
  version: VERSION,
  heavy: true,
  acceptsFile: false,
  producesTable: true,
  starterConfig: STARTER_CONFIG,
  parseConfig: parseSqlConfig,
  configSchema: sqlConfigSchema,
  inputs: (config) => queryInputs(config.sql),
  namesCellsIn: { key: 'sql', rename: renameTable },
  params: (config) => queryParams(config.sql),
  awaitsConfig: (config) => isBlank(config.sql),
  async run({ config, inputs, ctx }) {
    // Checked again here: a config that reached the run another way is held to the same rules.
    checkQuery(config.sql);
    if (isBlank(config.sql)) throw new CellError('config_invalid', '"sql" holds no query yet: write a SELECT', { key: 'sql' });
    // The values are bound before anything reads the query: the table's file is named by the
    // bound query, so other values never reuse this one's rows.
    const bound = bindParams(config.sql, inputs);
    if (bound === config.sql) return runQuery(config, inputs, ctx);
    const out = await runQuery({ ...config, sql: bound }, inputs, ctx);
    // The result shows the query as written, `$name`s and all; the values are the inputs'.
    return { ...out, result: { ...out.result, sql: config.sql } };
  },
};
