// Runs a list of rules over a table. The data is read ONCE for all rules: every row check's
// violation mask side by side, then counted together; the failing rows' values are then
// read in one query for all failing rules. A rule that does not compile, or whose expression fails on the
// data, is that rule's `error`; the other rules still run.
import pl from 'nodejs-polars';
import { ROW_NUMBER as ROW } from '../cells/shared/column-type.ts';
import { jsonSafe } from '../cells/shared/json-safe.ts';
import { CHECKS, RuleError, whereFilter, type Compiled, type Table } from './checks.ts';
import { closest } from '../cells/shared/closest.ts';
import { col, compiledOnce } from './compiled-cache.ts';
import { optionProblem, schemaOf } from './schema.ts';
import type { CheckName } from './vocabulary.ts';
import { noRuleCounts, type RuleCounts } from '../cells/shared/rule-counts.ts';
import { grade, parseThreshold, type Status, type Threshold } from './threshold.ts';

export const SAMPLE_ROWS = 20;
/** Failing keys a rule with `key:` reports, at most: what the violation ledger tracks across runs. */
export const LEDGER_KEYS = 10_000;

export interface RuleOutcome {
  name: string;
  check: string;
  status: Status;
  severity: 'fail' | 'warn';
  /** Rows violating a row check; for a table or statistic check, the number of problems (0 or more). */
  violations: number;
  /** violations / rows checked, for row checks; null otherwise. */
  violationRate: number | null;
  /** Rows the check looked at (those passing `where`), for row checks. */
  rowsChecked: number | null;
  message: string;
  observed?: unknown;
  /** Up to 20 violating rows: `row` is the 1-based row number in the table. */
  samples: { row: number; values: Record<string, unknown> }[];
  error?: { message: string; key?: string };
  /** With `key: <column>` on a row check: the key column and the failing rows' keys (distinct, at most 10,000). */
  ledger?: { key: string; keys: unknown[]; truncated: boolean };
}

export interface RulesResult {
  summary: RuleCounts;
  rows: number;
  rules: RuleOutcome[];
}

/** What a rule compiles to: the same for the same spec on a table with the same columns. */
export interface CompiledRule {
  /** The check as reported (`conditional range` for a conditional one). */
  check: string;
  compiled: Compiled;
  where?: { expr: pl.Expr; text: string };
  warnIf?: Threshold;
  failIf?: Threshold;
  /** `key:` names the column identifying a row, for the violation ledger. */
  key?: string;
  /** The shared pass's expressions for this rule at a position, built once (see passExprs). */
  passAt: Map<number, pl.Expr[]>;
}

interface Prepared {
  outcome: RuleOutcome;
  rule?: CompiledRule;
}

function describeName(spec: Record<string, unknown>, check: string): string {
  const target = spec.column ?? (Array.isArray(spec.columns) ? spec.columns.join(', ') : undefined) ?? spec.expr;
  return target ? `${check} ${String(target)}` : check;
}

async function prepare(raw: unknown, index: number, table: Table, names: Set<string>, columnsKey: string): Promise<Prepared> {
  const spec = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const check = typeof spec.check === 'string' ? spec.check : '';
  let name = typeof spec.name === 'string' && spec.name.trim() ? spec.name.trim() : describeName(spec, check || `rule ${index + 1}`);
  for (let k = 2; names.has(name); k++) name = `${name.replace(/ #\d+$/, '')} #${k}`;
  names.add(name);
  const severity = spec.severity === 'warn' ? 'warn' : 'fail';
  const outcome: RuleOutcome = { name, check, status: 'error', severity, violations: 0, violationRate: null, rowsChecked: null, message: '', samples: [] };
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RuleError(`rule ${index + 1} must be a mapping with a "check" key`);
    if (!check) throw new RuleError(`rule ${index + 1} has no "check"; one of: ${Object.keys(CHECKS).join(', ')}`, 'check');
    const rule = await compiledOnce(spec, columnsKey, () => compileRule(spec, check, table));
    outcome.check = rule.check;
    return { outcome, rule };
  } catch (err) {
    const key = err instanceof RuleError ? err.key : undefined;
    outcome.error = { message: (err as Error).message, ...(key ? { key } : {}) };
    outcome.message = outcome.error.message;
    return { outcome };
  }
}

