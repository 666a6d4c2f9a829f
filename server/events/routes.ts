import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { roleOn, workspaceFor } from '../workspaces/access.ts';
import { lastEventId } from './emit.ts';
import type { StoredEvent } from './types.ts';
import { metrics } from '../metrics/metrics.ts';

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
    let wake: () => void = () => {};
    const send = (e: StoredEvent) => {
      if (ended || e.id <= sentUpTo) return;
      sentUpTo = e.id;
      metrics.eventsSent.inc();
      chain = chain.then(() => stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e.data) })).catch(() => {});
    };
    // Access is checked again when shares change and at every keepalive (a link's expiry
    // sends no event): a watcher whose link was revoked stops receiving at once.
    let ended = false;
    const recheck = async () => {
      // A failed query (the database restarting) is no answer: only a role that is gone ends the stream.
      const role = await roleOn(db, workspace.id, user).catch(() => undefined);
      if (ended || role !== null) return;
      ended = true;
      await chain;
      await stream.writeSSE({ event: 'access.ended', data: JSON.stringify({ workspaceId: workspace.id }) }).catch(() => {});
      stream.abort();
    };
    /**
     * Sends what the database holds after the last id sent, then what arrived live meanwhile.
     * If the read fails, nothing is sent and live events stay buffered: sending them would
     * move past the events the failed read was to fetch, and those would be lost.
     */
    const catchUp = async (from: () => Promise<StoredEvent[]>) => {
      buffer ??= [];
      for (const e of await from()) send(e);
      const pending = buffer;
      buffer = null;
      for (const e of pending.sort((a, b) => a.id - b.id)) send(e);
    };
    const unsubscribe = hub.subscribe(workspace.id, {
      deliver: (e) => {
        if (e.type === 'workspace.changed' && (e.data as { reason?: string }).reason === 'access') void recheck();
        if (buffer) buffer.push(e);
        else send(e);
      },
      // Skipped while a catch-up runs: it reads the database after the reconnection anyway.
      resync: () => {
        if (buffer || stream.aborted) return;
        const after = sentUpTo;
        // The database may still be coming back: try again, from the same id, until the catch-up reads.
        const attempt = () => {
          if (!stream.aborted) void catchUp(() => hub.since(workspace.id, after)).catch(() => setTimeout(attempt, 1000).unref());
        };
        attempt();
      },
      close: (retryMs) => {
        // The client's EventSource waits `retryMs` and reconnects with Last-Event-ID, to whichever process answers.
        chain = chain.then(async () => { await stream.write(`retry: ${retryMs}\n\n`); }).catch(() => {});
        void chain.then(() => stream.close());
        wake();
      },
    });
    stream.onAbort(() => {
      unsubscribe();
      wake();
    });

    await stream.writeSSE({ event: 'hello', data: JSON.stringify({ workspaceId: workspace.id, version: workspace.version }), retry: RETRY_MS });
    await catchUp(async () => {
      if (lastId !== null) return hub.since(workspace.id, lastId);
      // A fresh client loads state with GET; it only needs events from now on.
      sentUpTo = Math.max(sentUpTo, await lastEventId(c.var.services.db, workspace.id));
      return [];
    });

    while (!stream.aborted && !stream.closed) {
      // A plain sleep would hold the process open for the rest of the interval after the client left.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, KEEPALIVE_MS);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      await chain;
      await recheck();
      if (!stream.aborted && !stream.closed) await stream.write(': keepalive\n\n').catch(() => {});
    }
    unsubscribe();
  });
});
