// Help for a cell's config from its kind's reference: the JSON Schema GET /api/kinds serves,
// generated from the schema the server validates with (cells/shared/config-schema.ts). The editor shows a
// key's help on hover and beside each key it completes; zod itself never reaches the page.

/** The part of JSON Schema the help reads. */
export interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
}

/**
 * The key path of the `key:` written on line `lineNumber` (1-based) of a YAML text, by
 * indentation: `['y', 'aggregate']`, `['rules', '*', 'column']` inside a list item. Null when
 * the line holds no key.
 */
export function keyPathAt(text: string, lineNumber: number): string[] | null {
  const lines = text.split('\n');
  const own = /^(\s*)(-\s+)?([\w.-]+)\s*:/.exec(lines[lineNumber - 1] ?? '');
  if (!own) return null;
  const path = own[2] ? ['*', own[3]!] : [own[3]!];
  // The column of what holds this line: a list item's dash, or the key itself.
  let need = own[1]!.length;
  for (let i = lineNumber - 2; i >= 0 && need > 0; i--) {
    const line = lines[i]!.replace(/\s+#.*$/, '');
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const m = /^(\s*)(-\s+)?(?:([\w.-]+)\s*:(.*))?$/.exec(line);
    if (!m) continue;
    const lead = m[1]!.length;
    if (m[2] && lead < need) {
      // The list item this line belongs to (its first key is a sibling of this one).
      path.unshift('*');
      need = lead;
    } else if (!m[2] && m[3] && !m[4]!.trim() && lead < need) {
      path.unshift(m[3]);
      need = lead;
    }
  }
  return path;
}

/** The schemas a node may be: itself, or each of its forms (`anyOf`), depth first. */
function forms(node: SchemaNode): SchemaNode[] {
  return [node, ...(node.anyOf ?? []).flatMap(forms)];
}

/** The schema of a key path (`*` for a list item); the first form that has it. */
export function schemaAt(root: SchemaNode | undefined, path: readonly string[]): SchemaNode | undefined {
  let nodes = root ? [root] : [];
  for (const segment of path) {
    nodes = nodes.flatMap(forms).flatMap((n) => (segment === '*' ? (n.items ? [n.items] : []) : n.properties?.[segment] ? [n.properties[segment]!] : []));
    if (!nodes.length) return undefined;
  }
  return nodes[0];
}

/** The line of help for a key path, with the words it takes when it takes a few. */
export function helpAt(root: SchemaNode | undefined, path: readonly string[]): string | undefined {
  const node = schemaAt(root, path);
  if (!node) return undefined;
  const words = forms(node).flatMap((f) => f.enum ?? []).map(String);
  const description = node.description ?? forms(node).find((f) => f.description)?.description;
  if (!description) return words.length ? words.join(', ') : undefined;
  return words.length && !words.every((w) => description.includes(w)) ? `${description} (${words.join(', ')})` : description;
}

/** The keys a mapping at `path` takes, each with its help. */
export function keysAt(root: SchemaNode | undefined, path: readonly string[]): { key: string; help?: string }[] {
  const node = path.length ? schemaAt(root, path) : root;
  if (!node) return [];
  const keys = new Map<string, string | undefined>();
  for (const f of forms(node)) for (const [k, v] of Object.entries(f.properties ?? {})) if (!keys.has(k)) keys.set(k, v.description);
  return [...keys].map(([key, help]) => ({ key, ...(help ? { help } : {}) }));
}
