// What a sql cell's query may do, decided from its tokens before polars sees it: polars' SQL
// reads files (read_csv('…'), a quoted path after FROM) and runs CREATE, DROP, SHOW… A query
// here is one SELECT (or WITH … SELECT) over the workspace's tables, named as cells: anything
// else is refused with `sql_refused`, saying what and where. The tables a query reads (the
// names after FROM and JOIN, less its own WITH names) are the cell's inputs.
import { CellError } from '../kind.ts';
import { isName, tokenize, type Token } from './tokens.ts';

// Words that begin statements other than a query, or write: refused wherever they stand as
// words (a column of that name is written in double quotes: "update").
const REFUSED_WORDS = new Set([
  'COPY', 'ATTACH', 'DETACH', 'CREATE', 'INSERT', 'UPDATE', 'DELETE', 'DROP', 'ALTER', 'TRUNCATE',
  'EXPLAIN', 'SHOW', 'PRAGMA', 'INSTALL', 'LOAD', 'EXPORT', 'IMPORT', 'INTO', 'GRANT', 'REVOKE', 'MERGE',
]);

// Words that end a FROM list at their level: after them a comma separates no tables. ON and
// USING do not: a join's condition has no comma outside parentheses, so `JOIN b ON …, c`
// still lists a table after its comma.
const FROM_LIST_ENDS = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'EXCEPT', 'INTERSECT', 'QUALIFY',
  'WINDOW', 'FETCH', 'SELECT',
]);

