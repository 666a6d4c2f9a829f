// "Show the code" for a transform cell: its steps as one SQL query (a WITH chain, one table
// expression per step, each cell's table by its name) and as a Python polars chain over lazy
// scans of the cells' Parquet. Filters and derived columns are written from the expression's
// tree, never pasted as text. Once the cell has run, its result holds the columns before and
// after each step (TransformSchema): the SQL then lists them where a step keeps every column
// but one changed, so it runs in DuckDB and in PostgreSQL alike (portable.ts). Before that, or
// when the steps changed since, only the config is known and the SQL uses DuckDB's
// `* REPLACE / EXCLUDE`, `UNION ALL BY NAME` and `PIVOT`, and says so.
// No polars here: the page's face imports this.
import type { CodeExport } from '../face.ts';
import { parseExpression, type Node } from '../shared/expression-parse.ts';
import { parquetViews, sqlName } from '../sql/code.ts';
import { parseTransformConfig, type Step } from './config.ts';
import { portableSteps, schemaKey, type TransformSchema } from './portable.ts';
import { STEP_NAMES, type StepName } from './vocabulary.ts';

export type Args = Record<string, unknown>;
export interface RawStep { name: StepName; args: unknown }

export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
export const entries = (v: unknown): [string, unknown][] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);
export const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;
const py = (v: unknown) => (v === null || v === undefined ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v));
const pyNames = (names: string[]) => `[${names.map((n) => JSON.stringify(n)).join(', ')}]`;

/** The steps of a raw config (the YAML as read), or undefined when one is not a step. */
function stepsOf(config: Args): RawStep[] | undefined {
  const steps = config.steps ?? [];
  if (!Array.isArray(steps)) return undefined;
  const out: RawStep[] = [];
  for (const s of steps) {
    const [name, args] = typeof s === 'string' ? [s, {}] : (entries(s)[0] ?? []);
    if (typeof name !== 'string' || !(STEP_NAMES as string[]).includes(name) || (s && typeof s === 'object' && Object.keys(s).length !== 1)) return undefined;
    out.push({ name: name as StepName, args: args ?? {} });
  }
  return out;
}

// ---- expressions ----

export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  return sqlText(String(v));
}

const SQL_OPS: Record<string, string> = { and: 'AND', or: 'OR', '=': '=', '!=': '<>' };

/** The expression as SQL: names quoted where PostgreSQL would fold them, division never whole. */
export function expressionSql(node: Node): string {
  switch (node.type) {
    case 'column': return sqlName(node.name);
    case 'literal': return sqlLiteral(node.value);
    case 'param': return `$${node.name}`;
    case 'unary': return node.op === 'not' ? `(NOT ${expressionSql(node.arg)})` : `(-${expressionSql(node.arg)})`;
    case 'isNull': return `(${expressionSql(node.arg)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${expressionSql(node.arg)} ${node.negated ? 'NOT ' : ''}IN (${node.values.map(expressionSql).join(', ')}))`;
    case 'binary':
      // Polars divides whole numbers exactly; PostgreSQL would drop the fraction.
      if (node.op === '/') return `(${expressionSql(node.left)} * 1.0 / ${expressionSql(node.right)})`;
      return `(${expressionSql(node.left)} ${SQL_OPS[node.op] ?? node.op} ${expressionSql(node.right)})`;
  }
}

const PY_OPS: Record<string, string> = { and: '&', or: '|', '=': '==' };

/** The expression as Python polars. */
export function expressionPython(node: Node): string {
  switch (node.type) {
    case 'column': return `pl.col(${JSON.stringify(node.name)})`;
    case 'literal': return `pl.lit(${py(node.value)})`;
    case 'param': return `pl.lit(${node.name})`;
    case 'unary': return node.op === 'not' ? `~${expressionPython(node.arg)}` : `(-${expressionPython(node.arg)})`;
    case 'isNull': return `${expressionPython(node.arg)}.${node.negated ? 'is_not_null' : 'is_null'}()`;
    case 'in': {
      const test = `${expressionPython(node.arg)}.is_in([${node.values.map((v) => (v.type === 'literal' ? py(v.value) : (v as { name: string }).name)).join(', ')}])`;
      return node.negated ? `~${test}` : test;
    }
    case 'binary': return `(${expressionPython(node.left)} ${PY_OPS[node.op] ?? node.op} ${expressionPython(node.right)})`;
  }
}

