import fs from 'node:fs';
import { after as nodeAfter, before as nodeBefore, test as nodeTest } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Download, type Page } from 'playwright-core';
import type { Config } from '../../server/config.ts';
import { startTestServer, type TestServer } from './server.ts';

/** Debian's Chromium, or the one CHROMIUM_PATH names (never a downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HOW = `apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary`;

/**
 * Why the browser tests are skipped here, or undefined when they run. Outside CI a machine
 * without Chromium skips them, so the README's `npm test` passes on a fresh machine; under
 * CI=true they run, and a missing Chromium fails them (launchChromium says what to install).
 */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CI === 'true' || fs.existsSync(CHROMIUM)) return undefined;
  return `no Chromium at ${CHROMIUM}: the browser tests are skipped (to run them: ${HOW})`;
}

// The runner's global setup prints the reason once for the whole run; a file run on its own says it itself.
const skipped = browserSkipReason();
export const SAID_ENV = 'ASSAY_TEST_BROWSER_SKIP_SAID';
if (skipped && !process.env[SAID_ENV]) console.log(`# ${skipped}`);

/** node:test's test, skipped (its hooks below with it) when there is no Chromium to drive. */
export const test: typeof nodeTest = skipped
  ? (((name: string, ...rest: unknown[]) => nodeTest(name, { skip: 'no Chromium' }, rest.find((r) => typeof r === 'function') as () => void)) as unknown as typeof nodeTest)
  : nodeTest;
export const before: typeof nodeBefore = skipped ? (() => nodeBefore(() => {})) : nodeBefore;
export const after: typeof nodeAfter = skipped ? (() => nodeAfter(() => {})) : nodeAfter;

/** Debian's Chromium, headless, with the network features this closed machine refuses switched off. */
const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
  ],
};

/** Where `npm test`'s global setup hands its Chromium to the test files (see shareChromium). */
export const CHROMIUM_WS_ENV = 'ASSAY_TEST_CHROMIUM_WS';

/**
 * One Chromium for a whole `npm test`, started by the global setup: each browser test file
 * used to launch its own, about 2.5 s of CPU a file. A file connects to it and works in
 * browser contexts of its own (cookies, storage and pages apart); closing its connection
 * closes them. Undefined when the browser tests are skipped.
 */
export async function shareChromium(): Promise<{ wsEndpoint: string; close(): Promise<void> } | undefined> {
  if (browserSkipReason() || !fs.existsSync(CHROMIUM)) return undefined;
  const server = await chromium.launchServer(LAUNCH);
  return { wsEndpoint: server.wsEndpoint(), close: () => server.close() };
}

/** The run's shared Chromium (see shareChromium), or one of this file's own when run alone. */
export function launchChromium(): Promise<Browser> {
  const shared = process.env[CHROMIUM_WS_ENV];
  if (shared) return chromium.connect(shared);
  if (!fs.existsSync(CHROMIUM)) {
    return Promise.reject(new Error(`no Chromium at ${CHROMIUM}: the browser tests need it (${HOW})`));
  }
  return chromium.launch(LAUNCH);
}

/**
 * A test file's server and Chromium: started before its tests, handed to `use`, stopped after.
 * The server is a real one (tests/support/server.ts) with `overrides`.
 */
export function serverAndBrowser(use: (server: TestServer, browser: Browser) => void, overrides: Partial<Config> = {}): void {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    // Side by side: Chromium starts while the server copies its database and starts pg-boss.
    const [started, launched] = await Promise.allSettled([startTestServer(overrides), launchChromium()]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    use(server!, browser!);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

/** A page of a new browser context signed in as `api`'s account (its session cookie), with `options` (a viewport, a colour scheme). */
export async function pageSignedIn(browser: Browser, server: TestServer, api: { cookie: string }, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const [name, value] = api.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  return context.newPage();
}

/**
 * A download's bytes. Read through its stream, which serves a connected browser (the run's
 * shared Chromium) as well as a launched one; `download.path()` serves only the latter.
 */
export async function downloadedBytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
