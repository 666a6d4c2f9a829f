// A renamed cell, renamed inside a query: the names standing where a table goes (after FROM,
// JOIN, a comma of a FROM list) and the same name qualifying a column (`sales.amount`), found
// by tokens, so a string, a comment, a column or an alias of the same name stays as written.
import { tableTokens } from './guard.ts';
import { isName, tokenEnd, tokenize, type Token } from './tokens.ts';

const same = (t: Token | undefined, name: string) => t !== undefined && isName(t) && t.text === name;
const isPunct = (t: Token | undefined, c: string) => t?.type === 'punct' && t.text === c;

/**
 * `text` (a query, or the YAML source of one, indented) with the table `from` read as `to`.
 * Text the tokens cannot read (an unclosed string) is returned as it is: the caller's check of
 * the renamed config's inputs then leaves the cell alone.
 */
export function renameTable(text: string, from: string, to: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return text;
  }
  const places = tableTokens(tokens);
  const tables = places.filter((t) => same(t, from));
  if (!tables.length) return text;
  // `from` named by the query itself (a table's alias, `FROM orders AS sales`; a WITH name)
  // means `sales.x` is not the table: only the table places are renamed then. A column's
  // alias (`sum(x) AS sales`) names no table and changes nothing.
  const ownName = tokens.some((t, i) => same(t, from) && !tables.includes(t) && (
    places.includes(tokens[i - 1]!) || (tokens[i - 1]?.upper === 'AS' && places.includes(tokens[i - 2]!))
    || (tokens[i + 1]?.upper === 'AS' && isPunct(tokens[i + 2], '('))));
  const qualifiers = ownName ? [] : tokens.filter((t, i) => same(t, from) && isPunct(tokens[i + 1], '.') && !isPunct(tokens[i - 1], '.'));
  let out = text;
  for (const t of [...tables, ...qualifiers].sort((a, b) => b.start - a.start)) {
    const written = t.type === 'quoted' ? `"${to.replaceAll('"', '""')}"` : to;
    out = out.slice(0, t.start) + written + out.slice(tokenEnd(text, t));
  }
  return out;
}

