// An upload over MAX_UPLOAD_BYTES is refused at once, whatever its framing (issue 19,
// finding 6): a multipart body whose first file passes the limit, and a chunked body
// whose length was never declared, answered 408 after five minutes before.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { serveSignedUp, type TestServer } from '../support/server.ts';

const LIMIT = 1_000_000;
let server: TestServer;
let api: ApiClient;
serveSignedUp('limits@example.com', (s, a) => { server = s; api = a; }, { maxUploadBytes: LIMIT });

const big = () => 'id,value\n' + Array.from({ length: 100_000 }, (_, i) => `${i},${i * 7}`).join('\n') + '\n'; // ~1.5 MB
const small = 'id,value\n1,2\n';
// A hang fails the test instead of running into the five-minute server timeout.
const within = () => ({ signal: AbortSignal.timeout(20_000) });

/** A body streamed in chunks with no Content-Length: the server learns its size only by reading it. */
function chunked(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    async pull(ctl) {
      const next = parts.shift();
      if (next === undefined) return ctl.close();
      const bytes = typeof next === 'string' ? enc.encode(next) : next;
      for (let i = 0; i < bytes.length; i += 64 * 1024) ctl.enqueue(bytes.subarray(i, i + 64 * 1024));
    },
  });
}

function multipart(files: Record<string, string>, boundary = 'assay-test-boundary'): string {
  return Object.entries(files).map(([field, text]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n`).join('') + `--${boundary}--\r\n`;
}

async function workspaceWithUploads(names: string[]) {
  const ws = (await api.post('/api/workspaces', { title: 'Limits' })).body;
  const cells = [];
  for (const name of names) cells.push((await api.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name, config: '' })).body);
  return { ws, cells };
}

const tmpFiles = () => (fs.existsSync(path.join(server.dataDir, 'tmp')) ? fs.readdirSync(path.join(server.dataDir, 'tmp')) : []);

test('a rerun whose first file passes the limit is answered 413 at once, naming the limit', async () => {
  const { ws } = await workspaceWithUploads(['sales', 'second']);
  const form = new FormData();
  form.set('sales', new Blob([big()], { type: 'text/csv' }), 'sales.csv');
  form.set('second', new Blob([small], { type: 'text/csv' }), 'second.csv');
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/runs`, { method: 'POST', headers: api.headers(), body: form, ...within() });
  assert.equal(res.status, 413);
  const body = await res.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'too_large');
  assert.match(body.error.message, /1000000 bytes/);
  assert.deepEqual((await api.get(`/api/workspaces/${ws.id}/runs`)).body.runs ?? [], [], 'no run was made');
  assert.deepEqual(tmpFiles(), [], 'no partial file is left');
  assert.equal((await api.get('/api/health')).status, 200, 'the server still serves');
});

test('a chunked multipart upload to a cell over the limit is answered 413 at once', async () => {
  const { ws, cells } = await workspaceWithUploads(['orders']);
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${cells[0].id}/upload`, {
    method: 'POST',
    headers: api.headers({ 'content-type': 'multipart/form-data; boundary=assay-test-boundary' }),
    body: chunked([multipart({ file: big() })]),
    duplex: 'half',
    ...within(),
  } as RequestInit);
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'too_large');
  const cell = (await api.get(`/api/workspaces/${ws.id}`)).body.cells[0];
  assert.equal(cell.file ?? null, null, 'the cell got no file');
});

test('a chunked raw upload over the limit is answered 413 at once', async () => {
  const { ws, cells } = await workspaceWithUploads(['raw']);
  const res = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${cells[0].id}/upload?filename=raw.csv`, {
    method: 'POST',
    headers: api.headers({ 'content-type': 'text/csv' }),
    body: chunked([big()]),
    duplex: 'half',
    ...within(),
  } as RequestInit);
  assert.equal(res.status, 413);
  // Within the limit, the same framing works.
  const ok = await fetch(`${server.url}/api/workspaces/${ws.id}/cells/${cells[0].id}/upload?filename=raw.csv`, {
    method: 'POST', headers: api.headers({ 'content-type': 'text/csv' }), body: chunked([small]), duplex: 'half', ...within(),
  } as RequestInit);
  assert.equal(ok.status, 201);
});
