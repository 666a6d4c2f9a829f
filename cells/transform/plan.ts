// The transform's steps as ONE lazy polars plan over scans of the input tables' Parquet. Each
// step is checked against the columns (and their types) the steps before it leave, before
// anything runs: a problem names the step's index and key with the closest column. Nothing a
// step holds is run as code: expressions are the rules' language (shared/expression.ts).
import pl from 'nodejs-polars';
import { CellError } from '../kind.ts';
import { closest } from '../shared/closest.ts';
import { columnType, ROW_NUMBER, type ColumnType } from '../shared/column-type.ts';
import { compileExpression, ExpressionError, parseExpression } from '../shared/expression.ts';
import type { ParamValues } from '../shared/params.ts';
import { stepError, type Names, type Scalar, type Step, type Steps, type TransformConfig } from './config.ts';
import type { Aggregate } from './vocabulary.ts';

type Types = Record<string, ColumnType>;

/** The frame after a step, and its columns' types when the step knows them (else polars is asked). */
interface After { frame: pl.LazyDataFrame; types?: Types }

interface StepContext {
  config: TransformConfig;
  index: number;
  types: Types;
  /** Input cells' values the expressions' `$name` read (cells/shared/params.ts). */
  params: ParamValues;
  /** The input tables' scans, by cell name. */
  scan(cell: string): pl.LazyDataFrame;
  /** The columns of another input cell's table. */
  columnsOf(cell: string): Types;
}

// A pivot makes one column per value of its `on` column: more is no longer a table to read.
export const MAX_PIVOT_COLUMNS = 1000;

// Marks a value a cast could not read, inside the strict cast that makes the run fail on it
// (castGuard): the failure then says which step and column, and the value.
const MARK = '\u241f';

const asList = (n: Names): string[] => (typeof n === 'string' ? [n] : n);
const NUMERIC: ColumnType[] = ['integer', 'float'];
const TYPE_WORDS: Record<ColumnType, string> = {
  integer: 'whole numbers', float: 'numbers', boolean: 'true/false values', date: 'dates', datetime: 'date-times', string: 'text', other: 'values of another type',
};

/** Columns in the table's order, with their types. */
export type Cols = [name: string, type: ColumnType][];

/**
 * Builds the plan for `config` over `tables` (cell name → Parquet file); `columns`: each table's
 * columns. `stages`, when given, receives the columns after each step, in order (the code's
 * column lists, portable.ts; the last are the table's).
 */
export async function buildPlan(config: TransformConfig, tables: Record<string, string>, columns: Record<string, Types>, params: ParamValues = {}, stages?: Cols[]): Promise<pl.LazyDataFrame> {
  const scans = new Map<string, pl.LazyDataFrame>();
  const scan = (cell: string) => {
    if (!scans.has(cell)) scans.set(cell, pl.scanParquet(tables[cell]!));
    return scans.get(cell)!.clone();
  };
  let frame = scan(config.input);
  let types: Types = { ...columns[config.input] };
  for (const [index, step] of config.steps.entries()) {
    const ctx: StepContext = { config, index, types, params, scan, columnsOf: (cell) => columns[cell] ?? {} };
    let after: After;
    try {
      after = await applyStep(frame, step, ctx);
    } catch (err) {
      if (err instanceof CellError) throw err;
      throw stepError(config, 'transform_error', index, [step.name], polarsSays(err));
    }
    frame = after.frame;
    // A step that says its types keeps their order, unless a name reads as a number (an
    // object puts those first): then, as for the other steps, polars is asked.
    const cols = after.types && !Object.keys(after.types).some(isIndexLike) ? Object.entries(after.types)
      : await colsOf(frame).catch((err: Error) => { throw stepError(config, 'transform_error', index, [step.name], polarsSays(err)); });
    types = after.types ?? Object.fromEntries(cols);
    stages?.push(cols);
  }
  return frame;
}

const isIndexLike = (name: string) => /^(0|[1-9]\d*)$/.test(name);

/** A plan's columns in order, with their types, from polars (the plan is run on no rows). */
export async function colsOf(frame: pl.LazyDataFrame): Promise<Cols> {
  const head = await frame.clone().limit(0).collect();
  return head.columns.map((name, i) => [name, columnType(head.dtypes[i]!)]);
}

/** A plan's columns and types, from polars (the plan is run on no rows). */
export async function typesOf(frame: pl.LazyDataFrame): Promise<Types> {
  return Object.fromEntries(await colsOf(frame));
}

