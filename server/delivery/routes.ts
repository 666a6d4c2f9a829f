// Delivered reports' routes: my email choice for a workspace, the workspace's webhook (its
// owner's to set: it sends the workspace's results to an outside address, as a share would),
// a run's deliveries, and sending a finished run's report now.
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { deliveryChoices, workspaceWebhooks } from '../db/schema.ts';
import { bodyOf, says } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import { runFor } from '../runs/access.ts';
import type { Services } from '../services.ts';
import { audit } from '../sharing/audit.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { dispatch } from './dispatch.ts';
import { presentWebhook, runDeliveries, type Viewer } from './present.ts';
import { webhookUrl, WebhookUrlError } from './webhook-target.ts';

export const emailChoiceBody = z.object({
  email: z.enum(['never', 'always', 'on_fail']).meta({ description: 'never; always (every rerun and scheduled run); on_fail (only when a rule fails or a cell errors)' }),
});
export const webhookBody = z.object({
  url: z.string(says('"url" must be the webhook\'s address, e.g. https://hooks.slack.com/services/…')).max(2000)
    .meta({ description: 'an https address (Slack incoming webhook or any receiver of JSON); private addresses are refused unless ASSAY_WEBHOOK_ALLOW_PRIVATE=1' }),
  when: z.enum(['always', 'on_fail']).default('on_fail').meta({ description: 'always, or on_fail (only when a rule fails or a cell errors); default on_fail' }),
});

async function settingsOf(services: Services, workspaceId: string, viewer: Viewer) {
  const [[choice], [hook]] = await Promise.all([
    services.db.select().from(deliveryChoices).where(eq(deliveryChoices.workspaceId, workspaceId)).then((rows) => rows.filter((r) => r.userId === viewer.userId)),
    services.db.select().from(workspaceWebhooks).where(eq(workspaceWebhooks.workspaceId, workspaceId)),
  ]);
  return {
    email: { choice: choice?.email ?? 'never', smtpConfigured: Boolean(services.config.delivery.smtp) },
    webhook: presentWebhook(hook, viewer),
    canSetWebhook: viewer.role === 'owner',
  };
}

export const deliveryRoutes = new Hono<AppEnv>()
  .get('/workspaces/:id/delivery', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'view');
    return c.json(await settingsOf(c.var.services, workspace.id, { role, userId: user.id }));
  })
  // Anyone who may read the workspace may ask for its reports: they could download each one.
  .put('/workspaces/:id/delivery/email', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'view');
    const { email } = await bodyOf(c, emailChoiceBody);
    await c.var.services.db.insert(deliveryChoices).values({ workspaceId: workspace.id, userId: user.id, email })
      .onConflictDoUpdate({ target: [deliveryChoices.workspaceId, deliveryChoices.userId], set: { email, updatedAt: new Date() } });
    return c.json(await settingsOf(c.var.services, workspace.id, { role, userId: user.id }));
  })
  .put('/workspaces/:id/delivery/webhook', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'owner');
    const body = await bodyOf(c, webhookBody);
    let url: URL;
    try {
      url = webhookUrl(body.url, c.var.services.config.delivery.webhookAllowPrivate);
    } catch (err) {
      if (err instanceof WebhookUrlError) throw badRequest(err.message, { field: 'url' });
      throw err;
    }
    const values = { url: url.href, when: body.when, createdBy: user.id, updatedAt: new Date() };
    await c.var.services.db.insert(workspaceWebhooks).values({ workspaceId: workspace.id, ...values })
      .onConflictDoUpdate({ target: workspaceWebhooks.workspaceId, set: values });
    await audit(c.var.services.db, workspace.id, user, 'webhook.set', { host: url.host, when: body.when });
    return c.json(await settingsOf(c.var.services, workspace.id, { role, userId: user.id }));
  })
  .delete('/workspaces/:id/delivery/webhook', async (c) => {
    const { workspace, user, role } = await workspaceFor(c, 'owner');
    await c.var.services.db.delete(workspaceWebhooks).where(eq(workspaceWebhooks.workspaceId, workspace.id));
    await audit(c.var.services.db, workspace.id, user, 'webhook.removed', {});
    return c.json(await settingsOf(c.var.services, workspace.id, { role, userId: user.id }));
  })
  .get('/runs/:runId/deliveries', async (c) => {
    const { run, user, role } = await runFor(c, 'view');
    return c.json(await runDeliveries(c.var.services.db, run.id, { role, userId: user.id }));
  })
  // Any run, not only reruns and schedules: its report now, to those who asked (each target once per run).
  .post('/runs/:runId/deliveries', async (c) => {
    const { run, user, role } = await runFor(c, 'edit');
    const { services } = c.var;
    const [pending] = await services.sql`select 1 from cell_runs where run_id = ${run.id} and status in ('queued', 'running') limit 1`;
    if (pending) throw new ApiError(409, 'run_running', 'the run has not finished; its report is sent once it has');
    await dispatch(services, run.id, false);
    return c.json(await runDeliveries(services.db, run.id, { role, userId: user.id }), 202);
  });
