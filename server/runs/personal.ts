// A viewer's own run (the presentation view, issue 22): the notebook run with their values for
// its input cells, recorded as theirs (runs.personal_for). Its results are theirs alone: they
// never become the notebook's latest (plan.ts' latestRuns, present.ts' latestStates, run
// history leave personal runs out), the workspace's event stream sends its events only to
// them (events/routes.ts), and a newer personal run of theirs supersedes only their own older
// one. Results with the same fingerprint (a value the notebook already ran with) are reused
// at once, as in every plan. A viewer needs only view access: nothing of the notebook changes.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { runs } from '../db/schema.ts';
import type { RunParams } from '../notebook/params.ts';
import type { Services } from '../services.ts';
import { runWithParams } from './with-params.ts';

/**
 * Starts `viewerId`'s own run of the workspace with `params` (values by input cell name);
 * answers its run id. Throws ApiError 400 (`bad_param`, naming it) for a name that is no input
 * cell or a value that does not fit. The caller has checked the viewer may view the workspace.
 */
export function startPersonalRun(services: Services, workspaceId: string, viewerId: string, params: RunParams): Promise<string> {
  return runWithParams(services, workspaceId, params, { trigger: 'personal', userId: viewerId, personalFor: viewerId });
}

/** Who a run belongs to when it is someone's own (personal_for), else null; undefined when there is no such run. */
export async function personalOwner(db: Pick<Db, 'select'>, runId: string): Promise<string | null | undefined> {
  const [row] = await db.select({ personalFor: runs.personalFor }).from(runs).where(eq(runs.id, runId));
  return row ? row.personalFor : undefined;
}

/** The viewer's newest own run of the workspace with the values it was given, or undefined. */
export async function latestPersonalRun(db: Pick<Db, 'select'>, workspaceId: string, viewerId: string) {
  const [row] = await db.select({ id: runs.id, params: runs.params, createdAt: runs.createdAt }).from(runs)
    .where(and(eq(runs.workspaceId, workspaceId), eq(runs.personalFor, viewerId)))
    .orderBy(desc(runs.createdAt)).limit(1);
  return row;
}
