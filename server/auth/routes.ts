import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiTokens, sessions, users, workspaceMembers } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../config.ts';
import { clientAddress, RateLimiter } from '../http/rate-limit.ts';
import { isLiveShareToken } from '../sharing/routes.ts';
import { seedDemoWorkspace } from '../demo/seed.ts';
import { ApiError, badRequest, jsonBody, notFound } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { requireUser, SESSION_COOKIE } from './middleware.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { API_TOKEN_PREFIX, createSession, endSession, SESSION_DAYS } from './users.ts';
import { idParam } from '../http/params.ts';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MIN_PASSWORD = 8;

function credentials(body: Record<string, unknown>): { email: string; password: string } {
  const { email, password } = body;
  if (typeof email !== 'string' || !EMAIL.test(email.trim()) || email.length > 254) {
    throw badRequest('"email" must be an email address', { field: 'email' });
  }
  if (typeof password !== 'string') throw badRequest('"password" is required', { field: 'password' });
  if (password.length > 1024) throw badRequest('"password" is too long', { field: 'password' });
  return { email: email.trim().toLowerCase(), password };
}

const attempts = new RateLimiter();

/** A fresh install has no account yet: its first may always be made, whatever ASSAY_SIGNUP says. */
async function isFirstAccount(db: Db): Promise<boolean> {
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  return !anyone;
}

/** Whether this signup may go ahead under ASSAY_SIGNUP. */
async function maySignUp(db: Db, mode: Config['signup'], email: string, invite: unknown): Promise<boolean> {
  if (mode === 'open' || await isFirstAccount(db)) return true;
  if (mode === 'off') return false;
  const [member] = await db.select({ id: workspaceMembers.id }).from(workspaceMembers).where(eq(workspaceMembers.email, email)).limit(1);
  return Boolean(member) || await isLiveShareToken(db, invite);
}

function newPasswordFrom(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < MIN_PASSWORD) {
    throw badRequest(`"${field}" must have at least ${MIN_PASSWORD} characters`, { field });
  }
  if (value.length > 1024) throw badRequest(`"${field}" is too long`, { field });
  return value;
}

function startSessionCookie(c: Parameters<typeof setCookie>[0], token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    // Behind a TLS-terminating proxy the request arrives as http; the proxy says what the browser used.
    secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
    path: '/',
    maxAge: SESSION_DAYS * 86400,
  });
}

export const authRoutes = new Hono<AppEnv>()
  // The page offers signing up as the server will take it: a fresh install's first account always.
  .get('/auth/options', async (c) => c.json({ signup: await isFirstAccount(c.var.services.db) ? 'open' : c.var.services.config.signup }))
  .post('/auth/signup', async (c) => {
    const { db, config } = c.var.services;
    attempts.take(c, `signup:${clientAddress(c, config.trustProxy)}`, config.signupsPerMinute, 'signups from this address');
    const body = await jsonBody(c);
    const { email, password } = credentials(body);
    newPasswordFrom(password, 'password');
    if (!await maySignUp(db, config.signup, email, body.invite)) {
      throw new ApiError(403, 'signup_closed', config.signup === 'off'
        ? 'signing up is switched off on this server; ask its administrator for an account'
        : 'signing up needs an invitation: a share link or a workspace shared with this email');
    }
    const passwordHash = await hashPassword(password);
    const [user] = await db.insert(users).values({ email, passwordHash }).onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    if (!user) throw new ApiError(409, 'email_taken', 'an account with this email exists; log in instead');
    const { token } = await createSession(db, user.id);
    startSessionCookie(c, token);
    if (c.var.services.config.seedDemo) await seedDemoWorkspace(c.var.services, user.id);
    return c.json(user, 201);
  })
  .post('/auth/login', async (c) => {
    const { db, config } = c.var.services;
    const { email, password } = credentials(await jsonBody(c));
    const address = clientAddress(c, config.trustProxy);
    attempts.take(c, `login:${address}`, config.loginsPerMinute * 5, 'login attempts from this address');
    attempts.take(c, `login:${address}:${hashSecret(email)}`, config.loginsPerMinute, 'login attempts for this account');
    // Guesses spread over many addresses still meet a limit per account (looser, so that one
    // address cannot lock its owner out cheaply).
    attempts.take(c, `login-account:${hashSecret(email)}`, config.loginsPerMinute * 5, 'login attempts for this account');
    const [row] = await db.select().from(users).where(eq(users.email, email));
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok) throw new ApiError(401, 'bad_credentials', 'wrong email or password');
    const { token } = await createSession(db, row.id);
    startSessionCookie(c, token);
    return c.json({ id: row.id, email: row.email });
  })
  .post('/auth/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(c.var.services.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  })
  .get('/me', (c) => c.json(requireUser(c)))
  // Changing the password ends every other session of the account (a thief's, say); this one goes on.
  .post('/auth/password', async (c) => {
    const user = requireUser(c);
    const { db, config } = c.var.services;
    attempts.take(c, `password:${user.id}`, config.loginsPerMinute, 'password attempts');
    const body = await jsonBody(c);
    if (typeof body.currentPassword !== 'string') throw badRequest('"currentPassword" is required', { field: 'currentPassword' });
    const next = newPasswordFrom(body.newPassword, 'newPassword');
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    if (!row || !await verifyPassword(body.currentPassword, row.passwordHash)) {
      throw new ApiError(403, 'bad_credentials', 'the current password is wrong', { field: 'currentPassword' });
    }
    await db.update(users).set({ passwordHash: await hashPassword(next) }).where(eq(users.id, user.id));
    const current = getCookie(c, SESSION_COOKIE);
    await db.delete(sessions).where(current
      ? and(eq(sessions.userId, user.id), ne(sessions.tokenHash, hashSecret(current)))
      : eq(sessions.userId, user.id));
    return c.json({ ok: true });
  })
  // The page's own check: signed out is an answer, not an error (a 401 would be a console error on every visit).
  .get('/session', (c) => c.json({ user: c.var.user ?? null }))
  .get('/tokens', async (c) => {
    const user = requireUser(c);
    const rows = await c.var.services.db
      .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
    return c.json(rows);
  })
  .post('/tokens', async (c) => {
    const user = requireUser(c);
    const body = await jsonBody(c).catch(() => ({}) as Record<string, unknown>);
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 100) : 'API token';
    const token = newSecret(API_TOKEN_PREFIX);
    const [row] = await c.var.services.db.insert(apiTokens)
      .values({ userId: user.id, name, tokenHash: hashSecret(token) })
      .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
    // The only time the token is shown: it is stored as a hash.
    return c.json({ ...row, token }, 201);
  })
  .delete('/tokens/:tokenId', async (c) => {
    const user = requireUser(c);
    const [row] = await c.var.services.db.update(apiTokens).set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, idParam(c, 'tokenId', 'token')), eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!row) throw notFound('token');
    return c.json({ ok: true });
  });
