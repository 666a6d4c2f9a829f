// The sql cell's query as DuckDB and PostgreSQL both read it: names PostgreSQL would fold to
// lowercase are quoted, all-uppercase ones too; keywords, functions and types stay as written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portableQuery } from './code.ts';

test('uppercase and mixed-case names are quoted; keywords, functions and types are not', () => {
  const { sql } = portableQuery([
    'SELECT ID, geoId, COUNT(*) AS N, CAST(X AS DOUBLE) AS x, EXTRACT(YEAR FROM dateRep) AS y',
    "FROM covid WHERE X IS NOT NULL AND ID <> 'ID' AND dateRep > DATE '2020-01-01'",
    'GROUP BY ID, geoId, X, dateRep ORDER BY N DESC NULLS LAST LIMIT 5',
  ].join('\n'));
  assert.equal(sql, [
    'SELECT "ID", "geoId", COUNT(*) AS "N", CAST("X" AS DOUBLE PRECISION) AS x, EXTRACT(YEAR FROM "dateRep") AS y',
    "FROM covid WHERE \"X\" IS NOT NULL AND \"ID\" <> 'ID' AND \"dateRep\" > DATE '2020-01-01'",
    'GROUP BY "ID", "geoId", "X", "dateRep" ORDER BY "N" DESC NULLS LAST LIMIT 5;',
  ].join('\n'));
});
