import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import { workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';
import type { Access } from '../workspaces/access.ts';
import { runHeader } from './history.ts';

/**
 * The workspace `workspaceId`, if the caller may do `need` to it: workspaceFor's rule for a
 * route whose id is not the workspace's. Today that rule is "the owner only"; issue 9 adds
 * `workspaceAccess(c, workspaceId, need)` to ../workspaces/access.ts with the roles of share
 * links, and this function's body then becomes that one call.
 */
export async function workspaceAccessFor(c: Context<AppEnv>, workspaceId: string, _need: Access) {
  const user = requireUser(c);
  const [ws] = await c.var.services.db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!ws || ws.ownerId !== user.id) throw notFound('workspace');
  return { workspace: ws, user };
}

/** The run named by `:runId`, if the caller may do `need` to its workspace; 404 otherwise, like a missing run. */
export async function runFor(c: Context<AppEnv>, need: Access) {
  const runId = idParam(c, 'runId', 'run');
  const run = await runHeader(c.var.services.db, runId);
  if (!run) throw notFound('run');
  try {
    return { run, ...await workspaceAccessFor(c, run.workspaceId, need) };
  } catch (err) {
    // Someone else's run is as unknown as a missing one.
    if ((err as { status?: number }).status === 404) throw notFound('run');
    throw err;
  }
}
