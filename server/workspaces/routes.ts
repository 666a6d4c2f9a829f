import { and, asc, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { kinds } from '../../cells/registry.ts';
import { requireUser } from '../auth/middleware.ts';
import { workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, jsonBody } from '../http/errors.ts';
import { planRun } from '../engine/plan.ts';
import { changeWorkspace } from './change.ts';
import { workspaceFor } from './access.ts';
import { presentWorkspace } from './present.ts';
import { workspaceSummaries } from './summary.ts';

export function titleFrom(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw badRequest('"title" must be non-empty text', { field: 'title' });
  if (value.length > 200) throw badRequest('"title" must be at most 200 characters', { field: 'title' });
  return value.trim();
}

export const workspaceRoutes = new Hono<AppEnv>()
  .get('/kinds', (c) => c.json(Object.values(kinds).map((k) => ({ kind: k.kind, starterConfig: k.starterConfig(), acceptsFile: k.acceptsFile, producesTable: k.producesTable ?? false }))))
  .get('/workspaces', async (c) => {
    const user = requireUser(c);
    const rows = await c.var.services.db
      .select({ id: workspaces.id, title: workspaces.title, version: workspaces.version, createdAt: workspaces.createdAt, updatedAt: workspaces.updatedAt })
      .from(workspaces).where(eq(workspaces.ownerId, user.id)).orderBy(desc(workspaces.updatedAt), asc(workspaces.title));
    const summaries = await workspaceSummaries(c.var.services.db, rows.map((r) => r.id));
    return c.json(rows.map((r) => ({ ...r, ...summaries.get(r.id) })));
  })
  .post('/workspaces', async (c) => {
    const user = requireUser(c);
    const title = titleFrom((await jsonBody(c)).title);
    const [ws] = await c.var.services.db.insert(workspaces).values({ ownerId: user.id, title }).returning();
    return c.json(await presentWorkspace(c.var.services.db, ws!), 201);
  })
  .get('/workspaces/:id', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    return c.json(await presentWorkspace(c.var.services.db, workspace));
  })
  .patch('/workspaces/:id', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const body = await jsonBody(c);
    const { db } = c.var.services;
    const title = body.title === undefined ? undefined : titleFrom(body.title);
    await changeWorkspace(c.var.services, workspace.id, { version: body.version, trigger: 'edit', userId: user.id }, async (tx, bump) => {
      if (title === undefined) return;
      await tx.update(workspaces).set({ title }).where(eq(workspaces.id, workspace.id));
      await bump('title');
    });
    const [fresh] = await db.select().from(workspaces).where(eq(workspaces.id, workspace.id));
    return c.json(await presentWorkspace(db, fresh!));
  })
  .delete('/workspaces/:id', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'owner');
    await c.var.services.db.delete(workspaces).where(and(eq(workspaces.id, workspace.id), eq(workspaces.ownerId, user.id)));
    return c.json({ ok: true });
  })
  .post('/workspaces/:id/run', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const runId = await planRun(c.var.services, workspace.id, { trigger: 'run', userId: user.id, force: true });
    return c.json({ runId }, 202);
  });
