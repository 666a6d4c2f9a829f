// A transform's steps as SQL that DuckDB and PostgreSQL both run, written from the columns the
// run found before and after each step (TransformSchema, kept in the cell's result): a step that
// keeps every column but one changed lists them all, a union lists each table's columns (a
// typed NULL where one lacks a column), a pivot has one FILTERed aggregate per value it found,
// first/last are array_agg's ends. What has no spelling both share (a title case) is named in
// a note, and the step keeps its column as it was. No polars here: the page's face imports this.
import { sqlName } from '../sql/code.ts';
import type { Step } from './config.ts';
import { entries, expression, list, SQL_AGG, SQL_TYPES, sqlLiteral, sqlText, type Args } from './code.ts';

/** A column: its name and its type's word (cells/shared/column-type.ts). */
export type Col = [name: string, type: string];

/** The columns a run of the transform saw: its input's, each other table's, and after each step. */
export interface TransformSchema {
  /** The config the columns were read for (schemaKey): other steps, other columns. */
  key: string;
  input: Col[];
  /** The tables joined or stacked, by cell name. */
  tables: Record<string, Col[]>;
  /** The columns after each step, in the config's order. */
  steps: Col[][];
}

/** What a schema was read for: the input and the steps as parsed. */
export const schemaKey = (config: { input: string; steps: unknown[] }): string => JSON.stringify({ input: config.input, steps: config.steps });

export interface PortableStep { name: string; query: string }

const q = sqlName;
const typeOf = (cols: Col[], name: string) => cols.find(([n]) => n === name)?.[1];
const has = (cols: Col[], name: string) => cols.some(([n]) => n === name);
const sqlType = (type: string | undefined) => SQL_TYPES[type ?? ''] ?? 'TEXT';

// The steps that count rows in the table's order read it from row_number() OVER (): DuckDB
// numbers a file's rows in its order, PostgreSQL in whatever order it reads the table.
const IN_ORDER = (step: string) => `${step}: rows are taken in the table's stored order (the file's, in DuckDB); PostgreSQL reads a table in no set order, so sort first (a sort step) where the order matters`;

/** The columns of `cols` in order, those in `replace` computed anew under their own name. */
function listed(cols: Col[], replace: Map<string, string> = new Map(), prefix = ''): string {
  return cols.map(([c]) => (replace.has(c) ? `${replace.get(c)} AS ${q(c)}` : `${prefix}${q(c)}`)).join(', ');
}

/** A value written in the config as a literal of the column's type. */
function typed(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (type === 'date') return `CAST(${sqlText(String(value))} AS DATE)`;
  if (type === 'datetime') return `CAST(${sqlText(String(value))} AS TIMESTAMP)`;
  if (type === 'integer' || type === 'float') return String(Number(value));
  if (type === 'boolean') return String(value) === 'true' ? 'TRUE' : 'FALSE';
  return type === 'string' ? sqlText(String(value)) : sqlLiteral(value);
}

/** An aggregate both share; `where` filters its rows (a pivot's value). */
function aggregate(agg: string, column: string, type: string | undefined, where?: string): string {
  const c = q(column);
  const filter = where ? ` FILTER (WHERE ${where})` : '';
  // Polars adds up true/false as 1/0; PostgreSQL has no sum of booleans.
  const n = type === 'boolean' && ['sum', 'mean', 'median', 'std'].includes(agg) ? `CAST(${c} AS INTEGER)` : c;
  switch (agg) {
    // Both lists keep missing values, as polars' first and last do.
    case 'first': return `(array_agg(${c})${filter})[1]`;
    case 'last': return `(array_agg(${c})${filter})[CAST(count(*)${filter} AS INTEGER)]`;
    // Polars counts a missing value as one more value; count(DISTINCT …) leaves it out.
    case 'n_unique': return `(count(DISTINCT ${c})${filter} + coalesce(max(CASE WHEN ${c} IS NULL THEN 1 ELSE 0 END)${filter}, 0))`;
    // Polars adds up no values (none in the group, or all missing) to 0, SQL to NULL.
    case 'sum': return `COALESCE(sum(${n})${filter}, 0)`;
    default: return `${SQL_AGG[agg]!(n)}${filter}`;
  }
}

