import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRun, type CellRunState, type CellsState } from '../cell-state.ts';
import { WorkspaceGraph, type GraphState } from './runtime.ts';

const run = (runId: string, status: CellRunState['status'], result: unknown = null): CellRunState =>
  ({ ...emptyRun, runId, status, result });

const cells = [
  { id: 'u', name: 'sales', inputs: [] },
  { id: 'p', name: 'profile1', inputs: ['sales'] },
  { id: 'r', name: 'rules', inputs: ['sales', 'profile1'] },
  { id: 'x', name: 'other', inputs: [] },
];

/**
 * Lets the runtime's scheduled computation run: it is queued with setImmediate outside a browser,
 * and runs its promises out before the next immediate. Not a timer: a 20 ms timer fired first
 * when the process had been held off the CPU for 20 ms (a full `npm test` on 2 cores), and the
 * test read the states before the runtime had computed them.
 */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

function harness() {
  const states: Record<string, { state: GraphState; failedInput?: string }> = {};
  const graph = new WorkspaceGraph((id, state, failedInput) => { states[id] = { state, failedInput }; });
  return { graph, states };
}

test('a running upstream cell makes every cell below it pending, and only those', async () => {
  const { graph, states } = harness();
  let runs: CellsState = { u: run('1', 'done'), p: run('2', 'done'), r: run('3', 'done'), x: run('4', 'done') };
  graph.sync(cells, runs);
  await settle();
  assert.deepEqual(Object.fromEntries(Object.entries(states).map(([k, v]) => [k, v.state])), { u: 'ready', p: 'ready', r: 'ready', x: 'ready' });

  // A new file: the upload runs again. Its readers have no new run yet, but they are pending.
  runs = { ...runs, u: run('5', 'running') };
  graph.sync(cells, runs);
  await settle();
  assert.equal(states.u.state, 'pending');
  assert.equal(states.p.state, 'pending');
  assert.equal(states.r.state, 'pending');
  assert.equal(states.x.state, 'ready');

  // The upload finishes; the profile has been queued meanwhile, so the rule waits on it.
  runs = { ...runs, u: run('5', 'done'), p: run('6', 'queued') };
  graph.sync(cells, runs);
  await settle();
  assert.equal(states.u.state, 'ready');
  assert.equal(states.p.state, 'pending');
  assert.equal(states.r.state, 'pending');

  runs = { ...runs, p: run('6', 'done') };
  graph.sync(cells, runs);
  await settle();
  assert.equal(states.p.state, 'ready');
  assert.equal(states.r.state, 'ready');
  graph.dispose();
});

test('a failed cell fails its dependents, naming the cell that failed first', async () => {
  const { graph, states } = harness();
  graph.sync(cells, { u: run('1', 'error'), p: run('2', 'stale'), r: run('3', 'stale'), x: run('4', 'done') });
  await settle();
  assert.equal(states.u.state, 'failed');
  assert.equal(states.u.failedInput, undefined);
  assert.equal(states.p.state, 'failed');
  assert.equal(states.p.failedInput, 'sales');
  assert.equal(states.r.state, 'failed');
  assert.equal(states.r.failedInput, 'sales');
  assert.equal(states.x.state, 'ready');
  graph.dispose();
});

test('renamed inputs, removed cells and names that are not cells', async () => {
  const { graph, states } = harness();
  const runs: CellsState = { u: run('1', 'running'), p: run('2', 'done') };
  // `window` names no cell: it must not resolve to anything, and the cell does not wait on it.
  graph.sync([{ id: 'u', name: 'sales', inputs: [] }, { id: 'p', name: 'profile1', inputs: ['sales', 'window'] }], runs);
  await settle();
  assert.equal(states.p.state, 'pending');
  // The profile now reads nothing that is running.
  graph.sync([{ id: 'u', name: 'sales', inputs: [] }, { id: 'p', name: 'profile1', inputs: ['window'] }], runs);
  await settle();
  assert.equal(states.p.state, 'ready');
  // Deleting the upload leaves the profile alone.
  graph.sync([{ id: 'p', name: 'profile1', inputs: ['sales'] }], runs);
  await settle();
  assert.equal(states.p.state, 'ready');
  graph.dispose();
});

test('a run replaced by a newer one is never shown as failed, and the newer one settles the cell', async () => {
  const history: string[] = [];
  const graph = new WorkspaceGraph((id, state) => { if (id !== 'x') history.push(`${id}:${state}`); });
  const two = cells.slice(0, 2);
  graph.sync(two, { u: run('1', 'done'), p: run('2', 'running') });
  await settle();
  graph.sync(two, { u: run('1', 'done'), p: run('3', 'queued') });
  await settle();
  graph.sync(two, { u: run('4', 'running'), p: run('3', 'queued') });
  await settle();
  graph.sync(two, { u: run('4', 'done'), p: run('5', 'done') });
  await settle();
  assert.ok(!history.some((h) => h.endsWith(':failed')), history.join(' '));
  assert.equal(history.at(-1), 'p:ready');
  graph.dispose();
});
