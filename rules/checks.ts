// Every check type: its options, and how it compiles to polars. A check is one of
//   rows       a boolean per row, true where the row violates it: counted in the one pass
//              over the data that every row check shares, and sampled afterwards;
//   aggregate  one value over the table (a mean, the newest date), judged against bounds;
//   table      judged from the table's shape alone (its row count, its columns).
// Missing values are not checked by value checks (range, pattern, …): not_null does that.
import pl from 'nodejs-polars';
import { closest } from '../cells/shared/closest.ts';
import { FORMATS } from '../cells/shared/value-formats.ts';
import type { ParamValues } from '../cells/shared/params.ts';
import { compileExpression, columnsOf, parseExpression, type Node as ExprNode } from '../cells/shared/expression.ts';
import { CHECK_OPTIONS, type CheckName } from './vocabulary.ts';

import type { ColumnType } from '../cells/shared/column-type.ts';

export type { ColumnType };

export interface Table {
  columns: Record<string, ColumnType>;
  /** Other cells' tables a `reference` check may read, by cell name. */
  others: Record<string, { path: string; columns: Record<string, ColumnType> } | undefined>;
  now: number;
  /** Input cells' values an expression's `$name` reads (cells/shared/params.ts). */
  params?: ParamValues;
}

export type Judged = { violations: number; observed: unknown; message: string };

export type Compiled =
  | { kind: 'rows'; violation: pl.Expr; columns: string[]; describe: string }
  | { kind: 'aggregate'; value: pl.Expr; judge: (value: unknown) => Judged }
  | { kind: 'table'; judge: (rows: number) => Judged };

export class RuleError extends Error {
  readonly key?: string;
  constructor(message: string, key?: string) {
    super(message);
    this.key = key;
  }
}


type Spec = Record<string, unknown>;

// --- option readers: each error names the option -------------------------------------------

function column(spec: Spec, table: Table, key = 'column'): string {
  const name = spec[key];
  if (typeof name !== 'string' || name === '') throw new RuleError(`"${key}" is required: the column to check`, key);
  if (!Object.hasOwn(table.columns, name)) throw new RuleError(`no column "${name}"${closest(name, Object.keys(table.columns))}`, key);
  return name;
}

function columnList(spec: Spec, table: Table): string[] {
  if (spec.column !== undefined && spec.columns !== undefined) throw new RuleError('give "column" or "columns", not both', 'columns');
  if (spec.columns === undefined) return [column(spec, table)];
  if (!Array.isArray(spec.columns) || spec.columns.length === 0 || spec.columns.some((c) => typeof c !== 'string')) {
    throw new RuleError('"columns" must be a list of column names', 'columns');
  }
  for (const c of spec.columns as string[]) {
    if (!Object.hasOwn(table.columns, c)) throw new RuleError(`no column "${c}"${closest(c, Object.keys(table.columns))}`, 'columns');
  }
  return spec.columns as string[];
}

function number(spec: Spec, key: string): number | undefined {
  const v = spec[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleError(`"${key}" must be a number`, key);
  return v;
}

/** A bound for a column: a number, or for date columns a date like 2024-01-31. */
function bound(spec: Spec, key: string, type: ColumnType): pl.Expr | undefined {
  const v = spec[key];
  if (v === undefined || v === null) return undefined;
  if (type === 'date' || type === 'datetime') {
    const text = v instanceof Date ? v.toISOString() : String(v);
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(d.getTime())) throw new RuleError(`"${key}" must be a date like 2024-01-31 for a ${type} column`, key);
    return type === 'date' ? pl.lit(d).cast(pl.Date) : pl.lit(d);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleError(`"${key}" must be a number`, key);
  return pl.lit(v);
}

function values(spec: Spec): (string | number | boolean)[] {
  const v = spec.values;
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => !['string', 'number', 'boolean'].includes(typeof x))) {
    throw new RuleError('"values" must be a list of values, e.g. [US, GB, DE]', 'values');
  }
  return v as (string | number | boolean)[];
}

