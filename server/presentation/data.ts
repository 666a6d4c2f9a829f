// What the presentation view (/w/:id/present) shows: the notebook's cells in order with their
// latest results, no configs (a reader gets the story, not the YAML), and, for a viewer who
// gave the inputs values of their own, that viewer's own results in place of the shared ones.
// A personal run (runs.personal_for) is one user's alone: nobody else's presentation, and not
// the notebook, ever shows it.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cellRuns, runs, users, workspaces } from '../db/schema.ts';
import type { Role } from '../workspaces/access.ts';
import { presentWorkspace } from '../workspaces/present.ts';

type Workspace = typeof workspaces.$inferSelect;

/** The user's newest personal run of the workspace (their latest values), or undefined. */
export async function latestPersonalRun(db: Db, workspaceId: string, userId: string) {
  const [run] = await db.select({ id: runs.id, params: runs.params, createdAt: runs.createdAt }).from(runs)
    .where(and(eq(runs.workspaceId, workspaceId), eq(runs.personalFor, userId)))
    .orderBy(desc(runs.createdAt)).limit(1);
  return run;
}

/** Each cell's state in one run, by cell id. */
async function statesOf(db: Db, runId: string) {
  const rows = await db.select({
    cellId: cellRuns.cellId, status: cellRuns.status, runId: cellRuns.runId, result: cellRuns.result, error: cellRuns.error, progress: cellRuns.progress,
  }).from(cellRuns).where(eq(cellRuns.runId, runId));
  return new Map(rows.map(({ cellId, ...state }) => [cellId, state]));
}

export async function presentation(db: Db, ws: Workspace, user: { id: string }, role: Role) {
  const [whole, [owner], personal] = await Promise.all([
    presentWorkspace(db, ws),
    db.select({ email: users.email }).from(users).where(eq(users.id, ws.ownerId)),
    latestPersonalRun(db, ws.id, user.id),
  ]);
  const mine = personal ? await statesOf(db, personal.id) : new Map();
  return {
    id: ws.id,
    title: ws.title,
    version: whole.version,
    lastEventId: whole.lastEventId,
    role,
    canEdit: role !== 'view',
    owner: { email: owner?.email ?? '' },
    /** The caller's own values and the run that computes them; null while they show the notebook's saved values. */
    personal: personal ? { runId: personal.id, values: personal.params, createdAt: personal.createdAt } : null,
    cells: whole.cells.map((cell) => {
      const own = mine.get(cell.id);
      const state = own ?? cell.latest;
      return {
        id: cell.id,
        name: cell.name,
        kind: cell.kind,
        awaiting: cell.awaiting,
        /** Whether this state is the caller's own run's (their values), not the notebook's. */
        personal: Boolean(own),
        status: state?.status ?? null,
        runId: state?.runId ?? null,
        result: state?.result ?? null,
        error: state?.error ?? null,
      };
    }),
  };
}
