// Deliveries as a caller may see them. A webhook's URL holds its secret (Slack's does): only
// the owner, who set it, reads it whole; others see its host. A viewer sees their own address
// and not the other members'.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deliveries, workspaceWebhooks } from '../db/schema.ts';
import type { Role } from '../workspaces/access.ts';

export interface Viewer { role: Role; userId: string }

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'the webhook';
  }
};

export function presentDelivery(d: typeof deliveries.$inferSelect, viewer: Viewer) {
  const target = d.channel === 'webhook'
    ? (viewer.role === 'owner' ? d.target : hostOf(d.target))
    : (viewer.role !== 'view' || d.userId === viewer.userId ? d.target : 'a member');
  return {
    id: d.id, runId: d.runId, channel: d.channel, target, status: d.status, attempts: d.attempts, lastError: d.lastError,
    createdAt: d.createdAt, updatedAt: d.updatedAt, sentAt: d.sentAt,
  };
}

export function presentWebhook(hook: typeof workspaceWebhooks.$inferSelect | undefined, viewer: Viewer) {
  if (!hook) return null;
  return { ...(viewer.role === 'owner' ? { url: hook.url } : {}), host: hostOf(hook.url), when: hook.when, updatedAt: hook.updatedAt };
}

/** A run's deliveries, oldest first. */
export async function runDeliveries(db: Db, runId: string, viewer: Viewer) {
  const rows = await db.select().from(deliveries).where(eq(deliveries.runId, runId)).orderBy(deliveries.createdAt, deliveries.channel, deliveries.target);
  return rows.map((d) => presentDelivery(d, viewer));
}

/** The newest delivery of the run that has an error (retrying or failed), if any: what the schedule shows. */
export async function lastDeliveryError(db: Db, runId: string | null, viewer: Viewer) {
  if (!runId) return null;
  const [d] = await db.select().from(deliveries).where(and(eq(deliveries.runId, runId), isNotNull(deliveries.lastError)))
    .orderBy(desc(deliveries.updatedAt)).limit(1);
  return d ? presentDelivery(d, viewer) : null;
}
