// What the presentation view (/w/:id/present) shows: the notebook's cells in order with their
// latest results, no configs (a reader gets the story, not the YAML), and, for a viewer who
// gave the inputs values of their own, that viewer's own results in place of the notebook's.
// A personal run (runs.personal_for, server/runs/personal.ts) is one user's alone: nobody
// else's presentation, and not the notebook, ever shows it.
import { eq } from 'drizzle-orm';
import { kindOf } from '../../cells/registry.ts';
import type { Db } from '../db/client.ts';
import { cellRuns, users, workspaces } from '../db/schema.ts';
import { latestPersonalRun } from '../runs/personal.ts';
import type { Role } from '../workspaces/access.ts';
import { presentWorkspace } from '../workspaces/present.ts';

type Workspace = typeof workspaces.$inferSelect;
interface State { status: string; runId: string; fingerprint: string; result: unknown; error: unknown; startedAt: Date | null }

/** Each cell's state in one run, by cell id. */
async function statesOf(db: Db, runId: string): Promise<Map<string, State>> {
  const rows = await db.select({
    cellId: cellRuns.cellId, status: cellRuns.status, runId: cellRuns.runId, fingerprint: cellRuns.fingerprint,
    result: cellRuns.result, error: cellRuns.error, startedAt: cellRuns.startedAt,
  }).from(cellRuns).where(eq(cellRuns.runId, runId));
  return new Map(rows.map(({ cellId, ...state }) => [cellId, state]));
}

/**
 * Whether a cell shows the viewer's own state: it differs from the notebook's (their values
 * reach it) and the notebook has not run the cell since (an edit of the owner's after their run
 * shows, until they change a value again).
 */
function ownShown(own: State | undefined, shared: State | null | undefined, personalAt: Date): own is State {
  if (!own) return false;
  if (!shared) return true;
  if (own.fingerprint === shared.fingerprint) return false;
  return shared.startedAt !== null && shared.startedAt <= personalAt;
}

/** A parameter's saved value: its input cell's result `.value` (cells/shared/params.ts reads it the same way). */
const valueOf = (result: unknown) => (result && typeof result === 'object' ? (result as { value?: unknown }).value ?? null : null);

export async function presentation(db: Db, ws: Workspace, user: { id: string }, role: Role) {
  const [whole, [owner], personal] = await Promise.all([
    presentWorkspace(db, ws),
    db.select({ email: users.email }).from(users).where(eq(users.id, ws.ownerId)),
    latestPersonalRun(db, ws.id, user.id),
  ]);
  const mine = personal ? await statesOf(db, personal.id) : new Map<string, State>();
  const values = (personal?.params ?? {}) as Record<string, unknown>;
  return {
    id: ws.id,
    title: ws.title,
    version: whole.version,
    lastEventId: whole.lastEventId,
    role,
    canEdit: role !== 'view',
    owner: { email: owner?.email ?? '' },
    /** The names of the notebook's input cells: values a reader may try for themselves. */
    parameters: whole.cells.filter((c) => kindOf(c.kind)?.parameter).map((c) => c.name),
    /**
     * The caller's own values, the notebook's saved values of the same inputs, and the run that
     * computes theirs; null while they see the notebook's saved values.
     */
    personal: personal ? {
      runId: personal.id,
      values,
      saved: Object.fromEntries(whole.cells.filter((c) => Object.hasOwn(values, c.name)).map((c) => [c.name, valueOf(c.latest?.result)])),
      createdAt: personal.createdAt,
    } : null,
    cells: whole.cells.map((cell) => {
      const own = mine.get(cell.id);
      const yours = personal !== undefined && ownShown(own, cell.latest as State | null, personal.createdAt);
      const state = yours ? own : cell.latest;
      return {
        id: cell.id,
        name: cell.name,
        kind: cell.kind,
        awaiting: cell.awaiting,
        /** This state is the caller's own run's (their values reach the cell), not the notebook's. */
        personal: yours,
        status: state?.status ?? null,
        runId: state?.runId ?? null,
        result: state?.result ?? null,
        error: state?.error ?? null,
      };
    }),
  };
}
