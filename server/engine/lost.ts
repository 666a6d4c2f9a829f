import { eq } from 'drizzle-orm';
import { cellRuns } from '../db/schema.ts';
import type { LostJob } from '../jobs/queue.ts';
import { log } from '../log.ts';
import { metrics } from '../metrics/metrics.ts';
import type { Services } from '../services.ts';
import { advance } from './advance.ts';
import { settleLost } from './settle.ts';

/**
 * Settles a cell run whose job pg-boss gave up on (see LOST_QUEUE): its worker died, or was
 * stopped, on every attempt, so no code of ours recorded an outcome. The run becomes an error
 * saying so, the cells waiting on it become stale, and "Run stale" plans it again. Without this
 * the run stayed `running` for good, and the planner saw nothing to do.
 */
export async function settleLostJob(services: Services, job: LostJob): Promise<void> {
  const [cr] = await services.db.select({ workspaceId: cellRuns.workspaceId, kind: cellRuns.kind, status: cellRuns.status })
    .from(cellRuns).where(eq(cellRuns.id, job.cellRunId));
  if (!cr) return; // its workspace was deleted meanwhile
  const error = {
    code: 'worker_lost',
    message: `the worker running this cell died on each of ${job.attempts} attempts (${lastFailure(job.failure)}); "Run stale" runs it again`,
    attempts: job.attempts,
  };
  const settled = await settleLost(services, cr.workspaceId, job.cellRunId, error);
  // pg-boss's own text goes to the log, not to the page: a thrown error's may hold internals.
  log.warn('cell job lost', { cellRunId: job.cellRunId, kind: cr.kind, attempts: job.attempts, failure: job.failure, settled, status: cr.status });
  if (settled) metrics.jobs.inc({ kind: cr.kind, outcome: 'lost' });
  await advance(services, cr.workspaceId);
}

/** What became of the last attempt, in words a user can act on. */
function lastFailure(failure: string): string {
  if (failure === 'job heartbeat timeout') return 'the last one stopped answering: killed, or out of memory';
  if (failure === 'job timed out') return 'the last one ran past the job time limit';
  return 'the last one was stopped or lost its database';
}
