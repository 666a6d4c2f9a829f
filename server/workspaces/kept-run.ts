// A deleted cell's latest finished cell run, kept in its 'cell.deleted' audit line so that an
// undo (restore.ts) puts its result back instead of running it again (issue 23, item 9): the
// delete takes the cell's cell runs with it, and no migration may add a soft delete.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { cellRuns, runs } from '../db/schema.ts';

type CellRunRow = typeof cellRuns.$inferSelect;

/** A result larger than this (as JSON) is not kept in the trail: the restored cell runs again instead. */
const KEEP_RESULT_CHARS = 1_000_000;

/** The cell's newest finished cell run of the notebook's own runs (not a viewer's personal one), if small enough to keep. */
export async function lastFinishedRun(tx: Tx, cellId: string): Promise<CellRunRow | undefined> {
  const [row] = await tx.select().from(cellRuns)
    .where(and(eq(cellRuns.cellId, cellId), inArray(cellRuns.status, ['done', 'error']),
      sql`not exists (select 1 from runs r where r.id = ${cellRuns.runId} and r.personal_for is not null)`))
    .orderBy(desc(cellRuns.createdAt)).limit(1);
  if (!row || JSON.stringify(row.result ?? null).length > KEEP_RESULT_CHARS) return undefined;
  return row;
}

/** Puts a kept cell run back, as it was, when its run is still there. */
export async function putBack(tx: Tx, kept: Record<string, unknown>, fileId: string | null): Promise<void> {
  const [run] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, String(kept.runId)));
  if (!run) return;
  const when = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);
  const row = kept as unknown as CellRunRow;
  await tx.insert(cellRuns).values({
    ...row, fileId, jobId: null,
    createdAt: when(kept.createdAt) ?? new Date(), startedAt: when(kept.startedAt), finishedAt: when(kept.finishedAt),
  });
}

