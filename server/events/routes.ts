import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { credentialIsLive } from '../auth/users.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import { roleOn, workspaceFor } from '../workspaces/access.ts';
import { lastEventId } from './emit.ts';
import type { StoredEvent } from './types.ts';
import type { StreamEvent } from '../../cells/wire.ts';
import { metrics } from '../metrics/metrics.ts';
import { personalOwner } from '../runs/personal.ts';

// Proxies close idle connections; a comment line now and then keeps the stream open.
const KEEPALIVE_MS = 15_000;
const RETRY_MS = 2_000;

/** Why a stream ends early: its session or token ended, or its role on the workspace did. */
type EndReason = Extract<StreamEvent, { type: 'access.ended' }>['data']['reason'];

/**
 * The id a reconnecting client last saw (the Last-Event-ID header, or `lastEventId` in the
 * query for clients that cannot set headers). Ids are bigserials this server sent; anything
 * else is refused here, rather than reaching PostgreSQL as a bigint out of range.
 */
function resumeFrom(c: Context): number | null {
  const header = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (header === undefined || header.trim() === '') return null;
  const value = header.trim();
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw badRequest(`Last-Event-ID must be the id of an event this server sent (a whole number up to ${Number.MAX_SAFE_INTEGER}), got "${value.slice(0, 40)}"`,
      { field: 'Last-Event-ID' });
  }
  return Number(value);
}

const isAccessChange = (e: StoredEvent) => e.type === 'workspace.changed' && (e.data as { reason?: string }).reason === 'access';

export const eventRoutes = new Hono<AppEnv>().get('/workspaces/:id/events', async (c) => {
  const { workspace, user } = await workspaceFor(c, 'view');
  const { hub, db, config } = c.var.services;
  const credential = c.var.credential!;
  const lastId = resumeFrom(c);
  // Each stream holds a connection and a place in the fan-out: one account cannot open thousands.
  const release = hub.claim(user.id, config.streamsPerUser);
  if (!release) {
    c.header('Retry-After', '10');
    throw new ApiError(429, 'too_many_streams',
      `this account has ${config.streamsPerUser} event streams open on this server, the most it may (ASSAY_STREAMS_PER_USER); close a tab or two and try again`,
      { limit: config.streamsPerUser });
  }

  return streamSSE(c, async (stream) => {
    // Subscribe before replaying, buffering live events, so nothing falls between the two.
    let sentUpTo = lastId ?? 0;
    let buffer: StoredEvent[] | null = [];
    let ended = false;
    let wake: () => void = () => {};
    // Every write and every access check runs in this one line, so each sees the stream as
    // the writes before it left it, and nothing is written after the stream ended.
    let chain = Promise.resolve();
    const then = (step: () => Promise<unknown>) => (chain = chain.then(step).then(() => {}, () => {}));

    /**
     * Why the caller may no longer watch, or null while they may: the session or token the
     * stream was opened with has ended (logout, a password change, a revoke, an expiry), or
     * they hold no role on the workspace any more. A failed query (the database restarting)
     * is no answer: only a credential or a role that is gone ends the stream.
     */
    const whyEnded = async (): Promise<EndReason | null> => {
      try {
        if (!await credentialIsLive(db, credential)) return 'signed_out';
        return (await roleOn(db, workspace.id, user)) === null ? 'access' : null;
      } catch {
        return null;
      }
    };
    /** Tells the client why and ends the stream; runs inside the chain. */
    const end = async (reason: EndReason) => {
      if (ended) return;
      ended = true;
      await stream.writeSSE(streamEvent({ type: 'access.ended', data: { workspaceId: workspace.id, reason } })).catch(() => {});
      stream.abort();
      wake();
    };
    // A viewer's own run (runs/personal.ts) is theirs alone: its events reach only them, marked
    // `personal` so a notebook page leaves them to the presentation view. One look per run.
    const owners = new Map<string, Promise<string | null | undefined>>();
    const ownerOf = (e: StoredEvent) => {
      const runId = (e.data as { runId?: unknown }).runId;
      if (typeof runId !== 'string') return null;
      if (owners.size > 1000) owners.clear();
      if (!owners.has(runId)) owners.set(runId, personalOwner(db, runId).catch(() => null));
      return owners.get(runId)!;
    };
    const recheck = () => then(async () => {
      const reason = ended ? null : await whyEnded();
      if (reason) await end(reason);
    });
    const send = (e: StoredEvent) => {
      if (ended || e.id <= sentUpTo) return;
      sentUpTo = e.id;
      then(async () => {
        if (ended) return;
        // A change of who may watch goes only to those who still may: one who lost access
        // gets access.ended and not the change, on which their page would refetch the
        // workspace and show its 404 over the message that their access ended.
        if (isAccessChange(e)) {
          const reason = await whyEnded();
          if (reason) return end(reason);
        }
        const owner = await ownerOf(e);
        if (owner && owner !== user.id) return;
        metrics.eventsSent.inc();
        await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(owner ? { ...e.data, personal: true } : e.data) });
      });
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
      userId: user.id,
      deliver: (e) => {
        if (buffer) buffer.push(e);
        else send(e);
      },
      // A logout or revoke anywhere: is this stream's own session or token among the ended?
      credentialsEnded: () => void recheck(),
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
        then(async () => { await stream.write(`retry: ${retryMs}\n\n`); });
        void chain.then(() => stream.close());
        wake();
      },
    });
    stream.onAbort(() => {
      unsubscribe();
      release();
      wake();
    });

    try {
      await then(() => stream.writeSSE({ ...streamEvent({ type: 'hello', data: { workspaceId: workspace.id, version: workspace.version } }), retry: RETRY_MS }));
      await catchUp(async () => {
        if (lastId !== null) return hub.since(workspace.id, lastId);
        // A fresh client loads state with GET; it only needs events from now on.
        sentUpTo = Math.max(sentUpTo, await lastEventId(c.var.services.db, workspace.id));
        return [];
      });

      while (!stream.aborted && !stream.closed && !ended) {
        // A plain sleep would hold the process open for the rest of the interval after the client left.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, KEEPALIVE_MS);
          wake = () => { clearTimeout(timer); resolve(); };
        });
        // A link's or a token's expiry sends no event: the keepalive is when it is noticed.
        await recheck();
        if (!stream.aborted && !stream.closed && !ended) await then(() => stream.write(': keepalive\n\n'));
      }
    } finally {
      unsubscribe();
      release();
    }
  });
});

/** The stream's own events (not stored, no id), typed by the wire contract. */
function streamEvent(e: StreamEvent): { event: string; data: string } {
  return { event: e.type, data: JSON.stringify(e.data) };
}
