import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { after, test } from 'node:test';
import { partialUploadName } from '../../server/files/store.ts';
import { ApiClient } from '../support/client.ts';
import { ownPostgres } from '../support/cluster.ts';
import { testDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Servers a failed test left running are stopped (SIGTERM: their PostgreSQL with them), or the test file never ends.
const spawned: ChildProcess[] = [];
after(() => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

/** Starts `node server/main.ts` as `npm start` would and waits for the URL it prints. */
function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ASSAY_SEED_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    // A safety net: a start makes its own PostgreSQL (initdb), seconds here, past 60 s when other
    // processes took both cores (load 14).
    const timer = setTimeout(() => reject(new Error(`no URL printed within 180 s:\n${out}`)), 180_000);
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

/** Whether a process of this id is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `node server/main.ts` to its exit, expecting it to fail: its exit code and everything it printed. */
function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ASSAY_SEED_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => { output += c; });
  child.stderr!.on('data', (c: Buffer) => { output += c; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) => child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); }));
}

test('after the server is killed with SIGKILL mid-upload, the next start stops the PostgreSQL it left running, removes the partial upload, and comes up with the data', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-proc-'));
  fs.chmodSync(dataDir, 0o755);
  const pidFile = path.join(dataDir, 'postgres/pg/postmaster.pid');
  let orphan: number | undefined;
  try {
    const first = await startProcess({ DATA_DIR: dataDir });
    const a = new ApiClient(first.url);
    await a.signup('killed@example.com', 'kept password');
    const ws = (await a.post('/api/workspaces', { title: 'Survives a SIGKILL' })).body;
    const cell = (await a.post(`/api/workspaces/${ws.id}/cells`, { kind: 'upload', name: 'sales', config: '' })).body;
    // An upload in flight when the server dies: 2 MB sent, then the client waits.
    const tmpDir = path.join(dataDir, 'tmp');
    const chunk = new TextEncoder().encode('a,b\n'.repeat(1 << 17));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 4) controller.enqueue(chunk);
        else return new Promise(() => {}); // stalls for good
      },
    });
    void fetch(`${first.url}/api/workspaces/${ws.id}/cells/${cell.id}/upload?filename=big.csv`, {
      method: 'POST', headers: a.headers({ 'content-type': 'text/csv' }), body, duplex: 'half',
    } as RequestInit).catch(() => {});
    const partialSize = () => (fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir).reduce((n, f) => n + fs.statSync(path.join(tmpDir, f)).size, 0) : 0);
    await eventually(async () => partialSize() >= 2 << 20, 'the partial upload is on disk', { timeoutMs: 30_000, everyMs: 50 });
    assert.equal(partialSize(), 2 << 20, 'the partial upload is on disk');
    const partials = fs.readdirSync(tmpDir);
    // Beside it: a partial upload of a process still running on this machine (this test's), and
    // two of another machine's, one written to a moment ago, one untouched for two hours.
    const live = partialUploadName(process.pid);
    const elsewhereNow = `upload-other.host-${process.pid}-${crypto.randomUUID()}`;
    const elsewhereOld = `upload-other.host-1-${crypto.randomUUID()}`;
    for (const name of [live, elsewhereNow, elsewhereOld]) fs.writeFileSync(path.join(tmpDir, name), 'a,b\n1,2\n');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(tmpDir, elsewhereOld), twoHoursAgo, twoHoursAgo);
    first.child.removeAllListeners('exit');
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    // What an out-of-memory kill leaves: the server gone, its PostgreSQL still running.
    orphan = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    assert.ok(alive(orphan), 'the killed server left its PostgreSQL running');

    const second = await startProcess({ DATA_DIR: dataDir });
    assert.equal(alive(orphan), false, 'the orphaned PostgreSQL was stopped');
    assert.doesNotMatch(second.output(), /TypeError/);
    const b = new ApiClient(second.url);
    const login = await b.post('/api/auth/login', { email: 'killed@example.com', password: 'kept password' });
    assert.equal(login.status, 200, `${JSON.stringify(login.body)}\n${second.output()}`);
    assert.equal((await b.get(`/api/workspaces/${ws.id}`)).body.title, 'Survives a SIGKILL');
    const left = fs.readdirSync(tmpDir);
    for (const name of partials) assert.ok(!left.includes(name), 'the killed server\'s partial upload was removed');
    assert.ok(!left.includes(elsewhereOld), 'an upload untouched for hours was removed');
    assert.ok(left.includes(live) && left.includes(elsewhereNow), 'uploads other live processes may be writing were kept');
    assert.equal(await stopProcess(second.child), 0, second.output());
    assert.equal(fs.existsSync(pidFile), false, 'PostgreSQL still running');
  } finally {
    if (orphan && alive(orphan)) process.kill(orphan, 'SIGQUIT');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a start that fails says what failed, and leaves no PostgreSQL running', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-proc-'));
  fs.chmodSync(dataDir, 0o755);
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    // A port another program holds.
    const taken = await failedStart({ DATA_DIR: dataDir, PORT: String(port) });
    assert.equal(taken.code, 1, taken.output);
    assert.match(taken.output, new RegExp(`could not start.*port ${port}.*in use`), taken.output);
    assert.doesNotMatch(taken.output, /TypeError/);
    assert.equal(fs.existsSync(path.join(dataDir, 'postgres/pg/postmaster.pid')), false, 'PostgreSQL left running');
    // The address is claimed before PostgreSQL starts: a taken port costs no cluster made and started.
    assert.equal(fs.existsSync(path.join(dataDir, 'postgres')), false, 'PostgreSQL was set up for a start that could not serve');

    // A second server on the DATA_DIR of one that runs: refused, and the first one's PostgreSQL is left alone.
    const running = await startProcess({ DATA_DIR: dataDir });
    const second = await failedStart({ DATA_DIR: dataDir });
    assert.equal(second.code, 1, second.output);
    assert.match(second.output, new RegExp(`could not start.*another running process \\(pid ${running.child.pid}\\).*DATA_DIR`), second.output);
    assert.deepEqual((await new ApiClient(running.url).get('/api/health')).body, { ok: true });
    assert.equal(await stopProcess(running.child), 0, running.output());

    // A PostgreSQL that will not start: its own complaint is what is printed.
    fs.appendFileSync(path.join(dataDir, 'postgres/pg/postgresql.conf'), '\nshared_buffers = lots\n');
    const broken = await failedStart({ DATA_DIR: dataDir });
    assert.equal(broken.code, 1, broken.output);
    assert.match(broken.output, /could not start.*PostgreSQL.*shared_buffers/, broken.output);
    assert.doesNotMatch(broken.output, /TypeError/);

    // A setting out of range.
    const badPort = await failedStart({ DATA_DIR: dataDir, PORT: 'eighty' });
    assert.equal(badPort.code, 1, badPort.output);
    assert.match(badPort.output, /could not start.*PORT must be a whole number, got \\"eighty\\"/, badPort.output);
    assert.doesNotMatch(badPort.output, /\n\s+at /, 'no stack trace');
    // … and one a cell kind reads as it loads.
    const badLimit = await failedStart({ DATA_DIR: dataDir, ASSAY_QUERY_MEMORY_MB: 'lots' });
    assert.equal(badLimit.code, 1, badLimit.output);
    assert.match(badLimit.output, /could not start.*ASSAY_QUERY_MEMORY_MB must be a whole number/, badLimit.output);
    assert.doesNotMatch(badLimit.output, /\n\s+at /, 'no stack trace');

    // A DATA_DIR that is not a folder.
    const file = path.join(dataDir, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const notDir = await failedStart({ DATA_DIR: file });
    assert.equal(notDir.code, 1, notDir.output);
    assert.match(notDir.output, /could not start.*DATA_DIR/, notDir.output);
    assert.doesNotMatch(notDir.output, /TypeError/);
  } finally {
    busy.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with DATABASE_URL set, the server uses that PostgreSQL and starts none of its own', async () => {
  // An empty database: in npm test's shared cluster, or in a PostgreSQL of this test's own.
  const external = await testDatabase({ empty: true }) ?? await ownDatabase();
  const server = await startTestServer({ databaseUrl: external.url });
  try {
    const api = new ApiClient(server.url);
    await api.signup('ext@example.com');
    assert.equal(fs.existsSync(path.join(server.dataDir, 'postgres')), false, 'no embedded cluster under DATA_DIR');
    const sql = postgres(external.url, { max: 1, onnotice: () => {} });
    try {
      assert.deepEqual((await sql`select email from users`).map((r) => ({ ...r })), [{ email: 'ext@example.com' }]);
    } finally {
      await sql.end();
    }
  } finally {
    await server.stop();
    await external.drop();
  }
});

/** A PostgreSQL of this test's own with an empty database, for a run without the shared cluster. */
async function ownDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-extpg-'));
  fs.chmodSync(dir, 0o755);
  const pg = await ownPostgres(dir);
  return {
    url: pg.url,
    async drop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
