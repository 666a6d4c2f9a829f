import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRoute, safeNext } from './router.ts';

test('pages are read from the path', () => {
  assert.deepEqual(parseRoute('/', ''), { page: 'home' });
  assert.deepEqual(parseRoute('/w/abc-123', ''), { page: 'notebook', id: 'abc-123' });
  assert.deepEqual(parseRoute('/settings', ''), { page: 'settings' });
  assert.deepEqual(parseRoute('/s/tok', ''), { page: 'share', token: 'tok', present: false });
  assert.deepEqual(parseRoute('/s/tok', '?present'), { page: 'share', token: 'tok', present: true });
  assert.deepEqual(parseRoute('/w/abc/present', ''), { page: 'present', id: 'abc' });
  assert.deepEqual(parseRoute('/login', '?next=%2Fw%2Fx'), { page: 'login', next: '/w/x' });
  assert.deepEqual(parseRoute('/nope', ''), { page: 'not-found', path: '/nope' });
  assert.deepEqual(parseRoute('/w/abc/runs', ''), { page: 'runs', id: 'abc' });
  assert.deepEqual(parseRoute('/w/abc/runs/r1', ''), { page: 'run', id: 'abc', runId: 'r1' });
  assert.deepEqual(parseRoute('/w/abc/compare', '?a=r1&b=r2'), { page: 'compare', id: 'abc', a: 'r1', b: 'r2' });
  assert.deepEqual(parseRoute('/w/abc/compare/x', ''), { page: 'not-found', path: '/w/abc/compare/x' });
});

test('after login only a same-site path is followed', () => {
  for (const bad of [null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
    assert.equal(safeNext(bad), '/', String(bad));
  }
  assert.equal(safeNext('/w/1?x=2'), '/w/1?x=2');
});
