// Export, import and duplicate: a workspace as its YAML document (workspace-yaml.ts).
import { asc, eq } from 'drizzle-orm';
import { kindOf } from '../../cells/registry.ts';
import { cells, files, workspaces } from '../db/schema.ts';
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

/** How a document becomes a workspace, besides its cells. */
export interface ImportOptions {
  /** The workspace it is a copy of (duplicate), said in the audit trail. */
  from?: { workspaceId: string };
  /** A stored file for the document's first cell that takes one (the demo's sample). */
  file?: { name: string; size: number; sha256: string };
  /** The run's trigger: `create`, or `seed` for the demo a new user starts with. */
  trigger?: 'create' | 'seed';
}

/**
 * A new workspace of `owner` holding the document's cells, in order, planned like any new
 * cell (upload cells wait for a file, unless `file` is given). The workspace row comes first;
 * if adding the cells fails, it is removed again, so a failed import leaves nothing.
 */
export async function importDocument(services: Services, owner: User, doc: WorkspaceDocument, { from, file, trigger = 'create' }: ImportOptions = {}) {
  const ownerId = owner.id;
  const [ws] = await services.db.insert(workspaces).values({ ownerId, title: doc.title }).returning();
  try {
    await changeWorkspace(services, ws!.id, { trigger, userId: ownerId }, async (tx, bump) => {
      const [stored] = file ? await tx.insert(files).values({ workspaceId: ws!.id, ...file, createdBy: ownerId }).returning({ id: files.id }) : [];
      const takesFile = stored ? doc.cells.findIndex((c) => kindOf(c.kind)?.acceptsFile) : -1;
      if (doc.cells.length) {
        await tx.insert(cells).values(doc.cells.map((c, position) => ({
          workspaceId: ws!.id, name: c.name, kind: c.kind, config: c.config, position, ...(position === takesFile ? { fileId: stored!.id } : {}),
        })));
      }
      await bump('imported');
      const origin = from ? { copiedFrom: from.workspaceId } : trigger === 'seed' ? { demo: true } : { imported: true };
      await audit(tx, ws!.id, owner, 'workspace.created', { title: doc.title, ...origin });
    });
  } catch (err) {
    await services.db.delete(workspaces).where(eq(workspaces.id, ws!.id));
    throw err;
  }
  const [fresh] = await services.db.select().from(workspaces).where(eq(workspaces.id, ws!.id));
  return fresh!;
}
