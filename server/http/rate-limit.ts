import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { ApiError } from './errors.ts';

/**
 * Fixed-window counters kept in this process's memory: enough to slow password guessing
 * and signup floods from one address. Several web processes each count on their own, so
 * the effective limit is per process.
 */
export class RateLimiter {
  readonly #hits = new Map<string, { count: number; resetAt: number }>();
  readonly #windowMs: number;

  constructor(windowMs = 60_000) {
    this.#windowMs = windowMs;
  }

  /** Counts one attempt under `key`; throws 429 with Retry-After once `limit` is passed. */
  take(c: Context, key: string, limit: number, what: string): void {
    const now = Date.now();
    if (this.#hits.size > 10_000) for (const [k, v] of this.#hits) if (v.resetAt <= now) this.#hits.delete(k);
    let hit = this.#hits.get(key);
    if (!hit || hit.resetAt <= now) this.#hits.set(key, (hit = { count: 0, resetAt: now + this.#windowMs }));
    hit.count++;
    if (hit.count > limit) {
      const seconds = Math.max(1, Math.ceil((hit.resetAt - now) / 1000));
      c.header('Retry-After', String(seconds));
      throw new ApiError(429, 'rate_limited', `too many ${what}; try again in ${seconds} s`, { retryAfter: seconds });
    }
  }
}

/** The client's address: the socket's, or behind a trusted proxy the first X-Forwarded-For entry. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