/** A regex polars accepts (checked now, so a bad one is this rule's error, not the query's). */
function regex(pattern: unknown, key: string): string {
  if (typeof pattern !== 'string' || pattern === '') throw new RuleError(`"${key}" must be a regular expression`, key);
  try {
    pl.DataFrame({ x: [''] }).select(pl.col('x').str.contains(pattern));
  } catch (err) {
    throw new RuleError(`"${key}" does not compile: ${String((err as Error).message).split('\n')[0]}`, key);
  }
  return pattern;
}

const text = (name: string, table: Table) => (table.columns[name] === 'string' ? pl.col(name) : pl.col(name).cast(pl.Utf8));

function minMax(spec: Spec): { min?: number; max?: number } {
  const min = number(spec, 'min');
  const max = number(spec, 'max');
  if (min === undefined && max === undefined) throw new RuleError('give "min", "max" or both', 'min');
  return { min, max };
}

function outside(value: number | null, { min, max }: { min?: number; max?: number }): boolean {
  return value === null || (min !== undefined && value < min) || (max !== undefined && value > max);
}

const bounds = ({ min, max }: { min?: number; max?: number }) =>
  min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);

// --- the checks ---------------------------------------------------------------------------------

interface CheckType {
  options: readonly string[];
  compile(spec: Spec, table: Table): Compiled | Promise<Compiled>;
}

type Compiler = CheckType['compile'];

const statistic = (name: string, expr: (c: string) => pl.Expr): Compiler => (spec, table) => {
  const c = column(spec, table);
  const b = minMax(spec);
  return {
    kind: 'aggregate', value: expr(c),
    judge: (v) => {
      const value = asNumber(v);
      const bad = outside(value, b);
      return { violations: bad ? 1 : 0, observed: value, message: `${name} of ${c} is ${value ?? 'undefined'}; expected ${bounds(b)}` };
    },
  };
};

