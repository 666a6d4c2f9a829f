import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kinds } from '../../cells/registry.ts';
import { configReference } from '../../cells/shared/config-schema.ts';
import { helpAt, keyPathAt, keysAt, type SchemaNode } from './schema-help.ts';

const ref = (kind: string) => configReference(kinds[kind]!.configSchema!) as SchemaNode;

test('the key path of a line: top level, inside a mapping, inside a list item', () => {
  const rules = ['input: orders', 'rules:', '  # first', '  - check: range', '    column: q', '', '  - check: conditional', '    rule:', '      check: not_null'].join('\n');
  assert.deepEqual(keyPathAt(rules, 1), ['input']);
  assert.equal(keyPathAt(rules, 3), null);
  assert.deepEqual(keyPathAt(rules, 4), ['rules', '*', 'check']);
  assert.deepEqual(keyPathAt(rules, 5), ['rules', '*', 'column']);
  assert.deepEqual(keyPathAt(rules, 8), ['rules', '*', 'rule']);
  assert.deepEqual(keyPathAt(rules, 9), ['rules', '*', 'rule', 'check']);
  const chart = ['input: w', 'x: weather', 'y:', '  field: temp_max', '  aggregate: mean'].join('\n');
  assert.deepEqual(keyPathAt(chart, 5), ['y', 'aggregate']);
});

test('help comes from each kind\'s reference, the one /api/kinds serves', () => {
  assert.match(helpAt(ref('chart'), ['y', 'aggregate'])!, /count, sum, mean/);
  assert.match(helpAt(ref('chart'), ['mark'])!, /bar, line/);
  assert.match(helpAt(ref('rule'), ['rules', '*', 'max_age'])!, /duration like 7d/);
  assert.match(helpAt(ref('upload'), ['dateOrder'])!, /DMY, MDY or YMD/);
  assert.match(helpAt(ref('profile'), ['distinct'])!, /exact, approx/);
  assert.equal(helpAt(ref('profile'), ['nonsense']), undefined);
  assert.deepEqual(keysAt(ref('profile'), []).map((k) => k.key), ['input', 'columns', 'distinct']);
  assert.ok(keysAt(ref('upload'), []).every((k) => k.help), 'every upload key has help');
});
