// A delivery's job: one email or one webhook POST. A failure is recorded on the delivery
// (attempts, last error) and thrown, so pg-boss tries again after a growing wait, up to
// ASSAY_DELIVERY_RETRIES; after the last the delivery is `failed`. Nothing here touches the run.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { deliveries } from '../db/schema.ts';
import { withoutServerPaths } from '../http/errors.ts';
import { ensureQueue, lookAgain } from '../jobs/queue.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import { roleOn } from '../workspaces/access.ts';
import { DELIVERY_QUEUE, type DeliveryJob } from './dispatch.ts';
import { emailSubject, emailText, webhookBody } from './message.ts';
import { fileSafe } from '../http/file-name.ts';
import { finishedRun, reportHtml } from './outcome.ts';
import { postWebhook, sendEmail } from './send.ts';

/** The queue, made or updated on every start (web processes send to it too). */
export async function startDeliveries(services: Services): Promise<void> {
  const { retries, retrySeconds } = services.config.delivery;
  await ensureQueue(services.jobs.boss, DELIVERY_QUEUE, {
    notify: true,
    retryLimit: retries,
    retryDelay: retrySeconds,
    retryBackoff: true,
    retryDelayMax: 3600,
    // A send has its own timeouts (send.ts); this only catches a worker that died mid-send.
    expireInSeconds: 300,
    deleteAfterSeconds: 7 * 86400,
  });
}

export async function startDeliveryWorker(services: Services): Promise<void> {
  // The poll finds retries, which come back after their delay without a NOTIFY; a finished
  // job looks again at once, for the rest of a run's deliveries (their NOTIFYs came while busy).
  await services.jobs.boss.work<DeliveryJob>(DELIVERY_QUEUE, { localConcurrency: 2, batchSize: 1, notifyPollingIntervalSeconds: 2 }, async ([job]) => {
    try {
      if (job) await deliver(services, job.data.deliveryId);
    } finally {
      lookAgain(services.jobs.boss, DELIVERY_QUEUE);
    }
  });
}

/** One attempt at one delivery. */
export async function deliver(services: Services, deliveryId: string): Promise<void> {
  const { db } = services;
  const [d] = await db.update(deliveries).set({ status: 'sending', attempts: sql`${deliveries.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(deliveries.id, deliveryId), inArray(deliveries.status, ['queued', 'retrying', 'sending']))).returning();
  if (!d) return; // sent already, or its run was deleted
  const record = (change: Partial<typeof deliveries.$inferInsert>) => db.update(deliveries).set({ ...change, updatedAt: new Date() }).where(eq(deliveries.id, d.id));
  try {
    const run = await finishedRun(db, services.config, d.runId);
    if (!run) return void await record({ status: 'failed', lastError: 'the run was deleted' });
    if (d.channel === 'email') {
      // Access is checked again when the mail goes: it may have ended since the run finished.
      if (d.userId && !(await roleOn(db, run.workspace.id, { id: d.userId, email: d.target }))) {
        return void await record({ status: 'failed', lastError: `${d.target} no longer has access to the workspace; not sent` });
      }
      await sendEmail(services.config.delivery, {
        to: d.target,
        subject: emailSubject(run.outcome),
        text: emailText(run.outcome),
        report: { filename: `${fileSafe(run.workspace.title, 'workspace')}-report.html`, html: await reportHtml(db, run) },
      });
    } else {
      await postWebhook(services.config.delivery, d.target, webhookBody(run.outcome));
    }
    await record({ status: 'sent', sentAt: new Date(), lastError: null });
    log.info('report delivered', { deliveryId: d.id, channel: d.channel, attempts: d.attempts });
  } catch (err) {
    const final = d.attempts > services.config.delivery.retries;
    const message = withoutServerPaths((err as Error)?.message ?? String(err), services.config.dataDir).slice(0, 1000);
    await record({ status: final ? 'failed' : 'retrying', lastError: message });
    log.warn('report delivery failed', { deliveryId: d.id, channel: d.channel, attempts: d.attempts, final, err: message });
    if (!final) throw err;
  }
}