/** Polars' message, on one line, without the plan it appends. */
export function polarsSays(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split(/\n\s*\n|\nResolved plan until failure:|\n\s*Error originated just after/)[0]!.replace(/\s+/g, ' ').trim();
}

/**
 * Polars' failure while the table was written, in the steps' words: a value a cast could not
 * read names its step, column and value; anything else is polars' own message.
 */
export function runError(config: TransformConfig, err: Error): CellError {
  const text = polarsSays(err);
  const m = new RegExp(`for (\\d+) out of (\\d+) values: \\["${MARK}(\\d+)${MARK}([^${MARK}]*)${MARK}([^${MARK}]*)${MARK}(.*?)"[,\\]]`).exec(text);
  if (m) {
    const [, failed, , step, column, what, value] = m;
    const more = Number(failed) > 1 ? ` (and ${Number(failed) - 1} more value${Number(failed) > 2 ? 's' : ''})` : '';
    return stepError(config, 'cast_failed', Number(step), ['cast', column!], `"${value}" is not ${what}${more}; fix the values first (replace, fill_null) or keep the column as text`);
  }
  return new CellError('transform_error', `transform: ${text}`);
}

function noColumn(ctx: StepContext, keys: (string | number)[], name: string, types: Types = ctx.types): CellError {
  const known = Object.keys(types);
  const hint = closest(name, known) || `; the table has: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`;
  return stepError(ctx.config, 'no_column', ctx.index, keys, `no column "${name}"${hint}`);
}

/** Each name is a column of `types`; `keys` says where the names were written. */
function need(ctx: StepContext, keys: (string | number)[], names: string[], types: Types = ctx.types, listed = names.length > 1): void {
  names.forEach((n, i) => {
    if (!Object.hasOwn(types, n)) throw noColumn(ctx, listed ? [...keys, i] : keys, n, types);
  });
}

function expressionOf(ctx: StepContext, keys: (string | number)[], text: string): pl.Expr {
  try {
    return compileExpression(parseExpression(text), ctx.types, ctx.params);
  } catch (err) {
    if (err instanceof ExpressionError) throw stepError(ctx.config, 'expression_invalid', ctx.index, keys, err.message);
    throw err;
  }
}

function fail(ctx: StepContext, keys: (string | number)[], message: string): CellError {
  return stepError(ctx.config, 'step_invalid', ctx.index, keys, message);
}

