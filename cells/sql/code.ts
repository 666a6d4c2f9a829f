// "Show the code" for a sql cell: its query as SQL that runs in DuckDB and PostgreSQL, and as
// Python polars. The query was written for polars' SQL, which is close to both; what differs
// is rewritten from the query's tokens (never by text search, so a word inside a string or a
// comment is left alone), and what has no spelling common to both is named in a comment.
// No polars here: the page's face imports this.
import type { CodeExport } from '../face.ts';
import { checkQuery, isBlank, queryInputs } from './guard.ts';
import { queryParams } from './params.ts';
import { tokenEnd, tokenize, type Token } from './tokens.ts';

// Words that stay as written in any case: SQL's keywords, type names and literals. Any other
// word with an uppercase letter is a name (polars reads names as written), and PostgreSQL
// folds an unquoted name to lowercase (continentExp → continentexp, ID → id): it is
// double-quoted. A function's name (a word before "(") is left as written.
const KEYWORDS = new Set(`
  ALL AND ANY AS ASC BETWEEN BOTH BY CASE CAST CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DAY DESC DISTINCT
  ELSE END ESCAPE EXCEPT EXISTS EXTRACT FALSE FETCH FILTER FIRST FOLLOWING FOR FROM FULL GROUP GROUPS HAVING HOUR ILIKE IN
  INNER INTERSECT INTERVAL IS JOIN LAST LATERAL LEADING LEFT LIKE LIMIT MINUTE MONTH NATURAL NEXT NOT NULL NULLS OF OFFSET
  ON ONLY OR ORDER OUTER OVER PARTITION PRECEDING RANGE RECURSIVE RIGHT ROW ROWS SECOND SELECT SEMI ANTI SIMILAR SOME
  THEN TIES TO TRAILING TRUE UNBOUNDED UNION UNKNOWN USING VALUES WHEN WHERE WINDOW WITH WITHIN YEAR QUARTER WEEK
  BIGINT BOOL BOOLEAN CHAR DATE DATETIME DECIMAL DOUBLE FLOAT INT INTEGER NUMERIC PRECISION REAL SMALLINT TEXT TIME
  TIMESTAMP VARCHAR STRING UTF8 STR
  AT ZONE TIMEZONE LOCAL EPOCH CENTURY DECADE MILLENNIUM DOW DOY ISODOW ISOYEAR MICROSECOND MICROSECONDS MILLISECOND
  MILLISECONDS NANOSECOND NANOSECONDS DAYS HOURS MINUTES SECONDS WEEKS MONTHS YEARS INTO QUALIFY EXCLUDE REPLACE RENAME
  COLUMNS DEFAULT ARRAY MAP STRUCT LIST COLLATE REGEXP RLIKE GLOB TOP PERCENT SETS GROUPING ROLLUP CUBE ORDINALITY
  IGNORE RESPECT WITHOUT INT2 INT4 INT8 FLOAT4 FLOAT8 HUGEINT BLOB BYTEA JSON UUID BINARY VARBINARY SIGNED UNSIGNED
`.trim().split(/\s+/));

// Polars' type names in a CAST (or after ::) that PostgreSQL does not know, as both spell them.
const TYPES: Record<string, string> = {
  STRING: 'TEXT', STR: 'TEXT', UTF8: 'TEXT', DOUBLE: 'DOUBLE PRECISION', FLOAT64: 'DOUBLE PRECISION', F64: 'DOUBLE PRECISION',
  FLOAT32: 'REAL', F32: 'REAL', INT64: 'BIGINT', I64: 'BIGINT', INT32: 'INTEGER', I32: 'INTEGER', INT16: 'SMALLINT', I16: 'SMALLINT',
  UINT64: 'BIGINT', U64: 'BIGINT', UINT32: 'BIGINT', U32: 'BIGINT', DATETIME: 'TIMESTAMP',
};

// Polars functions with no spelling DuckDB and PostgreSQL share: left as written, with a note.
const UNSHARED: Record<string, string> = {
  STRFTIME: 'STRFTIME: DuckDB strftime(value, format); PostgreSQL to_char(value, pattern), with its own pattern letters',
  STRPTIME: 'STRPTIME: DuckDB strptime(text, format); PostgreSQL to_timestamp(text, pattern)',
  TO_DATE: 'TO_DATE: DuckDB strptime(text, format)::DATE; PostgreSQL to_date(text, pattern)',
  REGEXP_LIKE: 'REGEXP_LIKE: DuckDB regexp_matches(text, pattern); PostgreSQL 15+ regexp_like(text, pattern), older text ~ pattern',
  ENDS_WITH: 'ENDS_WITH: DuckDB ends_with(text, suffix); PostgreSQL right(text, length(suffix)) = suffix',
  LOG2: 'LOG2: DuckDB log2(x); PostgreSQL log(2, x)',
  TRY_CAST: 'TRY_CAST: DuckDB only; PostgreSQL has no cast that gives null on failure',
  ROUND: 'ROUND(x, n): PostgreSQL rounds to n places only a numeric value: ROUND(x::numeric, n)',
  DATE: 'DATE(text, format): DuckDB strptime(text, format)::DATE; PostgreSQL to_date(text, pattern)',
};

interface Edit { start: number; end: number; text: string }

const isPunct = (t: Token | undefined, c: string) => t?.type === 'punct' && t.text === c;

