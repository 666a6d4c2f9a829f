// The expression language's text read into a small tree (see expression.ts, which compiles
// the tree to polars): no polars here, so the page may read an expression too (a transform's
// "Show the code" writes its filters as SQL and Python from the tree).

export class ExpressionError extends Error {
  /** 1-based character position in the expression text. */
  readonly at: number;
  constructor(message: string, at: number) {
    super(`${message} (at character ${at})`);
    this.at = at;
  }
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'id'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'param'; value: string; at: number }
  | { kind: 'end'; at: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'true', 'false']);
const OPS = ['>=', '<=', '!=', '<>', '==', '=', '>', '<', '+', '-', '*', '/', '%', '(', ')', ','];
const MAX_LENGTH = 2000;
const MAX_DEPTH = 50;

function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`the expression is longer than ${MAX_LENGTH} characters`, 1);
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const at = i + 1;
    if (/\s/.test(ch)) { i++; continue; }
    // A number starts with a digit, or with a point before a digit (`.5`). A lone digit before a
    // space, a point or an operator is a number too (`x > 1 or …`, `1.5`): it once was not.
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'num', value: Number(m[0]), at });
      i += m[0].length;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      // Quotes double to stand for themselves; backticks quote a column name.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ExpressionError(`a quoted ${ch === '`' ? 'name' : 'text'} is never closed`, at);
        if (text[j] === ch) {
          if (text[j + 1] === ch) { value += ch; j += 2; continue; }
          break;
        }
        value += text[j++];
      }
      tokens.push(ch === '`' ? { kind: 'id', value, at } : { kind: 'str', value, at });
      i = j + 1;
      continue;
    }
    if (/[\p{L}_]/u.test(ch)) {
      const m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i))!;
      const word = m[0];
      tokens.push(KEYWORDS.has(word.toLowerCase()) ? { kind: 'op', value: word.toLowerCase(), at } : { kind: 'id', value: word, at });
      i += word.length;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 201));
      if (!m) throw new ExpressionError('"$" starts an input\'s name, e.g. $min_cases', at);
      tokens.push({ kind: 'param', value: m[1]!, at });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${ch}"`, at);
    tokens.push({ kind: 'op', value: op, at });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length + 1 });
  return tokens;
}

export type Node =
  | { type: 'column'; name: string; at: number }
  | { type: 'literal'; value: number | string | boolean | null }
  | { type: 'param'; name: string; at: number }
  | { type: 'unary'; op: 'not' | '-'; arg: Node }
  | { type: 'binary'; op: string; left: Node; right: Node }
  | { type: 'isNull'; arg: Node; negated: boolean }
  | { type: 'in'; arg: Node; values: Node[]; negated: boolean };

/** Precedence climbing: or < and < not < comparison < + - < * / %. */
export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const isOp = (v: string) => peek().kind === 'op' && (peek() as { value: string }).value === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}"`, peek().at);
    pos++;
  };
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError('the expression nests too deeply', peek().at);
    try { return f(); } finally { depth--; }
  };

  const or = (): Node => nested(() => {
    let left = and();
    while (isOp('or')) { pos++; left = { type: 'binary', op: 'or', left, right: and() }; }
    return left;
  });
  const and = (): Node => {
    let left = not();
    while (isOp('and')) { pos++; left = { type: 'binary', op: 'and', left, right: not() }; }
    return left;
  };
  const not = (): Node => {
    if (isOp('not')) { pos++; return { type: 'unary', op: 'not', arg: nested(not) }; }
    return comparison();
  };
  const comparison = (): Node => {
    const left = additive();
    if (isOp('is')) {
      pos++;
      const negated = isOp('not');
      if (negated) pos++;
      expect('null');
      return { type: 'isNull', arg: left, negated };
    }
    const negatedIn = isOp('not') && tokens[pos + 1]?.kind === 'op' && (tokens[pos + 1] as { value: string }).value === 'in';
    if (negatedIn) pos++;
    if (isOp('in')) {
      pos++;
      expect('(');
      const values: Node[] = [primary()];
      while (isOp(',')) { pos++; values.push(primary()); }
      expect(')');
      if (values.some((v) => v.type !== 'literal' && v.type !== 'param')) throw new ExpressionError('"in (…)" takes literal values (and $inputs) only', peek().at);
      return { type: 'in', arg: left, values, negated: negatedIn };
    }
    const t = peek();
    if (t.kind === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.value)) {
      pos++;
      const op = t.value === '==' ? '=' : t.value === '<>' ? '!=' : t.value;
      return { type: 'binary', op, left, right: additive() };
    }
    return left;
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { type: 'binary', op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { type: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-')) { pos++; return { type: 'unary', op: '-', arg: nested(unary) }; }
    return primary();
  };
  const primary = (): Node => {
    const t = peek();
    if (t.kind === 'num' || t.kind === 'str') { pos++; return { type: 'literal', value: t.value }; }
    if (t.kind === 'param') { pos++; return { type: 'param', name: t.value, at: t.at }; }
    if (t.kind === 'id') {
      pos++;
      if (isOp('(')) throw new ExpressionError(`"${t.value}(…)": functions are not part of the expression language`, t.at);
      return { type: 'column', name: t.value, at: t.at };
    }
    if (t.kind === 'op' && t.value === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && (t.value === 'true' || t.value === 'false')) { pos++; return { type: 'literal', value: t.value === 'true' }; }
    if (t.kind === 'op' && t.value === 'null') { pos++; return { type: 'literal', value: null }; }
    throw new ExpressionError(t.kind === 'end' ? 'the expression ends too soon' : `unexpected "${(t as { value: string }).value}"`, t.at);
  };

  const tree = or();
  if (peek().kind !== 'end') throw new ExpressionError(`unexpected "${(peek() as { value: string }).value}" after a complete expression`, peek().at);
  return tree;
}

/** Column names the expression reads, in order of first use. */
export function columnsOf(node: Node, out: string[] = []): string[] {
  switch (node.type) {
    case 'column': if (!out.includes(node.name)) out.push(node.name); break;
    case 'unary': columnsOf(node.arg, out); break;
    case 'binary': columnsOf(node.left, out); columnsOf(node.right, out); break;
    case 'isNull': columnsOf(node.arg, out); break;
    case 'in': columnsOf(node.arg, out); break;
    case 'literal': case 'param': break;
  }
  return out;
}

/** Input names (`$name`) the expression reads, in order of first use. */
export function paramsOf(node: Node, out: string[] = []): string[] {
  switch (node.type) {
    case 'param': if (!out.includes(node.name)) out.push(node.name); break;
    case 'unary': case 'isNull': paramsOf(node.arg, out); break;
    case 'binary': paramsOf(node.left, out); paramsOf(node.right, out); break;
    case 'in': paramsOf(node.arg, out); node.values.forEach((v) => paramsOf(v, out)); break;
    case 'literal': case 'column': break;
  }
  return out;
}
