import { and, desc, eq, isNull } from 'drizzle-orm';
import { cellRuns } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { InputRef } from '../notebook/analyse.ts';
import { doneByFingerprint } from './reuse.ts';
import { logSent, sendJobs } from './send.ts';
import { markStale } from './settle.ts';

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
    const done = await doneByFingerprint(db, workspaceId, waiting.flatMap((cr) => (cr.inputs as InputRef[]).map((i) => i.fingerprint)));
    for (const cr of waiting) {
      const verdict = await inputsVerdict(services, cr.inputs as InputRef[], done);
      if (verdict.state === 'wait') continue;
      if (verdict.state === 'failed') {
        if (await markStale(services, cr, verdict.reason)) changed = true;
        continue;
      }
      const sent = await db.transaction(async (tx) => {
        const [claimed] = await tx.update(cellRuns).set({ jobId: cr.id })
          .where(and(eq(cellRuns.id, cr.id), isNull(cellRuns.jobId), eq(cellRuns.status, 'queued')))
          .returning({ id: cellRuns.id });
        if (claimed) await sendJobs(services, tx, [{ cellRunId: cr.id, kind: cr.kind }]);
        return Boolean(claimed);
      });
      if (sent) logSent([cr.id]);
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
