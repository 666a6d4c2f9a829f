import type { Sql } from '../db/client.ts';
import { log } from '../log.ts';
import type { Notifications } from './listen.ts';
import { AUTH_CHANNEL, EVENTS_CHANNEL, type StoredEvent } from './types.ts';

/** A NOTIFY's payload: an event's id and its workspace. */
interface Notified { id: number; w: string }

/** One SSE client of this process, as the hub sees it. */
export interface Listener {
  /** A live event, in id order per workspace. */
  deliver(event: StoredEvent): void;
  /** LISTEN is back after a lost connection: fetch what was notified meanwhile, from the last id sent. */
  resync(): void;
  /** The process is stopping: end the stream, telling the client when to reconnect. */
  close(retryMs: number): void;
  /** Whose stream it is: their ended sessions and tokens reach it through `credentialsEnded`. */
  readonly userId?: string;
  /** A session or token of the user ended somewhere: check the stream's own still stands. */
  credentialsEnded?(): void;
}

/**
 * Fans events out to this process's SSE clients. Every web process LISTENs, so an
 * event written by any worker reaches every client, whichever process serves it.
 */
export class EventHub {
  readonly #sql: Sql;
  readonly #notifications: Notifications;
  readonly #listeners = new Map<string, Set<Listener>>();
  // Open streams per user, for the limit on them (see claim).
  readonly #streamsOf = new Map<string, number>();
  #unlisten?: () => void;
  // Notifications not yet handled, and whether a pass over them is under way.
  #pending: Notified[] = [];
  #draining = false;
  // Per workspace with listeners: the newest event id handed to them.
  readonly #delivered = new Map<string, number>();
  #stopped = false;

  constructor(sql: Sql, notifications: Notifications) {
    this.#sql = sql;
    this.#notifications = notifications;
  }

  async start(): Promise<void> {
    const unlisten = await this.#notifications.listen(EVENTS_CHANNEL, (payload) => this.#enqueue(payload));
    const unlistenAuth = await this.#notifications.listen(AUTH_CHANNEL, (userId) => this.#credentialsEnded(userId));
    // Events committed while LISTEN was down were never notified here: every client fetches
    // them from the last id it was sent.
    const unhook = this.#notifications.onRelisten(() => {
      this.#delivered.clear();
      for (const set of this.#listeners.values()) for (const listener of set) listener.resync();
    });
    this.#unlisten = () => { unlisten(); unlistenAuth(); unhook(); };
  }

  #credentialsEnded(userId: string): void {
    for (const set of this.#listeners.values()) {
      for (const listener of set) if (listener.userId === userId) listener.credentialsEnded?.();
    }
  }

  /**
   * Takes one of the user's `limit` stream places in this process, or returns null when all
   * are taken. Returns the release, to call once when the stream ends.
   */
  claim(userId: string, limit: number): (() => void) | null {
    const open = this.#streamsOf.get(userId) ?? 0;
    if (open >= limit) return null;
    this.#streamsOf.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#streamsOf.get(userId) ?? 1) - 1;
      if (left > 0) this.#streamsOf.set(userId, left);
      else this.#streamsOf.delete(userId);
    };
  }

  #enqueue(payload: string): void {
    this.#push([JSON.parse(payload) as Notified]);
  }

  #push(notified: Notified[]): void {
    if (this.#stopped) return;
    this.#pending.push(...notified);
    if (this.#draining) return;
    this.#draining = true;
    void (async () => {
      // Notifications arrive in commit order; one pass at a time keeps each workspace's order.
      while (this.#pending.length > 0 && !this.#stopped) {
        await this.#deliver(this.#pending.splice(0)).catch((err) => log.error('event fan-out failed', { err: String(err) }));
      }
      this.#draining = false;
    })();
  }

  /** Stops listening and ends every client's stream with a `retry:` hint, so it reconnects to another process. */
  async stop(retryMs = 1000): Promise<void> {
    this.#stopped = true;
    this.#unlisten?.();
    for (const set of this.#listeners.values()) for (const listener of set) listener.close(retryMs);
    this.#listeners.clear();
  }

  get clientCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  subscribe(workspaceId: string, listener: Listener): () => void {
    let set = this.#listeners.get(workspaceId);
    if (!set) this.#listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(workspaceId) === set) this.#listeners.delete(workspaceId);
    };
  }

  /** Events of a workspace after `afterId`, oldest first: what a reconnecting client missed. */
  async since(workspaceId: string, afterId: number, limit = 10_000): Promise<StoredEvent[]> {
    const rows = await this.#sql<StoredEvent[]>`
      select id, workspace_id as "workspaceId", type, data from events
      where workspace_id = ${workspaceId} and id > ${afterId}
      order by id limit ${limit}`;
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /**
   * Delivers each notified workspace's events up to its newest notified id, from the last one
   * delivered, for every notification that arrived since the last pass in one query: under
   * load (many workspaces, many events) a query per notification queued them up. A fetch that
   * failed (a dropped connection) is tried again, and in any case made good by the workspace's
   * next notification. Ids below a notified one are already committed, since a workspace's
   * events commit in id order (see emit.ts).
   */
  async #deliver(batch: Notified[]): Promise<void> {
    const ranges = new Map<string, { from: number; to: number }>();
    for (const { id, w } of batch) {
      if (!this.#listeners.get(w)?.size) {
        this.#delivered.delete(w);
        continue;
      }
      const done = this.#delivered.get(w);
      if (done !== undefined && done >= id) continue;
      const range = ranges.get(w);
      if (range) range.to = Math.max(range.to, id);
      else ranges.set(w, { from: done ?? id - 1, to: id });
    }
    if (ranges.size === 0) return;
    const wanted = [...ranges].map(([w, { from, to }]) => ({ w, from, to }));
    let rows: StoredEvent[];
    try {
      rows = await this.#sql<StoredEvent[]>`
        select e.id, e.workspace_id as "workspaceId", e.type, e.data
        from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as r(w uuid, "from" bigint, "to" bigint)
        join events e on e.workspace_id = r.w and e.id > r."from" and e.id <= r."to"
        order by e.id`;
    } catch (err) {
      log.error('event fan-out failed; trying again', { workspaces: wanted.length, err: String(err) });
      for (const { w, from } of wanted) this.#delivered.set(w, from);
      setTimeout(() => this.#push(wanted.map(({ w, to }) => ({ w, id: to }))), 500).unref();
      return;
    }
    for (const row of rows) {
      const event = { ...row, id: Number(row.id) };
      for (const listener of this.#listeners.get(event.workspaceId) ?? []) listener.deliver(event);
      this.#delivered.set(event.workspaceId, event.id);
    }
    for (const { w, from } of wanted) if (!this.#delivered.has(w)) this.#delivered.set(w, from);
  }
}