export async function compileRule(spec: Record<string, unknown>, check: string, table: Table): Promise<CompiledRule> {
  let type = CHECKS[check];
  let inner = spec;
  let reported = check;
  if (check === 'conditional') {
    // {check: conditional, where: …, rule: {check: …}}: the inner rule, on the rows where the filter holds.
    if (!spec.rule || typeof spec.rule !== 'object') throw new RuleError('"rule" must hold the check that applies where "where" holds', 'rule');
    inner = spec.rule as Record<string, unknown>;
    if (spec.where === undefined) throw new RuleError('"where" is required for a conditional check', 'where');
    type = CHECKS[String(inner.check)];
    if (!type) throw new RuleError(`unknown check "${String(inner.check)}" in "rule"${closest(String(inner.check), Object.keys(CHECKS))}`, 'rule');
    reported = `conditional ${String(inner.check)}`;
  } else if (!type) {
    throw new RuleError(`unknown check "${check}"${closest(check, [...Object.keys(CHECKS), 'conditional'])}`, 'check');
  }
  // The options' names and types, from the check's schema (rules/schema.ts); what needs the table is the check's own.
  const problem = optionProblem(schemaOf(check as CheckName), spec, check)
    ?? (check === 'conditional' ? optionProblem(schemaOf(String(inner.check) as CheckName, true), inner, String(inner.check)) : undefined);
  if (problem) throw new RuleError(problem.message, problem.key);
  const rule: CompiledRule = { check: reported, compiled: await type.compile(inner, table), passAt: new Map() };
  if (spec.where !== undefined) {
    if (rule.compiled.kind !== 'rows') throw new RuleError('"where" applies to row checks only', 'where');
    rule.where = whereFilter(spec.where, table);
  }
  if (spec.key !== undefined) {
    if (typeof spec.key !== 'string' || !Object.hasOwn(table.columns, spec.key)) {
      throw new RuleError(`"key" must name a column of the table${typeof spec.key === 'string' ? closest(spec.key, Object.keys(table.columns)) : ''}`, 'key');
    }
    if (rule.compiled.kind !== 'rows') throw new RuleError('"key" applies to row checks only: it names each failing row', 'key');
    rule.key = spec.key;
  }
  if (spec.warn_if !== undefined || spec.fail_if !== undefined) {
    if (rule.compiled.kind !== 'rows') throw new RuleError('"warn_if" and "fail_if" apply to row checks; use severity: warn here', spec.warn_if !== undefined ? 'warn_if' : 'fail_if');
    try {
      if (spec.warn_if !== undefined) rule.warnIf = parseThreshold(spec.warn_if, 'warn_if');
      if (spec.fail_if !== undefined) rule.failIf = parseThreshold(spec.fail_if, 'fail_if');
    } catch (err) {
      throw new RuleError((err as Error).message, spec.warn_if !== undefined ? 'warn_if' : 'fail_if');
    }
  }
  return rule;
}

/**
 * The columns one rule adds to the shared pass, under names unique to its position: its
 * violation mask (and its `where` mask), or its statistic. Counting and sampling happen
 * after, over all masks at once (see runPass), so a rule adds only the nodes of its own
 * test: each node costs over half a millisecond of JavaScript to build, and a cold run of
 * fifty rules spent more on that than on reading 6.6 M rows.
 */
function passExprs(rule: CompiledRule, i: number): pl.Expr[] {
  const built = rule.passAt.get(i);
  if (built) return built;
  const exprs = buildPassExprs(rule, i);
  rule.passAt.set(i, exprs);
  return exprs;
}

