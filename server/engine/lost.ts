import { eq, sql } from 'drizzle-orm';
import { cellRuns } from '../db/schema.ts';
import { BOSS_SCHEMA, HEAVY_QUEUE, LIGHT_QUEUE, type LostJob } from '../jobs/queue.ts';
import { log } from '../log.ts';
import { metrics } from '../metrics/metrics.ts';
import type { Services } from '../services.ts';
import { advance } from './advance.ts';
import { settleLost } from './settle.ts';
import { deliverFinishedRuns } from '../delivery/dispatch.ts';

/**
 * Settles a cell run whose job pg-boss gave up on (see LOST_QUEUE): its worker died, or was
 * stopped, on every attempt, so no code of ours recorded an outcome. The run becomes an error
 * saying so, the cells waiting on it become stale, and "Run stale" plans it again. Without this
 * the run stayed `running` for good, and the planner saw nothing to do.
 */
export async function settleLostJob(services: Services, job: LostJob | { cellRunId: string; attempts?: undefined; failure: string }): Promise<void> {
  const [cr] = await services.db.select({ id: cellRuns.id, workspaceId: cellRuns.workspaceId, cellId: cellRuns.cellId, runId: cellRuns.runId, kind: cellRuns.kind, status: cellRuns.status })
    .from(cellRuns).where(eq(cellRuns.id, job.cellRunId));
  if (!cr) return; // its workspace was deleted meanwhile
  const error = job.attempts === undefined
    ? { code: 'worker_lost', message: 'the worker running this cell was lost, and its job with it; "Run stale" runs it again' }
    : {
      code: 'worker_lost',
      message: `the worker running this cell died ${job.attempts === 1 ? 'on its only attempt' : `on each of ${job.attempts} attempts`} (${lastFailure(job.failure)}); "Run stale" runs it again`,
      attempts: job.attempts,
    };
  const settled = await settleLost(services, cr, error);
  // pg-boss's own text goes to the log, not to the page: a thrown error's may hold internals.
  log.warn('cell job lost', { cellRunId: job.cellRunId, kind: cr.kind, attempts: job.attempts, failure: job.failure, settled, status: cr.status });
  if (settled) metrics.jobs.inc({ kind: cr.kind, outcome: 'lost' });
  await advance(services, cr.workspaceId);
  await deliverFinishedRuns(services, cr.workspaceId);
}

/** What became of the last attempt, in words a user can act on. */
function lastFailure(failure: string): string {
  if (failure === 'job heartbeat timeout') return 'the last one stopped answering: killed, or out of memory';
  if (failure === 'job timed out') return 'the last one ran past the job time limit';
  return 'the last one was stopped or lost its database';
}

/**
 * The backstop, run once when a worker starts: cell runs still `queued` or `running` whose
 * pg-boss job is over (failed, completed, cancelled) or gone. A job sent before its queue had
 * a dead letter queue (by an older version) fails without a copy, and its run stayed running
 * for good; so does one whose failed job was deleted since. Its count of settled runs.
 */
export async function settleOrphanedRuns(services: Services): Promise<number> {
  const rows = await services.db.execute<{ id: string; retry_count: number | null; state: string | null; output: unknown }>(sql`
    select cr.id, j.retry_count, j.state::text as state, j.output
    from cell_runs cr
    left join ${sql.identifier(BOSS_SCHEMA)}.job j on j.id = cr.id and j.name in (${HEAVY_QUEUE}, ${LIGHT_QUEUE})
    where cr.status in ('queued', 'running') and cr.job_id is not null
      and (j.id is null or j.state in ('completed', 'cancelled', 'failed'))`);
  for (const row of rows) {
    const failure = (row.output as { value?: { message?: string }; message?: string } | null);
    await settleLostJob(services, row.state === 'failed' && row.retry_count !== null
      ? { cellRunId: row.id, attempts: row.retry_count + 1, failure: failure?.message ?? failure?.value?.message ?? '' }
      : { cellRunId: row.id, failure: row.state ?? 'gone' });
  }
  return rows.length;
}
