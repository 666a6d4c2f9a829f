import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { lastEventId } from './emit.ts';
import type { StoredEvent } from './types.ts';

// Proxies close idle connections; a comment line now and then keeps the stream open.
const KEEPALIVE_MS = 15_000;
const RETRY_MS = 2_000;

export const eventRoutes = new Hono<AppEnv>().get('/workspaces/:id/events', async (c) => {
  const { workspace } = await workspaceFor(c, 'view');
  const { hub } = c.var.services;
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
    const unsubscribe = hub.subscribe(workspace.id, (e) => (buffer ? buffer.push(e) : send(e)));
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
      if (!stream.aborted) await stream.write(': keepalive\n\n').catch(() => {});
    }
    unsubscribe();
  });
});
