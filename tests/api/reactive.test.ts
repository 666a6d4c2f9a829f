// Reactive execution (issue 7), rule by rule, through the real server, PostgreSQL and pg-boss:
// what re-runs and what does not, reuse, rapid edits, renames, conflicting edits, and the
// heavy queue not holding up light cells. Waits on events and rows, never on time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient, type SseEvent } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';
import { observed, serveTestKinds, until } from '../support/test-kinds.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let server: TestServer;
let api: ApiClient;
serveTestKinds('reactive@example.com', (s, a) => {
  server = s;
  api = a;
});

const count = async (query: 'jobs' | 'cellRuns' | 'runs', workspaceId?: string) => {
  const { sql } = server.services;
  const rows = query === 'jobs' ? await sql`select count(*)::int as n from pgboss.job`
    : query === 'cellRuns' ? await sql`select count(*)::int as n from cell_runs where workspace_id = ${workspaceId!}`
      : await sql`select count(*)::int as n from runs where workspace_id = ${workspaceId!}`;
  return rows[0]!.n as number;
};
const result = async (wsId: string, cellId: string) => (await api.get(`/api/workspaces/${wsId}/cells/${cellId}/result`)).body;

test('a change that does not alter meaning (comments, key order, spacing) re-runs nothing', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Same meaning');
  await add('a', 'gate', 'label: A');
  const b = await add('b', 'gate', 'input: a\nlabel: B\n');
  await events.waitFor(on('cell.result', b.id));
  const [jobs, cellRuns, before] = [await count('jobs'), await count('cellRuns', ws.id), await result(ws.id, b.id)];

  const res = await api.patch(`/api/workspaces/${ws.id}/cells/${b.id}`, { config: '# reads a\nlabel:   B    # the same label\ninput: a\n' });
  assert.equal(res.status, 200);
  assert.equal(res.body.config, '# reads a\nlabel:   B    # the same label\ninput: a\n', 'the text is kept as written');
  // The edit and its plan are one transaction, done when the PATCH answers.
  assert.equal(await count('cellRuns', ws.id), cellRuns, 'no cell run');
  assert.equal(await count('jobs'), jobs, 'no job');
  assert.deepEqual((await result(ws.id, b.id)).runId, before.runId, 'the result shown is the one from before');
  events.close();
});

test('reuse: a rerun with nothing changed starts no job and records no run; the same cells elsewhere reuse the results', async () => {
  const first = await workspaceWithStream(api, 'Reuse one');
  await first.add('src', 'gate', 'label: S');
  const end = await first.add('end', 'gate', 'input: src\nlabel: E');
  await first.events.waitFor(on('cell.result', end.id));
  const jobs = await count('jobs');
  const cellRuns = await count('cellRuns', first.ws.id);

  const rerun = await api.post(`/api/workspaces/${first.ws.id}/run`);
  assert.equal(rerun.status, 202);
  assert.equal(rerun.body.runId, null, 'nothing to run');
  assert.equal(await count('jobs'), jobs, 'no job was created');
  assert.equal(await count('cellRuns', first.ws.id), cellRuns, 'no cell run was recorded');

  // Another workspace of the same owner: the same kinds, configs and inputs.
  const second = await workspaceWithStream(api, 'Reuse two');
  await second.add('src', 'gate', 'label: S');
  const end2 = await second.add('end', 'gate', '# a comment\ninput: src\nlabel: E\n');
  const reused = await second.events.waitFor(on('cell.result', end2.id));
  assert.equal(reused.data.reused, true);
  assert.deepEqual(reused.data.result.trail, ['S', 'E']);
  assert.equal(await count('jobs'), jobs, 'no job ran for the second workspace');
  const [row] = await server.services.sql`select reused_from from cell_runs where cell_id = ${end2.id}`;
  assert.ok(row!.reused_from, 'the run points at the result it reused');

  // Someone else's workspace never reuses them: that would tell them someone has the same data.
  const other = new ApiClient(server.url);
  await other.signup('reuse-elsewhere@example.com');
  const third = await workspaceWithStream(other, 'Reuse three');
  await third.add('src', 'gate', 'label: S');
  const end3 = await third.add('end', 'gate', 'input: src\nlabel: E\n');
  const computed = await third.events.waitFor(on('cell.result', end3.id));
  assert.notEqual(computed.data.reused, true, 'another owner\'s result is computed afresh');
  assert.deepEqual(computed.data.result.trail, ['S', 'E']);
  const [row3] = await server.services.sql`select reused_from from cell_runs where cell_id = ${end3.id}`;
  assert.equal(row3!.reused_from, null);
  first.events.close();
  second.events.close();
  third.events.close();
});