function buildPassExprs(rule: CompiledRule, i: number): pl.Expr[] {
  const c = rule.compiled;
  if (c.kind === 'rows') {
    // A null (undecidable) violation needs no fillNull: sum() and filter() both skip it.
    const violating = rule.where ? rule.where.expr.and(c.violation) : c.violation;
    return [violating.alias(`v${i}`), ...(rule.where ? [rule.where.expr.alias(`n${i}`)] : [])];
  }
  if (c.kind === 'aggregate') return [c.value.alias(`a${i}`)];
  return [];
}

/** The failing rows' distinct keys of mask `v…`, as `k…` (at most LEDGER_KEYS). */
function ledgerExpr(mask: string, key: string): pl.Expr {
  return col(key).filter(col(mask)).unique({ maintainOrder: true }).head(LEDGER_KEYS + 1).implode().alias(`k${mask.slice(1)}`);
}

const sampleAt = new Map<string, pl.Expr>();
/** The first failing row numbers of mask `v…`, as `s…`: depends on the name only, so built once. */
function sampleExpr(mask: string): pl.Expr {
  let expr = sampleAt.get(mask);
  if (!expr) sampleAt.set(mask, (expr = col(ROW).filter(col(mask)).head(SAMPLE_ROWS).implode().alias(`s${mask.slice(1)}`)));
  return expr;
}

/**
 * One read of the table for the given rules: their masks and statistics side by side (row
 * numbers beside them), then every mask's count in one call, and the first failing row
 * numbers of the masks that have any. Returns what settle() reads, by passExprs' names.
 */
async function runPass(numbered: pl.LazyDataFrame, rules: { rule: CompiledRule; i: number }[]): Promise<Record<string, unknown>> {
  const keys = [...new Set(rules.flatMap(({ rule }) => (rule.key ? [rule.key] : [])))];
  const frame = await numbered.select(col(ROW), ...keys.map((k) => col(k).alias(`\u241fkey:${k}`)), ...rules.flatMap(({ rule, i }) => passExprs(rule, i))).collect();
  const masks = frame.columns.filter((n) => n.startsWith('v') || n.startsWith('n'));
  const stats = frame.columns.filter((n) => n.startsWith('a'));
  const row: Record<string, unknown> = { rows: frame.height };
  if (masks.length) Object.assign(row, frame.select(...masks).sum().toRecords()[0]);
  // A statistic is one value, repeated down the frame by the select above.
  if (stats.length && frame.height) Object.assign(row, frame.select(...stats).head(1).toRecords()[0]);
  const failing = masks.filter((n) => n.startsWith('v') && Number(row[n] ?? 0) > 0);
  const keyed = rules.filter(({ rule, i }) => rule.key && failing.includes(`v${i}`)).map(({ rule, i }) => ledgerExpr(`v${i}`, `\u241fkey:${rule.key}`));
  if (failing.length) Object.assign(row, (await frame.lazy().select(...failing.map(sampleExpr), ...keyed).collect()).toRecords()[0]);
  return row;
}

function settle(p: Prepared, row: Record<string, unknown>, i: number, rows: number): void {
  const rule = p.rule!;
  const c = rule.compiled;
  const o = p.outcome;
  if (c.kind === 'rows') {
    if (rule.key) {
      const keys = Array.isArray(row[`k${i}`]) ? (row[`k${i}`] as unknown[]).map(jsonSafe) : [];
      o.ledger = { key: rule.key, keys: keys.slice(0, LEDGER_KEYS), truncated: keys.length > LEDGER_KEYS };
    }
    const checked = rule.where ? Number(row[`n${i}`] ?? 0) : rows;
    o.violations = Number(row[`v${i}`] ?? 0);
    o.rowsChecked = checked;
    o.violationRate = checked > 0 ? o.violations / checked : 0;
    const status = grade(o.violations, checked, rule.warnIf, rule.failIf);
    o.status = status === 'fail' && o.severity === 'warn' ? 'warn' : status;
    o.message = o.violations === 0 ? `no row ${c.describe}`
      : `${count(o.violations)} of ${count(checked)} rows${rule.where ? ` where ${rule.where.text}` : ''}: ${c.describe}`;
    return;
  }
  const judged = c.kind === 'aggregate' ? c.judge(row[`a${i}`]) : c.judge(rows);
  o.violations = judged.violations;
  o.observed = jsonSafe(judged.observed);
  o.message = judged.message;
  o.status = judged.violations > 0 ? o.severity : 'pass';
}

