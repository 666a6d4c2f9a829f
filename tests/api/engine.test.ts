import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiClient } from '../support/client.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';
import { observed, serveTestKinds, until } from '../support/test-kinds.ts';

const { aborted, gates } = observed;

let api: ApiClient;
serveTestKinds('engine@example.com', (_server, client) => {
  api = client;
});

test('a chain runs in dependency order, and an edit re-runs only the edited cell and what is downstream', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Chain');
  const a = await add('a', 'gate', 'label: A');
  const b = await add('b', 'gate', 'input: a\nlabel: B');
  const c = await add('c', 'gate', 'input: b\nlabel: C');
  const side = await add('side', 'gate', 'label: S');
  const done = await events.waitFor(on('cell.result', c.id));
  assert.deepEqual(done.data.result.trail, ['A', 'B', 'C']);
  const runIdBefore = (await api.get(`/api/workspaces/${ws.id}/cells/${side.id}/result`)).body.runId;

  await api.patch(`/api/workspaces/${ws.id}/cells/${b.id}`, { config: 'input: a\nlabel: B2' });
  const again = await events.waitFor(on('cell.result', c.id, (e) => e.data.result.trail.includes('B2')));
  assert.deepEqual(again.data.result.trail, ['A', 'B2', 'C']);
  const states = Object.fromEntries(await Promise.all([a, b, c, side].map(async (x) =>
    [x.id, (await api.get(`/api/workspaces/${ws.id}/cells/${x.id}/result`)).body.runId])));
  assert.equal(states[side.id], runIdBefore, 'an unrelated cell did not re-run');
  assert.equal(states[b.id], states[c.id], 'the edited cell and its dependent ran in one run');
  assert.notEqual(states[a.id], states[b.id], 'the upstream cell was not re-run');
  events.close();
});

test('a newer edit cancels the running job: its signal is aborted, and the last edit wins', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Supersede');
  const slow = await add('slow', 'gate', 'label: wait-1');
  const firstRunning = await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'running'));
  await api.patch(`/api/workspaces/${ws.id}/cells/${slow.id}`, { config: 'label: wait-2' });
  await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'cancelled' && e.data.runId === firstRunning.data.runId));
  await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'running' && e.data.runId !== firstRunning.data.runId));
  await until(() => aborted.includes('wait-1'));
  assert.ok(aborted.includes('wait-1'), 'the superseded run saw its AbortSignal fire');
  // A late finish of the first run would be discarded; release the second and see it win.
  // (Its `running` event may arrive before its run function has set its gate.)
  await until(() => gates.has('wait-2'));
  gates.get('wait-1')?.();
  gates.get('wait-2')!();
  const result = await events.waitFor(on('cell.result', slow.id));
  assert.equal(result.data.result.label, 'wait-2');
  const latest = (await api.get(`/api/workspaces/${ws.id}/cells/${slow.id}/result`)).body;
  assert.equal(latest.result.label, 'wait-2');
  events.close();
});

test('a cell added while its input is still running starts when the input finishes', async () => {
  const { events, add } = await workspaceWithStream(api, 'Late dependent');
  const up = await add('up', 'gate', 'label: wait-up');
  await events.waitFor(on('cell.status', up.id, (e) => e.data.status === 'running'));
  // A new run, planned while the older run's cell is still busy.
  const down = await add('down', 'gate', 'input: up\nlabel: D');
  await events.waitFor(on('cell.status', down.id, (e) => e.data.status === 'queued'));
  await until(() => gates.has('wait-up'));
  gates.get('wait-up')!();
  const result = await events.waitFor(on('cell.result', down.id), 10_000);
  assert.deepEqual(result.data.result.trail, ['wait-up', 'D']);
  events.close();
});

test('a cycle is an error on every cell in it, naming the others; breaking it runs them', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Cycle');
  const x = await add('x', 'gate', 'input: y\nlabel: X');
  const y = await add('y', 'gate', 'input: x\nlabel: Y');
  const ex = await events.waitFor(on('cell.error', x.id, (e) => e.data.error.code === 'cycle'));
  const ey = await events.waitFor(on('cell.error', y.id, (e) => e.data.error.code === 'cycle'));
  assert.match(ex.data.error.message, /x → y → x|y → x → y/);
  assert.deepEqual(ex.data.error.cells.sort(), ['x', 'y']);
  assert.equal(ey.data.error.message, ex.data.error.message);
  await api.patch(`/api/workspaces/${ws.id}/cells/${x.id}`, { config: 'label: X' });
  const fixed = await events.waitFor(on('cell.result', y.id));
  assert.deepEqual(fixed.data.result.trail, ['X', 'Y']);
  events.close();
});

test('POST /run re-runs a failed cell and its stale dependents once the cause is gone', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rerun');
  const f = await add('f', 'flaky', '');
  const d = await add('d', 'gate', 'input: f\nlabel: D');
  await events.waitFor(on('cell.error', f.id));
  // Its dependent is stale, with the reason, and shows no old result as fresh.
  const stale = await events.waitFor(on('cell.status', d.id, (e) => e.data.status === 'stale'));
  assert.equal(stale.data.reason.code, 'upstream_failed');
  assert.match(stale.data.reason.message, /input "f" failed: failed on purpose/);
  const shown = (await api.get(`/api/workspaces/${ws.id}/cells/${d.id}/result`)).body;
  assert.deepEqual([shown.status, shown.result], ['stale', null]);
  // Nothing changed, so an edit elsewhere would not retry it; an explicit run does.
  observed.flakyFails = false;
  const run = await api.post(`/api/workspaces/${ws.id}/run`);
  assert.equal(run.status, 202);
  assert.ok(run.body.runId);
  const ok = await events.waitFor(on('cell.result', d.id));
  assert.equal(ok.data.runId, run.body.runId);
  const nothing = await api.post(`/api/workspaces/${ws.id}/run`);
  assert.equal(nothing.body.runId, null, 'a second run finds everything current');
  events.close();
});