async function applyStep(frame: pl.LazyDataFrame, step: Step, ctx: StepContext): Promise<After> {
  const { types } = ctx;
  switch (step.name) {
    case 'drop_rows': return dropRows(frame, step.args, types);
    case 'rename': {
      const renamed: Types = {};
      for (const old of Object.keys(step.args)) if (!Object.hasOwn(types, old)) throw noColumn(ctx, ['rename', old], old);
      for (const [name, type] of Object.entries(types)) renamed[step.args[name] ?? name] = type;
      if (Object.keys(renamed).length < Object.keys(types).length) {
        const taken = Object.values(step.args).find((n) => Object.hasOwn(types, n) && !Object.hasOwn(step.args, n))!;
        throw fail(ctx, ['rename'], `two columns would be named "${taken}"`);
      }
      return { frame: frame.rename(step.args), types: renamed };
    }
    case 'filter': return { frame: frame.filter(expressionOf(ctx, ['filter'], step.args)), types };
    case 'derive': {
      // One column at a time, so a later one may use an earlier one.
      let out = frame;
      const now = { ...types };
      for (const [name, text] of Object.entries(step.args)) {
        out = out.withColumns(expressionOf({ ...ctx, types: now }, ['derive', name], text).alias(name));
        Object.assign(now, await typesOf(out).catch((err) => { throw fail(ctx, ['derive', name], polarsSays(err)); }));
      }
      return { frame: out, types: now };
    }
    case 'cast': {
      const now = { ...types };
      const exprs = Object.entries(step.args).map(([column, to]) => {
        if (!Object.hasOwn(types, column)) throw noColumn(ctx, ['cast', column], column);
        const { expr, type } = castExpr(ctx, column, types[column]!, to);
        now[column] = type;
        return expr.alias(column);
      });
      return { frame: frame.withColumns(...exprs), types: now };
    }
    case 'fill_null': {
      const exprs = Object.entries(step.args).map(([column, fill]) => {
        if (!Object.hasOwn(types, column)) throw noColumn(ctx, ['fill_null', column], column);
        return fillExpr(ctx, column, types[column]!, fill).alias(column);
      });
      // A mean fills whole numbers with a fraction: polars says the column's new type.
      return { frame: frame.withColumns(...exprs) };
    }
    case 'trim': case 'case': {
      const columns = step.name === 'trim' ? step.args : Object.keys(step.args);
      columns.forEach((c, i) => {
        const keys = step.name === 'trim' ? ['trim', ...(columns.length > 1 ? [i] : [])] : ['case', c];
        if (!Object.hasOwn(types, c)) throw noColumn(ctx, keys, c);
        if (types[c] !== 'string') throw fail(ctx, keys, `"${c}" holds ${TYPE_WORDS[types[c]!]}, not text`);
      });
      const exprs = step.name === 'trim'
        ? step.args.map((c) => pl.col(c).str.stripChars(pl.lit(null)).alias(c))
        : Object.entries(step.args).map(([c, to]) => caseExpr(pl.col(c), to).alias(c));
      return { frame: frame.withColumns(...exprs), types };
    }
    case 'replace': {
      const exprs = Object.entries(step.args).map(([column, pairs]) => {
        if (!Object.hasOwn(types, column)) throw noColumn(ctx, ['replace', column], column);
        return replaceExpr(ctx, column, types[column]!, pairs).alias(column);
      });
      return { frame: frame.withColumns(...exprs), types };
    }
    case 'drop_duplicates': {
      if (step.args.columns) need(ctx, ['drop_duplicates', 'columns'], step.args.columns);
      return { frame: frame.unique({ subset: step.args.columns, keep: step.args.keep ?? 'first', maintainOrder: true }), types };
    }
    case 'join': return join(frame, step.args, ctx);
    case 'union': {
      const others = step.args.map((cell) => ctx.scan(cell));
      return { frame: pl.concat([frame, ...others], { how: 'diagonalRelaxed' }) };
    }
    case 'group_by': return groupBy(frame, step.args, ctx);
    case 'sort': {
      const by = asList(step.args.by);
      need(ctx, ['sort', 'by'], by);
      const descending = step.args.descending ?? false;
      if (Array.isArray(descending) && descending.length !== by.length) {
        throw fail(ctx, ['sort', 'descending'], `give one true/false per column of "by" (${by.length}), or one for all`);
      }
      return { frame: frame.sort({ by, descending, nullsLast: true, maintainOrder: true }), types };
    }
    case 'select': {
      need(ctx, ['select'], step.args);
      return { frame: frame.select(...step.args), types: Object.fromEntries(step.args.map((c) => [c, types[c]!])) };
    }
    case 'drop': {
      need(ctx, ['drop'], step.args);
      return { frame: frame.drop(step.args), types: Object.fromEntries(Object.entries(types).filter(([c]) => !step.args.includes(c))) };
    }
    case 'pivot': return pivot(frame, step.args, ctx);
    case 'unpivot': {
      const index = asList(step.args.index);
      need(ctx, ['unpivot', 'index'], index);
      const on = step.args.on ?? Object.keys(types).filter((c) => !index.includes(c));
      if (step.args.on) need(ctx, ['unpivot', 'on'], on);
      return { frame: frame.unpivot(index, on, { variableName: step.args.variable ?? 'variable', valueName: step.args.value ?? 'value' } as never) };
    }
    case 'limit': return { frame: frame.limit(step.args), types };
  }
}

function dropRows(frame: pl.LazyDataFrame, args: Steps['drop_rows'], types: Types): After {
  const row = pl.col(ROW_NUMBER);
  let keep = row.gtEq(args.first ?? 0);
  if (args.last) keep = keep.and(row.lt(pl.len().sub(args.last)));
  return { frame: frame.withRowIndex(ROW_NUMBER).filter(keep).drop(ROW_NUMBER), types };
}

/** Text read as dates in a day/month/year order, with any of / - . between, and 2- or 4-digit years. */
function dateFromText(text: pl.Expr, order: 'DMY' | 'MDY' | 'YMD'): pl.Expr {
  const slashed = text.str.stripChars(pl.lit(null)).str.replaceAll('[-.]', '/');
  const formats = { DMY: ['%d/%m/%Y', '%d/%m/%y'], MDY: ['%m/%d/%Y', '%m/%d/%y'], YMD: ['%Y/%m/%d', '%y/%m/%d'] }[order];
  const fourDigits = order === 'YMD' ? slashed.str.contains('^[0-9]{4}/') : slashed.str.contains('/[0-9]{4}$');
  return pl.when(fourDigits).then(slashed.str.strptime(pl.Date, formats[0])).otherwise(slashed.str.strptime(pl.Date, formats[1]));
}

