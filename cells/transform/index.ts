// The transform cell: a list of steps (filter, derive, join, group_by, …) for analysts who do not
// write SQL, run as one lazy polars plan over the input tables' Parquet and written as a table of
// its own that every other kind reads as it reads an upload's.
import fs from 'node:fs';
import pl from 'nodejs-polars';
import { type CellKind } from '../kind.ts';
import { checkAborted, describeTable, inputTables, tableFile, writeTable } from '../table-result.ts';
import { parseTransformConfig, STARTER_CONFIG, transformConfigSchema, type TransformConfig } from './config.ts';
import { transformCode } from './code.ts';
import { transformFace, type TransformResult } from './face.ts';
import { buildPlan, colsOf, runError, type Cols } from './plan.ts';
import { schemaKey, type Col, type TransformSchema } from './portable.ts';
import { EXPRESSION_QUOTES, paramNames, paramValues } from '../shared/params.ts';
import type { ColumnType } from '../shared/column-type.ts';

export type { TransformConfig } from './config.ts';
export type { TransformResult } from './face.ts';

// Raised when what a transform's result holds changes; part of the table's file name too.
const VERSION = 1;

/** The cells a transform reads: its input, and every table it joins or stacks. */
export function transformInputs(config: TransformConfig): string[] {
  const names = [config.input];
  for (const step of config.steps) {
    if (step.name === 'join') names.push(step.args.with);
    if (step.name === 'union') names.push(...step.args);
  }
  return [...new Set(names)];
}

/** The input cells a transform's filters and derived columns read as `$name` (bound as values, never as text). */
export function transformParams(config: TransformConfig): string[] {
  const texts = config.steps.flatMap((s) => (s.name === 'filter' ? [s.args] : s.name === 'derive' ? Object.values(s.args) : []));
  return [...new Set(texts.flatMap((t) => paramNames(t, { quotes: EXPRESSION_QUOTES })))];
}

// Above this many columns in all (a wide table, many steps), the result keeps no schema: the
// code's SQL then uses DuckDB's star modifiers rather than carrying every list in the result.
const MAX_SCHEMA_COLUMNS = 5000;

/** The columns the code's SQL lists (portable.ts): the input's and other tables' in their order, and `stages`' after each step. */
async function readSchema(config: TransformConfig, tables: Record<string, string>, columns: Record<string, Record<string, string>>, stages: Cols[]): Promise<TransformSchema | undefined> {
  if (stages.reduce((n, cols) => n + cols.length, 0) > MAX_SCHEMA_COLUMNS) return undefined;
  const tableCols: Record<string, Col[]> = {};
  // Each table's columns as read for the plan, in order unless a name reads as a number.
  for (const t of Object.keys(tables)) {
    const known = Object.entries(columns[t] ?? {});
    tableCols[t] = known.length && !known.some(([n]) => /^\d+$/.test(n)) ? known : await colsOf(pl.scanParquet(tables[t]!));
  }
  const { [config.input]: input, ...others } = tableCols;
  return { key: schemaKey(config), input: input!, tables: others, steps: stages };
}

/**
 * Whether the table is its input's groups (a group_by or pivot that no later join or union
 * widens again): its rows are few, and it is written in the run's process (table-result.ts).
 * On the 6.6 M-row benchmark's group-by that saved a fifth of the time; peak RSS 0.6 GB.
 */
function aggregates(config: TransformConfig): boolean {
  const last = config.steps.findLastIndex((s) => s.name === 'group_by' || s.name === 'pivot');
  return last >= 0 && !config.steps.slice(last).some((s) => s.name === 'join' || s.name === 'union' || s.name === 'unpivot');
}

// Beside the table: a rerun that finds the table written finds its columns too.
const schemaFile = (target: string) => `${target.replace(/\.parquet$/, '')}.schema.json`;

function readSchemaFile(target: string): TransformSchema | undefined {
  try {
    return JSON.parse(fs.readFileSync(schemaFile(target), 'utf8')) as TransformSchema;
  } catch {
    return undefined;
  }
}

export const transform: CellKind<TransformConfig, TransformResult> = {
  ...transformFace,
  kind: 'transform',
  code: transformCode,
  version: VERSION,
  heavy: true,
  acceptsFile: false,
  producesTable: true,
  starterConfig: STARTER_CONFIG,
  parseConfig: parseTransformConfig,
  configSchema: transformConfigSchema,
  inputs: transformInputs,
  params: transformParams,
  // A new cell's steps are comments: it waits for one rather than copying its input's table.
  awaitsConfig: (config) => config.steps.length === 0,
  async run({ config, inputs, ctx }) {
    checkAborted(ctx.signal);
    const { tables, columns, inputBytes } = await inputTables(inputs, transformInputs(config), 'transform');
    const params = paramValues(transformParams(config), inputs);
    // Named by the values too: other values never reuse this one's rows.
    const target = tableFile(ctx.workDir, 'transform', { v: VERSION, input: config.input, steps: config.steps, tables: Object.entries(tables).sort(), ...(Object.keys(params).length ? { params } : {}) });
    let schema: TransformSchema | undefined;
    let known: { name: string; type: ColumnType }[] | undefined;
    if (!fs.existsSync(target)) {
      const stages: Cols[] = [];
      const frame = await buildPlan(config, tables, columns, params, stages);
      checkAborted(ctx.signal);
      schema = await readSchema(config, tables, columns, stages);
      // The last step's columns are the table's: the writer need not ask polars again.
      known = stages.at(-1)?.map(([name, type]) => ({ name, type }));
      await writeTable(frame, target, ctx, { inputBytes, columns: known, small: aggregates(config), extra: { steps: config.steps.map((s) => s.name) }, fail: (err) => runError(config, err) });
      if (schema) fs.writeFileSync(schemaFile(target), JSON.stringify(schema));
    } else schema = readSchemaFile(target);
    checkAborted(ctx.signal);
    ctx.progress(0.9);
    const result: TransformResult = { ...await describeTable(target, config.limit_preview, known), steps: config.steps.map((s) => s.name), ...(schema ? { schema } : {}) };
    ctx.progress(1);
    return { result, table: target };
  },
};
