// Undo of a delete (issue 23, item 9): a deleted cell comes back as it was (id, name, config,
// place, file, latest result) and its readers reuse theirs; while it is gone they say it was deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiClient } from '../support/client.ts';
import { serveSignedUp } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

let api: ApiClient;
serveSignedUp('restore@example.com', (_s, a) => { api = a; });

interface Cell { id: string; name: string; kind: string; config: string; position: number; file: { name: string } | null; latest: { status: string; runId: string; fingerprint: string; error: { code: string; message: string; deleted?: boolean } | null } | null }

test('a deleted cell is restored with its id, name, config, place and file; readers say it was deleted meanwhile, then reuse their results', async () => {
  const { ws, events, add } = await workspaceWithStream(api, 'Undo');
  const sales = await add('sales', 'upload', '# the monthly export\n');
  const stats = await add('stats', 'profile', 'input: sales\n');
  const notes = await add('notes', 'profile', 'input: sales\n');
  assert.equal((await api.upload(`/api/workspaces/${ws.id}/cells/${sales.id}/upload`, 'region,amount\nnorth,5\nsouth,7\n', 'sales.csv')).status, 201);
  for (const cell of [stats, notes]) await events.waitFor(on('cell.result', cell.id));
  const cellsOf = async () => (await api.get(`/api/workspaces/${ws.id}`)).body.cells as Cell[];
  const before = await cellsOf();

  const gone = await api.delete(`/api/workspaces/${ws.id}/cells/${sales.id}`);
  assert.equal(gone.status, 200);
  const failed = await events.waitFor(on('cell.error', stats.id));
  assert.match(failed.data.error.message, /^cell "sales" was deleted: undo the delete, or name another input \(its cells: "notes"\)$/);
  assert.equal(failed.data.error.code, 'missing_input');

  const back = await api.post(`/api/workspaces/${ws.id}/cells/${sales.id}/restore`);
  assert.equal(back.status, 201, JSON.stringify(back.body));
  assert.deepEqual([back.body.id, back.body.name, back.body.kind, back.body.config, back.body.position], [sales.id, 'sales', 'upload', '# the monthly export\n', 0]);
  const n = events.received.length;
  for (const cell of [stats, notes]) await events.waitFor((e) => events.received.indexOf(e) >= n && e.event === 'cell.result' && e.data.cellId === cell.id);
  const after = await cellsOf();
  assert.deepEqual(after.map((c) => [c.id, c.name, c.position, c.file?.name ?? null]), before.map((c) => [c.id, c.name, c.position, c.file?.name ?? null]));
  // The same config, inputs and file: the same fingerprints, so the readers' results are reused.
  assert.deepEqual(after.map((c) => [c.latest?.status, c.latest?.fingerprint]), before.map((c) => [c.latest?.status, c.latest?.fingerprint]));
  // Its own result is the one it had, put back in its run, not read again.
  assert.equal(after[0]!.latest!.runId, before[0]!.latest!.runId);
  assert.ok(!events.received.slice(n).some((e) => e.data?.cellId === sales.id && e.event === 'cell.status'), 'the restored cell did not run');
  // The trail shows the delete, not the result kept for the undo.
  const trail = (await api.get(`/api/workspaces/${ws.id}/audit`)).body as { action: string; detail: Record<string, unknown> }[];
  const deleted = trail.find((l) => l.action === 'cell.deleted')!;
  assert.equal(deleted.detail.name, 'sales');
  assert.equal('lastRun' in deleted.detail, false);

  const again = await api.post(`/api/workspaces/${ws.id}/cells/${sales.id}/restore`);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_restored');
  assert.equal((await api.post(`/api/workspaces/${ws.id}/cells/${stats.id}/restore`)).status, 404, 'never deleted');
  // Its name taken meanwhile: the restore says so and changes nothing.
  await api.delete(`/api/workspaces/${ws.id}/cells/${sales.id}`);
  await add('sales', 'upload', '');
  const taken = await api.post(`/api/workspaces/${ws.id}/cells/${sales.id}/restore`);
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.code, 'name_taken');
  events.close();
});
