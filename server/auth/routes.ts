import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Context } from 'hono';
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
import { weakPasswordReason } from './password-policy.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { API_TOKEN_PREFIX, createSession, credentialsEnded, endSession, SESSION_DAYS, type TokenScope } from './users.ts';
import { idParam } from '../http/params.ts';
import { bodyOf, checkBody, expiryField, says } from '../http/body.ts';
import { z } from 'zod';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MIN_PASSWORD = 8;

const EMAIL_RULE = '"email" must be an email address';
// Request bodies (http/body.ts): checked by these schemas, described by the OpenAPI document.
export const loginBody = z.object({
  email: z.string(says(EMAIL_RULE)).refine((v) => EMAIL.test(v.trim()) && v.length <= 254, says(EMAIL_RULE))
    .transform((v) => v.trim().toLowerCase()).meta({ description: 'the account\'s email address' }),
  password: z.string(says('"password" is required')).max(1024, says('"password" is too long')).meta({ description: 'the password' }),
});

export const signupBody = loginBody.extend({
  password: loginBody.shape.password.meta({ description: `at least ${MIN_PASSWORD} characters, and not one guessed in a few tries` }),
  invite: z.unknown().optional().meta({ type: 'string', description: 'a share link\'s token, when ASSAY_SIGNUP=invite' }),
});

export const passwordBody = z.object({
  currentPassword: z.string(says('"currentPassword" is required')).meta({ description: 'the password now' }),
  revokeTokens: z.boolean(says('"revokeTokens" must be true or false')).optional().meta({ description: 'true: every API token of the account ends too' }),
  // Its rules (length, strength) are newPasswordFrom's, which says which one failed.
  newPassword: z.unknown().meta({ type: 'string', description: `the new password: at least ${MIN_PASSWORD} characters, and not one guessed in a few tries` }),
});

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

/** A password someone chooses: long enough, and not one that is guessed in a few tries (see password-policy.ts). */
async function newPasswordFrom(value: unknown, field: string, email: string): Promise<string> {
  if (typeof value !== 'string' || value.length < MIN_PASSWORD) {
    throw badRequest(`"${field}" must have at least ${MIN_PASSWORD} characters`, { field });
  }
  if (value.length > 1024) throw badRequest(`"${field}" is too long`, { field });
  const weak = await weakPasswordReason(value, [email, email.split('@')[0]!]);
  if (weak) throw new ApiError(400, 'weak_password', weak, { field });
  return value;
}

const MAX_TOKEN_DAYS = 366;

const SCOPE_RULE = '"scope" must be "full" (acts as you) or "read" (GET only)';
export const createTokenBody = z.object({
  // Lenient as it always was: anything but non-empty text is the default name.
  name: z.unknown().optional().transform((v) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : 'API token'))
    .meta({ type: 'string', description: 'what the token is for (at most 100 characters; default "API token")' }),
  scope: z.enum(['full', 'read'], says(SCOPE_RULE)).nullable().optional().transform((v): TokenScope => v ?? 'full')
    .meta({ description: 'full (acts as you; the default) or read (GET only)' }),
  expiresAt: expiryField(MAX_TOKEN_DAYS),
});

/**
 * Counts a password check against an account: per address, per address and account, and
 * per account over all addresses (looser, so that one address cannot lock its owner out cheaply).
 */
function takeLoginAttempt(c: Context<AppEnv>, address: string, email: string): void {
  const perMinute = c.var.services.config.loginsPerMinute;
  attempts.take(c, `login:${address}`, perMinute * 5, 'login attempts from this address');
  attempts.take(c, `login:${address}:${hashSecret(email)}`, perMinute, 'login attempts for this account');
  attempts.take(c, `login-account:${hashSecret(email)}`, perMinute * 5, 'login attempts for this account');
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

/** Checks the password of `row` (or a dummy, so an unknown email takes as long) and starts a session. */
async function signIn(c: Context<AppEnv>, row: typeof users.$inferSelect | undefined, password: string) {
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok) throw new ApiError(401, 'bad_credentials', 'wrong email or password');
  const { token } = await createSession(c.var.services.db, row.id);
  startSessionCookie(c, token);
  return c.json({ id: row.id, email: row.email });
}

