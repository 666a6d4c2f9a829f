import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { kindOf } from '../../cells/registry.ts';
import { log, preciseNow } from '../log.ts';
import { cellRuns } from '../db/schema.ts';
import { emit } from '../events/emit.ts';
import type { Services } from '../services.ts';
import type { InputRef } from './analyse.ts';
import { findDone } from './reuse.ts';

/**
 * Moves a workspace's runs forward: every queued cell run whose inputs are all done is
 * handed to pg-boss; one whose input failed becomes `stale` with the reason. Called after
 * planning and after every finished job; safe to call from several processes at once,
 * because a cell run is claimed with a conditional update before its job is sent.
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
    for (const cr of waiting) {
      const verdict = await inputsVerdict(services, cr.inputs as InputRef[]);
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
      const [claimed] = await db.update(cellRuns).set({ jobId: cr.id })
        .where(and(eq(cellRuns.id, cr.id), isNull(cellRuns.jobId), eq(cellRuns.status, 'queued')))
        .returning({ id: cellRuns.id });
      if (!claimed) continue;
      await services.jobs.enqueue(cr.id, kindOf(cr.kind)?.heavy ?? true);
      log.debug('job sent', { cellRunId: cr.id, at: preciseNow() });
    }
  }
}

type Verdict = { state: 'ready' } | { state: 'wait' } | { state: 'failed'; reason: { code: string; message: string; input: string } };

async function inputsVerdict(services: Services, inputs: InputRef[]): Promise<Verdict> {
  for (const input of inputs) {
    if (await findDone(services.db, input.fingerprint, { withResult: false })) continue;
    const [latest] = await services.db.select({ status: cellRuns.status, error: cellRuns.error }).from(cellRuns)
      .where(and(eq(cellRuns.cellId, input.cellId), eq(cellRuns.fingerprint, input.fingerprint)))
      .orderBy(desc(cellRuns.createdAt)).limit(1);
    if (latest && (latest.status === 'queued' || latest.status === 'running')) return { state: 'wait' };
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

/** Marks a cell run finished unless a newer edit cancelled it meanwhile; true when it was. */
export async function settle(
  services: Services,
  cellRunId: string,
  outcome: { status: 'done'; result: unknown; tablePath?: string } | { status: 'error'; error: unknown },
): Promise<boolean> {
  const [row] = await services.db.update(cellRuns)
    .set(outcome.status === 'done'
      ? { status: 'done', progress: 1, result: outcome.result, tablePath: outcome.tablePath ?? null, finishedAt: sql`now()` }
      : { status: 'error', error: outcome.error, finishedAt: sql`now()` })
    .where(and(eq(cellRuns.id, cellRunId), eq(cellRuns.status, 'running')))
    .returning({ id: cellRuns.id });
  return Boolean(row);
}
