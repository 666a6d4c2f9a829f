import { sql, type SQL } from 'drizzle-orm';
import type { CellErrorData } from '../../cells/wire.ts';
import { storeEvents } from '../events/emit.ts';
import type { AssayEvent } from '../events/types.ts';
import type { Services } from '../services.ts';

export type Outcome = { status: 'done'; result: unknown; tablePath?: string; summary?: string } | { status: 'error'; error: unknown };

/** A cell run as its callers hold it (the worker's claimed row, advance()'s queued one): its event needs its cell and run. */
export type CellRunRef = { id: string; workspaceId: string; cellId: string; runId: string };

/**
 * Records a cell run's outcome and its event, unless a newer edit cancelled the run
 * meanwhile; true when it was recorded.
 */
export function settle(services: Services, run: CellRunRef, outcome: Outcome): Promise<boolean> {
  const done = outcome.status === 'done';
  const payload = JSON.stringify(done ? outcome.result : outcome.error);
  return changeWithEvent(services, run, ['running'], done
    ? {
      set: sql`status = 'done', finished_at = now(), progress = 1, result = ${payload}::jsonb, table_path = ${outcome.tablePath ?? null}`,
      event: ({ cellId, runId }) => ({ type: 'cell.result', data: { cellId, runId, status: 'done', result: outcome.result, ...(outcome.summary === undefined ? {} : { summary: outcome.summary }) } }),
    }
    : {
      set: sql`status = 'error', finished_at = now(), error = ${payload}::jsonb`,
      event: ({ cellId, runId }) => ({ type: 'cell.error', data: { cellId, runId, error: outcome.error as CellErrorData } }),
    });
}

/**
 * Records that a cell run's job was given up on (its worker died on every attempt), as an
 * error; true when it was. The run is `running`, or still `queued` when the worker died between
 * pg-boss's claim and its own; one a newer edit cancelled meanwhile is left alone.
 */
export function settleLost(services: Services, run: CellRunRef, error: CellErrorData): Promise<boolean> {
  return changeWithEvent(services, run, ['running', 'queued'], {
    set: sql`status = 'error', finished_at = now(), error = ${JSON.stringify(error)}::jsonb`,
    event: ({ cellId, runId }) => ({ type: 'cell.error', data: { cellId, runId, error } }),
  });
}

/** Marks a queued cell run `stale` because an input failed, with the reason; true when it was. */
export function markStale(services: Services, run: CellRunRef, reason: CellErrorData): Promise<boolean> {
  return changeWithEvent(services, run, ['queued'], {
    set: sql`status = 'stale', finished_at = now(), error = ${JSON.stringify(reason)}::jsonb`,
    event: ({ cellId, runId }) => ({ type: 'cell.status', data: { cellId, runId, status: 'stale', progress: 0, reason } }),
  });
}

/**
 * Changes a cell run that is still in one of the statuses `from`, and stores and announces the
 * event that says so, in one statement (storeEvents). The events lock is taken before the
 * row's, the order the planner takes them in. The event is built here, in TypeScript.
 */
async function changeWithEvent(
  services: Services, run: CellRunRef, from: Array<'running' | 'queued'>,
  change: { set: SQL; event: (run: CellRunRef) => AssayEvent },
): Promise<boolean> {
  const rows = await services.db.execute(storeEvents(run.workspaceId, [change.event(run)], (lock) => sql`
    update cell_runs set ${change.set}
    where id = ${run.id} and status in (${sql.join(from.map((f) => sql`${f}`), sql`, `)}) and (select true from ${lock})
    returning 1`));
  return rows.length > 0;
}
