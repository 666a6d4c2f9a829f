import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import type { Config } from '../../server/config.ts';
import { startTestServer, type TestServer } from './server.ts';

/** Debian's Chromium, headless, with the network features this closed machine refuses switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
    ],
  });
}

/**
 * A test file's server and Chromium: started before its tests, handed to `use`, stopped after.
 * The server is a real one (tests/support/server.ts) with `overrides`.
 */
export function serverAndBrowser(use: (server: TestServer, browser: Browser) => void, overrides: Partial<Config> = {}): void {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer(overrides);
    browser = await launchChromium();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}