/** Text read as a date in a day/month/year order, with / - or . between and 2- or 4-digit years (plan.ts's dateFromText). */
function dateFromText(column: string, order: string): string {
  const text = `replace(replace(trim(${q(column)}), '-', '/'), '.', '/')`;
  const part = (i: number) => `split_part(${text}, '/', ${i})`;
  const [d, m, y] = { DMY: [1, 2, 3], MDY: [2, 1, 3], YMD: [3, 2, 1] }[order as 'DMY']!.map(part);
  // Polars' %y: 00–68 are 2000–2068, 69–99 are 1969–1999.
  const year = `CASE WHEN length(${y}) = 2 THEN CAST(${y} AS INTEGER) + CASE WHEN CAST(${y} AS INTEGER) < 69 THEN 2000 ELSE 1900 END ELSE CAST(${y} AS INTEGER) END`;
  return `make_date(${year}, CAST(${m} AS INTEGER), CAST(${d} AS INTEGER))`;
}

function castSql(column: string, from: string | undefined, to: string): string {
  const c = q(column);
  const text = from === 'string';
  switch (to) {
    // Text such as "1,234" or " 12 " reads as a number, as the transform reads it.
    case 'integer': case 'float': return `CAST(${text ? `replace(trim(${c}), ',', '')` : c} AS ${SQL_TYPES[to]})`;
    case 'boolean': return text
      ? `CASE WHEN lower(trim(${c})) IN ('true', 'yes', '1') THEN TRUE WHEN lower(trim(${c})) IN ('false', 'no', '0') THEN FALSE END`
      : `CAST(${c} AS BOOLEAN)`;
    case 'date': case 'DMY': case 'MDY': case 'YMD': return text ? dateFromText(column, to === 'date' ? 'YMD' : to) : `CAST(${c} AS DATE)`;
    default: return `CAST(${c} AS ${sqlType(to)})`;
  }
}

/** fill_null: forward and backward fills take the value of the nearest row above or below that has one. */
function fillSql(args: Args, from: string, cols: Col[], notes: string[]): string {
  const replace = new Map<string, string>();
  const groups: string[] = [];
  for (const [column, fill] of entries(args)) {
    const c = q(column);
    const strategy = fill && typeof fill === 'object' ? String((fill as Args).strategy) : undefined;
    if (strategy === undefined) replace.set(column, `COALESCE(${c}, ${typed(fill, typeOf(cols, column))})`);
    else if (strategy === 'zero') replace.set(column, `COALESCE(${c}, 0)`);
    else if (strategy === 'mean' || strategy === 'min' || strategy === 'max') replace.set(column, `COALESCE(${c}, ${strategy === 'mean' ? 'avg' : strategy}(${c}) OVER ())`);
    else {
      // Neither shares IGNORE NULLS: rows are grouped by how many values come before them (after,
      // backward), so each group holds one value at most, which its missing rows take.
      const group = `assay_fill_${groups.length + 1}`;
      const direction = strategy === 'forward' ? 'ASC' : 'DESC';
      groups.push(`count(${c}) OVER (ORDER BY assay_at ${direction} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${group}`);
      replace.set(column, `COALESCE(${c}, ${typeOf(cols, column) === 'boolean' ? 'bool_or' : 'max'}(${c}) OVER (PARTITION BY ${group}))`);
    }
  }
  if (!groups.length) return `SELECT ${listed(cols, replace)} FROM ${from}`;
  notes.push(IN_ORDER('fill_null (forward, backward)'));
  return `SELECT ${listed(cols, replace)} FROM (SELECT *, ${groups.join(', ')} FROM (SELECT *, row_number() OVER () AS assay_at FROM ${from}) AS r) AS g ORDER BY assay_at`;
}

