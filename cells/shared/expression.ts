// The expression language of `expression` checks, `conditional` filters (and, later, chart
// filters): comparisons, arithmetic, and/or/not, `is [not] null`, `in (…)`, over column
// names and literals. It is parsed (expression-parse.ts) into a small tree and compiled to a polars
// expression; nothing is evaluated as code, and there are no functions, so nothing can
// reach a file or a table function.
//
//   ship_date >= order_date and quantity * unit_price < 10000
//   country in ('US', 'CA') or `unit price` is null
//   cases >= $min_cases and continent = $continent
//
// `$name` is an input cell's value (params.ts), compiled as a polars literal of that value:
// a text value is a value compared, never read as part of the expression.
import pl from 'nodejs-polars';
import { closest } from './closest.ts';
import { unknownParam, type ParamValues } from './params.ts';
import { ExpressionError, type Node } from './expression-parse.ts';

export { columnsOf, ExpressionError, paramsOf, parseExpression, type Node } from './expression-parse.ts';

/**
 * The polars expression for a tree. `known` are the table's columns: a name outside them
 * is an error naming it. Text literals compared with a date or datetime column are read as
 * dates, so `order_date >= '2024-01-01'` means what it says.
 */
export function compileExpression(node: Node, known: Record<string, string>, params: ParamValues = {}): pl.Expr {
  const typeOf = (n: Node): string | undefined => (n.type === 'column' ? known[n.name] : undefined);
  const paramValue = (n: Node & { type: 'param' }) => {
    if (!Object.hasOwn(params, n.name)) throw new ExpressionError(unknownParam(n.name, Object.keys(params)).message, n.at);
    return params[n.name]!;
  };
  const literal = (value: { value: number | string | boolean | null }, against?: string): pl.Expr => {
    if (typeof value.value === 'string' && (against === 'date' || against === 'datetime')) {
      const d = new Date(value.value.length === 10 ? `${value.value}T00:00:00Z` : value.value);
      if (Number.isNaN(d.getTime())) throw new ExpressionError(`"${value.value}" is not a date`, 1);
      return against === 'date' ? pl.lit(d).cast(pl.Date) : pl.lit(d);
    }
    return pl.lit(value.value);
  };
  const build = (n: Node, against?: string): pl.Expr => {
    switch (n.type) {
      case 'column':
        if (!Object.hasOwn(known, n.name)) {
          throw new ExpressionError(`no column "${n.name}"${closest(n.name, Object.keys(known))}; the table has: ${Object.keys(known).slice(0, 12).join(', ')}${Object.keys(known).length > 12 ? ', …' : ''}`, n.at);
        }
        return pl.col(n.name);
      case 'literal': return literal(n, against);
      case 'param': return literal({ value: paramValue(n) }, against);
      case 'unary': return n.op === 'not' ? build(n.arg).not() : pl.lit(0).sub(build(n.arg));
      case 'isNull': return n.negated ? build(n.arg).isNotNull() : build(n.arg).isNull();
      case 'in': {
        const values = n.values.map((v) => (v.type === 'param' ? paramValue(v) : (v as { value: unknown }).value));
        const test = build(n.arg).isIn(values as never);
        return n.negated ? test.not() : test;
      }
      case 'binary': {
        const left = build(n.left, typeOf(n.right));
        const right = build(n.right, typeOf(n.left));
        switch (n.op) {
          case 'and': return left.and(right);
          case 'or': return left.or(right);
          case '=': return left.eq(right);
          case '!=': return left.neq(right);
          case '<': return left.lt(right);
          case '<=': return left.ltEq(right);
          case '>': return left.gt(right);
          case '>=': return left.gtEq(right);
          case '+': return left.add(right);
          case '-': return left.sub(right);
          case '*': return left.mul(right);
          case '/': return left.div(right);
          case '%': return left.modulo(right);
        }
        throw new ExpressionError(`unknown operator "${n.op}"`, 1);
      }
    }
  };
  return build(node);
}
