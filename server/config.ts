import path from 'node:path';
import { deliveryConfigFrom, type DeliveryConfig } from './delivery/config.ts';

export type Role = 'web' | 'worker' | 'all';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: an embedded PostgreSQL is started under dataDir. */
  databaseUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  role: Role;
  /** Jobs one worker process runs at once, per queue. */
  heavyConcurrency: number;
  lightConcurrency: number;
  /** A running job's heartbeat period; a job silent for this long is its dead worker's, and is retried. */
  heartbeatSeconds: number;
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Serve the demo workspace to new users on a fresh database. */
  seedDemo: boolean;
  /** Connections of this process's query pool, and of pg-boss's (besides two LISTEN connections, Assay's and pg-boss's). */
  dbPoolSize: number;
  queuePoolSize: number;
  /** On SIGTERM, how long running jobs may finish before they are handed back to the queue. */
  shutdownSeconds: number;
  /** Where /metrics is served (a listen address of its own); unset: nowhere. */
  metricsPort?: number;
  metricsHost: string;
  /** Who may sign up: anyone, only those invited (a share by email or a live share link), or nobody. */
  signup: 'open' | 'invite' | 'off';
  /** Attempts per minute before 429: logins per address and account (×5 per address, ×5 per account), signups per address. */
  loginsPerMinute: number;
  signupsPerMinute: number;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For. */
  trustProxy: boolean;
  /** How often pg-boss looks for due schedules (1..45 s); a schedule fires within this of its time. */
  scheduleCheckSeconds: number;
  /** The shortest time a schedule may leave between two firings (0: no limit, for tests). */
  scheduleMinMinutes: number;
  /** Event streams one account may hold open in one web process; past it a new one answers 429. */
  streamsPerUser: number;
  /** Delivered reports: SMTP, the public address for links, webhooks' reach, retries (delivery/config.ts). */
  delivery: DeliveryConfig;
}

/** Reads the environment (contract: PORT, HOST, DATA_DIR, DATABASE_URL, LOG_LEVEL) and argv. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  return {
    port: intFrom(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: levelFrom(env.LOG_LEVEL),
    role: roleFrom(argv),
    heavyConcurrency: intFrom(env.ASSAY_HEAVY_CONCURRENCY, 1, 'ASSAY_HEAVY_CONCURRENCY'),
    lightConcurrency: intFrom(env.ASSAY_LIGHT_CONCURRENCY, 4, 'ASSAY_LIGHT_CONCURRENCY'),
    heartbeatSeconds: Math.max(10, intFrom(env.ASSAY_HEARTBEAT_SECONDS, 30, 'ASSAY_HEARTBEAT_SECONDS')),
    maxUploadBytes: intFrom(env.MAX_UPLOAD_BYTES, 5 * 1000 ** 3, 'MAX_UPLOAD_BYTES'),
    seedDemo: env.ASSAY_SEED_DEMO !== '0',
    dbPoolSize: Math.max(2, intFrom(env.ASSAY_DB_POOL, 10, 'ASSAY_DB_POOL')),
    queuePoolSize: Math.max(2, intFrom(env.ASSAY_QUEUE_POOL, 4, 'ASSAY_QUEUE_POOL')),
    shutdownSeconds: intFrom(env.ASSAY_SHUTDOWN_SECONDS, 20, 'ASSAY_SHUTDOWN_SECONDS'),
    metricsPort: env.METRICS_PORT ? intFrom(env.METRICS_PORT, 0, 'METRICS_PORT') : undefined,
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    signup: signupFrom(env.ASSAY_SIGNUP),
    loginsPerMinute: intFrom(env.ASSAY_LOGINS_PER_MINUTE, 10, 'ASSAY_LOGINS_PER_MINUTE'),
    signupsPerMinute: intFrom(env.ASSAY_SIGNUPS_PER_MINUTE, 10, 'ASSAY_SIGNUPS_PER_MINUTE'),
    trustProxy: env.ASSAY_TRUST_PROXY === '1',
    scheduleCheckSeconds: Math.min(45, Math.max(1, intFrom(env.ASSAY_SCHEDULE_CHECK_SECONDS, 30, 'ASSAY_SCHEDULE_CHECK_SECONDS'))),
    scheduleMinMinutes: intFrom(env.ASSAY_SCHEDULE_MIN_MINUTES, 5, 'ASSAY_SCHEDULE_MIN_MINUTES'),
    streamsPerUser: Math.max(1, intFrom(env.ASSAY_STREAMS_PER_USER, 20, 'ASSAY_STREAMS_PER_USER')),
    delivery: deliveryConfigFrom(env, intFrom),
  };
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

function levelFrom(value: string | undefined): Config['logLevel'] {
  const v = (value || 'info').toLowerCase();
  if (v === 'debug' || v === 'info' || v === 'warn' || v === 'error') return v;
  throw new Error(`LOG_LEVEL must be debug, info, warn or error, got "${value}"`);
}

function signupFrom(value: string | undefined): Config['signup'] {
  const v = (value || 'open').toLowerCase();
  if (v === 'open' || v === 'invite' || v === 'off') return v;
  throw new Error(`ASSAY_SIGNUP must be open, invite or off, got "${value}"`);
}

function roleFrom(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  if (value === undefined) return 'all';
  if (value === 'web' || value === 'worker' || value === 'all') return value;
  throw new Error(`--role must be web, worker or all, got "${value}"`);
}
