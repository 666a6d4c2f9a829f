// One measured step of rules.bench.ts, alone in its process: prints {ms}.
import { context } from '../../cells/upload/corpus.ts';
import { rule } from '../../cells/rule/index.ts';

const [what, table, count] = process.argv.slice(2) as [string, string, string];

/** n rules over the generated sales columns: ranges, sets, patterns, nulls, expressions. */
function rules(n: number) {
  const all: { rule: Record<string, unknown>; sql: string }[] = [];
  for (let i = 0; all.length < n; i++) {
    all.push(
      { rule: { check: 'range', column: 'quantity', min: 1, max: 10 + i }, sql: `quantity < 1 OR quantity > ${10 + i}` },
      { rule: { check: 'range', column: 'unit_price', min: 0, max: 500 + i }, sql: `unit_price < 0 OR unit_price > ${500 + i}` },
      { rule: { check: 'not_null', column: 'discount' }, sql: 'discount IS NULL' },
      { rule: { check: 'allowed_values', column: 'country', values: ['US', 'DE', 'FR', 'GB'] }, sql: "country IS NOT NULL AND country NOT IN ('US','DE','FR','GB')" },
      { rule: { check: 'expression', expr: `shipping_cost >= ${i}` }, sql: `NOT (shipping_cost >= ${i})` },
    );
  }
  return all.slice(0, n);
}

const picked = rules(Number(count));
const dir = table.slice(0, table.lastIndexOf('/'));
const runAssay = () => rule.run({ config: { input: 't', rules: picked.map((r, i) => ({ ...r.rule, name: `r${i}` })) }, inputs: { t: { table, result: null } }, ctx: context(dir) });
// "warm": as on an edit of a rule cell, the process has run these rules before and kept them compiled.
if (what === 'assay-warm') await runAssay();
const t0 = performance.now();
if (what.startsWith('assay')) {
  await runAssay();
} else {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const counts = picked.map((r, i) => `COUNT(*) FILTER (WHERE ${r.sql}) AS r${i}`).join(', ');
  await conn.runAndReadAll(`SELECT COUNT(*), ${counts} FROM read_parquet('${table.replaceAll("'", "''")}')`);
}
console.log(JSON.stringify({ ms: performance.now() - t0 }));
