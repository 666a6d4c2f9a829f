import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceVersion } from './workspace-version.ts';

test('a change sends the version shown; after a refusal it waits for the reloaded one', async () => {
  const versions = new WorkspaceVersion();
  versions.show(3);
  assert.equal(await versions.toSend(), 3);
  versions.refused();
  let sent: number | undefined;
  const retried = versions.toSend().then((v) => (sent = v));
  await new Promise((r) => setImmediate(r));
  assert.equal(sent, undefined, 'it does not send the refused version');
  versions.show(5);
  assert.equal(await retried, 5);
  // Once the newer version is shown, changes go at once again.
  assert.equal(await versions.toSend(), 5);
});

test('a reload that never lands lets the change go after the wait, with what the page shows', async () => {
  const versions = new WorkspaceVersion();
  versions.show(7);
  versions.refused();
  assert.equal(await versions.toSend(20), 7);
});
