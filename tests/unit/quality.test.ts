// The profile's quality reasons (issue 23, item 5): a share is never "0.0%" when something is
// missing, and counts carry separators as everywhere else on the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnProfile } from '../../cells/profile/types.ts';
import { quality } from '../../cells/profile/table-stats.ts';

const column = (name: string, count: number, nulls: number) => ({ name, count, nulls }) as unknown as ColumnProfile;

test('64 missing values in 308,440 cells read "<0.1%", with the counts written out', () => {
  const columns = Array.from({ length: 11 }, (_, i) => column(`c${i}`, 28_040, i === 3 ? 64 : 0));
  const q = quality(28_040, columns, 0);
  assert.deepEqual(q.reasons, ['<0.1% of cells are missing (64 of 308,440)']);
  const dup = quality(28_040, [column('a', 28_040, 0)], 3);
  assert.deepEqual(dup.reasons, ['3 duplicate row(s) (<0.1% of rows)']);
  assert.deepEqual(quality(10, [column('a', 5, 5)], 0).reasons, ['50.0% of cells are missing (5 of 10)']);
});
