// Numbers in tight places (issue 23, item 2): whole, compact where long, never cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatShort } from '../../cells/kit/format.ts';

test('formatShort keeps short numbers as they are and writes long ones compactly, never with an ellipsis', () => {
  assert.equal(formatShort(1.3456), '1.346');
  assert.equal(formatShort(59996), '59,996');
  assert.equal(formatShort(1_234_567), '1.23M');
  assert.equal(formatShort(-32_712.5), '-32.7K');
  assert.equal(formatShort('text'), 'text');
  for (const v of [4.912345, 123456.789, 0.000123, 98765432.1]) assert.doesNotMatch(formatShort(v), /…/);
});
