import postgres from 'postgres';
import { log } from '../log.ts';

type Handler = (payload: string) => void;

// After a lost connection, LISTEN is tried again this often until PostgreSQL answers.
const RETRY_MS = [200, 500, 1000, 2000];

/**
 * This process's LISTEN connection, for every channel it follows (events, cancels), which
 * comes back by itself after PostgreSQL restarts or the connection drops.
 *
 * postgres.js's own `sql.listen` re-LISTENs once when its connection closes; when that one
 * attempt fails (the server is still down) the channel is silently left unlistened for
 * good. Here LISTEN is retried until it succeeds, and `onRelisten` hooks run after every
 * successful re-LISTEN, so a follower can fetch what was notified while nobody listened.
 */
export class Notifications {
  readonly #sql: postgres.Sql;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #onRelisten = new Set<() => void>();
  #listening = false;
  #everListened = false;
  #attempt = 0;
  #retry?: NodeJS.Timeout;
  #stopped = false;

  constructor(url: string) {
    // `onnotify` is postgres.js's own hook for NOTIFY messages (what its `listen` builds on),
    // missing from its type definitions.
    const onnotify = (channel: string, payload: string) => {
      for (const handler of this.#handlers.get(channel) ?? []) handler(payload);
    };
    this.#sql = postgres(url, {
      max: 1,
      // A LISTEN lives exactly as long as its connection: never close it for idleness or age.
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => {},
      onclose: () => this.#lost(),
      ...({ onnotify } as object),
    });
  }

  /** Whether the LISTEN connection is up now (readiness reports it). */
  get listening(): boolean {
    return this.#listening;
  }

  /** Follows `channel`; resolves once the LISTEN is in place. Returns the undo. */
  async listen(channel: string, handler: Handler): Promise<() => void> {
    let set = this.#handlers.get(channel);
    const fresh = !set;
    if (!set) this.#handlers.set(channel, (set = new Set()));
    set.add(handler);
    if (fresh) {
      await this.#sql`listen ${this.#sql(channel)}`;
      this.#listening = true;
      this.#everListened = true;
    }
    return () => {
      set.delete(handler);
    };
  }

  /** Runs `hook` each time LISTEN is back after a lost connection; returns the undo. */
  onRelisten(hook: () => void): () => void {
    this.#onRelisten.add(hook);
    return () => this.#onRelisten.delete(hook);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#sql.end({ timeout: 2 }).catch(() => {});
  }

  #lost(): void {
    if (this.#stopped || !this.#everListened) return;
    if (this.#listening) log.warn('LISTEN connection lost; listening again', {});
    this.#listening = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#retry) return;
    const wait = RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)]!;
    // Kept set while LISTEN is tried, so closes of the failing attempts schedule nothing more.
    this.#retry = setTimeout(async () => {
      const ok = await this.#relisten();
      this.#retry = undefined;
      if (!ok) this.#schedule();
    }, wait);
    this.#retry.unref();
  }

  async #relisten(): Promise<boolean> {
    if (this.#stopped) return true;
    try {
      for (const channel of this.#handlers.keys()) await this.#sql`listen ${this.#sql(channel)}`;
    } catch {
      return false;
    }
    this.#listening = true;
    this.#attempt = 0;
    log.info('listening again', { channels: [...this.#handlers.keys()] });
    for (const hook of this.#onRelisten) hook();
    return true;
  }
}
