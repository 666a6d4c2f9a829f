import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import { workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';

export type Access = 'view' | 'edit' | 'owner';

/**
 * The workspace named by `:id`, if the caller may do `need` to it. Someone else's
 * workspace answers 404, like a missing one: ids never reveal what exists.
 */
export async function workspaceFor(c: Context<AppEnv>, _need: Access) {
  const user = requireUser(c);
  const id = idParam(c, 'id', 'workspace');
  const [ws] = await c.var.services.db.select().from(workspaces).where(eq(workspaces.id, id));
  // Until share links exist (issue 9) only the owner has any access.
  if (!ws || ws.ownerId !== user.id) throw notFound('workspace');
  return { workspace: ws, user };
}
