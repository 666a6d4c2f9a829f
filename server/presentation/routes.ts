import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { presentation } from './data.ts';

export const presentationRoutes = new Hono<AppEnv>()
  // Anyone who may view the workspace may read it as a presentation; its own values are the caller's.
  .get('/workspaces/:id/presentation', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'view');
    return c.json(await presentation(c.var.services.db, workspace, user, role));
  });