/**
 * `read` made strict: where the column held a value and `read` gave none, a strict cast of the
 * marked value fails the run, and runError reads the step, column and value back from it.
 */
function castGuard(ctx: StepContext, column: string, read: pl.Expr, dtype: pl.DataType, what: string): pl.Expr {
  const original = pl.col(column);
  const unread = original.isNotNull().and(read.isNull());
  const marked = pl.lit(`${MARK}${ctx.index}${MARK}${column}${MARK}${what}${MARK}`).add(original.cast(pl.Utf8));
  return read.fillNull(pl.when(unread).then(marked).otherwise(pl.lit(null)).cast(pl.Int64, true).cast(dtype));
}

const TRUE_FALSE = (text: pl.Expr) => pl.when(text.str.contains('^(?i)\\s*(true|yes|1)\\s*$')).then(pl.lit(true))
  .when(text.str.contains('^(?i)\\s*(false|no|0)\\s*$')).then(pl.lit(false)).otherwise(pl.lit(null));

function castExpr(ctx: StepContext, column: string, from: ColumnType, to: Steps['cast'][string]): { expr: pl.Expr; type: ColumnType } {
  const col = pl.col(column);
  const text = from === 'string';
  switch (to) {
    case 'string': return { expr: col.cast(pl.Utf8), type: 'string' };
    case 'integer': {
      // Text such as "1,234" or " 12 " reads as a number; a fraction is refused, not cut.
      const read = text ? col.str.stripChars(pl.lit(null)).str.replaceAll(',', '', true).cast(pl.Int64, false) : col.cast(pl.Int64, false);
      return { expr: castGuard(ctx, column, read, pl.Int64, 'a whole number'), type: 'integer' };
    }
    case 'float': {
      const read = text ? col.str.stripChars(pl.lit(null)).str.replaceAll(',', '', true).cast(pl.Float64, false) : col.cast(pl.Float64, false);
      return { expr: castGuard(ctx, column, read, pl.Float64, 'a number'), type: 'float' };
    }
    case 'boolean': {
      const read = text ? TRUE_FALSE(col) : col.cast(pl.Bool, false);
      return { expr: castGuard(ctx, column, read, pl.Bool, 'true or false'), type: 'boolean' };
    }
    case 'date': case 'DMY': case 'MDY': case 'YMD': {
      if (!text && to !== 'date') throw fail(ctx, ['cast', column], `${to} reads text dates; "${column}" holds ${TYPE_WORDS[from]}`);
      const read = text ? dateFromText(col, to === 'date' ? 'YMD' : to) : col.cast(pl.Date, false);
      const what = to === 'date' ? 'a date (YYYY-MM-DD; give DMY, MDY or YMD for other orders)' : `a date in ${to} order`;
      return { expr: castGuard(ctx, column, read, pl.Date, what), type: 'date' };
    }
    case 'datetime': {
      const read = text ? col.str.strptime(pl.Datetime('ms') as never) : col.cast(pl.Datetime('ms'), false);
      return { expr: castGuard(ctx, column, read, pl.Datetime('ms'), 'a date-time (YYYY-MM-DD HH:MM:SS)'), type: 'datetime' };
    }
  }
}

/** A literal of the column's type from a value written in the config; `keys` says where, for the error. */
function literalFor(ctx: StepContext, keys: (string | number)[], column: string, type: ColumnType, value: Scalar | null): pl.Expr {
  if (value === null) return pl.lit(null);
  const bad = () => fail(ctx, keys, `${JSON.stringify(value)} does not fit "${column}", which holds ${TYPE_WORDS[type]}`);
  switch (type) {
    case 'integer': case 'float': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw bad();
      return type === 'integer' ? pl.lit(n).cast(pl.Int64) : pl.lit(n).cast(pl.Float64);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return pl.lit(value);
      if (value === 'true' || value === 'false') return pl.lit(value === 'true');
      throw bad();
    }
    case 'date': case 'datetime': {
      const d = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : new Date(NaN);
      if (Number.isNaN(d.getTime())) throw bad();
      return type === 'date' ? pl.lit(d).cast(pl.Date) : pl.lit(d).cast(pl.Datetime('ms'));
    }
    case 'string': return pl.lit(String(value));
    default: throw bad();
  }
}

