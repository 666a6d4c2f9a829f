// POST .../cells/:cellId/restore: the undo of a delete (issue 23, item 9). The cell comes back
// as it was, from what the audit trail kept when it was deleted: its id, name, kind, config,
// place and file, and its latest finished cell run (its result), put back in the run it was
// made in. Planning then finds the cell current (the same fingerprint) and runs nothing for it;
// its readers, the same inputs again, reuse their results. A result too large to keep in the
// trail is not kept: that cell runs again (an upload only re-reads the Parquet already made).
import { and, desc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { auditEvents, cells, files } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';
import { audit } from '../sharing/audit.ts';
import { workspaceFor } from './access.ts';
import { changeWorkspace } from './change.ts';
import { reorder, uniqueViolation } from './cells.ts';
import { putBack } from './kept-run.ts';
import { presentCell } from './present.ts';

interface Deleted { cellId: string; name: string; kind?: string; config?: string; position?: number; fileId?: string | null; lastRun?: Record<string, unknown> }

export const restoreRoutes = new Hono<AppEnv>()
  .post('/workspaces/:id/cells/:cellId/restore', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const cellId = idParam(c, 'cellId', 'cell');
    const { services } = c.var;
    const { value: cell, version: workspaceVersion } = await changeWorkspace(services, workspace.id, { trigger: 'create', userId: user.id }, async (tx, bump) => {
      const [line] = await tx.select({ detail: auditEvents.detail }).from(auditEvents)
        .where(and(eq(auditEvents.workspaceId, workspace.id), eq(auditEvents.action, 'cell.deleted'), sql`${auditEvents.detail}->>'cellId' = ${cellId}`))
        .orderBy(desc(auditEvents.id)).limit(1);
      const gone = line?.detail as Deleted | undefined;
      // Deleted before the trail kept configs: there is nothing to put back.
      if (!gone?.kind || typeof gone.config !== 'string') throw notFound('a deleted cell to restore');
      const [back] = await tx.select({ id: cells.id }).from(cells).where(eq(cells.id, cellId));
      if (back) throw new ApiError(409, 'already_restored', `cell "${gone.name}" is back already`);
      // The file, unless it went since (a workspace's files go only with the workspace).
      const [file] = gone.fileId ? await tx.select({ id: files.id }).from(files).where(and(eq(files.id, gone.fileId), eq(files.workspaceId, workspace.id))) : [];
      await tx.insert(cells).values({ id: cellId, workspaceId: workspace.id, name: gone.name, kind: gone.kind, config: gone.config, fileId: file?.id ?? null, position: 1e6 })
        .catch((err) => uniqueViolation(err, gone.name));
      await reorder(tx, workspace.id, cellId, gone.position ?? Number.MAX_SAFE_INTEGER);
      if (gone.lastRun) await putBack(tx, gone.lastRun, file?.id ?? null);
      await bump('cell.created', cellId);
      await audit(tx, workspace.id, user, 'cell.created', { cellId, name: gone.name, kind: gone.kind, restored: true });
      const [fresh] = await tx.select().from(cells).where(eq(cells.id, cellId));
      return fresh!;
    });
    return c.json({ ...presentCell(cell), workspaceVersion }, 201);
  });
