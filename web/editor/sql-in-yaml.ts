// The YAML editor's language for a kind whose config holds SQL (KindFace.sqlKeys: a sql cell's
// `sql:`): YAML, with the value under those keys (a block scalar or a one-line value) parsed
// as SQL (PostgreSQL's dialect, the nearest to polars'), so the query is highlighted as SQL (keywords, strings, numbers, comments) inside
// the config. The rest of the config stays YAML.
import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { PostgreSQL } from '@codemirror/lang-sql';
import { LanguageSupport } from '@codemirror/language';
import { parseMixed, type SyntaxNodeRef } from '@lezer/common';

/** The key of the pair a value node stands in, or undefined when the node is no pair's value. */
function keyOf(node: SyntaxNodeRef, read: (from: number, to: number) => string): string | undefined {
  const value = node.name === 'BlockLiteralContent' ? node.node.parent : node.node;
  const pair = value?.parent;
  if (!pair || pair.name !== 'Pair' || value.name === 'Key') return undefined;
  const key = pair.getChild('Key');
  return key && key.to <= value.from ? read(key.from, key.to).trim() : undefined;
}

/** YAML with SQL nested under `keys`; plain YAML when there are none. */
export function yamlWithSql(keys: readonly string[] | undefined): LanguageSupport {
  if (!keys?.length) return yaml();
  const nested = yamlLanguage.configure({
    wrap: parseMixed((node, input) => {
      if (node.name !== 'BlockLiteralContent' && !(node.name === 'Literal' && node.node.parent?.name === 'Pair')) return null;
      const key = keyOf(node, (from, to) => input.read(from, to));
      return key !== undefined && keys.includes(key) ? { parser: PostgreSQL.language.parser } : null;
    }),
  });
  return new LanguageSupport(nested, yaml().support);
}
