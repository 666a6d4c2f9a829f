import { serve, type ServerType } from '@hono/node-server';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { applyMigrations, connect } from './db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { Cancels } from './engine/cancels.ts';
import { settleLostJob, settleOrphanedRuns } from './engine/lost.ts';
import { runCellJob } from './engine/worker.ts';
import { EventHub } from './events/hub.ts';
import { Notifications } from './events/listen.ts';
import { removeAbandonedUploads } from './files/store.ts';
import { startJobs, startWorkers } from './jobs/queue.ts';
import { log, setLogLevel } from './log.ts';
import { serveMetrics } from './metrics/server.ts';
import { startScheduleWorker, startSchedules } from './runs/schedule.ts';
import { startDeliveries, startDeliveryWorker } from './delivery/jobs.ts';
import type { Services } from './services.ts';

export interface Running {
  services: Services;
  /** The base URL when this process serves HTTP. */
  url?: string;
  /** The PostgreSQL this process uses (the embedded one's, when DATABASE_URL is unset). */
  databaseUrl: string;
  /** Where /metrics answers, when METRICS_PORT is set. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

/** Starts one Assay process: database, migrations, pg-boss, and its role's parts. */
export async function start(config: Config): Promise<Running> {
  setLogLevel(config.logLevel);
  usableDataDir(config.dataDir);
  // What has started so far, stopped again (last first) if a later part fails: a failed start
  // leaves no PostgreSQL, pool or worker behind in a process that is about to exit.
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await startParts(config, undo);
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw err;
  }
}

async function startParts(config: Config, undo: Array<() => Promise<unknown>>): Promise<Running> {
  const serves = config.role !== 'worker';
  const works = config.role !== 'web';
  // The address is claimed first, so a port in use is said at once rather than after
  // PostgreSQL has started (seconds; more on a first start, which creates its cluster).
  // Until the app is ready, every request is told to come back in a second.
  let app: Fetch | undefined;
  const server = serves ? await listen((request, env) => (app ? app(request, env) : starting()), config) : undefined;
  if (server) undo.push(() => closeServer(server, 0));
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
    undo.push(() => embedded!.stop());
    url = embedded.url;
  }
  // Partial uploads of a process that was killed (nothing else removes them).
  removeAbandonedUploads(config.dataDir);
  await applyMigrations(url);
  const database = connect(url, config.dbPoolSize);
  undo.push(() => database.close());
  const jobs = await startJobs(url, config);
  undo.push(() => jobs.boss.stop({ graceful: false, close: true }));
  const notifications = new Notifications(url);
  undo.push(() => notifications.stop());
  const hub = new EventHub(database.sql, notifications);
  const cancels = new Cancels(notifications);
  const lifecycle = { stopping: false };
  const services: Services = { config, db: database.db, sql: database.sql, jobs, hub, cancels, notifications, lifecycle };
  await startSchedules(services);
  await startDeliveries(services);

  if (works) {
    await cancels.start();
    undo.push(async () => cancels.stop());
    await startWorkers(jobs, config, (job, signal) => runCellJob(services, job.cellRunId, signal), (job) => settleLostJob(services, job));
    await startScheduleWorker(services);
    await startDeliveryWorker(services);
    // Runs whose jobs died before their queues had a dead letter queue; not worth failing a start for.
    await settleOrphanedRuns(services).catch((err) => log.warn('settling orphaned runs', { err: String(err) }));
  }
  let baseUrl: string | undefined;
  if (server) {
    await hub.start();
    undo.push(() => hub.stop(SSE_RETRY_MS));
    app = createApp(services).fetch;
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  }
  const metricsServer = config.metricsPort !== undefined ? await serveMetrics(services, config.metricsHost, config.metricsPort) : undefined;

  let stopping: Promise<void> | undefined;
  return {
    services,
    url: baseUrl,
    databaseUrl: url,
    metricsUrl: metricsServer?.url,
    stop: () => (stopping ??= (async () => {
      // Readiness fails first, so a load balancer stops sending new clients here.
      lifecycle.stopping = true;
      if (server) {
        // SSE clients are told to come back (to another web process) in a second, with Last-Event-ID.
        await hub.stop(SSE_RETRY_MS).catch(() => {});
        await closeServer(server, REQUEST_GRACE_MS);
      }
      // Workers take no new job; a running one gets shutdownSeconds to finish, then pg-boss fails it
      // back to its queue and another worker retries it (its row is still `running`, which a retry may claim).
      await jobs.boss.stop({ graceful: true, timeout: config.shutdownSeconds * 1000, close: true })
        .catch((err) => log.warn('pg-boss stop', { err: String(err) }));
      cancels.stop();
      await notifications.stop();
      await metricsServer?.close();
      // The database last: everything above may still write.
      await database.close().catch(() => {});
      await embedded?.stop().catch((err) => log.warn('postgres stop', { err: String(err) }));
    })()),
  };
}

type Fetch = Parameters<typeof serve>[0]['fetch'];

const starting = () => new Response('Assay is starting', { status: 503, headers: { 'retry-after': '1', 'content-type': 'text/plain' } });

/** Serves HTTP on the configured address; a failure says which address and what to do. */
async function listen(fetch: Fetch, config: Pick<Config, 'port' | 'host'>): Promise<ServerType> {
  try {
    return await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `port ${config.port} on ${config.host}`;
    if (code === 'EADDRINUSE') throw new Error(`${where} is in use by another program: stop it, or set PORT to a free port`);
    if (code === 'EACCES') throw new Error(`${where} needs privileges this process lacks: set PORT to 1024 or above`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`HOST ${config.host} is not an address of this machine: set HOST (127.0.0.1, or 0.0.0.0 for every address)`);
    throw new Error(`could not serve HTTP on ${where}: ${(err as Error).message}`);
  }
}

/** DATA_DIR, made if missing; a clear error when it cannot be a folder this process writes to. */
function usableDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`DATA_DIR "${dir}" is not a folder this process can write to (${code ?? (err as Error).message}): set DATA_DIR to one`);
  }
}

// How soon an SSE client reconnects after this process stops.
const SSE_RETRY_MS = 1000;
// In-flight requests (an upload) get this long to finish once the server stops accepting.
const REQUEST_GRACE_MS = 10_000;

/** Stops accepting connections, lets requests in flight finish within `graceMs`, then cuts the rest. */
async function closeServer(server: ServerType, graceMs: number): Promise<void> {
  const s = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  const closed = new Promise<void>((resolve) => s.close(() => resolve()));
  // A connection whose request ends now would otherwise idle for its keep-alive timeout (5 s).
  const idle = setInterval(() => s.closeIdleConnections?.(), 50);
  s.closeIdleConnections?.();
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
  await Promise.race([closed, cut]);
  clearTimeout(timer);
  clearInterval(idle);
  s.closeAllConnections?.();
  await closed;
}
