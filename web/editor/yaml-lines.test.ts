import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listItemLines } from './yaml-lines.ts';

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
