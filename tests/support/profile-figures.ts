// Comparing two profiles of the same data made by different plans (by value counts, sorted,
// in batches): the profile tests of cells/profile/ share these.
import assert from 'node:assert/strict';
import type { ColumnProfile } from '../../cells/profile/types.ts';

/** Equal figures, floats to 1e-9 of their size: sums merged from counts or batches are compensated, polars' pairwise. */
export function sameFigures(a: unknown, b: unknown, where: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${where}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${where}: length ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    a.forEach((x, i) => sameFigures(x, b[i], `${where}[${i}]`));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys`);
    for (const k of Object.keys(a)) sameFigures((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
  } else {
    assert.equal(a, b, where);
  }
}

/**
 * A profile with what may rightly differ between plans taken out: which of tied values the top
 * list names, which outliers are the examples; with `byBatches`, also the flag saying a count
 * was made by hashes and the estimates' notes, which only the batched plan writes.
 */
export function comparable(c: ColumnProfile, { byBatches = false } = {}) {
  const least = c.top.at(-1)?.count ?? 0;
  const above = c.top.filter((t) => t.count > least).map((t) => JSON.stringify(t)).sort();
  const numeric = c.numeric && { ...c.numeric, outliers: { ...c.numeric.outliers, examples: [] } };
  const alerts = c.alerts.map((a) => ({ code: a.code, value: a.value }));
  const { distinctByHash, estimates, ...rest } = c;
  const kept = byBatches ? rest : { ...rest, ...(distinctByHash !== undefined ? { distinctByHash } : {}), ...(estimates !== undefined ? { estimates } : {}) };
  return { ...kept, top: { counts: c.top.map((t) => t.count), above }, alerts, ...(numeric ? { numeric } : {}) };
}