const DURATION = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(m|h|d|w)\s*$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const COMPILERS: Record<Exclude<CheckName, 'conditional'>, Compiler> = {
  not_null: (spec, table) => {
    const cols = columnList(spec, table);
    return { kind: 'rows', columns: cols, describe: `missing ${cols.join(' or ')}`, violation: pl.anyHorizontal(cols.map((c) => pl.col(c).isNull())) };
  },
  // Counts rows, not values: two rows sharing an id are two violations. Rows with a missing key are not compared.
  unique: (spec, table) => {
    const cols = columnList(spec, table);
    const key = cols.length === 1 ? pl.col(cols[0]!) : pl.struct(cols.map((c) => pl.col(c)));
    const present = pl.allHorizontal(cols.map((c) => pl.col(c).isNotNull()));
    return { kind: 'rows', columns: cols, describe: `repeats another row's ${cols.join(' + ')}`, violation: present.and(key.isDuplicated()) };
  },
  // Counts the copies: of three identical rows, the second and third violate.
  duplicate_rows: (spec, table) => {
    const cols = spec.columns === undefined ? Object.keys(table.columns) : columnList(spec, table);
    return { kind: 'rows', columns: cols.slice(0, 12), describe: 'a copy of an earlier row', violation: pl.struct(cols.map((c) => pl.col(c))).isFirstDistinct().not() };
  },
  range: (spec, table) => {
    const c = column(spec, table);
    const type = table.columns[c]!;
    if (!['integer', 'float', 'date', 'datetime'].includes(type)) throw new RuleError(`range needs a number or date column; "${c}" is ${type}`, 'column');
    const min = bound(spec, 'min', type);
    const max = bound(spec, 'max', type);
    if (!min && !max) throw new RuleError('give "min", "max" or both', 'min');
    if (spec.exclusive !== undefined && typeof spec.exclusive !== 'boolean') throw new RuleError('"exclusive" must be true or false', 'exclusive');
    const ex = spec.exclusive === true;
    const parts: pl.Expr[] = [];
    if (min) parts.push(ex ? pl.col(c).ltEq(min) : pl.col(c).lt(min));
    if (max) parts.push(ex ? pl.col(c).gtEq(max) : pl.col(c).gt(max));
    return { kind: 'rows', columns: [c], describe: `outside the range`, violation: parts.length === 1 ? parts[0]! : parts[0]!.or(parts[1]!) };
  },
  allowed_values: (spec, table) => {
    const c = column(spec, table);
    return { kind: 'rows', columns: [c], describe: 'not an allowed value', violation: pl.col(c).isNotNull().and(pl.col(c).isIn(values(spec) as never).not()) };
  },
  forbidden_values: (spec, table) => {
    const c = column(spec, table);
    return { kind: 'rows', columns: [c], describe: 'a forbidden value', violation: pl.col(c).isIn(values(spec) as never) };
  },
  pattern: (spec, table) => {
    const c = column(spec, table);
    const re = regex(spec.regex, 'regex');
    return { kind: 'rows', columns: [c], describe: `does not match ${re}`, violation: text(c, table).str.contains(re).not() };
  },
  format: (spec, table) => {
    const c = column(spec, table);
    const format = spec.format;
    if (format === 'date') {
      if (table.columns[c] === 'date' || table.columns[c] === 'datetime') return { kind: 'rows', columns: [c], describe: 'not a date', violation: pl.lit(false) };
      const fmt = spec.date_format;
      if (typeof fmt !== 'string' || !fmt.includes('%')) throw new RuleError('"date_format" is required for a text column, e.g. "%Y-%m-%d"', 'date_format');
      return { kind: 'rows', columns: [c], describe: `not a date as ${fmt}`, violation: text(c, table).isNotNull().and(text(c, table).str.strptime(pl.Date, fmt).isNull()) };
    }
    const type = table.columns[c];
    if ((format === 'integer' || format === 'decimal') && (type === 'integer' || type === 'float')) {
      // Already numbers: a decimal always is one; an integer is a whole number.
      const whole = type === 'float' && format === 'integer';
      return { kind: 'rows', columns: [c], describe: `not a valid ${format}`, violation: whole ? pl.col(c).neq(pl.col(c).floor()) : pl.lit(false) };
    }
    if (typeof format !== 'string' || !Object.hasOwn(FORMATS, format)) {
      throw new RuleError(`"format" must be one of ${[...Object.keys(FORMATS), 'date'].join(', ')}${typeof format === 'string' ? closest(format, [...Object.keys(FORMATS), 'date']) : ''}`, 'format');
    }
    return { kind: 'rows', columns: [c], describe: `not a valid ${format}`, violation: text(c, table).str.contains(FORMATS[format]!).not() };
  },
  length: (spec, table) => {
    const c = column(spec, table);
    const { min, max } = minMax(spec);
    // Lengths in characters, counted by a regex (polars' own length runs in JavaScript here).
    const parts: pl.Expr[] = [];
    if (min !== undefined && min > 0) parts.push(text(c, table).str.contains(`^.{${Math.floor(min)},}$`).not());
    if (max !== undefined) parts.push(text(c, table).str.contains(`^.{0,${Math.floor(max)}}$`).not());
    if (!parts.length) return { kind: 'rows', columns: [c], describe: 'length', violation: pl.lit(false) };
    return { kind: 'rows', columns: [c], describe: `length not ${bounds({ min, max })}`, violation: parts.length === 1 ? parts[0]! : parts[0]!.or(parts[1]!) };
  },
  not_empty_string: (spec, table) => {
    const c = column(spec, table);
    return { kind: 'rows', columns: [c], describe: 'empty or blank text', violation: text(c, table).str.contains('^\\s*$') };
  },
  row_count: (spec) => {
    const b = minMax(spec);
    return { kind: 'table', judge: (rows) => ({ violations: outside(rows, b) ? 1 : 0, observed: rows, message: `${rows} rows; expected ${bounds(b)}` }) };
  },
  column_count: (spec, table) => {
    const b = minMax(spec);
    const n = Object.keys(table.columns).length;
    return { kind: 'table', judge: () => ({ violations: outside(n, b) ? 1 : 0, observed: n, message: `${n} columns; expected ${bounds(b)}` }) };
  },
  // One violation per problem: a missing column, a column of another type, an unexpected column (with exact: true).
  schema: (spec, table) => {
    const want = spec.columns;
    if (!want || typeof want !== 'object' || Array.isArray(want)) throw new RuleError('"columns" must map names to types, e.g. {order_id: integer, note: any}', 'columns');
    const types = ['integer', 'float', 'boolean', 'date', 'datetime', 'string', 'number', 'any'];
    for (const [name, type] of Object.entries(want)) {
      if (!types.includes(String(type))) throw new RuleError(`type of "${name}" must be one of ${types.join(', ')}`, 'columns');
    }
    const problems: string[] = [];
    for (const [name, type] of Object.entries(want as Record<string, string>)) {
      const actual = table.columns[name];
      if (!actual) problems.push(`missing column "${name}"`);
      else if (type !== 'any' && actual !== type && !(type === 'number' && (actual === 'integer' || actual === 'float'))) {
        problems.push(`"${name}" is ${actual}, not ${type}`);
      }
    }
    if (spec.exact === true) {
      for (const name of Object.keys(table.columns)) if (!Object.hasOwn(want, name)) problems.push(`unexpected column "${name}"`);
    }
    return { kind: 'table', judge: () => ({ violations: problems.length, observed: problems, message: problems.length ? problems.join('; ') : 'schema as expected' }) };
  },
  mean: statistic('mean', (c) => pl.col(c).cast(pl.Float64).mean()),
  sum: statistic('sum', (c) => pl.col(c).cast(pl.Float64).sum()),
  min: statistic('min', (c) => pl.col(c).cast(pl.Float64).min()),
  max: statistic('max', (c) => pl.col(c).cast(pl.Float64).max()),
  stddev: statistic('standard deviation', (c) => pl.col(c).cast(pl.Float64).std()),
  null_rate: statistic('null rate', (c) => pl.col(c).isNull().mean()),
  distinct_count: statistic('distinct count', (c) => pl.col(c).dropNulls().nUnique()),
  freshness: (spec, table) => {
    const c = column(spec, table);
    if (table.columns[c] !== 'date' && table.columns[c] !== 'datetime') throw new RuleError(`freshness needs a date or datetime column; "${c}" is ${table.columns[c]}`, 'column');
    const m = DURATION.exec(String(spec.max_age ?? ''));
    if (!m) throw new RuleError('"max_age" must be a duration like 7d, 12h, 2w or 30m', 'max_age');
    const maxAge = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    return {
      kind: 'aggregate', value: pl.col(c).cast(pl.Datetime('ms')).max(),
      judge: (v) => {
        const newest = v instanceof Date ? v.getTime() : asNumber(v);
        const age = newest === null ? null : table.now - newest;
        const stale = age === null || age > maxAge;
        return {
          violations: stale ? 1 : 0, observed: newest === null ? null : new Date(newest).toISOString(),
          message: newest === null ? `no values in ${c}` : `newest ${c} is ${(age! / 86_400_000).toFixed(1)} days old; allowed ${spec.max_age}`,
        };
      },
    };
  },
  // Rows where the expression is false violate; rows where it cannot be decided (a missing operand) do not.
  expression: (spec, table) => {
    if (typeof spec.expr !== 'string' || spec.expr.trim() === '') throw new RuleError('"expr" is required, e.g. "ship_date >= order_date"', 'expr');
    const tree = expressionTree(spec.expr, 'expr');
    const compiled = compileChecked(tree, table, 'expr');
    return { kind: 'rows', columns: columnsOf(tree), describe: brokenBy(tree, spec.expr), violation: compiled.not() };
  },
  reference: async (spec, table) => {
    const c = column(spec, table);
    const target = spec.in as Record<string, unknown> | undefined;
    if (!target || typeof target.cell !== 'string' || typeof target.column !== 'string') {
      throw new RuleError('"in" must name another cell and its column: {cell: customers, column: id}', 'in');
    }
    const other = table.others[target.cell];
    if (!other) throw new RuleError(`cell "${target.cell}" has no table (has it run, and does it produce one?)`, 'in');
    if (!Object.hasOwn(other.columns, target.column)) throw new RuleError(`cell "${target.cell}" has no column "${target.column}"${closest(target.column, Object.keys(other.columns))}`, 'in');
    const known = await pl.scanParquet(other.path).select(pl.col(target.column).cast(pl.Utf8)).dropNulls().unique().collect();
    const allowed = known.getColumn(target.column);
    return {
      kind: 'rows', columns: [c], describe: `not found in ${target.cell}.${target.column}`,
      violation: pl.col(c).isNotNull().and(pl.col(c).cast(pl.Utf8).isIn(allowed).not()),
    };
  },
};

