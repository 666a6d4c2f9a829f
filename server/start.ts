import { serve, type ServerType } from '@hono/node-server';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { applyMigrations, connect } from './db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { Cancels } from './engine/cancels.ts';
import { runCellJob } from './engine/worker.ts';
import { EventHub } from './events/hub.ts';
import { startJobs, startWorkers } from './jobs/queue.ts';
import { log, setLogLevel } from './log.ts';
import { startScheduleWorker, startSchedules } from './runs/schedule.ts';
import type { Services } from './services.ts';

export interface Running {
  services: Services;
  /** The base URL when this process serves HTTP. */
  url?: string;
  /** The PostgreSQL this process uses (the embedded one's, when DATABASE_URL is unset). */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Starts one Assay process: database, migrations, pg-boss, and its role's parts. */
export async function start(config: Config): Promise<Running> {
  setLogLevel(config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
    url = embedded.url;
  }
  await applyMigrations(url);
  const database = connect(url);
  const jobs = await startJobs(url, config);
  const hub = new EventHub(database.sql);
  const cancels = new Cancels(database.sql);
  const services: Services = { config, db: database.db, sql: database.sql, jobs, hub, cancels };
  await startSchedules(services);

  const serves = config.role !== 'worker';
  const works = config.role !== 'web';
  if (works) {
    await cancels.start();
    await startWorkers(jobs, config, (job, signal) => runCellJob(services, job.cellRunId, signal));
    await startScheduleWorker(services);
  }
  let server: ServerType | undefined;
  let baseUrl: string | undefined;
  if (serves) {
    await hub.start();
    const app = createApp(services);
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
      s.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  }

  let stopping: Promise<void> | undefined;
  return {
    services,
    url: baseUrl,
    databaseUrl: url,
    stop: () => (stopping ??= (async () => {
      // Stop taking requests and jobs first; running jobs get a moment to finish or go back.
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
      await jobs.boss.stop({ graceful: true, timeout: 10_000, close: true }).catch((err) => log.warn('pg-boss stop', { err: String(err) }));
      await hub.stop().catch(() => {});
      await cancels.stop().catch(() => {});
      await database.close().catch(() => {});
      await embedded?.stop().catch((err) => log.warn('postgres stop', { err: String(err) }));
    })()),
  };
}
