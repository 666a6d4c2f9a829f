// Export, import and duplicate: a workspace as its YAML document (workspace-yaml.ts).
import { asc, eq } from 'drizzle-orm';
import { cells, workspaces } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import type { Services } from '../services.ts';
import type { User } from '../auth/users.ts';
import { audit } from '../sharing/audit.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import type { WorkspaceDocument } from '../notebook/workspace-yaml.ts';

export async function documentOf(db: Db, workspace: { id: string; title: string }): Promise<WorkspaceDocument> {
  const rows = await db.select({ name: cells.name, kind: cells.kind, config: cells.config }).from(cells)
    .where(eq(cells.workspaceId, workspace.id)).orderBy(asc(cells.position), asc(cells.createdAt));
  return { title: workspace.title, cells: rows };
}

/**
 * A new workspace of `ownerId` holding the document's cells, in order, planned like any new
 * cell (upload cells wait for a file). The workspace row comes first; if adding the cells
 * fails, it is removed again, so a failed import leaves nothing.
 */
export async function importDocument(services: Services, owner: User, doc: WorkspaceDocument, from?: { workspaceId: string }) {
  const ownerId = owner.id;
  const [ws] = await services.db.insert(workspaces).values({ ownerId, title: doc.title }).returning();
  try {
    await changeWorkspace(services, ws!.id, { trigger: 'create', userId: ownerId }, async (tx, bump) => {
      if (doc.cells.length) {
        await tx.insert(cells).values(doc.cells.map((c, position) => ({ workspaceId: ws!.id, name: c.name, kind: c.kind, config: c.config, position })));
      }
      await bump('imported');
      await audit(tx, ws!.id, owner, 'workspace.created', { title: doc.title, ...(from ? { copiedFrom: from.workspaceId } : { imported: true }) });
    });
  } catch (err) {
    await services.db.delete(workspaces).where(eq(workspaces.id, ws!.id));
    throw err;
  }
  const [fresh] = await services.db.select().from(workspaces).where(eq(workspaces.id, ws!.id));
  return fresh!;
}