export const CHECKS: Record<string, CheckType> = Object.fromEntries(
  Object.entries(COMPILERS).map(([name, compile]) => [name, { options: CHECK_OPTIONS[name as CheckName], compile }]),
);

/** A `where:` (or `conditional`) filter: the check applies to rows where it holds. */
export function whereFilter(raw: unknown, table: Table): { expr: pl.Expr; text: string } {
  if (typeof raw !== 'string' || raw.trim() === '') throw new RuleError('"where" must be an expression, e.g. "country = \'US\'"', 'where');
  return { expr: compileChecked(expressionTree(raw, 'where'), table, 'where').fillNull(false), text: raw };
}

function expressionTree(text: string, key: string) {
  try {
    return parseExpression(text);
  } catch (err) {
    throw new RuleError(`"${key}": ${(err as Error).message}`, key);
  }
}

function compileChecked(tree: ReturnType<typeof parseExpression>, table: Table, key: string): pl.Expr {
  try {
    return compileExpression(tree, table.columns, table.params);
  } catch (err) {
    throw new RuleError(`"${key}": ${(err as Error).message}`, key);
  }
}

const OPPOSITE: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '=': '!=', '==': '!=', '!=': '=', '<>': '=' };

/**
 * What a row that breaks an expression looks like, in the expression's own words where it is
 * one comparison ("deaths <= cases" is broken by rows with deaths > cases), else "not (…)".
 */
function brokenBy(tree: ExprNode, expr: string): string {
  if (tree.type === 'binary' && OPPOSITE[tree.op]) return `with ${printed(tree.left)} ${OPPOSITE[tree.op]} ${printed(tree.right)}`;
  return `with not (${expr.trim()})`;
}

/** A side of a comparison written back as text (columns, literals and arithmetic). */
function printed(node: ExprNode): string {
  switch (node.type) {
    case 'column': return /^[A-Za-z_]\w*$/.test(node.name) ? node.name : `"${node.name}"`;
    case 'literal': return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'param': return `$${node.name}`;
    case 'unary': return node.op === '-' ? `-${printed(node.arg)}` : `not ${printed(node.arg)}`;
    case 'binary': return `(${printed(node.left)} ${node.op} ${printed(node.right)})`;
    case 'isNull': return `${printed(node.arg)} is ${node.negated ? 'not ' : ''}null`;
    case 'in': return `${printed(node.arg)} ${node.negated ? 'not ' : ''}in (${node.values.map(printed).join(', ')})`;
  }
}
