import { sql } from 'drizzle-orm';
import { fromDrizzle, PgBoss } from 'pg-boss';
import type { Tx } from '../db/client.ts';
import type { Config } from '../config.ts';
import { log } from '../log.ts';

/** The PostgreSQL schema pg-boss keeps its tables in. */
export const BOSS_SCHEMA = 'pgboss';
export const HEAVY_QUEUE = 'assay-cells-heavy';
export const LIGHT_QUEUE = 'assay-cells-light';
/**
 * The cell queues' dead letter queue: pg-boss copies a cell job here, in the statement that
 * fails it for good, once its retries are spent. No code of ours ran when the last attempt
 * died (SIGKILL, out of memory), so this copy is what tells a worker to settle the cell run.
 */
export const LOST_QUEUE = 'assay-cells-lost';
// Cell jobs get this many retries: three attempts in all.
const CELL_RETRIES = 2;

export interface CellJob {
  cellRunId: string;
}

/** A cell job that pg-boss gave up on: its run, how many attempts were made, and the last failure's text. */
export interface LostJob {
  cellRunId: string;
  attempts: number;
  failure: string;
}

/** The slice of pg-boss the engine uses: send a cell run, cancel superseded ones. */
export interface Jobs {
  /** With `within`, the job is created in that transaction: it exists exactly when the transaction commits. */
  enqueue(cellRunId: string, heavy: boolean, within?: Tx): Promise<void>;
  cancel(cellRunIds: string[]): Promise<void>;
  boss: PgBoss;
}

// Uploads and profiles of big files run for minutes: the heartbeat, not the expiry, is
// what notices a dead worker, so expiry is generous and the heartbeat short.
const queueOptions = (heartbeatSeconds: number) => ({
  notify: true,
  retryLimit: 2,
  retryDelay: 1,
  retryBackoff: true,
  expireInSeconds: 6 * 3600,
  heartbeatSeconds,
  deleteAfterSeconds: 7 * 86400,
  deadLetter: LOST_QUEUE,
});

// Settling a lost job is one short update: retried quickly if its own worker dies meanwhile.
const lostQueueOptions = (heartbeatSeconds: number) => ({
  notify: true,
  retryLimit: 10,
  retryDelay: 1,
  retryBackoff: true,
  retryDelayMax: 60,
  heartbeatSeconds,
  deleteAfterSeconds: 7 * 86400,
});

/** Creates the queue, or updates it on every start, so changed options reach a queue made by an older start. */
export async function ensureQueue(boss: PgBoss, name: string, options: NonNullable<Parameters<PgBoss['createQueue']>[1]>): Promise<void> {
  if (await boss.getQueue(name)) await boss.updateQueue(name, options);
  else await boss.createQueue(name, options);
}

export async function startJobs(
  url: string,
  { heartbeatSeconds, queuePoolSize, scheduleCheckSeconds }: Pick<Config, 'heartbeatSeconds' | 'queuePoolSize' | 'scheduleCheckSeconds'>,
): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    // LISTEN/NOTIFY takes job pick-up from ~2 s of polling to a few ms.
    useListenNotify: true,
    // How often pg-boss looks for jobs whose heartbeat stopped (its monitor pass, which the
    // supervisor runs at most this often): a dead worker's job is retried within about 1.2
    // heartbeats, not the minute or two of pg-boss's defaults.
    superviseIntervalSeconds: Math.max(1, Math.round(heartbeatSeconds / 5)),
    monitorIntervalSeconds: Math.max(1, Math.round(heartbeatSeconds / 5)),
    max: queuePoolSize,
    // Scheduled reruns (server/runs/schedule.ts): how often due cron schedules are looked for.
    cronMonitorIntervalSeconds: scheduleCheckSeconds,
    cronWorkerIntervalSeconds: Math.min(5, scheduleCheckSeconds),
  });
  boss.on('error', (err) => log.warn('pg-boss', { err: String(err) }));
  boss.on('warning', (w) => log.debug('pg-boss warning', { w: JSON.stringify(w) }));
  await boss.start();
  // The dead letter queue first: a queue can only name one that exists.
  await ensureQueue(boss, LOST_QUEUE, lostQueueOptions(heartbeatSeconds));
  for (const name of [HEAVY_QUEUE, LIGHT_QUEUE]) await ensureQueue(boss, name, queueOptions(heartbeatSeconds));
  return {
    boss,
    async enqueue(cellRunId, heavy, within) {
      // The job id is the cell run id: a duplicate send is refused by the primary key.
      await boss.send(heavy ? HEAVY_QUEUE : LIGHT_QUEUE, { cellRunId } satisfies CellJob, { id: cellRunId, ...(within ? { db: fromDrizzle(within, sql) } : {}) });
    },
    async cancel(cellRunIds) {
      for (const name of [HEAVY_QUEUE, LIGHT_QUEUE]) {
        await boss.cancel(name, cellRunIds).catch(() => {});
      }
    },
  };
}

export async function startWorkers(
  jobs: Jobs,
  config: Pick<Config, 'heavyConcurrency' | 'lightConcurrency'>,
  handler: (job: CellJob, signal: AbortSignal) => Promise<void>,
  onLost: (job: LostJob) => Promise<void>,
): Promise<void> {
  // Separate queues with their own concurrency: a long profile cannot starve small edits.
  const queues = [[HEAVY_QUEUE, config.heavyConcurrency], [LIGHT_QUEUE, config.lightConcurrency]] as const;
  for (const [name, localConcurrency] of queues) {
    // The fallback poll also finds retries, which come back after their delay without a NOTIFY:
    // a job handed back by a stopping worker, or a dead worker's, waits at most this long more.
    await jobs.boss.work<CellJob>(name, { localConcurrency, batchSize: 1, notifyPollingIntervalSeconds: 2 }, async ([job]) => {
      try {
        if (job) await handler(job.data, job.signal);
      } finally {
        lookAgain(jobs.boss, name);
      }
    });
  }
  // With its metadata: the failed job's retry count and output come with the copy.
  const lostWork = { localConcurrency: 1, batchSize: 1, includeMetadata: true, notifyPollingIntervalSeconds: 10 } as const;
  await jobs.boss.work<CellJob, void, typeof lostWork>(LOST_QUEUE, lostWork, async ([job]) => {
    if (!job) return;
    // retryCount goes up each time a started job is claimed again: attempts are one more.
    await onLost({ cellRunId: job.data.cellRunId, attempts: (job.sourceRetryCount ?? CELL_RETRIES) + 1, failure: failureText(job.sourceOutput) });
  });
}

/** pg-boss stores a failure as the thrown error (`{message, stack}`) or its own `{value: {message}}`. */
function failureText(output: object | null): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null;
  const message = o?.message ?? o?.value?.message;
  return typeof message === 'string' ? message : '';
}

/**
 * Has every worker of the queue fetch again as soon as it is free, rather than after its poll
 * delay. A NOTIFY wakes a worker only if it arrives after that worker's last fetch began: when
 * a burst of jobs lands (fifty users editing at once) the notifications are spent while the
 * workers are busy, and each then slept 2 s between jobs with the queue full (edit → result
 * p99 10 s). A job just finished says there may be more; a fetch that finds none costs one query.
 */
export function lookAgain(boss: PgBoss, queue: string): void {
  for (const worker of boss.getWipData()) if (worker.name === queue) boss.notifyWorker(worker.id);
}
