import type { Sql } from '../db/client.ts';
import { log } from '../log.ts';
import type { Notifications } from './listen.ts';
import { EVENTS_CHANNEL, type StoredEvent } from './types.ts';

/** One SSE client of this process, as the hub sees it. */
export interface Listener {
  /** A live event, in id order per workspace. */
  deliver(event: StoredEvent): void;
  /** LISTEN is back after a lost connection: fetch what was notified meanwhile, from the last id sent. */
  resync(): void;
  /** The process is stopping: end the stream, telling the client when to reconnect. */
  close(retryMs: number): void;
}

/**
 * Fans events out to this process's SSE clients. Every web process LISTENs, so an
 * event written by any worker reaches every client, whichever process serves it.
 */
export class EventHub {
  readonly #sql: Sql;
  readonly #notifications: Notifications;
  readonly #listeners = new Map<string, Set<Listener>>();
  #unlisten?: () => void;
  // Notifications arrive in commit order; handling them one at a time keeps that order.
  #queue: Promise<void> = Promise.resolve();
  // Per workspace with listeners: the newest event id handed to them.
  readonly #delivered = new Map<string, number>();
  #stopped = false;

  constructor(sql: Sql, notifications: Notifications) {
    this.#sql = sql;
    this.#notifications = notifications;
  }

  async start(): Promise<void> {
    const unlisten = await this.#notifications.listen(EVENTS_CHANNEL, (payload) => this.#enqueue(payload));
    // Events committed while LISTEN was down were never notified here: every client fetches
    // them from the last id it was sent.
    const unhook = this.#notifications.onRelisten(() => {
      this.#delivered.clear();
      for (const set of this.#listeners.values()) for (const listener of set) listener.resync();
    });
    this.#unlisten = () => { unlisten(); unhook(); };
  }

  #enqueue(payload: string): void {
    if (this.#stopped) return;
    this.#queue = this.#queue
      .then(() => this.#onNotify(payload))
      .catch((err) => log.error('event fan-out failed', { err: String(err) }));
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
   * Delivers a workspace's events up to the notified id, from the last one delivered: a
   * fetch that failed (a dropped connection) is made good by the next notification instead
   * of losing its event for good. Ids below the notified one are already committed, since a
   * workspace's events commit in id order (see emit.ts).
   */
  async #onNotify(payload: string): Promise<void> {
    const { id, w } = JSON.parse(payload) as { id: number; w: string };
    const set = this.#listeners.get(w);
    if (!set?.size) {
      this.#delivered.delete(w);
      return;
    }
    const done = this.#delivered.get(w);
    if (done !== undefined && done >= id) return;
    const from = done ?? id - 1;
    let rows: StoredEvent[];
    try {
      rows = await this.#sql<StoredEvent[]>`
        select id, workspace_id as "workspaceId", type, data from events
        where workspace_id = ${w} and id > ${from} and id <= ${id} order by id`;
    } catch (err) {
      // Tried again shortly, and in any case with the workspace's next event.
      log.error('event fan-out failed; trying again', { workspaceId: w, id, err: String(err) });
      this.#delivered.set(w, from);
      setTimeout(() => this.#enqueue(payload), 500).unref();
      return;
    }
    for (const row of rows) {
      const event = { ...row, id: Number(row.id) };
      for (const listener of set) listener.deliver(event);
    }
    this.#delivered.set(w, Math.max(from, ...rows.map((r) => Number(r.id))));
  }
}
