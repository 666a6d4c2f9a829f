import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CellError, type CellKind } from '../../cells/kind.ts';
import { kinds } from '../../cells/registry.ts';
import { optionalString, requiredString } from '../../cells/yaml.ts';
import { ApiClient, type SseEvent } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Test-only kinds, registered in this process's registry: the planner, pg-boss and the
// worker are the real ones. `gate` blocks until released or aborted, so a test can edit
// a cell while it runs; `flaky` fails until told not to.
const aborted: string[] = [];
const gates = new Map<string, () => void>();
let flakyFails = true;

const gate: CellKind<{ input?: string; label: string }> = {
  kind: 'gate', heavy: false, acceptsFile: false,
  starterConfig: () => 'label: x\n',
  parseConfig: (raw) => ({ input: optionalString(raw, 'input'), label: requiredString(raw, 'label') }),
  inputs: (c) => (c.input ? [c.input] : []),
  run: ({ config, inputs, ctx }) => new Promise((resolve, reject) => {
    const upstream = config.input ? ((inputs[config.input]!.result as { trail?: string[] }).trail ?? []) : [];
    const finish = () => resolve({ result: { label: config.label, trail: [...upstream, config.label] } });
    if (!config.label.startsWith('wait')) return finish();
    gates.set(config.label, finish);
    ctx.signal.addEventListener('abort', () => {
      aborted.push(config.label);
      reject(new CellError('cancelled', 'superseded'));
    });
  }),
};
const flaky: CellKind<Record<string, never>> = {
  kind: 'flaky', heavy: false, acceptsFile: false,
  starterConfig: () => '',
  parseConfig: () => ({}),
  inputs: () => [],
  async run() {
    if (flakyFails) throw new CellError('flaky', 'failed on purpose');
    return { result: { ok: true } };
  },
};

let server: TestServer;
let api: ApiClient;
before(async () => {
  Object.assign(kinds, { gate, flaky });
  server = await startTestServer();
  api = new ApiClient(server.url);
  await api.signup('engine@example.com');
});
after(async () => {
  delete (kinds as Record<string, unknown>).gate;
  delete (kinds as Record<string, unknown>).flaky;
  await server?.stop();
});

const on = (type: string, cellId: string, extra: (e: SseEvent) => boolean = () => true) =>
  (e: SseEvent) => e.event === type && e.data.cellId === cellId && extra(e);

async function workspaceWithStream(title: string) {
  const ws = (await api.post('/api/workspaces', { title })).body;
  const events = api.events(ws.id);
  await events.ready;
  const add = async (name: string, kind: string, config: string) =>
    (await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config })).body as { id: string };
  // On a timeout, also say what the database holds for each cell: a lost event and a
  // stuck job look alike from the stream alone (a rare flake here is being chased).
  const waitFor = events.waitFor.bind(events);
  events.waitFor = async (match, timeoutMs) => {
    try {
      return await waitFor(match, timeoutMs);
    } catch (err) {
      const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells as { id: string; name: string; latest: { status: string; runId: string } | null }[];
      const states = cells.map((c) => `${c.name}(${c.id.slice(0, 8)}):${c.latest?.status}:${c.latest?.runId?.slice(0, 8)}`).join(', ');
      throw new Error(`${(err as Error).message}; in the database: ${states}`);
    }
  };
  return { ws, events, add };
}

test('a chain runs in dependency order, and an edit re-runs only the edited cell and what is downstream', async () => {
  const { ws, events, add } = await workspaceWithStream('Chain');
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
  const { ws, events, add } = await workspaceWithStream('Supersede');
  const slow = await add('slow', 'gate', 'label: wait-1');
  const firstRunning = await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'running'));
  await api.patch(`/api/workspaces/${ws.id}/cells/${slow.id}`, { config: 'label: wait-2' });
  await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'cancelled' && e.data.runId === firstRunning.data.runId));
  await events.waitFor(on('cell.status', slow.id, (e) => e.data.status === 'running' && e.data.runId !== firstRunning.data.runId));
  for (let i = 0; i < 100 && !aborted.includes('wait-1'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(aborted.includes('wait-1'), 'the superseded run saw its AbortSignal fire');
  // A late finish of the first run would be discarded; release the second and see it win.
  // (Its `running` event may arrive before its run function has set its gate.)
  for (let i = 0; i < 100 && !gates.has('wait-2'); i++) await new Promise((r) => setTimeout(r, 20));
  gates.get('wait-1')?.();
  gates.get('wait-2')!();
  const result = await events.waitFor(on('cell.result', slow.id));
  assert.equal(result.data.result.label, 'wait-2');
  const latest = (await api.get(`/api/workspaces/${ws.id}/cells/${slow.id}/result`)).body;
  assert.equal(latest.result.label, 'wait-2');
  events.close();
});

test('a cell added while its input is still running starts when the input finishes', async () => {
  const { events, add } = await workspaceWithStream('Late dependent');
  const up = await add('up', 'gate', 'label: wait-up');
  await events.waitFor(on('cell.status', up.id, (e) => e.data.status === 'running'));
  // A new run, planned while the older run's cell is still busy.
  const down = await add('down', 'gate', 'input: up\nlabel: D');
  await events.waitFor(on('cell.status', down.id, (e) => e.data.status === 'queued'));
  for (let i = 0; i < 100 && !gates.has('wait-up'); i++) await new Promise((r) => setTimeout(r, 20));
  gates.get('wait-up')!();
  const result = await events.waitFor(on('cell.result', down.id), 10_000);
  assert.deepEqual(result.data.result.trail, ['wait-up', 'D']);
  events.close();
});

test('a cycle is an error on every cell in it, naming the others; breaking it runs them', async () => {
  const { ws, events, add } = await workspaceWithStream('Cycle');
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
  const { ws, events, add } = await workspaceWithStream('Rerun');
  const f = await add('f', 'flaky', '');
  const d = await add('d', 'gate', 'input: f\nlabel: D');
  await events.waitFor(on('cell.error', f.id));
  await events.waitFor(on('cell.status', d.id, (e) => e.data.status === 'stale'));
  // Nothing changed, so an edit elsewhere would not retry it; an explicit run does.
  flakyFails = false;
  const run = await api.post(`/api/workspaces/${ws.id}/run`);
  assert.equal(run.status, 202);
  assert.ok(run.body.runId);
  const ok = await events.waitFor(on('cell.result', d.id));
  assert.equal(ok.data.runId, run.body.runId);
  const nothing = await api.post(`/api/workspaces/${ws.id}/run`);
  assert.equal(nothing.body.runId, null, 'a second run finds everything current');
  events.close();
});
