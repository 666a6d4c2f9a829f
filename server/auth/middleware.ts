import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { userForApiToken, userForSession, type User } from './users.ts';

export const SESSION_COOKIE = 'assay_session';

/** Finds the caller from the session cookie or a Bearer token; anonymous callers get `null`. */
export function identify(): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const { db } = c.var.services;
    let user: User | null = null;
    const auth = c.req.header('authorization');
    if (auth?.toLowerCase().startsWith('bearer ')) {
      user = await userForApiToken(db, auth.slice(7).trim());
      if (!user) throw new ApiError(401, 'unauthenticated', 'the API token is unknown or revoked');
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) user = await userForSession(db, token);
    }
    c.set('user', user);
    await next();
  };
}

export function requireUser(c: Context<AppEnv>): User {
  const user = c.var.user;
  if (!user) throw new ApiError(401, 'unauthenticated', 'log in first (session cookie or Bearer token)');
  return user;
}