/** The values of every rule's sampled rows, read in one query for all rules. */
async function attachSamples(data: pl.LazyDataFrame, sampled: { p: Prepared; rows: number[] }[]): Promise<void> {
  const wanted = new Set(sampled.flatMap((s) => s.rows));
  if (wanted.size === 0) return;
  const columns = [...new Set(sampled.flatMap((s) => (s.p.rule!.compiled as { columns: string[] }).columns))];
  const df = await data.withRowIndex(ROW, 1).filter(col(ROW).isIn([...wanted])).select(col(ROW), ...columns.map(col)).collect();
  const byRow = new Map(df.toRecords().map((r) => [Number(r[ROW]), r]));
  for (const { p, rows } of sampled) {
    const cols = (p.rule!.compiled as { columns: string[] }).columns;
    p.outcome.samples = rows.flatMap((row) => {
      const r = byRow.get(row);
      return r ? [{ row, values: Object.fromEntries(cols.map((n) => [n, jsonSafe(r[n])])) }] : [];
    });
  }
}

export async function runRules(tablePath: string, rules: unknown[], table: Table, signal?: AbortSignal): Promise<RulesResult> {
  const names = new Set<string>();
  const prepared: Prepared[] = [];
  // Compiled rules are cached by spec and this key: an expression's `$name` compiles to its value.
  const columnsKey = JSON.stringify([table.columns, table.params ?? {}]);
  for (const [i, raw] of rules.entries()) prepared.push(await prepare(raw, i, table, names, columnsKey));
  const data = pl.scanParquet(tablePath);
  const numbered = data.withRowIndex(ROW, 1);
  const live = prepared.filter((p) => p.rule);
  const sampled: { p: Prepared; rows: number[] }[] = [];
  const settleFrom = (p: Prepared, row: Record<string, unknown>, i: number, rows: number) => {
    settle(p, row, i, rows);
    const ids = row[`s${i}`];
    if (p.outcome.violations > 0 && Array.isArray(ids)) sampled.push({ p, rows: ids.map(Number) });
  };
  let rows: number;
  try {
    const row = await runPass(numbered, live.map((p) => ({ rule: p.rule!, i: prepared.indexOf(p) })));
    rows = Number(row.rows ?? 0);
    for (const p of live) settleFrom(p, row, prepared.indexOf(p), rows);
  } catch {
    // One rule broke the shared pass (an expression that fails on these values): run each
    // alone, so only the broken ones are errors.
    rows = Number((await data.select(pl.len().alias('n')).collect()).getColumn('n').get(0));
    for (const p of live) {
      const i = prepared.indexOf(p);
      try {
        settleFrom(p, await runPass(numbered, [{ rule: p.rule!, i }]), i, rows);
      } catch (err) {
        p.outcome.status = 'error';
        p.outcome.error = { message: `the check failed on the data: ${String((err as Error).message).split('\n')[0]}` };
        p.outcome.message = p.outcome.error.message;
        p.rule = undefined;
      }
    }
  }
  if (!signal?.aborted) {
    try {
      await attachSamples(data, sampled);
    } catch { /* the counts stand without their samples */ }
  }
  const summary = noRuleCounts();
  for (const p of prepared) summary[p.outcome.status]++;
  return { summary, rows, rules: prepared.map((p) => p.outcome) };
}

/** Counts in messages as the page shows them elsewhere: 28,040, not 28040. */
const count = (n: number) => n.toLocaleString('en-US');
