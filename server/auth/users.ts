import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiTokens, sessions, users } from '../db/schema.ts';
import { AUTH_CHANNEL } from '../events/types.ts';
import { hashSecret, newSecret } from './tokens.ts';

export interface User {
  id: string;
  email: string;
}

export type TokenScope = 'full' | 'read';

/**
 * What a request proved who it is with: a session cookie or an API token. An open event
 * stream keeps it, and ends when it ends (logout, a password change, a revoke, an expiry).
 */
export type Credential =
  | { kind: 'session'; tokenHash: string }
  | { kind: 'token'; id: string; scope: TokenScope };

export const SESSION_DAYS = 30;
export const API_TOKEN_PREFIX = 'assay_';

export async function createSession(db: Db, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await db.insert(sessions).values({ tokenHash: hashSecret(token), userId, expiresAt });
  return { token, expiresAt };
}

export async function userForSession(db: Db, token: string): Promise<{ user: User; credential: Credential } | null> {
  const tokenHash = hashSecret(token);
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
  return row ? { user: row, credential: { kind: 'session', tokenHash } } : null;
}

export async function endSession(db: Db, token: string): Promise<void> {
  const [ended] = await db.delete(sessions).where(eq(sessions.tokenHash, hashSecret(token))).returning({ userId: sessions.userId });
  if (ended) await credentialsEnded(db, ended.userId);
}

/** A token that is neither revoked nor past its expiry. */
const liveToken = () => and(isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)));

export async function userForApiToken(db: Db, token: string): Promise<{ user: User; credential: Credential } | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), liveToken()))
    .returning({ id: apiTokens.id, userId: apiTokens.userId, scope: apiTokens.scope });
  if (!row) return null;
  const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, row.userId));
  return user ? { user, credential: { kind: 'token', id: row.id, scope: row.scope === 'read' ? 'read' : 'full' } } : null;
}

/** Whether the session or token a stream was opened with still stands. */
export async function credentialIsLive(db: Db, credential: Credential): Promise<boolean> {
  const rows = credential.kind === 'session'
    ? await db.select({ one: sessions.userId }).from(sessions)
      .where(and(eq(sessions.tokenHash, credential.tokenHash), gt(sessions.expiresAt, new Date())))
    : await db.select({ one: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.id, credential.id), liveToken()));
  return rows.length > 0;
}

/**
 * Tells every process that some session or token of this user ended, so their open
 * streams recheck theirs at once (inside a transaction, the NOTIFY goes out at commit).
 */
export async function credentialsEnded(db: Pick<Db, 'execute'>, userId: string): Promise<void> {
  await db.execute(sql`select pg_notify(${AUTH_CHANNEL}, ${userId})`);
}
