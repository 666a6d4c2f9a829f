// When a run's report goes out. A rerun on new files (the page, the API, a schedule) marks its
// run as awaiting its report (run_reports); whichever process sees the run's last cell end
// claims it, once, and makes a delivery per recipient and per webhook, each a pg-boss job
// (jobs.ts) sent in the claim's transaction: claimed exactly when its jobs exist.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import type { Tx } from '../db/client.ts';
import { deliveries, deliveryChoices, runReports, users, workspaceWebhooks } from '../db/schema.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import { roleOn } from '../workspaces/access.ts';
import { hasFailure, type RunOutcome } from './message.ts';
import { finishedRun } from './outcome.ts';

export const DELIVERY_QUEUE = 'assay-deliveries';
export interface DeliveryJob { deliveryId: string }

type Target = { channel: 'email' | 'webhook'; target: string; userId: string | null };

/**
 * The run `runId` (a rerun or a scheduled one) sends its report when it finishes. Called after
 * its plan committed: if it finished already (every result reused), it is sent now. Never throws.
 */
export async function expectReport(services: Services, workspaceId: string, runId: string): Promise<void> {
  try {
    await services.db.insert(runReports).values({ runId, workspaceId }).onConflictDoNothing();
  } catch (err) {
    // The run is made and goes on; only its report is lost, and the log says so.
    log.error('report delivery: could not note the run', { runId, err: String((err as Error)?.stack ?? err) });
    return;
  }
  await deliverFinishedRuns(services, workspaceId);
}

/**
 * Sends the reports of the workspace's runs that await one and have finished (no cell of
 * theirs queued or running). Called after every cell run ends; never throws: a delivery's
 * trouble is never the run's.
 */
export async function deliverFinishedRuns(services: Services, workspaceId: string): Promise<void> {
  try {
    const due = await services.db.execute<{ run_id: string }>(sql`
      select rr.run_id from run_reports rr
      where rr.workspace_id = ${workspaceId} and rr.dispatched_at is null
        and not exists (select 1 from cell_runs cr where cr.run_id = rr.run_id and cr.status in ('queued', 'running'))`);
    for (const { run_id: runId } of due) await dispatch(services, runId, true);
  } catch (err) {
    log.error('report delivery: could not dispatch', { workspaceId, err: String((err as Error)?.stack ?? err) });
  }
}

/**
 * Makes the run's deliveries and sends their jobs; the ids of those made. With `claim`, only
 * if this call is the one that claims the run's awaited report. A target that has one for this
 * run already gets no second (the unique key).
 */
export async function dispatch(services: Services, runId: string, claim: boolean): Promise<string[]> {
  const run = await finishedRun(services.db, services.config, runId);
  if (!run) return [];
  const targets = await targetsOf(services, run.workspace.id, run.outcome);
  const made = await services.db.transaction(async (tx) => {
    if (claim) {
      const claimed = await tx.update(runReports).set({ dispatchedAt: new Date() })
        .where(and(eq(runReports.runId, runId), isNull(runReports.dispatchedAt))).returning({ runId: runReports.runId });
      if (!claimed.length) return [];
    }
    if (!targets.length) return [];
    const rows = await tx.insert(deliveries)
      .values(targets.map((t) => ({ ...t, runId, workspaceId: run.workspace.id, status: 'queued' })))
      .onConflictDoNothing().returning({ id: deliveries.id });
    await sendJobs(tx, services, rows.map((r) => r.id));
    return rows.map((r) => r.id);
  });
  if (made.length) log.info('report delivery: dispatched', { runId, deliveries: made.length });
  return made;
}

async function sendJobs(tx: Tx, services: Services, ids: string[]): Promise<void> {
  for (const deliveryId of ids) {
    await services.jobs.boss.send(DELIVERY_QUEUE, { deliveryId } satisfies DeliveryJob, { id: deliveryId, db: fromDrizzle(tx, sql) });
  }
}

/**
 * Who gets this run's report: each person with access who chose `always`, or `on_fail` when a
 * rule failed or a cell errored (by email, when SMTP is configured), and the workspace's webhook
 * under its own `when`.
 */
async function targetsOf(services: Services, workspaceId: string, outcome: RunOutcome): Promise<Target[]> {
  const failed = hasFailure(outcome);
  const out: Target[] = [];
  if (services.config.delivery.smtp) {
    const asked = await services.db.select({ id: users.id, email: users.email, mode: deliveryChoices.email })
      .from(deliveryChoices).innerJoin(users, eq(users.id, deliveryChoices.userId))
      .where(and(eq(deliveryChoices.workspaceId, workspaceId), ne(deliveryChoices.email, 'never')));
    for (const person of asked) {
      if (person.mode === 'on_fail' && !failed) continue;
      // A choice outlives access (a revoked link, a removed member): the report goes only to those who may read it now.
      if (!(await roleOn(services.db, workspaceId, person))) continue;
      out.push({ channel: 'email', target: person.email, userId: person.id });
    }
  }
  const [hook] = await services.db.select().from(workspaceWebhooks).where(eq(workspaceWebhooks.workspaceId, workspaceId));
  if (hook && (hook.when === 'always' || failed)) out.push({ channel: 'webhook', target: hook.url, userId: null });
  return out;
}