test('rapid edits: ten edits in quick succession; superseded runs are cancelled, late results discarded, the last edit\'s result is the one stored and shown', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rapid');
  const cell = await add('slow', 'stubborn', 'label: first');
  await events.waitFor(on('cell.result', cell.id));
  const labels = Array.from({ length: 10 }, (_, i) => `wait-rapid-${i}`);
  const answers = await Promise.all(labels.map((label) => api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { config: `label: ${label}\n` })));
  assert.deepEqual(answers.map((a) => a.status), labels.map(() => 200));
  const last = (await api.get(`/api/workspaces/${ws.id}`)).body.cells.find((c: { id: string }) => c.id === cell.id).config.trim().slice('label: '.length);

  // Superseded runs of this kind ignore their signal and finish late: open each gate as it
  // appears, until the last edit's run is running, then open that one.
  await until(() => {
    for (const [label, open] of observed.gates) if (label !== last && labels.includes(label)) { open(); observed.gates.delete(label); }
    return observed.gates.has(last);
  });
  observed.gates.get(last)!();
  const final = await events.waitFor(on('cell.result', cell.id, (e) => e.data.result.label === last));
  const results = events.received.filter((e: SseEvent) => e.event === 'cell.result' && e.data.cellId === cell.id && e.data.result.label !== 'first');
  assert.deepEqual(results.map((e) => e.data.result.label), [last], 'no superseded run\'s result was sent');
  assert.equal((await result(ws.id, cell.id)).result.label, last);
  const statuses = await server.services.sql`select status, count(*)::int as n from cell_runs where cell_id = ${cell.id} group by status order by status`;
  assert.deepEqual(Object.fromEntries(statuses.map((r) => [r.status, r.n])), { cancelled: 9, done: 2 }, 'the first run and the last edit\'s are done; the nine between were cancelled');
  assert.equal(final.data.runId, (await result(ws.id, cell.id)).runId);
  events.close();
});

test('a light cell\'s edit runs while a heavy cell holds the heavy queue; a second heavy cell waits for it', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Heavy and light');
  const big = await add('big', 'heavygate', 'label: wait-big');
  await events.waitFor(on('cell.status', big.id, (e) => e.data.status === 'running'));
  const big2 = await add('big2', 'heavygate', 'label: B2');
  const small = await add('small', 'gate', 'label: S1');
  await events.waitFor(on('cell.result', small.id));
  await api.patch(`/api/workspaces/${ws.id}/cells/${small.id}`, { config: 'label: S2' });
  const edited = await events.waitFor(on('cell.result', small.id, (e) => e.data.result.label === 'S2'));
  assert.ok(edited);
  assert.equal((await result(ws.id, big.id)).status, 'running', 'the heavy cell was still running');
  assert.equal((await result(ws.id, big2.id)).status, 'queued', 'the second heavy cell waits: one heavy job at a time');
  await until(() => observed.gates.has('wait-big'));
  observed.gates.get('wait-big')!();
  await events.waitFor(on('cell.result', big2.id));
  events.close();
});

test('a cell waiting for a running input becomes stale with the reason when that input fails', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Input fails later');
  const up = await add('up', 'gate', 'label: wait-doomed');
  await events.waitFor(on('cell.status', up.id, (e) => e.data.status === 'running'));
  const down = await add('down', 'gate', 'input: up\nlabel: D');
  await events.waitFor(on('cell.status', down.id, (e) => e.data.status === 'queued'));
  await until(() => observed.failures.has('wait-doomed'));
  observed.failures.get('wait-doomed')!('the input broke');
  await events.waitFor(on('cell.error', up.id));
  const stale = await events.waitFor(on('cell.status', down.id, (e) => e.data.status === 'stale'));
  assert.equal(stale.data.reason.message, 'input "up" failed: the input broke');
  const shown = await result(ws.id, down.id);
  assert.deepEqual([shown.status, shown.error.code, shown.result], ['stale', 'upstream_failed', null]);
  events.close();
});

test('a cell error that quotes a server path shows it relative to DATA_DIR', async () => {
  const { events, add } = await workspaceWithStream(api, 'Paths');
  const cell = await add('reader', 'gate', 'label: wait-paths');
  await until(() => observed.failures.has('wait-paths'));
  observed.failures.get('wait-paths')!(`cannot read ${server.dataDir}/tables/x.parquet`);
  const failed = await events.waitFor(on('cell.error', cell.id));
  assert.equal(failed.data.error.message, 'cannot read DATA_DIR/tables/x.parquet');
  events.close();
});

