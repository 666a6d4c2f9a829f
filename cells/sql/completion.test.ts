import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { completeSql } from './completion.ts';

const columns = { weather: ['date', 'temp_max', 'weather'], covid: ['dateRep', 'cases', 'Have you seen it?'] };

/** The labels offered with the cursor at `¦` in `text` (`|` starts a YAML block). */
function offered(text: string, explicit = false): string[] {
  const pos = text.indexOf('¦');
  const doc = text.replace('¦', '');
  const result = completeSql(new CompletionContext(EditorState.create({ doc }), pos, explicit), columns);
  return result ? result.options.map((o) => o.label) : [];
}

test('sql completion: tables after FROM, JOIN and a comma; the read tables\' columns elsewhere; the config\'s keys', () => {
  assert.deepEqual(offered('sql: SELECT * FROM w¦'), ['weather', 'covid']);
  assert.deepEqual(offered('sql: |\n  SELECT * FROM weather w\n  JOIN ¦', true), ['weather', 'covid']);
  assert.deepEqual(offered('sql: SELECT * FROM weather AS w, c¦'), ['weather', 'covid']);
  const inWhere = offered('sql: |\n  SELECT * FROM weather WHERE te¦');
  assert.deepEqual(inWhere.slice(0, 3), columns.weather);
  assert.ok(inWhere.includes('GROUP BY') && !inWhere.includes('cases'));
  // A column that is no plain name comes quoted.
  assert.ok(offered('sql: SELECT H¦ FROM covid').includes('"Have you seen it?"'));
  assert.deepEqual(offered('sql: SELECT 1\nl¦'), ['limit_preview: ']);
  assert.deepEqual(offered('sql: SELECT ¦'), [], 'no list pops up after a space unless asked');
});

test('sql completion: after "table." or "alias." the columns of that table', () => {
  assert.deepEqual(offered('sql: SELECT weather.t¦ FROM weather'), columns.weather);
  assert.deepEqual(offered('sql: |\n  SELECT c.¦\n  FROM covid c JOIN weather AS w ON w.date = c.dateRep'), ['dateRep', 'cases', '"Have you seen it?"']);
  assert.deepEqual(offered('sql: SELECT w.d¦ FROM covid c JOIN weather AS w ON true'), columns.weather);
  assert.deepEqual(offered('sql: SELECT x.d¦ FROM covid c'), [], 'an unknown qualifier completes nothing');
});
