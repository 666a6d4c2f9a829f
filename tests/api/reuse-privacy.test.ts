// A reused result must not tell one user about another's data (issue 19, finding 4): the
// same bytes uploaded by someone else are converted afresh and show the uploader's own
// file name; within one owner's workspaces the result is still reused, under its new name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { on, workspaceWithStream } from '../support/workspace.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const bytes = fs.readFileSync(path.join(DATA, 'seattle-weather.csv'));

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.stop(); });

async function uploadAs(api: ApiClient, title: string, name: string) {
  const { ws, events, add } = await workspaceWithStream(api, title);
  const cell = await add('data', 'upload', '');
  const up = await api.upload(`/api/workspaces/${ws.id}/cells/${cell.id}/upload`, bytes, name);
  assert.equal(up.status, 201);
  const done = await events.waitFor(on('cell.result', cell.id));
  events.close();
  const [row] = await server.services.sql`select reused_from from cell_runs where cell_id = ${cell.id} and status = 'done'`;
  return { result: done.data.result, reused: done.data.reused === true, reusedFrom: row!.reused_from as string | null, ws, cell };
}

test('the same bytes from another user are not reused and carry that user\'s own file name', async () => {
  const alice = new ApiClient(server.url);
  await alice.signup('alice@example.com');
  const bob = new ApiClient(server.url);
  await bob.signup('bob@example.com');

  const first = await uploadAs(alice, 'Secret', 'secret.csv');
  assert.equal(first.result.file.name, 'secret.csv');

  const second = await uploadAs(bob, 'Mine', 'my-own-name.csv');
  assert.equal(second.result.file.name, 'my-own-name.csv', 'the result names the file as its uploader did');
  assert.equal(second.reused, false, 'nothing of Alice\'s was reused');
  assert.equal(second.reusedFrom, null);
  assert.equal(second.result.rows, first.result.rows);
  const stored = (await bob.get(`/api/workspaces/${second.ws.id}/cells/${second.cell.id}/result`)).body;
  assert.equal(stored.result.file.name, 'my-own-name.csv');
  assert.ok(!JSON.stringify(stored).includes('secret.csv'), 'Alice\'s file name appears nowhere in Bob\'s result');
  // Bob's table is not Alice's file either: the conversion wrote a table of his own.
  const tables = await server.services.sql`select distinct table_path from cell_runs where kind = 'upload' and status = 'done'`;
  assert.equal(tables.length, 2, 'each owner has a table of their own');

  // Alice's second workspace, the same bytes under another name: reused, under the new name.
  const third = await uploadAs(alice, 'Secret again', 'renamed.csv');
  assert.equal(third.reused, true, 'the owner\'s own result is reused');
  assert.equal(third.result.file.name, 'renamed.csv');
  const again = (await alice.get(`/api/workspaces/${third.ws.id}/cells/${third.cell.id}/result`)).body;
  assert.equal(again.result.file.name, 'renamed.csv');
});
