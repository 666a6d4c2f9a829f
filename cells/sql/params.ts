// `$name` in a query: an input cell's value, bound so that it is only ever a value. Polars' SQL
// has no placeholders (`$1`, `?` are refused) and compares no scalar subquery with `=` or `>`
// (measured on nodejs-polars 0.25), so each `$name` token becomes a literal built from the
// typed value alone: a number as JavaScript prints a finite number, a date as DATE 'YYYY-MM-DD'
// after its shape is checked, true/false, NULL, and text as CAST(X'<hex of its UTF-8>' AS
// VARCHAR). Only digits, hex digits and fixed words reach the parser, so no text value
// (`'; DROP TABLE x; --`) can end a string or start code. Tokens inside strings, quoted
// names and comments are not parameters (tokens.ts reads them as the parser does).
import { CellError } from '../kind.ts';
import { PARAM_NAME, paramValues } from '../shared/params.ts';
import { tokenize } from './tokens.ts';

/** The `$name` tokens of a query; a `$1` (a positional placeholder) is refused. */
function paramTokens(sql: string) {
  let tokens;
  try {
    tokens = tokenize(sql);
  } catch {
    return []; // the guard says what is wrong with the query
  }
  const out = tokens.filter((t) => t.type === 'placeholder');
  for (const t of out) {
    if (!PARAM_NAME.test(t.text.slice(1))) {
      throw new CellError('sql_refused', `${t.text || '$'} is not a parameter: write $<input cell's name>, e.g. $min_cases (line ${t.line}, column ${t.column} of the query)`, { sqlLine: t.line, sqlColumn: t.column });
    }
  }
  return out;
}

/** The input cells a query reads as `$name`. */
export function queryParams(sql: string): string[] {
  return [...new Set(paramTokens(sql).map((t) => t.text.slice(1)))];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The SQL literal of a value; `type` is the input's (a date's value is its text). */
export function sqlLiteral(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CellError('sql_refused', `a parameter's value must be a finite number, not ${value}`);
    return `(${String(value)})`;
  }
  const text = String(value);
  if (type === 'date' && DAY.test(text)) return `DATE '${text}'`;
  return `CAST(X'${Buffer.from(text, 'utf8').toString('hex')}' AS VARCHAR)`;
}

/** The query with each `$name` bound to its input cell's value; the query itself when it has none. */
export function bindParams(sql: string, inputs: Record<string, { result: unknown } | undefined>): string {
  const tokens = paramTokens(sql);
  if (!tokens.length) return sql;
  const values = paramValues(queryParams(sql), inputs);
  let out = '';
  let last = 0;
  for (const t of tokens) {
    const name = t.text.slice(1);
    const type = (inputs[name]?.result as { type?: string } | undefined)?.type;
    out += sql.slice(last, t.start) + sqlLiteral(values[name], type);
    last = t.start + t.text.length;
  }
  return out + sql.slice(last);
}