function fillExpr(ctx: StepContext, column: string, type: ColumnType, fill: Steps['fill_null'][string]): pl.Expr {
  if (typeof fill !== 'object') return pl.col(column).fillNull(literalFor(ctx, ['fill_null', column], column, type, fill));
  const { strategy } = fill;
  if ((strategy === 'mean' || strategy === 'zero') && !NUMERIC.includes(type)) {
    throw fail(ctx, ['fill_null', column, 'strategy'], `${strategy} fills numbers; "${column}" holds ${TYPE_WORDS[type]}`);
  }
  return pl.col(column).fillNull(strategy);
}

function caseExpr(col: pl.Expr, to: Steps['case'][string]): pl.Expr {
  if (to === 'upper') return col.str.toUpperCase();
  if (to === 'lower') return col.str.toLowerCase();
  // Each word's first letter up, the rest down ("nEW york" → "New York").
  const word = pl.element();
  return col.str.toLowerCase().str.split(' ').lst.eval(word.str.slice(0, 1).str.toUpperCase().add(word.str.slice(1))).lst.join(' ');
}

function replaceExpr(ctx: StepContext, column: string, type: ColumnType, pairs: Steps['replace'][string]): pl.Expr {
  const col = pl.col(column);
  const entries = Object.entries(pairs);
  if (entries.length === 0) return col;
  // when old₁ then new₁ when old₂ then new₂ … otherwise the value as it was.
  type Chain = { when(test: pl.Expr): { then(value: pl.Expr): Chain }; otherwise(e: pl.Expr): pl.Expr };
  let chain: Chain | undefined;
  for (const [old, to] of entries) {
    const test = col.eq(literalFor(ctx, ['replace', column, old], column, type, old));
    const value = literalFor(ctx, ['replace', column, old], column, type, to);
    chain = (chain ? chain.when(test).then(value) : pl.when(test).then(value)) as Chain;
  }
  return chain!.otherwise(col);
}

async function join(frame: pl.LazyDataFrame, args: Steps['join'], ctx: StepContext): Promise<After> {
  const right = ctx.columnsOf(args.with);
  const how = args.how ?? 'inner';
  let leftOn: string[];
  let rightOn: string[];
  if (typeof args.on === 'string' || Array.isArray(args.on)) {
    leftOn = rightOn = asList(args.on);
    need(ctx, ['join', 'on'], leftOn);
    need(ctx, ['join', 'on'], rightOn, right);
  } else {
    leftOn = Object.keys(args.on);
    rightOn = Object.values(args.on);
    for (const [l, r] of Object.entries(args.on)) {
      if (!Object.hasOwn(ctx.types, l)) throw noColumn(ctx, ['join', 'on', l], l);
      if (!Object.hasOwn(right, r)) throw noColumn(ctx, ['join', 'on', l], r, right);
    }
  }
  leftOn.forEach((l, i) => {
    const [a, b] = [ctx.types[l]!, right[rightOn[i]!]!];
    if (a !== b && !(NUMERIC.includes(a) && NUMERIC.includes(b))) {
      throw fail(ctx, ['join', 'on'], `"${l}" holds ${TYPE_WORDS[a]} and "${rightOn[i]}" of ${args.with} holds ${TYPE_WORDS[b]}: cast one first`);
    }
  });
  const other = ctx.scan(args.with);
  // A full join keeps one key column (as SQL's USING does), not one from each side. Rows stay
  // in the order of the table they come from (the left's; a right join's, the right's), so a
  // rerun gives the same table and a later drop_duplicates keeps the same first rows.
  const maintainOrder = how === 'right' ? 'right' : how === 'full' ? 'left_right' : 'left';
  const joined = frame.join(other, { leftOn, rightOn, how: how as never, coalesce: true, suffix: '_right', maintainOrder } as never);
  return { frame: joined };
}

function aggExpr(col: pl.Expr, agg: Aggregate): pl.Expr {
  switch (agg) {
    case 'sum': return col.sum();
    case 'mean': return col.mean();
    case 'median': return col.median();
    case 'min': return col.min();
    case 'max': return col.max();
    case 'count': return col.count();
    case 'n_unique': return col.nUnique();
    case 'first': return col.first();
    case 'last': return col.last();
    case 'std': return col.std();
  }
}

const NUMBER_AGGREGATES: Aggregate[] = ['sum', 'mean', 'median', 'std'];

