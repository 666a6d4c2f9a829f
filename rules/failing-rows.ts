// Every row a row check fails on, written as CSV by polars' streaming engine: the rule's
// result keeps 20 samples, and an analyst fixing the data needs all of them. The mask is
// the one the rule's run counts (its violation, within its `where`), so the file holds as
// many rows as the result's `violations`.
import pl from 'nodejs-polars';
import { RuleError, type Table } from './checks.ts';
import { compileRule } from './engine.ts';

/** The row number's column in the file: `row`, unless the table has a column of that name. */
export function rowColumn(columns: Record<string, unknown>): string {
  let name = 'row';
  while (Object.hasOwn(columns, name)) name = `_${name}`;
  return name;
}

/** Writes `target`: the 1-based row number, then every column of the failing rows. */
export async function writeFailingRows(tablePath: string, raw: unknown, table: Table, target: string): Promise<void> {
  const spec = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const check = typeof spec.check === 'string' ? spec.check : '';
  if (!check) throw new RuleError('the rule has no "check"', 'check');
  const rule = await compileRule(spec, check, table);
  const c = rule.compiled;
  if (c.kind !== 'rows') throw new RuleError(`a ${rule.check} check judges the table as a whole: it has no failing rows`, 'check');
  const failing = rule.where ? rule.where.expr.and(c.violation) : c.violation;
  const row = rowColumn(table.columns);
  await pl.scanParquet(tablePath).withRowIndex(row, 1).filter(failing)
    .select(pl.col(row), ...Object.keys(table.columns).map((n) => pl.col(n)))
    .sinkCSV(target).collect();
}