test('a cell reading several inputs runs after all of them, and again when any of them changes', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Several inputs');
  const left = await add('left', 'gate', 'label: L');
  await add('right', 'gate', 'label: wait-right');
  const join = await add('join', 'gate', 'inputs: [left, right]\nlabel: J');
  await events.waitFor(on('cell.status', join.id, (e) => e.data.status === 'queued'));
  await until(() => observed.gates.has('wait-right'));
  assert.equal((await result(ws.id, join.id)).status, 'queued', 'waits for its slower input');
  observed.gates.get('wait-right')!();
  assert.deepEqual((await events.waitFor(on('cell.result', join.id))).data.result.trail, ['L', 'wait-right', 'J']);
  await api.patch(`/api/workspaces/${ws.id}/cells/${left.id}`, { config: 'label: L2' });
  const again = await events.waitFor(on('cell.result', join.id, (e) => e.data.result.trail.includes('L2')));
  assert.deepEqual(again.data.result.trail, ['L2', 'wait-right', 'J']);
  events.close();
});

test('rename: references can be updated with it; left behind, each reader fails naming the renamed cell', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Rename');
  const src = await add('src', 'gate', 'label: S');
  const b = await add('b', 'gate', '# reads the source\ninput: src   # keep this comment\nlabel: B\n');
  const c = await add('c', 'gate', 'inputs: [src]\nlabel: C\n');
  const firstB = await events.waitFor(on('cell.result', b.id));
  await events.waitFor(on('cell.result', c.id));
  const before = (await api.get(`/api/workspaces/${ws.id}`)).body.cells;
  assert.deepEqual(before.find((x: { id: string }) => x.id === b.id).inputs, ['src'], 'each cell lists the cells it reads');

  const renamed = await api.patch(`/api/workspaces/${ws.id}/cells/${src.id}`, { name: 'source', updateReferences: true });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, 'source');
  assert.deepEqual(renamed.body.updatedReferences.sort(), ['b', 'c']);
  assert.deepEqual(renamed.body.danglingReferences, []);
  const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells;
  assert.equal(cells.find((x: { id: string }) => x.id === b.id).config, '# reads the source\ninput: source   # keep this comment\nlabel: B\n');
  assert.equal(cells.find((x: { id: string }) => x.id === c.id).config, 'inputs: [source]\nlabel: C\n');
  // Their configs changed, so they run again, reading the renamed cell.
  const rerun = await events.waitFor(on('cell.result', b.id, (e) => e.data.runId !== firstB.data.runId));
  assert.deepEqual(rerun.data.result.trail, ['S', 'B']);

  // Without updating them, the readers are left naming a cell that is gone: each says which one it meant.
  const left = await api.patch(`/api/workspaces/${ws.id}/cells/${src.id}`, { name: 'origin' });
  assert.deepEqual(left.body.danglingReferences.sort(), ['b', 'c']);
  const errors: SseEvent[] = [];
  for (const reader of [b, c]) {
    const err = await events.waitFor(on('cell.error', reader.id, (e) => e.data.error.code === 'missing_input'));
    assert.equal(err.data.error.renamedTo, 'origin');
    assert.deepEqual(err.data.error.cells, ['origin']);
    assert.match(err.data.error.message, /input "source" names no cell.*cell "origin" was called "source"/);
    errors.push(err);
  }
  // The error still says so after another edit of the reader.
  await api.patch(`/api/workspaces/${ws.id}/cells/${b.id}`, { config: 'input: source\nlabel: B2\n' });
  const still = await events.waitFor(on('cell.error', b.id, (e) => e.data.runId !== errors[0]!.data.runId));
  assert.equal(still.data.error.renamedTo, 'origin');
  events.close();
});

test('two edits made on the same version: one is applied, the other refused with 409 and the current workspace', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Conflict');
  const cell = await add('x', 'gate', 'label: X');
  const { version } = (await api.get(`/api/workspaces/${ws.id}`)).body;
  const [one, two] = await Promise.all([
    api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { config: 'label: mine', version }),
    api.patch(`/api/workspaces/${ws.id}/cells/${cell.id}`, { config: 'label: theirs', version }),
  ]);
  assert.deepEqual([one.status, two.status].sort(), [200, 409]);
  const refused = one.status === 409 ? one : two;
  const applied = one.status === 200 ? one : two;
  assert.equal(refused.body.error.code, 'conflict');
  const current = refused.body.error.current;
  assert.equal(current.version, version + 1);
  assert.equal(current.cells[0].config, applied.body.config, 'the refusal carries the state the other edit made');
  assert.equal((await api.get(`/api/workspaces/${ws.id}`)).body.cells[0].config, applied.body.config, 'the refused edit changed nothing');
  events.close();
});
