import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { kinds } from '../../cells/registry.ts';
import { configReference } from '../../cells/shared/config-schema.ts';
import { requireUser } from '../auth/middleware.ts';
import { users, workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { bodyOf, says, versionField } from '../http/body.ts';
import { z } from 'zod';
import { changeWorkspace } from './change.ts';
import { audit } from '../sharing/audit.ts';
import { accessibleWorkspaces, canShare, workspaceFor, type Role, accessChanged } from './access.ts';
import { presentWorkspace } from './present.ts';
import { workspaceSummaries } from './summary.ts';

const TITLE = '"title" must be non-empty text';
/** A workspace's title: non-empty text of at most 200 characters, trimmed. */
export const titleField = z.string(says(TITLE))
  .refine((v) => v.trim() !== '', says(TITLE))
  .refine((v) => v.length <= 200, says('"title" must be at most 200 characters'))
  .transform((v) => v.trim())
  .meta({ description: 'the workspace\'s title: non-empty text of at most 200 characters' });

export const createWorkspaceBody = z.object({ title: titleField });

export const patchWorkspaceBody = z.object({
  title: titleField.optional(),
  editorsCanShare: z.boolean(says('"editorsCanShare" must be true or false')).optional()
    .meta({ description: 'whether editors may share the workspace (the owner only)' }),
  version: versionField,
});

let references: unknown[] | undefined;
/** GET /api/kinds: built once, from each kind's config schema. */
function kindReferences(): unknown[] {
  references ??= Object.values(kinds).map((k) => ({
    kind: k.kind, starterConfig: k.starterConfig(), acceptsFile: k.acceptsFile, producesTable: k.producesTable ?? false,
    ...(k.configSchema ? { config: configReference(k.configSchema) } : {}),
  }));
  return references;
}

/** What the caller may do here, for the page to offer only that. */
function accessOf(ws: typeof workspaces.$inferSelect, role: Role, mayShare: boolean, ownerEmail: string) {
  return { role, canEdit: role !== 'view', canShare: mayShare, canDelete: role === 'owner', editorsCanShare: ws.editorsCanShare, owner: { email: ownerEmail } };
}

export const workspaceRoutes = new Hono<AppEnv>()
  // Each kind with its config's reference (JSON Schema, a line of help per key), for the editor and scripts.
  .get('/kinds', (c) => c.json(kindReferences()))
  // Mine and those shared with me (by a link I opened or by my email), each with my role, its last run and rule standing.
  .get('/workspaces', async (c) => {
    const { db } = c.var.services;
    const rows = await accessibleWorkspaces(db, requireUser(c));
    const summaries = await workspaceSummaries(db, rows.map((r) => r.id));
    return c.json(rows.map((r) => ({ ...r, ...summaries.get(r.id) })));
  })
  .post('/workspaces', async (c) => {
    const user = requireUser(c);
    const { title } = await bodyOf(c, createWorkspaceBody);
    const { db } = c.var.services;
    const [ws] = await db.insert(workspaces).values({ ownerId: user.id, title }).returning();
    await audit(db, ws!.id, user, 'workspace.created', { title });
    return c.json({ ...await presentWorkspace(db, ws!), ...accessOf(ws!, 'owner', true, user.email) }, 201);
  })
  .get('/workspaces/:id', async (c) => {
    const { workspace, role, canShare } = await workspaceFor(c, 'view');
    const { db } = c.var.services;
    const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, workspace.ownerId));
    return c.json({ ...await presentWorkspace(db, workspace), ...accessOf(workspace, role, canShare, owner!.email) });
  })
  .patch('/workspaces/:id', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'edit');
    const body = await bodyOf(c, patchWorkspaceBody);
    const { db } = c.var.services;
    const { title, editorsCanShare } = body;
    if (editorsCanShare !== undefined) {
      if (role !== 'owner') throw new ApiError(403, 'forbidden', 'only the owner decides whether editors may share', { role });
    }
    if (title !== undefined) {
      await changeWorkspace(c.var.services, workspace.id, { version: body.version, trigger: 'edit', userId: user.id }, async (tx, bump) => {
        await tx.update(workspaces).set({ title }).where(eq(workspaces.id, workspace.id));
        await audit(tx, workspace.id, user, 'workspace.renamed', { from: workspace.title, to: title });
        await bump('title');
      });
    }
    // Who may share is not a change to the notebook: it bumps no version (an editor's save in
    // flight must not become a conflict), it only tells open pages and streams to look again.
    if (editorsCanShare !== undefined && editorsCanShare !== workspace.editorsCanShare) {
      await db.transaction(async (tx) => {
        await tx.update(workspaces).set({ editorsCanShare }).where(eq(workspaces.id, workspace.id));
        await audit(tx, workspace.id, user, 'workspace.sharing', { editorsCanShare });
        await accessChanged(tx, workspace.id);
      });
    }
    const [fresh] = await db.select().from(workspaces).where(eq(workspaces.id, workspace.id));
    const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, fresh!.ownerId));
    return c.json({ ...await presentWorkspace(db, fresh!), ...accessOf(fresh!, role, canShare(role, fresh!), owner!.email) });
  })
  .delete('/workspaces/:id', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'owner');
    await c.var.services.db.delete(workspaces).where(and(eq(workspaces.id, workspace.id), eq(workspaces.ownerId, user.id)));
    return c.json({ ok: true });
  })
  .post('/workspaces/:id/run', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const { runId } = await changeWorkspace(c.var.services, workspace.id, { trigger: 'run', userId: user.id, force: true });
    await audit(c.var.services.db, workspace.id, user, 'workspace.ran', { runId });
    return c.json({ runId }, 202);
  });
