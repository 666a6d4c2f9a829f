// The presentation view's API: the notebook as it reads, and a viewer's own input values, which
// run as a run of their own (server/runs/personal.ts): nothing of the notebook changes, so view
// access is enough.
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { runs } from '../db/schema.ts';
import { bodyOf } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { startPersonalRun } from '../runs/personal.ts';
import { paramsField } from '../runs/with-params.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { presentation } from './data.ts';

export const personalValuesBody = z.object({ params: paramsField });

export const presentationRoutes = new Hono<AppEnv>()
  .get('/workspaces/:id/presentation', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'view');
    return c.json(await presentation(c.var.services.db, workspace, user, role));
  })
  // The caller's values for the input cells, all of them (a value left out is the saved one).
  .post('/workspaces/:id/presentation/values', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'view');
    const { params } = await bodyOf(c, personalValuesBody);
    const runId = await startPersonalRun(c.var.services, workspace.id, user.id, params);
    return c.json({ runId }, 202);
  })
  // Back to the saved values: the caller's own runs of the workspace go (a job still working on
  // one finds its row gone and stops); nobody else's, and nothing of the notebook.
  .delete('/workspaces/:id/presentation/values', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'view');
    const gone = await c.var.services.db.delete(runs).where(and(eq(runs.workspaceId, workspace.id), eq(runs.personalFor, user.id))).returning({ id: runs.id });
    return c.json({ ok: true, runs: gone.length });
  });
