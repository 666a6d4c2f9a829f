import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSchema } from '../../server/runs/schema-lock.ts';

test('locking writes a schema mapping into the YAML, keeping comments; unlocking removes it, also from an empty config', () => {
  const locked = withSchema('# my notes\ndelimiter: ";"\n', [{ name: 'id', type: 'integer' }, { name: 'city', type: 'string' }]);
  assert.match(locked, /# my notes/);
  assert.match(locked, /schema: \{ id: integer, city: string \}/);
  assert.equal(withSchema(locked, null), '# my notes\ndelimiter: ";"\n');
  assert.equal(withSchema('', null), '');
  assert.equal(withSchema('# only a comment\n', null), '# only a comment\n');
});
