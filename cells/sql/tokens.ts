// A SQL query split into tokens, the way polars' SQL parser (sqlparser-rs, generic dialect)
// splits it: '…' strings with '' inside, $$…$$ and $tag$…$tag$ strings, "…" and `…` quoted
// names, -- and nested /* */ comments. The guard (guard.ts) and the input list read these
// tokens, never the raw text, so a word inside a string or a comment is not mistaken for
// code, and code is not hidden from the guard inside what only looks like a string. Where
// the two could disagree (an unterminated string or comment), the query is refused.
import { CellError } from '../kind.ts';

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'placeholder';

export interface Token {
  type: TokenType;
  /** A word as written; a quoted name or a string without its quotes. */
  text: string;
  /** 1-based position of its first character. */
  line: number;
  column: number;
  /** Offset in the query text. */
  start: number;
  /** True for a word: case-insensitive keyword comparisons use `upper`. */
  upper: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Line and column (1-based) of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

function unterminated(text: string, start: number, what: string): CellError {
  const { line, column } = positionOf(text, start);
  return new CellError('sql_error', `SQL: ${what} starting at line ${line}, column ${column} is never closed`, { line, column });
}

/** The query's tokens, without spaces and comments. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (type: TokenType, value: string, start: number) => {
    const { line, column } = positionOf(text, start);
    out.push({ type, text: value, line, column, start, upper: type === 'word' ? value.toUpperCase() : '' });
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      // sqlparser nests block comments: /* /* */ */ is one comment.
      const start = i;
      let depth = 0;
      while (i < text.length) {
        if (text[i] === '/' && text[i + 1] === '*') { depth++; i += 2; continue; }
        if (text[i] === '*' && text[i + 1] === '/') { depth--; i += 2; if (depth === 0) break; continue; }
        i++;
      }
      if (depth !== 0) throw unterminated(text, start, 'a comment');
      continue;
    }
    if (c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw unterminated(text, start, 'a string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += text[i++];
      }
      push('string', value, start);
      continue;
    }
    if (c === '"' || c === '`') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw unterminated(text, start, 'a quoted name');
        if (text[i] === c) {
          if (text[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        value += text[i++];
      }
      push('quoted', value, start);
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 200));
      if (tag) {
        const start = i;
        const close = text.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw unterminated(text, start, 'a $-quoted string');
        push('string', text.slice(i + tag[0].length, close), start);
        i = close + tag[0].length;
        continue;
      }
      const m = /^\$[A-Za-z0-9_]*/.exec(text.slice(i, i + 200))!;
      push('placeholder', m[0], i);
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      const m = /^(\d*\.?\d+|\d+\.)([eE][+-]?\d+)?/.exec(text.slice(i))!;
      push('number', m[0], i);
      i += m[0].length;
      continue;
    }
    if (WORD_START.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i]!)) i++;
      // E'…' strings read backslashes as escapes, so they would end elsewhere than here: refused.
      if ((text[start] === 'E' || text[start] === 'e') && i === start + 1 && text[i] === "'") {
        const { line, column } = positionOf(text, start);
        throw new CellError('sql_refused', `E'…' strings are not supported: write the text in plain quotes ('it''s') (line ${line}, column ${column} of the query)`, { sqlLine: line, sqlColumn: column });
      }
      push('word', text.slice(start, i), start);
      continue;
    }
    // Operators of two characters are kept whole only where it matters here (none do):
    // every other character is a token of its own.
    push('punct', c, i);
    i++;
  }
  return out;
}

/** Where a token ends in the text (one past its last character, closing quotes included). */
export function tokenEnd(text: string, t: Token): number {
  if (t.type === 'quoted' || (t.type === 'string' && text[t.start] === "'")) {
    const q = text[t.start]!;
    let i = t.start + 1;
    while (i < text.length) {
      if (text[i] === q) {
        if (text[i + 1] === q) { i += 2; continue; }
        return i + 1;
      }
      i++;
    }
    return text.length;
  }
  if (t.type === 'string') {
    const tag = /^\$[A-Za-z0-9_]*\$/.exec(text.slice(t.start, t.start + 200))![0];
    return text.indexOf(tag, t.start + tag.length) + tag.length;
  }
  return t.start + t.text.length;
}

/** A token is a name: a bare word or a quoted name. */
export const isName = (t: Token | undefined): boolean => t !== undefined && (t.type === 'word' || t.type === 'quoted');
