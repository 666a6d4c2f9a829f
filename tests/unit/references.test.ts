import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renameReferences } from '../../cells/references.ts';
import { kinds } from '../../cells/registry.ts';

const rule = kinds.rule!;
const profile = kinds.profile!;

test('references: a rule cell\'s input and reference checks are renamed; comments, quotes and the rest stay as written', () => {
  const before = [
    '# checks on the sales table',
    'input: sales   # the upload',
    'rules:',
    '  - check: reference',
    '    column: country',
    "    in: {cell: 'sales', column: code}",
    '  - check: allowed_values',
    '    column: region',
    '    values: [sales, support]   # a value, not a cell',
    '',
  ].join('\n');
  const after = renameReferences(rule, before, 'sales', 'orders');
  assert.equal(after, [
    '# checks on the sales table',
    'input: orders   # the upload',
    'rules:',
    '  - check: reference',
    '    column: country',
    "    in: {cell: 'orders', column: code}",
    '  - check: allowed_values',
    '    column: region',
    '    values: [sales, support]   # a value, not a cell',
    '',
  ].join('\n'));
});

test('references: a config that does not read the cell, or does not parse, is left alone', () => {
  assert.equal(renameReferences(profile, 'input: other\n', 'sales', 'orders'), undefined);
  assert.equal(renameReferences(profile, 'input: [sales\n', 'sales', 'orders'), undefined);
  assert.equal(renameReferences(profile, 'input: "sales"\ncolumns: [a]\n', 'sales', 'orders'), 'input: "orders"\ncolumns: [a]\n');
});

const sql = kinds.sql!;

test('references: a sql cell\'s query has the table renamed where a table goes, and as a column\'s qualifier; strings, comments, columns and layout stay', () => {
  const before = [
    'sql: |   # sales by region',
    '  -- sales: the upload',
    '  SELECT sales.region, sum(sales.amount) AS sales, \'sales\' AS source',
    '  FROM sales',
    '  JOIN "regions" r ON r.code = sales.region',
    '  WHERE region <> \'FROM sales\'',
    '  GROUP BY sales.region',
    'limit_preview: 10',
    '',
  ].join('\n');
  assert.equal(renameReferences(sql, before, 'sales', 'orders'), [
    'sql: |   # sales by region',
    '  -- sales: the upload',
    '  SELECT orders.region, sum(orders.amount) AS sales, \'sales\' AS source',
    '  FROM orders',
    '  JOIN "regions" r ON r.code = orders.region',
    '  WHERE region <> \'FROM sales\'',
    '  GROUP BY orders.region',
    'limit_preview: 10',
    '',
  ].join('\n'));
  // The other table, quoted: it stays quoted.
  assert.equal(renameReferences(sql, before, 'regions', 'areas'), before.replace('JOIN "regions" r', 'JOIN "areas" r'));
});

test('references: a sql query on one line, plain or quoted; an alias of the old name is not the table', () => {
  assert.equal(renameReferences(sql, 'sql: SELECT * FROM sales, regions WHERE sales.x > 1\n', 'sales', 'orders'),
    'sql: SELECT * FROM orders, regions WHERE orders.x > 1\n');
  assert.equal(renameReferences(sql, 'sql: "SELECT * FROM sales"\n', 'sales', 'orders'), 'sql: "SELECT * FROM orders"\n');
  assert.equal(renameReferences(sql, "sql: 'SELECT * FROM sales WHERE a = ''x'''\n", 'sales', 'orders'), "sql: 'SELECT * FROM orders WHERE a = ''x'''\n");
  // `sales` here is an alias of regions: sales.x is regions' column, only the FROM place changes.
  assert.equal(renameReferences(sql, 'sql: SELECT sales.x FROM regions AS sales JOIN sales s2 ON s2.id = sales.id\n', 'sales', 'orders'),
    'sql: SELECT sales.x FROM regions AS sales JOIN orders s2 ON s2.id = sales.id\n');
  // A WITH name of the old name: the query does not read the cell, nothing is renamed.
  assert.equal(renameReferences(sql, 'sql: WITH sales AS (SELECT 1 AS a) SELECT * FROM sales\n', 'sales', 'orders'), undefined);
  assert.equal(renameReferences(sql, 'sql: SELECT * FROM other\n', 'sales', 'orders'), undefined);
});

test('references: an input cell read as $name is renamed in bounds, thresholds, expressions and queries; $$name and longer names stay', () => {
  const before = [
    'input: covid',
    'rules:',
    '  - check: range',
    '    name: at least $min_cases ($$min_cases is a price)',
    '    column: cases',
    '    min: $min_cases',
    '    fail_if: "> $min_cases_pct%"',
    '  - check: expression',
    "    expr: cases >= $min_cases or geoId = 'NA'",
    '',
  ].join('\n');
  assert.equal(renameReferences(rule, before, 'min_cases', 'least'), before.replaceAll('at least $min_cases (', 'at least $least (')
    .replace('min: $min_cases', 'min: $least').replace('cases >= $min_cases', 'cases >= $least'));
  const sql = kinds.sql!;
  assert.equal(renameReferences(sql, 'sql: |\n  SELECT * FROM covid\n  WHERE cases >= $min_cases\n', 'min_cases', 'least'), 'sql: |\n  SELECT * FROM covid\n  WHERE cases >= $least\n');
});
