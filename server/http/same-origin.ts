import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const SAFE = /^(GET|HEAD|OPTIONS)$/;

/**
 * Refuses writes a browser sends from another site (CSRF). Browsers mark every
 * cross-origin request with `Origin` or `Sec-Fetch-Site`; scripts using a Bearer token
 * send neither and pass. Unlike Hono's `csrf()`, this also covers JSON and raw-body
 * uploads and compares hosts, so it works behind a TLS-terminating proxy.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async function sameOriginWrites(c, next) {
    if (!SAFE.test(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const host = c.req.header('x-forwarded-host') ?? c.req.header('host');
      const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
      let foreignOrigin = false;
      if (origin !== undefined) {
        try {
          foreignOrigin = origin === 'null' || new URL(origin).host !== host;
        } catch {
          foreignOrigin = true;
        }
      }
      if (crossSite || foreignOrigin) {
        throw new ApiError(403, 'cross_origin', 'cross-site requests may not change anything');
      }
    }
    await next();
  };
}