function joinSql(args: Args, from: string, cols: Col[], after: Col[], right: Col[]): string {
  const other = q(String(args.with));
  const how = String(args.how ?? 'inner');
  const pairs: [string, string][] = typeof args.on === 'string' || Array.isArray(args.on) ? list(args.on).map((n) => [n, n]) : entries(args.on).map(([l, r]) => [l, String(r)]);
  const on = pairs.map(([l, r]) => `l.${q(l)} = r.${q(r)}`).join(' AND ');
  if (how === 'semi' || how === 'anti') return `SELECT * FROM ${from} AS l WHERE ${how === 'anti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${other} AS r WHERE ${on})`;
  // Each column the transform gave, from the side it came from: one key column (as SQL's USING
  // keeps), and a right-hand column whose name the left has, suffixed _right.
  const keys = new Map(pairs);
  const columns = after.map(([n]) => {
    const rightKey = keys.get(n);
    if (rightKey !== undefined && has(cols, n)) {
      const value = how === 'full' ? `COALESCE(l.${q(n)}, r.${q(rightKey)})` : how === 'right' ? `r.${q(rightKey)}` : `l.${q(n)}`;
      return `${value} AS ${q(n)}`;
    }
    if (has(cols, n)) return `l.${q(n)}`;
    const base = n.endsWith('_right') ? n.slice(0, -'_right'.length) : undefined;
    if (base !== undefined && has(right, base) && has(cols, base)) return `r.${q(base)} AS ${q(n)}`;
    return has(right, n) ? `r.${q(n)}` : `NULL AS ${q(n)}`;
  });
  const kind = ({ inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL' } as Record<string, string>)[how] ?? 'INNER';
  return `SELECT ${columns.join(', ')} FROM ${from} AS l ${kind} JOIN ${other} AS r ON ${on}`;
}

function groupBySql(args: Args, from: string, cols: Col[], notes: string[]): string {
  const by = list(args.by).map(q);
  const aggs = entries(args.aggregate).flatMap(([c, written]) => {
    const names = list(written);
    return names.map((agg) => {
      const alias = q(names.length > 1 ? `${c}_${agg}` : c);
      // A lone count of a name that is no column (rows: count) is the rows of each group.
      if (agg === 'count' && !has(cols, c)) return `count(*) AS ${alias}`;
      if (agg === 'first' || agg === 'last') notes.push(IN_ORDER(`group_by ${c}: ${agg}`));
      return `${aggregate(agg, c, typeOf(cols, c))} AS ${alias}`;
    });
  });
  return `SELECT ${[...by, ...aggs].join(', ')} FROM ${from} GROUP BY ${by.join(', ')}`;
}

function pivotSql(args: Args, from: string, cols: Col[], after: Col[], notes: string[]): string {
  const index = list(args.index);
  const on = String(args.on);
  const onType = typeOf(cols, on);
  const agg = String(args.aggregate ?? 'first');
  if (agg === 'first' || agg === 'last') notes.push(IN_ORDER(`pivot: ${agg}`));
  // The values the run found, as the columns it made (named as text).
  const values = after.map(([n]) => n).filter((n) => !index.includes(n));
  const test = (v: string) => (onType === 'integer' && /^-?\d+$/.test(v) ? `${q(on)} = ${v}` : onType === 'string' ? `${q(on)} = ${sqlText(v)}` : `CAST(${q(on)} AS TEXT) = ${sqlText(v)}`);
  const columns = values.map((v) => `${aggregate(agg, String(args.values), typeOf(cols, String(args.values)), test(v))} AS ${q(v)}`);
  return `SELECT ${[...index.map(q), ...columns].join(', ')} FROM ${from} GROUP BY ${index.map(q).join(', ')}`;
}

/** One step as a portable table expression over `from`, whose columns are `cols`; `after`: the run's columns after it. */
function stepSql(step: Step, from: string, cols: Col[], after: Col[], schema: TransformSchema, notes: string[]): string {
  const a = step.args as unknown as Args;
  switch (step.name) {
    case 'drop_rows': {
      notes.push(IN_ORDER('drop_rows'));
      const first = Number(a.first ?? 0);
      const last = Number(a.last ?? 0);
      return `SELECT ${listed(cols)} FROM (SELECT *, row_number() OVER () AS assay_row, count(*) OVER () AS assay_rows FROM ${from}) AS t WHERE assay_row > ${first}${last ? ` AND assay_row <= assay_rows - ${last}` : ''}`;
    }
    case 'rename': return `SELECT ${cols.map(([c]) => (Object.hasOwn(a, c) ? `${q(c)} AS ${q(String(a[c]))}` : q(c))).join(', ')} FROM ${from}`;
    case 'filter': return `SELECT * FROM ${from} WHERE ${expression(step.args).sql}`;
    case 'derive': {
      // One column (transformCode splits a derive): a new name is added, an existing one replaced in place.
      const [[name, text]] = entries(a) as [[string, unknown]];
      const value = expression(text).sql;
      return has(cols, name) ? `SELECT ${listed(cols, new Map([[name, value]]))} FROM ${from}` : `SELECT *, ${value} AS ${q(name)} FROM ${from}`;
    }
    case 'cast': return `SELECT ${listed(cols, new Map(entries(a).map(([c, to]) => [c, castSql(c, typeOf(cols, c), String(to))])))} FROM ${from}`;
    case 'fill_null': return fillSql(a, from, cols, notes);
    case 'trim': return `SELECT ${listed(cols, new Map(list(step.args).map((c) => [c, `trim(${q(c)})`])))} FROM ${from}`;
    case 'case': return `SELECT ${listed(cols, new Map(entries(a).map(([c, to]) => {
      if (to === 'title') notes.push(`case ${c}: title case has no spelling both share (PostgreSQL initcap(${q(c)}); DuckDB has none): the column stays as it was here`);
      return [c, to === 'upper' ? `upper(${q(c)})` : to === 'lower' ? `lower(${q(c)})` : q(c)];
    })))} FROM ${from}`;
    case 'replace': return `SELECT ${listed(cols, new Map(entries(a).map(([c, pairs]) => {
      const type = typeOf(cols, c);
      return [c, `CASE ${entries(pairs).map(([o, n]) => `WHEN ${q(c)} = ${typed(o, type)} THEN ${typed(n, type)}`).join(' ')} ELSE ${q(c)} END`];
    })))} FROM ${from}`;
    case 'drop_duplicates': {
      if (a.keep !== 'none') notes.push(IN_ORDER(`drop_duplicates (keep ${String(a.keep ?? 'first')})`));
      const columns = a.columns ? list(a.columns) : cols.map(([c]) => c);
      const by = columns.map(q).join(', ');
      if (a.keep === 'none') return `SELECT ${listed(cols)} FROM (SELECT *, count(*) OVER (PARTITION BY ${by}) AS assay_n FROM ${from}) AS t WHERE assay_n = 1`;
      const order = a.keep === 'last' ? 'DESC' : 'ASC';
      return `SELECT ${listed(cols)} FROM (SELECT *, row_number() OVER (PARTITION BY ${by} ORDER BY assay_at ${order}) AS assay_n FROM (SELECT *, row_number() OVER () AS assay_at FROM ${from}) AS r) AS t WHERE assay_n = 1 ORDER BY assay_at`;
    }
    case 'join': return joinSql(a, from, cols, after, schema.tables[String(a.with)] ?? []);
    case 'union': {
      // Every column of the result from each table: a typed NULL where a table lacks it.
      const parts = [[from, cols], ...list(step.args).map((t) => [q(t), schema.tables[t] ?? []])] as [string, Col[]][];
      return parts.map(([table, own]) => `SELECT ${after.map(([c, type]) => (has(own, c) ? q(c) : `CAST(NULL AS ${sqlType(type)}) AS ${q(c)}`)).join(', ')} FROM ${table}`).join(' UNION ALL ');
    }
    case 'group_by': return groupBySql(a, from, cols, notes);
    case 'sort': {
      const by = list(a.by);
      const desc = Array.isArray(a.descending) ? a.descending : by.map(() => a.descending === true);
      return `SELECT * FROM ${from} ORDER BY ${by.map((c, i) => `${q(c)} ${desc[i] ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`;
    }
    case 'select': return `SELECT ${list(step.args).map(q).join(', ')} FROM ${from}`;
    case 'drop': return `SELECT ${listed(cols.filter(([c]) => !list(step.args).includes(c)))} FROM ${from}`;
    case 'pivot': return pivotSql(a, from, cols, after, notes);
    case 'unpivot': {
      const index = list(a.index);
      const on = a.on ? list(a.on) : cols.map(([c]) => c).filter((c) => !index.includes(c));
      const variable = String(a.variable ?? 'variable');
      const value = String(a.value ?? 'value');
      const type = sqlType(typeOf(after, value));
      return on.map((c) => `SELECT ${[...index.map(q), `${sqlText(c)} AS ${q(variable)}`, `CAST(${q(c)} AS ${type}) AS ${q(value)}`].join(', ')} FROM ${from}`).join(' UNION ALL ');
    }
    case 'limit': return `SELECT * FROM ${from} LIMIT ${Number(step.args)}`;
  }
}

/** The steps as table expressions (a derive of several columns as one per column), and the notes on them. */
export function portableSteps(input: string, steps: Step[], schema: TransformSchema): { parts: PortableStep[]; notes: string[] } {
  const parts: PortableStep[] = [];
  const notes: string[] = [];
  let cols = schema.input;
  let from = q(input);
  const add = (name: string, query: string) => {
    parts.push({ name, query });
    from = `step_${parts.length}`;
  };
  steps.forEach((step, i) => {
    const after = schema.steps[i] ?? [];
    if (step.name === 'derive') {
      for (const [name, text] of Object.entries(step.args)) {
        add('derive', stepSql({ name: 'derive', args: { [name]: text } }, from, cols, after, schema, notes));
        cols = has(cols, name) ? cols : [...cols, [name, typeOf(after, name) ?? 'other']];
      }
    } else add(step.name, stepSql(step, from, cols, after, schema, notes));
    cols = after;
  });
  return { parts, notes: [...new Set(notes)] };
}
