import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { userForApiToken, userForSession, type User } from './users.ts';

export const SESSION_COOKIE = 'assay_session';
const READS = /^(GET|HEAD|OPTIONS)$/;

/** Finds the caller from the session cookie or a Bearer token; anonymous callers get `null`. */
export function identify(): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const { db } = c.var.services;
    let found: Awaited<ReturnType<typeof userForSession>> = null;
    const auth = c.req.header('authorization');
    if (auth?.toLowerCase().startsWith('bearer ')) {
      found = await userForApiToken(db, auth.slice(7).trim());
      if (!found) throw new ApiError(401, 'unauthenticated', 'the API token is unknown, revoked or expired');
      // A read token may be leaked to a dashboard or a CI log: it never changes anything.
      if (found.credential.kind === 'token' && found.credential.scope === 'read' && !READS.test(c.req.method)) {
        throw new ApiError(403, 'read_only_token', 'this API token may only read (GET); use a token with full access to change things');
      }
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) found = await userForSession(db, token);
    }
    c.set('user', found?.user ?? null);
    c.set('credential', found?.credential ?? null);
    await next();
  };
}

export function requireUser(c: Context<AppEnv>): User {
  const user = c.var.user;
  if (!user) throw new ApiError(401, 'unauthenticated', 'log in first (session cookie or Bearer token)');
  return user;
}
