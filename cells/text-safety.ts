// PostgreSQL's text and jsonb hold neither NUL nor an unpaired UTF-16 surrogate (JSON's
// "\u0000", YAML's "\0" and "\ud800" make them); written anyway, they fail the query. Text
// from outside is checked for them where it comes in, so the refusal names the key instead
// of surfacing as a database error.

export interface UnsafeText {
  /** Where, as a path of keys and indexes: `cells[2].config`, `title`. */
  path: string;
  message: string;
}

/** The first string (or key) in `value` that the database cannot store, or null. */
export function findUnsafeText(value: unknown, path = ''): UnsafeText | null {
  if (typeof value === 'string') return describe(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const found = describe(key, at) ?? findUnsafeText(inner, at);
      if (found) return found;
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describe(text: string, path: string): UnsafeText | null {
  const nul = text.indexOf('\u0000');
  const where = path ? `"${path}"` : 'the text';
  if (nul >= 0) return { path, message: `${where} holds a NUL character (at position ${nul + 1}); text may not contain NUL` };
  if (LONE_SURROGATE.test(text)) return { path, message: `${where} holds an unpaired surrogate (text that is not valid Unicode)` };
  return null;
}