/** A name as both DuckDB and PostgreSQL read it back unchanged: bare when lowercase, else double-quoted. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The index of the ")" closing the "(" at `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** The query as DuckDB and PostgreSQL both read it, and the notes on what could not be made so. */
export function portableQuery(query: string): { sql: string; notes: string[] } {
  const tokens = tokenize(query);
  const edits: Edit[] = [];
  const notes = new Set<string>();
  // Per open parenthesis, whether it opens a CAST: a type name follows its AS.
  const open: boolean[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (isPunct(t, '(')) { open.push(prev?.type === 'word' && (prev.upper === 'CAST' || prev.upper === 'TRY_CAST')); return; }
    if (isPunct(t, ')')) { open.pop(); return; }
    if (t.type === 'quoted' && query[t.start] === '`') {
      // Polars reads `name` as a quoted name; PostgreSQL does not.
      edits.push({ start: t.start, end: tokenEnd(query, t), text: `"${t.text.replaceAll('"', '""')}"` });
      return;
    }
    if (t.type === 'punct' && t.text === '/' && !(isPunct(tokens[i - 2], '*') && prev?.type === 'number' && prev.text.includes('.'))) {
      // Polars and DuckDB divide whole numbers exactly, PostgreSQL drops the fraction: a
      // factor of 1.0 makes all three divide alike (left out after "* 1.0"-like factors).
      edits.push({ start: t.start, end: t.start, text: '* 1.0 ' });
      return;
    }
    if (t.type !== 'word') return;
    const end = t.start + t.text.length;
    const isType = (isPunct(prev, ':') && isPunct(tokens[i - 2], ':')) || (prev?.upper === 'AS' && open.at(-1) === true);
    if (isType) {
      const type = TYPES[t.upper];
      if (type && !(t.upper === 'DOUBLE' && next?.upper === 'PRECISION')) edits.push({ start: t.start, end, text: type });
      return;
    }
    if (isPunct(next, '(')) {
      if (t.upper === 'IFNULL') edits.push({ start: t.start, end, text: 'COALESCE' });
      else if (t.upper === 'MEDIAN') {
        // The ordered-set aggregate both know; MEDIAN's own ")" closes the ORDER BY.
        edits.push({ start: t.start, end: next!.start + 1, text: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY ' });
      } else if (UNSHARED[t.upper] && !(t.upper === 'ROUND' && !hasSecondArgument(tokens, i + 1))) notes.add(UNSHARED[t.upper]!);
      return;
    }
    if (/[A-Z]/.test(t.text) && !KEYWORDS.has(t.upper)) edits.push({ start: t.start, end, text: sqlName(t.text) });
  });
  // One ";" straight after the last token, so a comment on the last line does not swallow it.
  const last = tokens.at(-1);
  if (last && !isPunct(last, ';')) edits.push({ start: tokenEnd(query, last), end: tokenEnd(query, last), text: ';' });
  let sql = query;
  for (const e of edits.sort((a, b) => b.start - a.start)) sql = sql.slice(0, e.start) + e.text + sql.slice(e.end);
  return { sql: sql.trim(), notes: [...notes] };
}

/** True when the call whose "(" is at `open` has a comma at its own level. */
function hasSecondArgument(tokens: Token[], open: number): boolean {
  const close = closing(tokens, open);
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) depth--;
    else if (depth === 0 && isPunct(tokens[i], ',')) return true;
  }
  return false;
}

/** DuckDB views reading each table as the Parquet file of the cell of its name: the preamble of the code of every kind that reads tables. */
export const parquetViews = (tables: string[]): string[] =>
  tables.map((t) => `CREATE VIEW ${sqlName(t)} AS SELECT * FROM read_parquet('${t}.parquet');`);

/** A Python string literal holding `text` over several lines, as written. */
function pythonText(text: string): string {
  return `"""\n${text.replaceAll('\\', '\\\\').replaceAll('"""', '\\"\\"\\"')}\n"""`;
}

/** The sql cell's code; undefined while it holds no query, or one the cell refuses. */
export function sqlCode(config: Record<string, unknown>): CodeExport | undefined {
  const query = config.sql;
  if (typeof query !== 'string' || isBlank(query)) return undefined;
  let tables: string[];
  let params: string[];
  try {
    checkQuery(query);
    tables = queryInputs(query);
    params = queryParams(query);
  } catch {
    return undefined;
  }
  const { sql, notes } = portableQuery(query);
  // An input cell's value is bound by Assay at run time; written out, its place is marked.
  const valueNotes = params.map((p) => `$${p}: the value of the input cell "${p}"; write the value in its place`);
  const sqlText = [
    '-- A sql cell\'s query, for DuckDB and PostgreSQL. Each table is the Parquet file of the cell',
    '-- of its name (<cell>.parquet).',
    '-- DuckDB: these views read the files.',
    ...parquetViews(tables),
    '-- PostgreSQL: leave out the views above and load each file into a table of its name first',
    '-- (for instance from DuckDB: ATTACH \'dbname=…\' AS pg (TYPE postgres);',
    ...tables.map((t) => `--   CREATE TABLE pg.${sqlName(t)} AS SELECT * FROM read_parquet('${t}.parquet');`),
    '-- ).',
    ...(notes.length ? ['-- Written as polars reads it, with no spelling both share:', ...notes.map((n) => `--   ${n}`)] : []),
    ...valueNotes.map((n) => `-- ${n}`),
    '',
    sql,
    '',
  ].join('\n');
  const python = [
    '# A sql cell\'s query, run by polars\' SQL context as Assay runs it. Each table is the',
    '# Parquet file of the cell of its name (<cell>.parquet), read lazily.',
    'import polars as pl',
    '',
    ...valueNotes.map((n) => `# ${n}`),
    'ctx = pl.SQLContext(frames={',
    ...tables.map((t) => `    ${JSON.stringify(t)}: pl.scan_parquet(${JSON.stringify(`${t}.parquet`)}),`),
    '})',
    `result = ctx.execute(${pythonText(query.trim())}).collect()`,
    'print(result)',
    '# result.write_parquet("result.parquet")  # the table, for the next step',
    '',
  ].join('\n');
  return { sql: sqlText, python };
}
