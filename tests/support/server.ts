import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { start, type Running } from '../../server/start.ts';
import { testDatabase } from './postgres.ts';
import { after, before } from 'node:test';
import { ApiClient } from './client.ts';

export interface TestServer extends Running {
  url: string;
  dataDir: string;
}

/**
 * A real Assay process for one test file: a fresh database of its own (in the cluster
 * `npm test` shares between files, or else its own embedded cluster), real pg-boss, real
 * HTTP on a free port. The data folder lives in the system temp folder because PostgreSQL
 * runs as the `postgres` user there when we are root.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-test-'));
  fs.chmodSync(dataDir, 0o755);
  // A test that names its own PostgreSQL keeps it.
  const database = overrides.databaseUrl ? undefined : await testDatabase();
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' }, []),
    port: 0,
    dataDir,
    seedDemo: false,
    // Test files sign many people up from one address; the rate-limit tests set their own limits.
    loginsPerMinute: 1000,
    signupsPerMinute: 1000,
    ...(database ? { databaseUrl: database.url } : {}),
    ...overrides,
  };
  let running: Running;
  try {
    running = await start(config);
  } catch (err) {
    await database?.drop();
    throw err;
  }
  return {
    ...running,
    url: running.url!,
    dataDir,
    async stop() {
      await running.stop();
      await database?.drop();
      if (!process.env.KEEP_TEST_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's server with one account signed up, started before its tests and stopped after
 * them; `use` receives both (the API test files' common opening).
 */
export function serveSignedUp(email: string, use: (server: TestServer, api: ApiClient) => void, overrides: Partial<Config> = {}): void {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer(overrides);
    const api = new ApiClient(server.url);
    await api.signup(email);
    use(server, api);
  });
  after(async () => { await server?.stop(); });
}
