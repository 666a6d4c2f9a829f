import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reduce, type CellEvent, type CellsState } from './cell-state.ts';

function run(events: CellEvent[], start: CellsState = {}): CellsState {
  return events.reduce(reduce, start);
}

const status = (runId: string, s: 'queued' | 'running' | 'done' | 'error' | 'cancelled' | 'stale', progress = 0): CellEvent =>
  ({ type: 'cell.status', data: { cellId: 'c1', runId, status: s, progress } });

test('status moves queued → running (with progress) → done with the result', () => {
  let state = run([status('r1', 'queued')]);
  assert.equal(state.c1!.status, 'queued');
  assert.equal(state.c1!.runId, 'r1');
  state = run([status('r1', 'running', 0.4)], state);
  assert.equal(state.c1!.status, 'running');
  assert.equal(state.c1!.progress, 0.4);
  state = run([{ type: 'cell.result', data: { cellId: 'c1', runId: 'r1', status: 'done', result: { rows: 3 } } }], state);
  assert.equal(state.c1!.status, 'done');
  assert.equal(state.c1!.progress, 1);
  assert.deepEqual(state.c1!.result, { rows: 3 });
});

test('an error is kept as data on the cell', () => {
  const state = run([
    status('r1', 'running'),
    { type: 'cell.error', data: { cellId: 'c1', runId: 'r1', error: { code: 'config_invalid', message: 'bad key', line: 2 } } },
  ]);
  assert.equal(state.c1!.status, 'error');
  assert.deepEqual(state.c1!.error, { code: 'config_invalid', message: 'bad key', line: 2 });
});

test('partials accumulate column groups while running', () => {
  const state = run([
    status('r1', 'running'),
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [{ name: 'a' }, { name: 'b' }] } },
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [{ name: 'c' }], rows: 10 } },
  ]);
  assert.deepEqual(state.c1!.partial, { columns: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], rows: 10 });
  assert.equal(state.c1!.status, 'running');
});

test('the result replaces the partials', () => {
  const state = run([
    status('r1', 'running'),
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [{ name: 'a' }] } },
    { type: 'cell.result', data: { cellId: 'c1', runId: 'r1', status: 'done', result: { columns: [{ name: 'a' }, { name: 'b' }] } } },
  ]);
  assert.equal(state.c1!.partial, null);
  assert.deepEqual(state.c1!.result, { columns: [{ name: 'a' }, { name: 'b' }] });
});

test('a newer run replaces the older run state; the old result stays visible until the new one lands', () => {
  const state = run([
    status('r1', 'running'),
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [{ name: 'a' }] } },
    { type: 'cell.result', data: { cellId: 'c1', runId: 'r1', status: 'done', result: { v: 1 } } },
    status('r2', 'queued'),
  ]);
  assert.equal(state.c1!.runId, 'r2');
  assert.equal(state.c1!.status, 'queued');
  assert.equal(state.c1!.partial, null);
  assert.deepEqual(state.c1!.result, { v: 1 });
});

test('events of a run the cell moved past are ignored', () => {
  const before = run([status('r1', 'running'), status('r2', 'running', 0.2)]);
  const after = run([
    status('r1', 'running', 0.9),
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [{ name: 'old' }] } },
    { type: 'cell.result', data: { cellId: 'c1', runId: 'r1', status: 'done', result: { old: true } } },
    { type: 'cell.error', data: { cellId: 'c1', runId: 'r1', error: { code: 'x', message: 'old' } } },
  ], before);
  assert.equal(after, before, 'state is unchanged (same object)');
  assert.equal(after.c1!.runId, 'r2');
  assert.equal(after.c1!.progress, 0.2);
});

test('a late progress event does not take a finished run back to running', () => {
  const state = run([
    status('r1', 'running'),
    { type: 'cell.result', data: { cellId: 'c1', runId: 'r1', status: 'done', result: 1 } },
    status('r1', 'running', 0.5),
    { type: 'cell.partial', data: { cellId: 'c1', runId: 'r1', columns: [1] } },
  ]);
  assert.equal(state.c1!.status, 'done');
  assert.equal(state.c1!.partial, null);
});

test('stale and cancelled carry their reason, not an error', () => {
  const state = run([
    { type: 'cell.status', data: { cellId: 'c1', runId: 'r1', status: 'stale', progress: 0, reason: { code: 'input_failed', message: 'input "a" failed' } } },
  ]);
  assert.equal(state.c1!.status, 'stale');
  assert.equal(state.c1!.error, null);
  assert.equal(state.c1!.reason?.message, 'input "a" failed');
});

test('a result may carry a reason (an upload cell kept its file): shown with it, gone with the next run', () => {
  const refused = { code: 'file_refused', message: '"bad.csv" was not used: line 9 has more fields than the header\'s 2; cell "a" keeps its file "good.csv" and its result' };
  let state = run([
    { type: 'cell.error', data: { cellId: 'c1', runId: 'r1', error: { code: 'ragged_rows', message: 'line 9 has more fields' } } },
    { type: 'cell.result', data: { cellId: 'c1', runId: 'r2', status: 'done', result: { rows: 3 }, reused: true, reason: refused } },
  ]);
  assert.equal(state.c1!.status, 'done');
  assert.equal(state.c1!.error, null);
  assert.deepEqual(state.c1!.reason, refused);
  state = reduce(state, { type: 'cell.result', data: { cellId: 'c1', runId: 'r3', status: 'done', result: { rows: 4 } } });
  assert.equal(state.c1!.reason, null);
});

test('a snapshot loads latest states, drops deleted cells, and never rolls back newer news', () => {
  let state = run([{
    type: 'snapshot',
    cells: [
      { id: 'c1', latest: { status: 'done', runId: 'r1', progress: 1, result: { v: 1 }, error: null } },
      { id: 'c2', latest: { status: 'stale', runId: 'r1', progress: 0, result: null, error: { code: 'input_failed', message: 'why' } } },
      { id: 'c3', latest: null },
    ],
  }]);
  assert.deepEqual(state.c1!.result, { v: 1 });
  assert.equal(state.c2!.reason?.message, 'why');
  assert.equal(state.c2!.error, null);
  assert.equal(state.c3!.status, null);

  state = run([status('r2', 'running', 0.5)], state);
  // A refetch that read the database before r2 started says r1: r1 is retired, so nothing changes.
  state = run([{ type: 'snapshot', cells: [{ id: 'c1', latest: { status: 'done', runId: 'r1', result: { v: 1 } } }] }], state);
  assert.equal(state.c1!.runId, 'r2');
  assert.equal(state.c1!.status, 'running');
  assert.equal(state.c2, undefined, 'c2 was deleted');

  // Same run, older status: ignored. Same run, further along: taken.
  state = run([{ type: 'snapshot', cells: [{ id: 'c1', latest: { status: 'queued', runId: 'r2' } }] }], state);
  assert.equal(state.c1!.status, 'running');
  state = run([{ type: 'snapshot', cells: [{ id: 'c1', latest: { status: 'done', runId: 'r2', result: { v: 2 } } }] }], state);
  assert.equal(state.c1!.status, 'done');
  assert.deepEqual(state.c1!.result, { v: 2 });
});

test('workspace.changed leaves run states alone', () => {
  const before = run([status('r1', 'queued')]);
  assert.equal(reduce(before, { type: 'workspace.changed', data: { version: 3, reason: 'title' } }), before);
});
