import { HEAVY_QUEUE, LIGHT_QUEUE } from '../jobs/queue.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';

// A check that does not answer within this is a failed one: a health probe must not hang.
const CHECK_MS = 2000;

type CheckResult = { ok: true } | { ok: false; message: string };

async function bounded(what: string, run: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_MS} ms`)), CHECK_MS); }),
    ]);
    return { ok: true };
  } catch (err) {
    // The driver's own message (addresses, ports) goes to the log: these answer anyone who asks.
    log.warn('health check failed', { what, err: (err as Error).message });
    return { ok: false, message: what };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether PostgreSQL answers a query from this process's pool. */
export const databaseCheck = (services: Services) => bounded('the database does not answer', () => services.sql`select 1`);

/** Whether pg-boss's tables answer (the queue is in the same PostgreSQL, under its own schema). */
export const queueCheck = (services: Services) =>
  bounded('the job queue does not answer', () => services.jobs.boss.getQueueStats(HEAVY_QUEUE));

/** Jobs waiting and running per queue, cluster-wide (pg-boss's own counts). */
export async function queueDepths(services: Services): Promise<Array<{ queue: string; queued: number; active: number; deferred: number }>> {
  const out = [];
  for (const queue of [HEAVY_QUEUE, LIGHT_QUEUE]) {
    const [stats] = await services.jobs.boss.getQueueStats(queue);
    if (stats) out.push({ queue, queued: stats.queuedCount, active: stats.activeCount, deferred: stats.deferredCount });
  }
  return out;
}
