import { sql, type SQL } from 'drizzle-orm';
import { EVENTS_LOCK } from '../events/emit.ts';
import { EVENTS_CHANNEL, type AssayEvent } from '../events/types.ts';
import type { Services } from '../services.ts';

export type Outcome = { status: 'done'; result: unknown; tablePath?: string } | { status: 'error'; error: unknown };

/**
 * Records a cell run's outcome and its event, unless a newer edit cancelled the run
 * meanwhile; true when it was recorded.
 */
export function settle(services: Services, workspaceId: string, cellRunId: string, outcome: Outcome): Promise<boolean> {
  const done = outcome.status === 'done';
  const payload = JSON.stringify(done ? outcome.result : outcome.error);
  return changeWithEvent(services, workspaceId, cellRunId, ['running'], done
    ? {
      set: sql`status = 'done', finished_at = now(), progress = 1, result = ${payload}::jsonb, table_path = ${outcome.tablePath ?? null}`,
      type: 'cell.result',
      data: sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'status', 'done', 'result', ${payload}::jsonb)`,
    }
    : {
      set: sql`status = 'error', finished_at = now(), error = ${payload}::jsonb`,
      type: 'cell.error',
      data: sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'error', ${payload}::jsonb)`,
    });
}

/**
 * Records that a cell run's job was given up on (its worker died on every attempt), as an
 * error; true when it was. The run is `running`, or still `queued` when the worker died between
 * pg-boss's claim and its own; one a newer edit cancelled meanwhile is left alone.
 */
export function settleLost(services: Services, workspaceId: string, cellRunId: string, error: unknown): Promise<boolean> {
  const payload = JSON.stringify(error);
  return changeWithEvent(services, workspaceId, cellRunId, ['running', 'queued'], {
    set: sql`status = 'error', finished_at = now(), error = ${payload}::jsonb`,
    type: 'cell.error',
    data: sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'error', ${payload}::jsonb)`,
  });
}

/** Marks a queued cell run `stale` because an input failed, with the reason; true when it was. */
export function markStale(services: Services, workspaceId: string, cellRunId: string, reason: unknown): Promise<boolean> {
  const payload = JSON.stringify(reason);
  return changeWithEvent(services, workspaceId, cellRunId, ['queued'], {
    set: sql`status = 'stale', finished_at = now(), error = ${payload}::jsonb`,
    type: 'cell.status',
    data: sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'status', 'stale', 'progress', 0, 'reason', ${payload}::jsonb)`,
  });
}

/**
 * Changes a cell run that is still in one of the statuses `from`, and stores and announces the event that
 * says so, in one statement: no client ever waits for a change that was stored but never
 * sent. The events lock is taken before the row's, the order the planner takes them in.
 */
async function changeWithEvent(
  services: Services, workspaceId: string, cellRunId: string, from: Array<'running' | 'queued'>,
  change: { set: SQL; type: AssayEvent['type']; data: SQL },
): Promise<boolean> {
  const rows = await services.db.execute(sql`
    with l as (select pg_advisory_xact_lock(${EVENTS_LOCK}, hashtext(${workspaceId}))),
    s as (
      update cell_runs set ${change.set}
      where id = ${cellRunId} and status in (${sql.join(from.map((f) => sql`${f}`), sql`, `)}) and (select true from l)
      returning workspace_id, cell_id, run_id
    ),
    e as (
      insert into events (workspace_id, type, data)
      select workspace_id, ${change.type}, ${change.data} from s
      returning id, workspace_id
    )
    select id, pg_notify(${EVENTS_CHANNEL}, json_build_object('id', id, 'w', workspace_id)::text) from e`);
  return rows.length > 0;
}
