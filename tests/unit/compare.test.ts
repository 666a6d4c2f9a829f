// Comparing two runs (issue 23, item 19): a statistic's shift has no ceiling, so moves of
// ten and eleven standard deviations do not tie; a rule failing in both runs with another
// count is a change of count, not of outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRuns } from '../../server/notebook/compare.ts';

const profileOf = (min: number) => ({
  rows: 100,
  columns: [{ name: 'x', type: 'float', nulls: 0, distinct: 50, mean: 0, std: 1, min, max: 5, quantiles: { p25: -1, p50: 0, p75: 1 } }],
});
const cell = (name: string, kind: string, result: unknown) => ({ name, kind, status: 'done', result });

test('shifts are not capped: a minimum that moved 11 standard deviations ranks above one that moved 10', () => {
  const ten = compareRuns([cell('p', 'profile', profileOf(0))], [cell('p', 'profile', profileOf(-10))]).profiles[0]!;
  const eleven = compareRuns([cell('p', 'profile', profileOf(0))], [cell('p', 'profile', profileOf(-11))]).profiles[0]!;
  assert.ok(eleven.shift > ten.shift, `${eleven.shift} > ${ten.shift}`);
  assert.ok(ten.shift > 1.9, 'ten standard deviations still weigh as before (2.0)');
});

test('a rule failing in both runs with another count is reported with both outcomes, for the page to list apart', () => {
  const rules = (violations: number) => ({ summary: { pass: 0, warn: 0, fail: 1, error: 0 }, rows: 10, rules: [{ name: 'r', status: 'fail', violations }] });
  const [change] = compareRuns([cell('c', 'rule', rules(3))], [cell('c', 'rule', rules(5))]).rules;
  assert.deepEqual(change, { cell: 'c', rule: 'r', a: { status: 'fail', violations: 3 }, b: { status: 'fail', violations: 5 } });
});
