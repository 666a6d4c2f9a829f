import { desc, eq, sql } from 'drizzle-orm';
import type { User } from '../auth/users.ts';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';

/** What the trail records: who created, edited, ran, shared or revoked what. */
export type AuditAction =
  | 'workspace.created' | 'workspace.renamed' | 'workspace.sharing'
  | 'cell.created' | 'cell.edited' | 'cell.deleted' | 'file.uploaded' | 'workspace.ran'
  | 'link.created' | 'link.revoked' | 'link.opened' | 'member.added' | 'member.removed'
  | 'webhook.set' | 'webhook.removed';

/** One line of the trail. Written after the change it records; a failure here fails the request. */
export async function audit(db: Pick<Db, 'insert'>, workspaceId: string, user: User | null, action: AuditAction, detail: Record<string, unknown> = {}): Promise<void> {
  await db.insert(auditEvents).values({ workspaceId, userId: user?.id ?? null, actorEmail: user?.email ?? null, action, detail });
}

/** The newest `limit` lines of a workspace's trail, newest first. */
export async function auditTrail(db: Db, workspaceId: string, limit = 200) {
  return db.select({
    // A deleted cell's kept result (restore.ts) is for the undo, not for reading the trail.
    id: auditEvents.id, action: auditEvents.action, detail: sql<Record<string, unknown>>`${auditEvents.detail} - 'lastRun'`,
    actor: auditEvents.actorEmail, createdAt: auditEvents.createdAt,
  }).from(auditEvents).where(eq(auditEvents.workspaceId, workspaceId)).orderBy(desc(auditEvents.id)).limit(limit);
}
