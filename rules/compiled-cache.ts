// Compiled rules, kept between runs of this process. nodejs-polars spends about 0.6 ms
// building each expression node (every node is a fresh wrapper object carrying a few
// hundred methods), so compiling all of a rule cell's rules again on every edit cost more
// than reading 42,000 rows. A polars expression is immutable, so the one compiled for a
// rule serves every later run of the same rule on a table with the same column types.
import pl from 'nodejs-polars';

// Plenty for every rule of every open workspace; the oldest go first beyond it.
const LIMIT = 2000;

// Compiled with more than the rule and the column types: `freshness` judges against the
// clock of the run that compiled it, `reference` reads another cell's table.
const NOT_KEPT = new Set(['freshness', 'reference']);

const compiled = new Map<string, Promise<unknown>>();

function keepable(spec: Record<string, unknown>): boolean {
  const inner = spec.rule as Record<string, unknown> | undefined;
  return !NOT_KEPT.has(String(spec.check)) && !(inner && typeof inner === 'object' && NOT_KEPT.has(String(inner.check)));
}

/**
 * The rule `spec` compiled for a table whose column types are `columnsKey`: from an earlier
 * run when there was one, else by `compile`. A rule that fails to compile is not kept (its
 * error is cheap to find again, and the table may change).
 */
export function compiledOnce<T>(spec: Record<string, unknown>, columnsKey: string, compile: () => Promise<T>): Promise<T> {
  if (!keepable(spec)) return compile();
  let key: string;
  try {
    key = `${JSON.stringify(spec)}\u0000${columnsKey}`;
  } catch {
    return compile(); // not JSON (a YAML value JSON cannot hold): compile every time
  }
  const hit = compiled.get(key);
  if (hit) {
    // Most recently used last, so the oldest is the first key.
    compiled.delete(key);
    compiled.set(key, hit);
    return hit as Promise<T>;
  }
  const made = compile();
  compiled.set(key, made);
  made.catch(() => compiled.delete(key));
  if (compiled.size > LIMIT) compiled.delete(compiled.keys().next().value!);
  return made;
}

const columns = new Map<string, pl.Expr>();

/** `pl.col(name)`, built once per name (see above for why). */
export function col(name: string): pl.Expr {
  let expr = columns.get(name);
  if (!expr) {
    expr = pl.col(name);
    if (columns.size < LIMIT) columns.set(name, expr);
  }
  return expr;
}
