// The transform cell: a list of steps (filter, derive, join, group_by, …) for analysts who do not
// write SQL, run as one lazy polars plan over the input tables' Parquet and written as a table of
// its own that every other kind reads as it reads an upload's.
import fs from 'node:fs';
import { type CellKind } from '../kind.ts';
import { checkAborted, describeTable, inputTables, tableFile, writeTable } from '../table-result.ts';
import { parseTransformConfig, STARTER_CONFIG, transformConfigSchema, type TransformConfig } from './config.ts';
import { transformFace, type TransformResult } from './face.ts';
import { buildPlan, runError } from './plan.ts';
import { EXPRESSION_QUOTES, paramNames, paramValues } from '../shared/params.ts';

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

export const transform: CellKind<TransformConfig, TransformResult> = {
  ...transformFace,
  kind: 'transform',
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
    if (!fs.existsSync(target)) {
      const frame = await buildPlan(config, tables, columns, params);
      checkAborted(ctx.signal);
      await writeTable(frame, target, ctx, { inputBytes, extra: { steps: config.steps.map((s) => s.name) }, fail: (err) => runError(config, err) });
    }
    checkAborted(ctx.signal);
    ctx.progress(0.9);
    const result: TransformResult = { ...await describeTable(target, config.limit_preview), steps: config.steps.map((s) => s.name) };
    ctx.progress(1);
    return { result, table: target };
  },
};
