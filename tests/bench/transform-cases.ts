// The transform benchmark's cases: each a transform cell's YAML and DuckDB's query for the same
// table, over `sales` (the generated 6.6 M-row table) and `lookup` (1,000 of its orders).
export const TRANSFORM_CASES = [
  {
    name: 'group-by, three aggregates',
    yaml: 'input: sales\nsteps:\n  - group_by: {by: [country, category], aggregate: {quantity: sum, unit_price: mean, order_id: count}}\n',
    duckdb: 'SELECT country, category, sum(quantity) AS quantity, avg(unit_price) AS unit_price, count(order_id) AS order_id FROM sales GROUP BY country, category',
  },
  {
    name: 'left join to 1,000 rows',
    yaml: 'input: sales\nsteps:\n  - join: {with: lookup, on: order_id, how: left}\n',
    duckdb: 'SELECT * FROM sales LEFT JOIN lookup USING (order_id)',
  },
  {
    name: 'filter + derived column',
    yaml: 'input: sales\nsteps:\n  - filter: quantity > 1 and discount is not null\n  - derive: {net: quantity * unit_price * (1 - discount)}\n',
    duckdb: 'SELECT *, quantity * unit_price * (1 - discount) AS net FROM sales WHERE quantity > 1 AND discount IS NOT NULL',
  },
  {
    name: 'union of three copies',
    yaml: 'input: sales\nsteps:\n  - union: [sales, sales]\n',
    duckdb: 'SELECT * FROM sales UNION ALL SELECT * FROM sales UNION ALL SELECT * FROM sales',
  },
] as const;
