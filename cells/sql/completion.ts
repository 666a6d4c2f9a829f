// Completion in a sql cell's editor: the workspace's tables (cells) after FROM, JOIN or a comma
// of a FROM list; elsewhere in the query, the columns of the tables it reads and SQL's words;
// the config's own keys at the start of a line. No polars: the browser imports this.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { completeKeys } from '../completion.ts';

const KEYS = ['sql', 'limit_preview'];
const KEY_HELP: Record<string, string> = {
  sql: 'one SELECT over the workspace\'s tables, by cell name', limit_preview: 'rows kept in the preview (the grid reads the rest)',
};
const WORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'FULL JOIN', 'CROSS JOIN',
  'ON', 'USING', 'AS', 'AND', 'OR', 'NOT', 'IN', 'IS NULL', 'IS NOT NULL', 'BETWEEN', 'LIKE', 'ILIKE', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'END', 'DISTINCT', 'UNION ALL', 'WITH', 'DESC', 'ASC', 'count(*)', 'sum(', 'avg(', 'min(', 'max(', 'median(', 'CAST(', 'COALESCE(',
];

/** The cells a query names after FROM or JOIN, as far as they can be read from unfinished text. */
function tablesIn(query: string): string[] {
  return [...new Set([...query.matchAll(/\b(?:from|join)\s+"?([A-Za-z_]\w*)/gi)].map((m) => m[1]!))];
}

/** A table's columns to complete; a column that is no plain name comes quoted. */
function columnOptions(names: string[], table: string): Completion[] {
  return names.map((c) => ({ label: /^[A-Za-z_]\w*$/.test(c) ? c : `"${c.replaceAll('"', '""')}"`, displayLabel: c, type: 'property', detail: `column of ${table}` }));
}

/** The table `name` stands for in the query: a cell of that name, or the table it is an alias of. */
function tableOf(name: string, doc: string, cells: string[]): string | undefined {
  if (cells.includes(name)) return name;
  const alias = new RegExp(`\\b(?:from|join)\\s+"?([A-Za-z_]\\w*)"?\\s+(?:as\\s+)?${name}\\b`, 'i').exec(doc)
    ?? new RegExp(`,\\s*"?([A-Za-z_]\\w*)"?\\s+(?:as\\s+)?${name}\\b`, 'i').exec(doc);
  return alias && cells.includes(alias[1]!) ? alias[1] : undefined;
}

export function completeSql(ctx: CompletionContext, columnsByCell: Record<string, string[]>): CompletionResult | null {
  const { state, pos } = ctx;
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const doc = state.doc.toString();
  let m: RegExpExecArray | null;
  if ((m = /^(\w*)$/.exec(before))) {
    if (!m[1] && !ctx.explicit) return null;
    return completeKeys(pos, m[1]!, KEYS, [...doc.matchAll(/^(\w+)\s*:/gm)].map((k) => k[1]!), KEY_HELP);
  }
  // After `name.`: the columns of the table that name is, or is an alias of (`FROM covid c` … `c.`).
  const qualified = /([A-Za-z_]\w*)\.(\w*)$/.exec(before);
  if (qualified) {
    const table = tableOf(qualified[1]!, doc, Object.keys(columnsByCell));
    if (!table) return null;
    return { from: pos - qualified[2]!.length, options: columnOptions(columnsByCell[table] ?? [], table), validFor: /^\w*$/ };
  }
  const typed = /[A-Za-z_]\w*$/.exec(before)?.[0] ?? '';
  if (!typed && !ctx.explicit) return null;
  const upTo = doc.slice(0, pos - typed.length);
  const cells = Object.keys(columnsByCell);
  // Where a table goes: after FROM or JOIN, or after a comma of a FROM list.
  if (/\b(?:from|join)\s+"?$/i.test(upTo) || /\bfrom\s+[\w"]+(?:\s+(?:as\s+)?\w+)?(?:\s*,\s*[\w"]+(?:\s+(?:as\s+)?\w+)?)*\s*,\s*$/i.test(upTo)) {
    return { from: pos - typed.length, options: cells.map((c) => ({ label: c, type: 'class', detail: 'table' })), validFor: /^\w*$/ };
  }
  const read = tablesIn(doc.slice(doc.search(/^sql\s*:/m) + 1));
  const columns: Completion[] = read.flatMap((t) => columnOptions(columnsByCell[t] ?? [], t));
  const words: Completion[] = WORDS.map((w) => ({ label: w, type: /\($/.test(w) || w === 'count(*)' ? 'function' : 'keyword', boost: -1 }));
  return { from: pos - typed.length, options: [...columns, ...words], validFor: /^\w*$/ };
}