// A function that reads a file, whatever the tokens say: checked on the raw text as well, so
// no disagreement between this tokenizer and polars' can hide one.
const FILE_FUNCTION = /\b(read|scan)_[A-Za-z0-9_]*\s*(?:\/\*[\s\S]*?\*\/\s*)*\(/i;

function refused(message: string, at?: Token): CellError {
  const where = at ? ` (line ${at.line}, column ${at.column} of the query)` : '';
  return new CellError('sql_refused', `${message}${where}`, at ? { sqlLine: at.line, sqlColumn: at.column } : {});
}

const shown = (t: Token) => (t.type === 'quoted' ? `"${t.text}"` : t.type === 'string' ? `'${t.text}'` : t.text);

export interface QueryShape {
  /** The tables the query reads, as written, each once, in order: the cell's inputs. */
  tables: string[];
  /** Names the query defines itself (WITH name AS …). */
  ctes: string[];
}

/** Checks `sql` and names the tables it reads; throws CellError('sql_refused') for anything but one query over named tables. */
export function checkQuery(sql: string): QueryShape {
  const tokens = tokenize(sql);
  // Nothing but comments (a new cell's starter): no query yet, so nothing read; the kind says
  // it awaits its config (awaitsConfig) and the cell waits rather than fails.
  if (!tokens.length) return { tables: [], ctes: [] };
  const fileCall = FILE_FUNCTION.exec(sql);
  if (fileCall) {
    const at = tokens.find((t) => t.start >= fileCall.index) ?? tokens[0];
    throw refused(`"${fileCall[1]}_…" functions read files and are not allowed: a query reads only the workspace's tables, by cell name`, at);
  }
  const first = tokens[0]!;
  if (!(first.upper === 'SELECT' || first.upper === 'WITH' || (first.type === 'punct' && first.text === '('))) {
    throw refused(`a query starts with SELECT or WITH, not ${shown(first)}: only queries run here`, first);
  }
  tokens.forEach((t, i) => {
    if (t.type === 'punct' && t.text === ';' && tokens.slice(i + 1).some((u) => !(u.type === 'punct' && u.text === ';'))) {
      throw refused('one query per cell: a ";" ends it and nothing may follow', t);
    }
    if (t.type === 'word' && REFUSED_WORDS.has(t.upper)) {
      throw refused(`${t.text} is not allowed: a sql cell only reads (a column named ${t.text.toLowerCase()} is written "${t.text.toLowerCase()}")`, t);
    }
    const next = tokens[i + 1];
    if (isName(t) && /^(read|scan)_/i.test(t.text) && next?.type === 'punct' && next.text === '(') {
      throw refused(`${shown(t)}(…) reads files and is not allowed: a query reads only the workspace's tables, by cell name`, t);
    }
  });
  return { tables: [...new Set(tableTokens(tokens).map((t) => t.text))], ctes: cteNames(tokens) };
}

/** True when `sql` holds only comments and spaces: no query has been written yet. */
export function isBlank(sql: string): boolean {
  try {
    return tokenize(sql).length === 0;
  } catch {
    return false;
  }
}

/** The tables a checked query reads, less its own WITH names: the cell's inputs. */
export function queryInputs(sql: string): string[] {
  const { tables, ctes } = checkQuery(sql);
  const own = new Set(ctes);
  return tables.filter((t) => !own.has(t));
}

interface Level { query: boolean; fromList: boolean }

/** The names standing where a table goes: after FROM, after JOIN, after a comma in a FROM list (each place, in order). */
export function tableTokens(tokens: Token[]): Token[] {
  const tables: Token[] = [];
  // One level per open parenthesis; a level is a query when it starts with SELECT or WITH (or
  // stands where a table goes), so EXTRACT(YEAR FROM d) is not read as a FROM clause.
  const levels: Level[] = [{ query: true, fromList: false }];
  let expectTable = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const level = levels.at(-1)!;
    if (expectTable) {
      expectTable = false;
      if (t.type === 'string') throw refused(`a file path (${shown(t)}) cannot be read: a query reads only the workspace's tables, by cell name`, t);
      if (t.type === 'word' && t.upper === 'LATERAL') { expectTable = true; continue; }
      if (isName(t)) {
        const next = tokens[i + 1];
        if (next?.type === 'punct' && next.text === '(') throw refused(`table functions (${shown(t)}(…)) are not allowed: a query reads only the workspace's tables, by cell name`, t);
        if (next?.type === 'punct' && next.text === '.') throw refused(`${shown(t)}.… names a table elsewhere: a query reads only this workspace's tables, by cell name`, t);
        tables.push(t);
        continue;
      }
      if (t.type === 'punct' && t.text === '(') {
        // A subquery, or a parenthesised join whose first table comes next.
        const inner = tokens[i + 1];
        levels.push({ query: true, fromList: false });
        expectTable = !(inner?.upper === 'SELECT' || inner?.upper === 'WITH' || (inner?.type === 'punct' && inner.text === '('));
        continue;
      }
    }
    if (t.type === 'punct' && t.text === '(') {
      const inner = tokens[i + 1];
      levels.push({ query: inner?.upper === 'SELECT' || inner?.upper === 'WITH', fromList: false });
      continue;
    }
    if (t.type === 'punct' && t.text === ')') {
      if (levels.length > 1) levels.pop();
      continue;
    }
    if (t.type === 'punct' && t.text === ',' && level.fromList) { expectTable = true; continue; }
    if (t.type !== 'word') continue;
    if (t.upper === 'FROM' && level.query) { level.fromList = true; expectTable = true; continue; }
    if (t.upper === 'JOIN') { level.fromList = true; expectTable = true; continue; }
    if (FROM_LIST_ENDS.has(t.upper)) level.fromList = false;
  }
  return tables;
}

/** Names defined by WITH: `WITH [RECURSIVE] a [(cols)] AS [NOT] [MATERIALIZED] (…), b AS (…)`. */
function cteNames(tokens: Token[]): string[] {
  const names: string[] = [];
  const skipGroup = (i: number): number => {
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.type === 'punct' && t.text === '(') depth++;
      else if (t.type === 'punct' && t.text === ')' && --depth === 0) return j + 1;
    }
    return tokens.length;
  };
  const isOpen = (t: Token | undefined) => t?.type === 'punct' && t.text === '(';
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.upper !== 'WITH') continue;
    let j = i + 1;
    if (tokens[j]?.upper === 'RECURSIVE') j++;
    for (;;) {
      const name = tokens[j];
      if (!name || !isName(name)) break;
      names.push(name.text);
      j++;
      if (isOpen(tokens[j])) j = skipGroup(j);
      if (tokens[j]?.upper !== 'AS') break;
      j++;
      if (tokens[j]?.upper === 'NOT') j++;
      if (tokens[j]?.upper === 'MATERIALIZED') j++;
      if (!isOpen(tokens[j])) break;
      j = skipGroup(j);
      if (!(tokens[j]?.type === 'punct' && tokens[j]!.text === ',')) break;
      j++;
    }
  }
  return names;
}
