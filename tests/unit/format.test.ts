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

test('years, codes and ids show without group separators; quantities keep theirs (issue 23, item 1)', async () => {
  const { formatPlain, isCodeColumn, valueFormatFor } = await import('../../cells/kit/format.ts');
  // By name: a word of it, camelCase split.
  for (const name of ['year', 'geoId', 'countryterritoryCode', 'zip', 'customer_id', 'Postal Code']) assert.equal(isCodeColumn({ name }), true, name);
  for (const name of ['cases', 'paid', 'popData2018', 'yearly_total_x', 'decode_ms']) assert.equal(isCodeColumn({ name }), false, name);
  // By the profile's semantic type, and by values that all read as years.
  assert.equal(isCodeColumn({ name: 'ref', semantic: 'identifier' }), true);
  assert.equal(isCodeColumn({ name: 'season', values: [2019, null, 2020] }), true);
  assert.equal(isCodeColumn({ name: 'amount', values: [2019, 3100] }), false);
  assert.equal(isCodeColumn({ name: 'amount', values: [2019.5] }), false);
  assert.equal(isCodeColumn({ name: 'amount', values: [null] }), false);
  assert.equal(valueFormatFor({ name: 'year' })(2020), '2020');
  assert.equal(valueFormatFor({ name: 'cases' })(28040), '28,040');
  assert.equal(formatPlain(98101), '98101');
  assert.equal(formatPlain(2019.25), '2019.25');
  assert.equal(formatPlain('N/A'), 'N/A');
});
