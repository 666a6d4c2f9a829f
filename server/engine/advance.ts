import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { kindOf } from '../../cells/registry.ts';
import { log, preciseNow } from '../log.ts';
import { cellRuns } from '../db/schema.ts';
import { emit, EVENTS_LOCK } from '../events/emit.ts';
import { EVENTS_CHANNEL, type AssayEvent } from '../events/types.ts';
import type { Services } from '../services.ts';
import type { InputRef } from './analyse.ts';
import { doneByFingerprint } from './reuse.ts';

/**
 * Moves a workspace's runs forward: every queued cell run whose inputs are all done is
 * handed to pg-boss; one whose input failed becomes `stale` with the reason. Called after
 * a plan that left runs waiting and after every finished job; safe to call from several
 * processes at once, because a cell run is claimed with a conditional update, in the
 * transaction that sends its job.
 *
 * It looks at the whole workspace, not one run: a cell added while its input is still
 * running belongs to a newer run than that input, and must start when the input ends.
 */
export async function advance(services: Services, workspaceId: string): Promise<void> {
  const { db } = services;
  for (let changed = true; changed;) {
    changed = false;
    const waiting = await db.select().from(cellRuns)
      .where(and(eq(cellRuns.workspaceId, workspaceId), eq(cellRuns.status, 'queued'), isNull(cellRuns.jobId)));
    if (waiting.length === 0) return;
    const done = await doneByFingerprint(db, waiting.flatMap((cr) => (cr.inputs as InputRef[]).map((i) => i.fingerprint)));
    for (const cr of waiting) {
      const verdict = await inputsVerdict(services, cr.inputs as InputRef[], done);
      if (verdict.state === 'wait') continue;
      if (verdict.state === 'failed') {
        const [marked] = await db.update(cellRuns)
          .set({ status: 'stale', error: verdict.reason, finishedAt: new Date() })
          .where(and(eq(cellRuns.id, cr.id), eq(cellRuns.status, 'queued')))
          .returning({ id: cellRuns.id });
        if (marked) {
          await emit(db, cr.workspaceId, {
            type: 'cell.status', data: { cellId: cr.cellId, runId: cr.runId, status: 'stale', progress: 0, reason: verdict.reason },
          });
          changed = true;
        }
        continue;
      }
      const sent = await db.transaction(async (tx) => {
        const [claimed] = await tx.update(cellRuns).set({ jobId: cr.id })
          .where(and(eq(cellRuns.id, cr.id), isNull(cellRuns.jobId), eq(cellRuns.status, 'queued')))
          .returning({ id: cellRuns.id });
        if (claimed) await services.jobs.enqueue(cr.id, kindOf(cr.kind)?.heavy ?? true, tx);
        return Boolean(claimed);
      });
      if (sent) log.debug('job sent', { cellRunId: cr.id, at: preciseNow() });
    }
  }
}

type Verdict = { state: 'ready' } | { state: 'wait' } | { state: 'failed'; reason: { code: string; message: string; input: string } };

async function inputsVerdict(services: Services, inputs: InputRef[], done: Map<string, unknown>): Promise<Verdict> {
  for (const input of inputs) {
    if (done.has(input.fingerprint)) continue;
    const [latest] = await services.db.select({ status: cellRuns.status, error: cellRuns.error }).from(cellRuns)
      .where(and(eq(cellRuns.cellId, input.cellId), eq(cellRuns.fingerprint, input.fingerprint)))
      .orderBy(desc(cellRuns.createdAt)).limit(1);
    if (latest && (latest.status === 'queued' || latest.status === 'running')) return { state: 'wait' };
    // Finished since the look above, in the meantime.
    if (latest?.status === 'done') return { state: 'ready' };
    const upstream = (latest?.error as { message?: string } | null)?.message;
    return {
      state: 'failed',
      reason: {
        code: 'upstream_failed',
        message: `input "${input.name}" ${latest?.status === 'cancelled' ? 'was cancelled' : `failed${upstream ? `: ${upstream}` : ''}`}`,
        input: input.name,
      },
    };
  }
  return { state: 'ready' };
}

export type Outcome = { status: 'done'; result: unknown; tablePath?: string } | { status: 'error'; error: unknown };

/**
 * Records a cell run's outcome and its event in one statement, unless a newer edit
 * cancelled the run meanwhile; true when it was recorded. One statement, so a settled run
 * always has its event (no client waits for an outcome that was stored but never sent).
 * The events lock is taken before the row's: the planner takes them in that order too.
 */
export async function settle(services: Services, workspaceId: string, cellRunId: string, outcome: Outcome): Promise<boolean> {
  const done = outcome.status === 'done';
  const payload = JSON.stringify(done ? outcome.result : outcome.error);
  const type: AssayEvent['type'] = done ? 'cell.result' : 'cell.error';
  const rows = await services.db.execute(sql`
    with l as (select pg_advisory_xact_lock(${EVENTS_LOCK}, hashtext(${workspaceId}))),
    s as (
      update cell_runs set
        status = ${outcome.status}, finished_at = now(),
        ${done ? sql`progress = 1, result = ${payload}::jsonb, table_path = ${outcome.tablePath ?? null}` : sql`error = ${payload}::jsonb`}
      where id = ${cellRunId} and status = 'running' and (select true from l)
      returning workspace_id, cell_id, run_id
    ),
    e as (
      insert into events (workspace_id, type, data)
      select workspace_id, ${type}, ${done
        ? sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'status', 'done', 'result', ${payload}::jsonb)`
        : sql`jsonb_build_object('cellId', cell_id, 'runId', run_id, 'error', ${payload}::jsonb)`}
      from s
      returning id, workspace_id
    )
    select id, pg_notify(${EVENTS_CHANNEL}, json_build_object('id', id, 'w', workspace_id)::text) from e`);
  return rows.length > 0;
}
