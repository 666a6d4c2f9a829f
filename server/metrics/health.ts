import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { errorBody } from '../http/errors.ts';
import { databaseCheck, queueCheck } from './checks.ts';

/**
 * Liveness and readiness, for load balancers and orchestrators; no session needed.
 * `/health` (contract): `{"ok": true}` when the database answers, 503 while it does not, so an
 * outage and the recovery both show. `/ready`: whether this process should get traffic now:
 * the database and the job queue answer, its LISTEN connection is up (events reach its SSE
 * clients) and it is not shutting down.
 */
export const healthRoutes = new Hono<AppEnv>()
  .get('/health', async (c) => {
    const database = await databaseCheck(c.var.services);
    if (!database.ok) return c.json({ ok: false, ...errorBody('database_unavailable', database.message) }, 503);
    return c.json({ ok: true });
  })
  .get('/ready', async (c) => {
    const { services } = c.var;
    const [database, queue] = await Promise.all([databaseCheck(services), queueCheck(services)]);
    const checks = {
      database: database.ok ? 'ok' : database.message,
      queue: queue.ok ? 'ok' : queue.message,
      events: services.notifications.listening ? 'ok' : 'the LISTEN connection is down; reconnecting',
      process: services.lifecycle.stopping ? 'shutting down' : 'ok',
    };
    const failing = Object.entries(checks).filter(([, v]) => v !== 'ok');
    if (failing.length === 0) return c.json({ ready: true, checks });
    return c.json({ ready: false, checks, ...errorBody('not_ready', failing.map(([k, v]) => `${k}: ${v}`).join('; ')) }, 503);
  });
