import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { workspaces } from '../db/schema.ts';
import { afterPlan, lockWorkspace, planInTransaction, type PlanOptions } from '../engine/plan.ts';
import { emit } from '../events/emit.ts';
import { ApiError } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { presentWorkspace } from './present.ts';

export interface ChangeOptions extends PlanOptions {
  /** The workspace version the change was made on, when the caller sent one. */
  version?: unknown;
}

class VersionConflict extends Error {}

/** A change: made in the transaction, bumping the version (with the reason pages are told). */
type Apply<T> = (tx: Tx, bump: (reason: string, cellId?: string) => Promise<number>) => Promise<T>;

type Executor = Pick<Db, 'update' | 'execute'>;

/** Every change bumps the version and tells open pages, so they refetch instead of drifting. */
async function bumpVersion(db: Executor, workspaceId: string, reason: string, cellId?: string): Promise<number> {
  const [row] = await db.update(workspaces).set({ version: sql`${workspaces.version} + 1`, updatedAt: new Date() })
    .where(eq(workspaces.id, workspaceId)).returning({ version: workspaces.version });
  await emit(db, workspaceId, { type: 'workspace.changed', data: { version: row!.version, reason, ...(cellId ? { cellId } : {}) } });
  return row!.version;
}

/**
 * The one way in for a change to a workspace, and for bringing its results up to date:
 * callers hand the change (`apply`) here and never lock, plan or send jobs themselves.
 *
 * Every change to a workspace, in one transaction: the workspace row is locked, the version
 * the change was made on is checked against the current one under that lock (so two changes
 * made on the same version cannot both pass), the change is applied (it bumps the version),
 * and the workspace is planned again, its ready jobs sent with the same commit (one
 * transaction where there were two, each with its own lock and commit, on the path of every
 * edit). A change made on an older version is refused with 409 and the current workspace,
 * never merged silently.
 */
export function changeWorkspace(services: Services, workspaceId: string, opts: ChangeOptions): Promise<{ value: undefined; runId: string | null; version: number }>;
export function changeWorkspace<T>(services: Services, workspaceId: string, opts: ChangeOptions, apply: Apply<T>): Promise<{ value: T; runId: string | null; version: number }>;
export async function changeWorkspace<T>(
  services: Services, workspaceId: string, opts: ChangeOptions, apply?: Apply<T>,
): Promise<{ value: T | undefined; runId: string | null; version: number }> {
  if (opts.version !== undefined && opts.version !== null && typeof opts.version !== 'number') {
    throw new ApiError(400, 'bad_request', '"version" must be the workspace version the change was made on', { field: 'version' });
  }
  let outcome: { value: T | undefined; planned: Awaited<ReturnType<typeof planInTransaction>>; version: number };
  try {
    outcome = await services.db.transaction(async (tx) => {
      let version = await lockWorkspace(tx, workspaceId);
      if (version === undefined) throw new ApiError(404, 'not_found', 'workspace not found');
      if (typeof opts.version === 'number' && version !== opts.version) throw new VersionConflict();
      // No change (a "run stale", the demo's first run): the plan alone.
      const value = apply ? await apply(tx, async (reason, cellId) => (version = await bumpVersion(tx, workspaceId, reason, cellId))) : undefined;
      return { value, planned: await planInTransaction(tx, services, workspaceId, opts), version };
    });
  } catch (err) {
    if (!(err instanceof VersionConflict)) throw err;
    const [ws] = await services.db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    const current = ws ? await presentWorkspace(services.db, ws) : null;
    throw new ApiError(409, 'conflict', `the workspace changed (now version ${current?.version}, the change was made on ${String(opts.version)}); reload and retry`, {
      current,
    });
  }
  await afterPlan(services, workspaceId, outcome.planned);
  return { value: outcome.value, runId: outcome.planned.runId, version: outcome.version };
}
