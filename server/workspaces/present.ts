import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cellRuns, cells, files, runs, workspaces } from '../db/schema.ts';
import { awaiting, parseCell } from '../notebook/analyse.ts';
import { summaryLine } from '../notebook/summary-line.ts';
import { lastEventId } from '../events/emit.ts';

type CellRecord = typeof cells.$inferSelect;

/**
 * A cell as the API shows it (contract: id, name, kind, config, position). `inputs` are the
 * names of the cells its config reads (empty while it does not parse): what a page needs to
 * offer, on a rename, to update the cells that read it.
 */
export function presentCell(cell: CellRecord, file?: { name: string; size: number; sha256: string } | null) {
  const parsed = parseCell(cell);
  return {
    id: cell.id,
    name: cell.name,
    kind: cell.kind,
    config: cell.config,
    position: cell.position,
    inputs: parsed.inputs,
    file: file ?? null,
    /** What the cell waits for before it can run: `file`, `config` (still the kind's starter), or null. */
    awaiting: awaiting({ config: cell.config, fileSha256: cell.fileId }, parsed),
    updatedAt: cell.updatedAt,
  };
}

/**
 * The latest run state of each cell (contract: `{status, runId, fingerprint, result, error}`):
 * the notebook's own, never a viewer's personal run (their values are theirs alone).
 */
export async function latestStates(db: Db, cellIds: string[]) {
  if (cellIds.length === 0) return new Map();
  const rows = await db.selectDistinctOn([cellRuns.cellId], {
    cellId: cellRuns.cellId,
    status: cellRuns.status,
    runId: cellRuns.runId,
    fingerprint: cellRuns.fingerprint,
    progress: cellRuns.progress,
    result: cellRuns.result,
    error: cellRuns.error,
    startedAt: cellRuns.startedAt,
    finishedAt: cellRuns.finishedAt,
  }).from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
    .where(and(inArray(cellRuns.cellId, cellIds), isNull(runs.personalFor))).orderBy(cellRuns.cellId, desc(cellRuns.createdAt));
  return new Map(rows.map(({ cellId, ...state }) => [cellId, state]));
}

/** A latest state with its kind's one-line summary of a result (for clients that do not know the kind). */
function withSummary<S extends { status: string; result: unknown }>(kind: string, state: S | undefined): (S & { summary?: string }) | null {
  if (!state) return null;
  const summary = state.status === 'done' ? summaryLine(kind, state.result) : undefined;
  return summary === undefined ? state : { ...state, summary };
}

/** A workspace with its cells in order, each with its file and latest state. */
export async function presentWorkspace(db: Db, ws: typeof workspaces.$inferSelect) {
  // Read before the state: a client that streams events after this id misses nothing in between.
  const last = await lastEventId(db, ws.id);
  const rows = await db.select({ cell: cells, file: { name: files.name, size: files.size, sha256: files.sha256 } })
    .from(cells)
    .leftJoin(files, eq(files.id, cells.fileId))
    .where(eq(cells.workspaceId, ws.id))
    .orderBy(asc(cells.position), asc(cells.createdAt));
  const states = await latestStates(db, rows.map((r) => r.cell.id));
  return {
    id: ws.id,
    title: ws.title,
    version: ws.version,
    lastEventId: last,
    createdAt: ws.createdAt,
    updatedAt: ws.updatedAt,
    cells: rows.map((r) => ({ ...presentCell(r.cell, r.file), latest: withSummary(r.cell.kind, states.get(r.cell.id)) })),
  };
}
