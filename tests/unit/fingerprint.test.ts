import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellFingerprint } from '../../server/notebook/fingerprint.ts';

test('a fingerprint follows the kind\'s code version, not the order of config keys', () => {
  const profile = { kind: 'profile', version: 2 };
  const base = cellFingerprint(profile, { input: 'a', columns: ['x'] }, { a: 'f1' });
  assert.equal(cellFingerprint(profile, { columns: ['x'], input: 'a' }, { a: 'f1' }), base);
  // Results of older code are not reused once the kind says its results changed.
  assert.notEqual(cellFingerprint({ ...profile, version: 3 }, { input: 'a', columns: ['x'] }, { a: 'f1' }), base);
  assert.notEqual(cellFingerprint(profile, { input: 'a', columns: ['x'] }, { a: 'f2' }), base);
});
