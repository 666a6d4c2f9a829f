// A file that fails in its upload cell's run (ragged rows far down, a bad value past the sample,
// a drifted schema: anything refuse.ts cannot see on arrival) is handed back too (issue 23,
// item 8): the cell goes back to the file it held before, with that file's result, and what read
// it gets its results back, reused, not run again. The failed run stays in the history as it
// happened (the cell's error, its readers stale), and the cell says which file was not used and
// why until it runs again. Its readers' staleness is recorded without news: pages see them go
// from queued straight back to their results, never stale.
import { and, desc, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { CellErrorData } from '../../cells/wire.ts';
import { cellRuns, cells, files, runs } from '../db/schema.ts';
import type { Tx } from '../db/client.ts';
import type { InputRef } from '../notebook/analyse.ts';
import type { Services } from '../services.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { refusal } from './refuse.ts';

/** The failed cell run as the worker holds it. */
interface FailedRun { id: string; workspaceId: string; cellId: string; runId: string; fileId: string | null }

/** The cell moved on while its file failed (a newer file, an edit) or never had a good file: nothing to give back. */
class NothingToKeep extends Error {}

/**
 * After `failed` (an upload cell's run on a new file) ended in `error`: gives the cell back the
 * newest file it had a result with, and plans the notebook on it (a `restore` run, which reuses
 * the results that file had); true when it did. Changes nothing when the cell had no earlier
 * good file (a first upload errors as before), or moved on meanwhile.
 */
export async function keepPreviousFile(services: Services, failed: FailedRun, error: CellErrorData): Promise<boolean> {
  if (!failed.fileId) return false;
  const badFileId = failed.fileId;
  // Filled in the change, read by its plan: the cell's restored result carries why.
  const notes = new Map<string, CellErrorData>();
  try {
    await changeWorkspace(services, failed.workspaceId, { trigger: 'restore', notes }, async (tx, bump) => {
      // Under the workspace's lock: the failed run is still the cell's latest, on the cell's current file.
      const [cell] = await tx.select({ name: cells.name, fileId: cells.fileId }).from(cells).where(eq(cells.id, failed.cellId));
      if (!cell || cell.fileId !== badFileId) throw new NothingToKeep();
      const [latest] = await tx.select({ id: cellRuns.id }).from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
        .where(and(eq(cellRuns.cellId, failed.cellId), isNull(runs.personalFor))).orderBy(desc(cellRuns.createdAt)).limit(1);
      if (latest?.id !== failed.id) throw new NothingToKeep();
      // The newest file this cell had a result with, other than the one that failed.
      const [previous] = await tx.select({ fileId: files.id, name: files.name }).from(cellRuns)
        .innerJoin(runs, eq(runs.id, cellRuns.runId)).innerJoin(files, eq(files.id, cellRuns.fileId))
        .where(and(
          eq(cellRuns.cellId, failed.cellId), eq(cellRuns.status, 'done'), ne(cellRuns.fileId, badFileId),
          // Compared in SQL: a JavaScript Date would round the failed run's time to milliseconds.
          lt(cellRuns.createdAt, sql`(select created_at from cell_runs where id = ${failed.id})`), isNull(runs.personalFor),
        ))
        .orderBy(desc(cellRuns.createdAt)).limit(1);
      if (!previous) throw new NothingToKeep();
      const [bad] = await tx.select({ name: files.name }).from(files).where(eq(files.id, badFileId));
      const name = bad?.name ?? 'the new file';
      notes.set(failed.cellId, {
        code: 'file_refused',
        message: refusal(name, error.message, cell.name, previous.name),
        reason: error.code,
        file: name,
        ...(typeof error.fileLine === 'number' ? { fileLine: error.fileLine } : {}),
      });
      await staleInRecord(tx, failed, { code: 'upstream_failed', message: `input "${cell.name}" failed: ${error.message}`, input: cell.name });
      await tx.update(cells).set({ fileId: previous.fileId, updatedAt: new Date() }).where(eq(cells.id, failed.cellId));
      await bump('cell.file', failed.cellId);
    });
  } catch (err) {
    if (err instanceof NothingToKeep) return false;
    throw err;
  }
  return true;
}

/**
 * The failed run's cell runs that waited for the failed cell, directly or through one another,
 * recorded `stale` with why, as advance() would, but with no event: the restore that follows in
 * the same transaction gives pages their results back, and a flash of "stale" would be news of
 * nothing. A cell run waiting only for another input (a rerun's other file, still running) is left.
 */
async function staleInRecord(tx: Tx, failed: FailedRun, reason: CellErrorData): Promise<void> {
  const waiting = await tx.select({ id: cellRuns.id, cellId: cellRuns.cellId, inputs: cellRuns.inputs }).from(cellRuns)
    .where(and(eq(cellRuns.runId, failed.runId), eq(cellRuns.status, 'queued'), isNull(cellRuns.jobId)));
  const failing = new Set([failed.cellId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const w of waiting) {
      if (!failing.has(w.cellId) && (w.inputs as InputRef[]).some((i) => failing.has(i.cellId))) {
        failing.add(w.cellId);
        grew = true;
      }
    }
  }
  const ids = waiting.filter((w) => failing.has(w.cellId)).map((w) => w.id);
  if (ids.length) {
    await tx.update(cellRuns).set({ status: 'stale', finishedAt: new Date(), error: reason })
      .where(and(inArray(cellRuns.id, ids), eq(cellRuns.status, 'queued')));
  }
}
