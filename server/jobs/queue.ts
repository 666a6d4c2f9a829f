import { sql } from 'drizzle-orm';
import { fromDrizzle, PgBoss } from 'pg-boss';
import type { Tx } from '../db/client.ts';
import type { Config } from '../config.ts';
import { log } from '../log.ts';

export const HEAVY_QUEUE = 'assay-cells-heavy';
export const LIGHT_QUEUE = 'assay-cells-light';

export interface CellJob {
  cellRunId: string;
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
    schema: 'pgboss',
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
}

/**
 * Has every worker of the queue fetch again as soon as it is free, rather than after its poll
 * delay. A NOTIFY wakes a worker only if it arrives after that worker's last fetch began: when
 * a burst of jobs lands (fifty users editing at once) the notifications are spent while the
 * workers are busy, and each then slept 2 s between jobs with the queue full (edit → result
 * p99 10 s). A job just finished says there may be more; a fetch that finds none costs one query.
 */
function lookAgain(boss: PgBoss, queue: string): void {
  for (const worker of boss.getWipData()) if (worker.name === queue) boss.notifyWorker(worker.id);
}