/** Both spellings of an expression's text; a text that does not parse is kept as a comment. */
export function expression(text: unknown): { sql: string; python: string } {
  try {
    const tree = parseExpression(String(text));
    return { sql: expressionSql(tree), python: expressionPython(tree) };
  } catch {
    return { sql: `NULL /* does not parse: ${String(text).replaceAll('*/', '* /')} */`, python: `pl.lit(None)  # does not parse: ${String(text)}` };
  }
}

// ---- steps as SQL ----

export const SQL_TYPES: Record<string, string> = { integer: 'BIGINT', float: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', datetime: 'TIMESTAMP', string: 'TEXT' };
const DATE_FORMATS: Record<string, [duckdb: string, postgres: string]> = {
  DMY: ['%d/%m/%Y', 'DD/MM/YYYY'], MDY: ['%m/%d/%Y', 'MM/DD/YYYY'], YMD: ['%Y/%m/%d', 'YYYY/MM/DD'],
};
export const SQL_AGG: Record<string, (c: string) => string> = {
  sum: (c) => `sum(${c})`, mean: (c) => `avg(${c})`, min: (c) => `min(${c})`, max: (c) => `max(${c})`, count: (c) => `count(${c})`,
  n_unique: (c) => `count(DISTINCT ${c})`, median: (c) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${c})`, std: (c) => `stddev_samp(${c})`,
  first: (c) => `first(${c})`, last: (c) => `last(${c})`,
};

/** `* REPLACE (…)`: every column, some of them computed anew (DuckDB). */
const replacing = (from: string, exprs: [string, string][]) =>
  `SELECT * REPLACE (${exprs.map(([c, e]) => `${e} AS ${sqlName(c)}`).join(', ')}) FROM ${from}`;

interface SqlStep { query: string; notes: string[] }

function stepSql(step: RawStep, from: string): SqlStep {
  const a = step.args as Args;
  const notes: string[] = [];
  const q = (query: string): SqlStep => ({ query, notes });
  switch (step.name) {
    case 'drop_rows': {
      const first = Number(a.first ?? 0);
      const last = Number(a.last ?? 0);
      notes.push('drop_rows: rows are counted in the table\'s stored order (the file\'s)');
      return q(`SELECT * EXCLUDE (assay_row, assay_rows) FROM (SELECT *, row_number() OVER () AS assay_row, count(*) OVER () AS assay_rows FROM ${from}) AS t WHERE assay_row > ${first}${last ? ` AND assay_row <= assay_rows - ${last}` : ''}`);
    }
    case 'rename': return q(`SELECT * RENAME (${entries(a).map(([o, n]) => `${sqlName(o)} AS ${sqlName(String(n))}`).join(', ')}) FROM ${from}`);
    case 'filter': return q(`SELECT * FROM ${from} WHERE ${expression(step.args).sql}`);
    case 'derive': {
      // One column per table expression: a later one may read an earlier one. A derived column
      // of an existing name replaces it in the transform; here it is added (the columns are not known).
      const [[name, text]] = entries(a) as [[string, unknown]];
      return q(`SELECT *, ${expression(text).sql} AS ${sqlName(name)} FROM ${from}`);
    }
    case 'cast': return q(replacing(from, entries(a).map(([c, to]) => {
      const col = sqlName(c);
      const format = DATE_FORMATS[String(to)];
      if (format) {
        notes.push(`cast ${c}: ${to} text dates; PostgreSQL: to_date(${c}, '${format[1]}')`);
        return [c, `CAST(strptime(${col}, '${format[0]}') AS DATE)`];
      }
      return [c, `CAST(${col} AS ${SQL_TYPES[String(to)] ?? 'TEXT'})`];
    })));
    case 'fill_null': return q(replacing(from, entries(a).map(([c, fill]) => {
      const col = sqlName(c);
      const strategy = fill && typeof fill === 'object' ? String((fill as Args).strategy) : undefined;
      if (strategy === undefined) return [c, `COALESCE(${col}, ${sqlLiteral(fill)})`];
      if (strategy === 'zero') return [c, `COALESCE(${col}, 0)`];
      if (strategy === 'mean' || strategy === 'min' || strategy === 'max') return [c, `COALESCE(${col}, ${strategy === 'mean' ? 'avg' : strategy}(${col}) OVER ())`];
      notes.push(`fill_null ${c}: ${strategy} fills from the ${strategy === 'forward' ? 'last value above' : 'next value below'} in the stored order; PostgreSQL has no IGNORE NULLS`);
      return [c, strategy === 'forward'
        ? `COALESCE(${col}, last_value(${col} IGNORE NULLS) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))`
        : `COALESCE(${col}, first_value(${col} IGNORE NULLS) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING))`];
    })));
    case 'trim': return q(replacing(from, list(step.args).map((c) => [c, `trim(${sqlName(c)})`])));
    case 'case': return q(replacing(from, entries(a).map(([c, to]) => {
      if (to === 'title') notes.push(`case ${c}: title case is initcap(${c}) in PostgreSQL; DuckDB has no initcap, so it stays as written here`);
      return [c, to === 'upper' ? `upper(${sqlName(c)})` : to === 'lower' ? `lower(${sqlName(c)})` : sqlName(c)];
    })));
    case 'replace': return q(replacing(from, entries(a).map(([c, pairs]) => [c,
      `CASE ${entries(pairs).map(([o, n]) => `WHEN CAST(${sqlName(c)} AS TEXT) = ${sqlText(o)} THEN ${sqlLiteral(n)}`).join(' ')} ELSE ${sqlName(c)} END`])));
    case 'drop_duplicates': {
      const columns = list(a.columns);
      const keep = String(a.keep ?? 'first');
      const by = columns.length ? columns.map(sqlName).join(', ') : 'COLUMNS(*)';
      if (!columns.length) notes.push('drop_duplicates: whole rows; PostgreSQL: list the columns in PARTITION BY');
      if (keep === 'none') return q(`SELECT * EXCLUDE (assay_n) FROM (SELECT *, count(*) OVER (PARTITION BY ${by}) AS assay_n FROM ${from}) AS t WHERE assay_n = 1`);
      const order = keep === 'last' ? 'DESC' : 'ASC';
      return q(`SELECT * EXCLUDE (assay_at, assay_n) FROM (SELECT *, row_number() OVER (PARTITION BY ${by} ORDER BY assay_at ${order}) AS assay_n FROM (SELECT *, row_number() OVER () AS assay_at FROM ${from}) AS r) AS t WHERE assay_n = 1 ORDER BY assay_at`);
    }
    case 'join': {
      const other = sqlName(String(a.with));
      const how = String(a.how ?? 'inner');
      const pairs: [string, string][] = typeof a.on === 'string' || Array.isArray(a.on) ? list(a.on).map((n) => [n, n]) : entries(a.on).map(([l, r]) => [l, String(r)]);
      const on = pairs.map(([l, r]) => `l.${sqlName(l)} = r.${sqlName(r)}`).join(' AND ');
      if (how === 'semi' || how === 'anti') return q(`SELECT * FROM ${from} AS l WHERE ${how === 'anti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${other} AS r WHERE ${on})`);
      const same = pairs.every(([l, r]) => l === r);
      // USING keeps one key column, as the transform does; differently named keys keep both here.
      const condition = same ? `USING (${pairs.map(([l]) => sqlName(l)).join(', ')})` : `ON ${on}`;
      notes.push(`join ${a.with}: a column of both tables other than the key is suffixed _right in the transform; here, name it in the SELECT`);
      return q(`SELECT * FROM ${from} AS l ${({ inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL' } as Record<string, string>)[how] ?? 'INNER'} JOIN ${other} AS r ${condition}`);
    }
    case 'union': {
      notes.push('union: UNION ALL BY NAME is DuckDB\'s; PostgreSQL: list the same columns in each SELECT, NULL where one lacks it');
      return q([`SELECT * FROM ${from}`, ...list(step.args).map((t) => `SELECT * FROM ${sqlName(t)}`)].join(' UNION ALL BY NAME '));
    }
    case 'group_by': {
      const by = list(a.by).map(sqlName);
      const aggs = entries(a.aggregate).flatMap(([c, written]) => {
        const names = list(written);
        return names.map((agg) => {
          if (agg === 'first' || agg === 'last') notes.push(`group_by ${c}: ${agg} is DuckDB's; PostgreSQL has no ${agg}() aggregate`);
          const alias = sqlName(names.length > 1 ? `${c}_${agg}` : c);
          // A lone count may name a new column (rows: count): the rows of each group. (Of a
          // column with missing values, the transform counts its values: count(that column).)
          return agg === 'count' && names.length === 1 ? `count(*) AS ${alias}` : `${SQL_AGG[agg]!(sqlName(c))} AS ${alias}`;
        });
      });
      return q(`SELECT ${[...by, ...aggs].join(', ')} FROM ${from} GROUP BY ${by.join(', ')}`);
    }
    case 'sort': {
      const by = list(a.by);
      const desc = Array.isArray(a.descending) ? a.descending : by.map(() => a.descending === true);
      return q(`SELECT * FROM ${from} ORDER BY ${by.map((c, i) => `${sqlName(c)} ${desc[i] ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`);
    }
    case 'select': return q(`SELECT ${list(step.args).map(sqlName).join(', ')} FROM ${from}`);
    case 'drop': return q(`SELECT * EXCLUDE (${list(step.args).map(sqlName).join(', ')}) FROM ${from}`);
    case 'pivot': {
      notes.push('pivot: DuckDB\'s PIVOT; PostgreSQL: one aggregate(…) FILTER (WHERE on = value) per value');
      const agg = String(a.aggregate ?? 'first');
      return q(`SELECT * FROM (PIVOT ${from} ON ${sqlName(String(a.on))} USING ${SQL_AGG[agg]!(sqlName(String(a.values)))} GROUP BY ${list(a.index).map(sqlName).join(', ')})`);
    }
    case 'unpivot': {
      const index = list(a.index).map(sqlName);
      const variable = sqlName(String(a.variable ?? 'variable'));
      const value = sqlName(String(a.value ?? 'value'));
      const on = list(a.on);
      if (!on.length) return q(`SELECT * FROM (UNPIVOT ${from} ON COLUMNS(* EXCLUDE (${index.join(', ')})) INTO NAME ${variable} VALUE ${value})`);
      return q(on.map((c) => `SELECT ${[...index, `${sqlText(c)} AS ${variable}`, `${sqlName(c)} AS ${value}`].join(', ')} FROM ${from}`).join(' UNION ALL '));
    }
    case 'limit': return q(`SELECT * FROM ${from} LIMIT ${Number(step.args)}`);
  }
}

// ---- steps as Python ----

const PY_TYPES: Record<string, string> = { integer: 'pl.Int64', float: 'pl.Float64', boolean: 'pl.Boolean', date: 'pl.Date', datetime: 'pl.Datetime', string: 'pl.String' };
const PY_FORMATS: Record<string, string> = { DMY: '%d/%m/%Y', MDY: '%m/%d/%Y', YMD: '%Y/%m/%d' };
const pyAgg = (c: string, agg: string) => `pl.col(${JSON.stringify(c)}).${({ mean: 'mean', n_unique: 'n_unique', count: 'count' } as Record<string, string>)[agg] ?? agg}()`;
const scan = (cell: string) => `pl.scan_parquet(${JSON.stringify(`${cell}.parquet`)})`;

function stepPython(step: RawStep): string[] {
  const a = step.args as Args;
  const col = (c: string) => `pl.col(${JSON.stringify(c)})`;
  const withColumns = (exprs: string[]) => [`.with_columns(${exprs.join(', ')})`];
  switch (step.name) {
    case 'drop_rows': {
      const keep = [`pl.col("assay_row") >= ${Number(a.first ?? 0)}`, ...(a.last ? [`pl.col("assay_row") < pl.len() - ${Number(a.last)}`] : [])];
      return ['.with_row_index("assay_row")', `.filter(${keep.join(' & ')})`, '.drop("assay_row")'];
    }
    case 'rename': return [`.rename(${JSON.stringify(Object.fromEntries(entries(a)))})`];
    case 'filter': return [`.filter(${expression(step.args).python})`];
    case 'derive': return entries(a).map(([n, text]) => `.with_columns(${expression(text).python}.alias(${JSON.stringify(n)}))`);
    case 'cast': return withColumns(entries(a).map(([c, to]) => {
      const format = PY_FORMATS[String(to)] ?? (to === 'date' ? '%Y-%m-%d' : undefined);
      if (format) return `${col(c)}.str.to_date(${JSON.stringify(format)})`;
      if (to === 'datetime') return `${col(c)}.str.to_datetime()`;
      return `${col(c)}.cast(${PY_TYPES[String(to)] ?? 'pl.String'})`;
    }));
    case 'fill_null': return withColumns(entries(a).map(([c, fill]) => (fill && typeof fill === 'object'
      ? `${col(c)}.fill_null(strategy=${JSON.stringify((fill as Args).strategy)})` : `${col(c)}.fill_null(${py(fill)})`)));
    case 'trim': return withColumns(list(step.args).map((c) => `${col(c)}.str.strip_chars()`));
    case 'case': return withColumns(entries(a).map(([c, to]) => `${col(c)}.str.to_${to === 'title' ? 'titlecase' : `${to}case`}()`));
    case 'replace': return withColumns(entries(a).map(([c, pairs]) =>
      `${entries(pairs).reduce((e, [o, n], i) => `${i ? e : 'pl'}.when(${col(c)}.cast(pl.String) == ${JSON.stringify(o)}).then(pl.lit(${py(n)}))`, '')}.otherwise(${col(c)}).alias(${JSON.stringify(c)})`));
    case 'drop_duplicates': return [`.unique(${a.columns ? `subset=${pyNames(list(a.columns))}, ` : ''}keep=${JSON.stringify(a.keep ?? 'first')}, maintain_order=True)`];
    case 'join': {
      const on = typeof a.on === 'string' || Array.isArray(a.on) ? `on=${pyNames(list(a.on))}` : `left_on=${pyNames(entries(a.on).map(([l]) => l))}, right_on=${pyNames(entries(a.on).map(([, r]) => String(r)))}`;
      return [`.join(${scan(String(a.with))}, ${on}, how=${JSON.stringify(a.how ?? 'inner')}, coalesce=True)`];
    }
    case 'union': return [`.pipe(lambda frame: pl.concat([frame, ${list(step.args).map(scan).join(', ')}], how="diagonal_relaxed"))`];
    case 'group_by': {
      const aggs = entries(a.aggregate).flatMap(([c, written]) => {
        const names = list(written);
        return names.map((agg) => (agg === 'count' && names.length === 1 ? `pl.len().alias(${JSON.stringify(c)})` : `${pyAgg(c, agg)}.alias(${JSON.stringify(names.length > 1 ? `${c}_${agg}` : c)})`));
      });
      return [`.group_by(${pyNames(list(a.by))}, maintain_order=True)`, `.agg(${aggs.join(', ')})`];
    }
    case 'sort': return [`.sort(${pyNames(list(a.by))}, descending=${Array.isArray(a.descending) ? `[${a.descending.map(py).join(', ')}]` : py(a.descending === true)}, nulls_last=True, maintain_order=True)`];
    case 'select': return [`.select(${pyNames(list(step.args))})`];
    case 'drop': return [`.drop(${pyNames(list(step.args))})`];
    case 'pivot': return [
      '# A lazy frame has no pivot (its columns depend on the data): collected for it.',
      `.collect().pivot(on=${JSON.stringify(a.on)}, index=${pyNames(list(a.index))}, values=${JSON.stringify(a.values)}, aggregate_function=${JSON.stringify(a.aggregate ?? 'first')}).lazy()`,
    ];
    case 'unpivot': return [`.unpivot(index=${pyNames(list(a.index))}${a.on ? `, on=${pyNames(list(a.on))}` : ''}, variable_name=${JSON.stringify(a.variable ?? 'variable')}, value_name=${JSON.stringify(a.value ?? 'value')})`];
    case 'limit': return [`.limit(${Number(step.args)})`];
  }
}

/** The cells a raw config reads: its input, then the tables it joins or stacks. */
function tablesOf(input: string, steps: RawStep[]): string[] {
  const names = [input];
  for (const s of steps) {
    if (s.name === 'join') names.push(String((s.args as Args).with));
    if (s.name === 'union') names.push(...list(s.args));
  }
  return [...new Set(names)];
}

/** The schema `result` holds when it was read for this very config (else undefined: the steps changed since). */
function schemaFor(config: Args, result: unknown): { schema: TransformSchema; steps: Step[] } | undefined {
  const schema = (result as { schema?: TransformSchema } | null | undefined)?.schema;
  if (!schema) return undefined;
  try {
    const parsed = parseTransformConfig(config);
    return schemaKey(parsed) === schema.key ? { schema, steps: parsed.steps } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The transform cell's code; undefined while its config holds no input or a step that is none.
 * `result`: the cell's latest result, whose columns make the SQL run in PostgreSQL too.
 */
export function transformCode(config: Args, result?: unknown): CodeExport | undefined {
  const input = config.input;
  const steps = stepsOf(config);
  if (typeof input !== 'string' || !input || !steps) return undefined;
  const known = schemaFor(config, result);
  const parts: { name: string; query: string }[] = [];
  const notes: string[] = [];
  if (known) {
    const portable = portableSteps(input, known.steps, known.schema);
    parts.push(...portable.parts);
    notes.push(...portable.notes);
  } else {
    // A derive of several columns is one table expression per column, in order.
    const flat = steps.flatMap((s) => (s.name === 'derive' ? entries(s.args).map(([n, t]) => ({ name: s.name, args: { [n]: t } }) as RawStep) : [s]));
    let from = sqlName(input);
    flat.forEach((step, i) => {
      const { query, notes: stepNotes } = stepSql(step, from);
      parts.push({ name: step.name, query });
      notes.push(...stepNotes);
      from = `step_${i + 1}`;
    });
  }
  const ctes = parts.map((p, i) => `  step_${i + 1} AS (\n    -- ${p.name}\n    ${p.query}\n  )`);
  const last = parts.length ? `step_${parts.length}` : sqlName(input);
  const tables = tablesOf(input, steps);
  const sql = [
    known
      ? '-- A transform cell\'s steps as one query, for DuckDB and PostgreSQL.'
      : '-- A transform cell\'s steps as one query, for DuckDB. Run the cell for SQL that PostgreSQL runs too: its',
    ...(known ? [] : ['-- columns are known then, and listed where DuckDB\'s SELECT * REPLACE / EXCLUDE stand here.']),
    '-- Each table is the Parquet file of the cell of its name (<cell>.parquet).',
    '-- DuckDB: these views read the files.',
    ...parquetViews(tables),
    '-- PostgreSQL: leave out the views above and load each file into a table of its name first.',
    ...[...new Set(notes)].map((n) => `-- ${n}`),
    '',
    ctes.length ? `WITH\n${ctes.join(',\n')}\nSELECT * FROM ${last};` : `SELECT * FROM ${last};`,
    '',
  ].join('\n');
  const python = [
    '# A transform cell\'s steps as Python polars, run lazily as Assay runs them. Each table is the',
    '# Parquet file of the cell of its name (<cell>.parquet).',
    'import polars as pl',
    '',
    'result = (',
    `    ${scan(input)}`,
    ...steps.flatMap((s) => [`    # ${s.name}`, ...stepPython(s).map((l) => `    ${l}`)]),
    '    .collect()',
    ')',
    'print(result)',
    '# result.write_parquet("result.parquet")  # the table, for the next step',
    '',
  ].join('\n');
  return { sql, python };
}
