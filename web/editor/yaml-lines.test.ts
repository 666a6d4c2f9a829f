import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyLine, listItemLines } from './yaml-lines.ts';

test('list items of rules: are found by line, nested lists and comments aside', () => {
  const text = [
    'input: orders',      // 1
    'rules:',             // 2
    '  # first',          // 3
    '  - check: not_null', // 4
    '    columns:',       // 5
    '      - a',          // 6
    '  - check: range',   // 7
    '    column: q',      // 8
    '',                   // 9
    '  - check: unique',  // 10
    'other: 1',           // 11
    '- stray',            // 12
  ].join('\n');
  assert.deepEqual(listItemLines(text, 'rules'), [4, 7, 10]);
  assert.deepEqual(listItemLines('input: x\nrules:\n- check: a\n- check: b\n', 'rules'), [3, 4]);
  assert.deepEqual(listItemLines('input: x\n', 'rules'), []);
});

test('a key an error names is found at its line: top level, in a block, in a {…} mapping', () => {
  const text = [
    'input: weather',              // 1
    'mark: bars',                  // 2
    'x: {field: date, bin: mnth}', // 3
    'y:',                          // 4
    '  # the measure',             // 5
    '  field: weather',            // 6
    '  aggregate: mean',           // 7
    'sort: -y',                    // 8
  ].join('\n');
  assert.equal(keyLine(text, 'mark'), 2);
  assert.equal(keyLine(text, 'x.bin'), 3);
  assert.equal(keyLine(text, 'y.aggregate'), 7);
  assert.equal(keyLine(text, 'y.scale'), 4, 'an inner key not written: its parent');
  assert.equal(keyLine(text, 'sort'), 8);
  assert.equal(keyLine(text, 'filter'), undefined);
});