export const authRoutes = new Hono<AppEnv>()
  // The page offers signing up as the server will take it: a fresh install's first account always.
  .get('/auth/options', async (c) => c.json({ signup: await isFirstAccount(c.var.services.db) ? 'open' : c.var.services.config.signup }))
  .post('/auth/signup', async (c) => {
    const { db, config } = c.var.services;
    const address = clientAddress(c, config.trustProxy);
    attempts.take(c, `signup:${address}`, config.signupsPerMinute, 'signups from this address');
    const body = await bodyOf(c, signupBody);
    const { email, password } = body;
    await newPasswordFrom(password, 'password', email);
    if (!await maySignUp(db, config.signup, email, body.invite)) {
      throw new ApiError(403, 'signup_closed', config.signup === 'off'
        ? 'signing up is switched off on this server; ask its administrator for an account'
        : 'signing up needs an invitation: a share link or a workspace shared with this email');
    }
    // Signup tells no more than login does. An email that has an account is answered as a
    // login: its own password signs in (200), any other gets login's 401 "wrong email or
    // password". Every signup counts as a password check against the account, so signup
    // is no cheaper oracle than login, and a new and a taken email cost one scrypt each.
    takeLoginAttempt(c, address, email);
    const [existing] = await db.select().from(users).where(eq(users.email, email));
    if (existing) return signIn(c, existing, password);
    const passwordHash = await hashPassword(password);
    const [user] = await db.insert(users).values({ email, passwordHash }).onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    // Made by a signup racing this one: a login like the above.
    if (!user) return signIn(c, (await db.select().from(users).where(eq(users.email, email)))[0], password);
    const { token } = await createSession(db, user.id);
    startSessionCookie(c, token);
    if (c.var.services.config.seedDemo) await seedDemoWorkspace(c.var.services, user);
    return c.json(user, 201);
  })
  .post('/auth/login', async (c) => {
    const { db, config } = c.var.services;
    const { email, password } = await bodyOf(c, loginBody);
    takeLoginAttempt(c, clientAddress(c, config.trustProxy), email);
    const [row] = await db.select().from(users).where(eq(users.email, email));
    return signIn(c, row, password);
  })
  .post('/auth/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    // Its open event streams end too (endSession tells every process).
    if (token) await endSession(c.var.services.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  })
  .get('/me', (c) => c.json(requireUser(c)))
  // Changing the password ends every other session of the account (a thief's, say), and
  // their open streams; this one goes on. With `revokeTokens: true` every API token ends too.
  .post('/auth/password', async (c) => {
    const user = requireUser(c);
    const { db, config } = c.var.services;
    attempts.take(c, `password:${user.id}`, config.loginsPerMinute, 'password attempts');
    const body = await bodyOf(c, passwordBody);
    const next = await newPasswordFrom(body.newPassword, 'newPassword', user.email);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    if (!row || !await verifyPassword(body.currentPassword, row.passwordHash)) {
      throw new ApiError(403, 'bad_credentials', 'the current password is wrong', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(next);
    const current = c.var.credential?.kind === 'session' ? c.var.credential.tokenHash : null;
    const tokensRevoked = await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      await tx.delete(sessions).where(current
        ? and(eq(sessions.userId, user.id), ne(sessions.tokenHash, current))
        : eq(sessions.userId, user.id));
      const revoked = body.revokeTokens === true
        ? await tx.update(apiTokens).set({ revokedAt: new Date() })
          .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id })
        : [];
      await credentialsEnded(tx, user.id);
      return revoked.length;
    });
    return c.json({ ok: true, tokensRevoked });
  })
  // The page's own check: signed out is an answer, not an error (a 401 would be a console error on every visit).
  .get('/session', (c) => c.json({ user: c.var.user ?? null }))
  .get('/tokens', async (c) => {
    const user = requireUser(c);
    const rows = await c.var.services.db
      .select({
        id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt,
        scope: apiTokens.scope, expiresAt: apiTokens.expiresAt,
      })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
    return c.json(rows);
  })
  .post('/tokens', async (c) => {
    const user = requireUser(c);
    // A leaked token must not be able to mint itself successors that outlive its revocation.
    if (c.var.credential?.kind === 'token') {
      throw new ApiError(403, 'token_cannot_make_tokens', 'an API token cannot make API tokens; make them signed in, on the settings page');
    }
    // No body (a bare POST) is a token with the defaults; a body that is there must be good JSON.
    // No body (a bare POST) is a token with the defaults.
    const { name, scope, expiresAt: expiry } = checkBody(createTokenBody, c.req.header('content-type')?.includes('json') ? await jsonBody(c) : {});
    const expiresAt = expiry ?? null;
    const token = newSecret(API_TOKEN_PREFIX);
    const [row] = await c.var.services.db.insert(apiTokens)
      .values({ userId: user.id, name, tokenHash: hashSecret(token), scope, expiresAt })
      .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, scope: apiTokens.scope, expiresAt: apiTokens.expiresAt });
    // The only time the token is shown: it is stored as a hash.
    return c.json({ ...row, token }, 201);
  })
  .delete('/tokens/:tokenId', async (c) => {
    const user = requireUser(c);
    const { db } = c.var.services;
    const [row] = await db.update(apiTokens).set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, idParam(c, 'tokenId', 'token')), eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!row) throw notFound('token');
    // Streams the token holds open end at once.
    await credentialsEnded(db, user.id);
    return c.json({ ok: true });
  });
