import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/middleware.ts';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';
import { browserOrigin } from './origin.ts';

const SAFE = /^(GET|HEAD|OPTIONS)$/;

/**
 * The header the web UI (web/api.ts) and scripts using the session cookie send with every
 * write. An HTML form cannot set a header, and a cross-site script cannot set one without
 * a CORS preflight this server never grants; JSON alone would not do, since uploads are
 * raw bodies or multipart forms, which a form can send.
 */
export const CLIENT_HEADER = 'x-assay-client';

/**
 * Refuses writes a browser sends from another site (CSRF). Browsers mark cross-origin
 * requests with `Origin` or `Sec-Fetch-Site`; a cookie-carrying write with neither (an old
 * browser, a privacy extension stripping them) must carry CLIENT_HEADER instead. Scripts
 * using a Bearer token carry no cookie and pass. Unlike Hono's `csrf()`, this also covers
 * JSON and raw-body uploads, and compares hosts (X-Forwarded-Host only with ASSAY_TRUST_PROXY=1).
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async function sameOriginWrites(c, next) {
    if (!SAFE.test(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const { host } = browserOrigin(c);
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
      const unmarked = site === undefined && origin === undefined;
      const byCookie = getCookie(c, SESSION_COOKIE) !== undefined && !c.req.header('authorization');
      if (unmarked && byCookie && !c.req.header(CLIENT_HEADER)) {
        throw new ApiError(403, 'cross_origin',
          `a write with the session cookie but neither Origin nor Sec-Fetch-Site must send the header "X-Assay-Client" (any value), which a form from another site cannot send`);
      }
    }
    await next();
  };
}
