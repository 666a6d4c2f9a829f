import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ledgerOf } from '../../server/notebook/ledger.ts';

const p = (runId: string, keys: unknown[] | null) => ({ runId, at: `${runId}-time`, keys });

test('ledger cases', () => {
  const cases: { name: string; points: ReturnType<typeof p>[]; want: { new: unknown[]; still: [unknown, string][]; resolved: [unknown, string, string][] } | undefined }[] = [
    { name: 'no run with a result', points: [p('r1', null)], want: undefined },
    { name: 'first run: all new', points: [p('r1', [1, 2])], want: { new: [1, 2], still: [], resolved: [] } },
    { name: 'new, still, resolved', points: [p('r1', [1, 2]), p('r2', [2, 3])], want: { new: [3], still: [[2, 'r1']], resolved: [[1, 'r1', 'r1']] } },
    { name: 'a run without a result is skipped', points: [p('r1', [1]), p('r2', null), p('r3', [1])], want: { new: [], still: [[1, 'r1']], resolved: [] } },
    { name: 'a key that comes back starts a new streak', points: [p('r1', [1]), p('r2', []), p('r3', [1])], want: { new: [1], still: [], resolved: [] } },
    { name: 'resolved only counts the last step', points: [p('r1', [1, 2]), p('r2', [2]), p('r3', [2])], want: { new: [], still: [[2, 'r1']], resolved: [] } },
    { name: 'keys compare by value', points: [p('r1', ['2012-01-01', 7]), p('r2', ['2012-01-01', '7'])], want: { new: ['7'], still: [['2012-01-01', 'r1']], resolved: [[7, 'r1', 'r1']] } },
  ];
  for (const c of cases) {
    const got = ledgerOf(c.points);
    if (!c.want) {
      assert.equal(got, undefined, c.name);
      continue;
    }
    assert.deepEqual(got!.new.map((e) => e.key), c.want.new, c.name);
    assert.deepEqual(got!.stillFailing.map((e) => [e.key, e.firstSeen.runId]), c.want.still, c.name);
    assert.deepEqual(got!.resolved.map((e) => [e.key, e.firstSeen.runId, e.lastFailed.runId]), c.want.resolved, c.name);
  }
});
