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
  cluster = await startSharedCluster();
  process.env[SHARED_ENV] = cluster.adminUrl;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