function checkAggregate(ctx: StepContext, keys: (string | number)[], column: string, agg: Aggregate): void {
  const type = ctx.types[column]!;
  if (NUMBER_AGGREGATES.includes(agg) && !NUMERIC.includes(type) && type !== 'boolean') {
    throw fail(ctx, keys, `${agg} adds up numbers; "${column}" holds ${TYPE_WORDS[type]} (count, n_unique, min, max, first and last take any column)`);
  }
}

async function groupBy(frame: pl.LazyDataFrame, args: Steps['group_by'], ctx: StepContext): Promise<After> {
  const by = asList(args.by);
  need(ctx, ['group_by', 'by'], by);
  const exprs: pl.Expr[] = [];
  for (const [column, written] of Object.entries(args.aggregate)) {
    const aggs = Array.isArray(written) ? written : [written];
    const keys = ['group_by', 'aggregate', column];
    if (!Object.hasOwn(ctx.types, column)) {
      // `rows: count` names a new column: the number of rows in each group.
      if (aggs.length === 1 && aggs[0] === 'count') { exprs.push(pl.len().alias(column)); continue; }
      throw stepError(ctx.config, 'no_column', ctx.index, keys,
        `no column "${column}"${closest(column, Object.keys(ctx.types))}; only a count may name a new column (rows: count)`);
    }
    for (const agg of aggs) {
      checkAggregate(ctx, keys, column, agg);
      exprs.push(aggExpr(pl.col(column), agg).alias(aggs.length > 1 ? `${column}_${agg}` : column));
    }
  }
  // Groups in the order each first appears: the same input gives the same table every run.
  return { frame: frame.groupBy(by, true).agg(...exprs), types: groupTypes(ctx.types, by, args.aggregate) };
}

/** The columns a group_by makes, as polars types them: the keys, then each aggregate in order (no plan run to ask). */
function groupTypes(types: Types, by: string[], aggregate: Steps['group_by']['aggregate']): Types | undefined {
  const out: Types = Object.fromEntries(by.map((c) => [c, types[c]!]));
  for (const [column, written] of Object.entries(aggregate)) {
    const aggs = Array.isArray(written) ? written : [written];
    for (const agg of aggs) {
      const type = types[column];
      const name = aggs.length > 1 ? `${column}_${agg}` : column;
      // Two columns of one name: polars' own error (asked for the types) names the step.
      if (Object.hasOwn(out, name)) return undefined;
      if (agg === 'count' || agg === 'n_unique' || type === undefined) out[name] = 'integer';
      else if (agg === 'mean' || agg === 'median' || agg === 'std') out[name] = 'float';
      // A sum of true/false values counts the true ones.
      else if (agg === 'sum') out[name] = type === 'boolean' ? 'integer' : type;
      else out[name] = type;
    }
  }
  return out;
}

async function pivot(frame: pl.LazyDataFrame, args: Steps['pivot'], ctx: StepContext): Promise<After> {
  const index = asList(args.index);
  need(ctx, ['pivot', 'index'], index);
  need(ctx, ['pivot', 'on'], [args.on]);
  need(ctx, ['pivot', 'values'], [args.values]);
  const agg = args.aggregate ?? 'first';
  checkAggregate(ctx, ['pivot', 'aggregate'], args.values, agg);
  // The new columns are the values of `on`: read them first (the plan so far runs once for it).
  const on = pl.col(args.on).cast(pl.Utf8);
  // In the values' own order (months 1, 2, …, 12), named as text.
  const seen = await frame.clone().select(pl.col(args.on).alias('v')).unique().sort('v').limit(MAX_PIVOT_COLUMNS + 1).select(pl.col('v').cast(pl.Utf8)).collect();
  const values = (seen.getColumn('v').toArray() as (string | null)[]).filter((v): v is string => v !== null);
  if (values.length > MAX_PIVOT_COLUMNS) throw fail(ctx, ['pivot', 'on'], `"${args.on}" has more than ${MAX_PIVOT_COLUMNS} values: a column each would be no table to read`);
  const clash = values.find((v) => index.includes(v));
  if (clash !== undefined) throw fail(ctx, ['pivot', 'on'], `a value of "${args.on}" ("${clash}") is also a column of "index"`);
  const columns = values.map((v) => aggExpr(pl.col(args.values).filter(on.eq(pl.lit(v))), agg).alias(v));
  return { frame: frame.groupBy(index, true).agg(...columns) };
}
