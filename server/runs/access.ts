import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';
import { workspaceAccess, type Access } from '../workspaces/access.ts';
import { runHeader } from './history.ts';

/** The run named by `:runId`, if the caller may do `need` to its workspace; 404 otherwise, like a missing run. */
export async function runFor(c: Context<AppEnv>, need: Access) {
  const runId = idParam(c, 'runId', 'run');
  const run = await runHeader(c.var.services.db, runId);
  if (!run) throw notFound('run');
  try {
    const access = await workspaceAccess(c, run.workspaceId, need);
    // A viewer's own run (their values, runs/personal.ts) is theirs alone: to anyone else it is unknown.
    if (run.personalFor && run.personalFor !== access.user.id) throw notFound('run');
    return { run, ...access };
  } catch (err) {
    // Someone else's run is as unknown as a missing one.
    if ((err as { status?: number }).status === 404) throw notFound('run');
    throw err;
  }
}
