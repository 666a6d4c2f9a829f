import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { roleOn, workspaceFor } from '../workspaces/access.ts';
import { lastEventId } from './emit.ts';
import type { StoredEvent } from './types.ts';

// Proxies close idle connections; a comment line now and then keeps the stream open.
const KEEPALIVE_MS = 15_000;
const RETRY_MS = 2_000;

export const eventRoutes = new Hono<AppEnv>().get('/workspaces/:id/events', async (c) => {
  const { workspace, user } = await workspaceFor(c, 'view');
  const { hub, db } = c.var.services;
  const header = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  const lastId = header && /^\d+$/.test(header) ? Number(header) : null;

  return streamSSE(c, async (stream) => {
    // Subscribe before replaying, buffering live events, so nothing falls between the two.
    let sentUpTo = lastId ?? 0;
    let buffer: StoredEvent[] | null = [];
    let chain = Promise.resolve();
    const send = (e: StoredEvent) => {
      if (e.id <= sentUpTo) return;
      sentUpTo = e.id;
      chain = chain.then(() => stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e.data) })).catch(() => {});
    };
    // Access is checked again when shares change and at every keepalive (a link's expiry
    // sends no event): a watcher whose link was revoked stops receiving at once.
    let ended = false;
    const recheck = async () => {
      if (ended || (await roleOn(db, workspace.id, user).catch(() => null))) return;
      ended = true;
      await chain;
      await stream.writeSSE({ event: 'access.ended', data: JSON.stringify({ workspaceId: workspace.id }) }).catch(() => {});
      stream.abort();
    };
    const unsubscribe = hub.subscribe(workspace.id, (e) => {
      if (e.type === 'workspace.changed' && (e.data as { reason?: string }).reason === 'access') void recheck();
      if (buffer) buffer.push(e);
      else if (!ended) send(e);
    });
    let wake: () => void = () => {};
    stream.onAbort(() => {
      unsubscribe();
      wake();
    });

    await stream.writeSSE({ event: 'hello', data: JSON.stringify({ workspaceId: workspace.id, version: workspace.version }), retry: RETRY_MS });
    if (lastId !== null) {
      for (const e of await hub.since(workspace.id, lastId)) send(e);
    } else {
      // A fresh client loads state with GET; it only needs events from now on.
      sentUpTo = Math.max(sentUpTo, await lastEventId(c.var.services.db, workspace.id));
    }
    const pending = buffer;
    buffer = null;
    for (const e of pending.sort((a, b) => a.id - b.id)) send(e);

    while (!stream.aborted && !stream.closed) {
      // A plain sleep would hold the process open for the rest of the interval after the client left.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, KEEPALIVE_MS);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      await chain;
      await recheck();
      if (!stream.aborted) await stream.write(': keepalive\n\n').catch(() => {});
    }
    unsubscribe();
  });
});
