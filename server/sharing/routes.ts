import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import { hashSecret, newSecret } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { shareGrants, shares, users, workspaceMembers, workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest, notFound } from '../http/errors.ts';
import { bodyOf, expiryField, says } from '../http/body.ts';
import { z } from 'zod';
import { idParam } from '../http/params.ts';
import { originOf } from '../http/origin.ts';
import { accessChanged, workspaceFor } from '../workspaces/access.ts';
import { audit, auditTrail } from './audit.ts';

export const SHARE_PREFIX = 'assay_s_';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MAX_EXPIRY_DAYS = 366;

const ROLE_RULE = '"role" must be "view" or "edit"';
const roleField = z.enum(['view', 'edit'], says(ROLE_RULE)).meta({ description: 'view (read only) or edit' });

// Request bodies (http/body.ts): checked by these schemas, described by the OpenAPI document.
export const createShareBody = z.object({
  role: roleField,
  expiresAt: expiryField(MAX_EXPIRY_DAYS),
  label: z.string(says('"label" must be text of at most 100 characters')).max(100, says('"label" must be text of at most 100 characters'))
    .nullable().optional().transform((v) => v?.trim() ?? '').meta({ description: 'a note on who the link is for (at most 100 characters)' }),
});

const EMAIL_RULE = '"email" must be an email address';
export const addMemberBody = z.object({
  email: z.string(says(EMAIL_RULE)).transform((v) => v.trim().toLowerCase())
    .refine((v) => EMAIL.test(v) && v.length <= 254, says(EMAIL_RULE)).meta({ description: 'the person\'s email: the workspace is theirs to open once they sign in with it' }),
  role: roleField,
});

/** A share token: any other value is "no such link" (404), never a 400 that tells a token's form. */
export const tokenBody = z.object({
  token: z.unknown().meta({ type: 'string', description: 'the share link\'s token (assay_s_…), sent in the body so it stays out of access logs' }),
});

type LinkState = 'live' | 'revoked' | 'expired';
const stateOf = (s: { revokedAt: Date | null; expiresAt: Date | null }): LinkState =>
  s.revokedAt ? 'revoked' : s.expiresAt && s.expiresAt.getTime() <= Date.now() ? 'expired' : 'live';

/** The link a token names, with its workspace and owner; a revoked or expired one says so. */
async function linkFor(db: Db, body: Record<string, unknown>) {
  const token = body.token;
  if (typeof token !== 'string' || !token.startsWith(SHARE_PREFIX) || token.length > 200) throw notFound('share link');
  const [row] = await db.select({ share: shares, title: workspaces.title, ownerId: workspaces.ownerId, ownerEmail: users.email })
    .from(shares).innerJoin(workspaces, eq(workspaces.id, shares.workspaceId)).innerJoin(users, eq(users.id, workspaces.ownerId))
    .where(eq(shares.tokenHash, hashSecret(token)));
  if (!row) throw notFound('share link');
  const state = stateOf(row.share);
  if (state !== 'live') throw new ApiError(410, `link_${state}`, `this share link was ${state === 'revoked' ? 'revoked' : 'valid until ' + row.share.expiresAt!.toISOString()}; ask for a new one`);
  return row;
}

/** Whether a share-link token may stand as the invitation ASSAY_SIGNUP=invite asks for. */
export async function isLiveShareToken(db: Db, token: unknown): Promise<boolean> {
  try {
    await linkFor(db, { token });
    return true;
  } catch {
    return false;
  }
}

export const sharingRoutes = new Hono<AppEnv>()
  .post('/workspaces/:id/shares', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'share');
    const { role, expiresAt: expiry, label } = await bodyOf(c, createShareBody);
    const expiresAt = expiry ?? null;
    const token = newSecret(SHARE_PREFIX);
    const { db } = c.var.services;
    // The change and its audit line commit together, or neither does.
    const share = await db.transaction(async (tx) => {
      const [made] = await tx.insert(shares).values({ workspaceId: workspace.id, tokenHash: hashSecret(token), role, label, expiresAt, createdBy: user.id })
        .returning();
      await audit(tx, workspace.id, user, 'link.created', { shareId: made!.id, role, label, expiresAt });
      return made;
    });
    // The only time the token is shown: it is stored as a hash.
    return c.json({
      id: share!.id, token, url: `${originOf(c)}/s/${token}`, role, label, expiresAt, createdAt: share!.createdAt, createdBy: { email: user.email },
    }, 201);
  })
  .get('/workspaces/:id/shares', async (c) => {
    const { workspace } = await workspaceFor(c, 'share');
    const rows = await c.var.services.db.select({ share: shares, createdBy: users.email }).from(shares)
      .leftJoin(users, eq(users.id, shares.createdBy))
      .where(eq(shares.workspaceId, workspace.id)).orderBy(desc(shares.createdAt));
    return c.json(rows.map(({ share: s, createdBy }) => ({
      id: s.id, role: s.role, label: s.label, createdAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: s.revokedAt,
      state: stateOf(s), createdBy: createdBy ? { email: createdBy } : null,
    })));
  })
  .delete('/workspaces/:id/shares/:shareId', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'share');
    const { db } = c.var.services;
    const shareId = idParam(c, 'shareId', 'share link');
    const ofWorkspace = and(eq(shares.id, shareId), eq(shares.workspaceId, workspace.id));
    // Only the request that revokes it writes the audit line: two at once log one revocation.
    const revoked = await db.transaction(async (tx) => {
      const [row] = await tx.update(shares).set({ revokedAt: new Date() }).where(and(ofWorkspace, isNull(shares.revokedAt))).returning();
      if (row) {
        await audit(tx, workspace.id, user, 'link.revoked', { shareId: row.id, role: row.role, label: row.label });
        await accessChanged(tx, workspace.id);
      }
      return row;
    });
    if (!revoked && !(await db.select({ id: shares.id }).from(shares).where(ofWorkspace)).length) throw notFound('share link');
    return c.json({ ok: true });
  })
  .get('/workspaces/:id/members', async (c) => {
    const { workspace } = await workspaceFor(c, 'share');
    const rows = await c.var.services.db.select({ member: workspaceMembers, userId: users.id }).from(workspaceMembers)
      .leftJoin(users, eq(users.email, workspaceMembers.email))
      .where(eq(workspaceMembers.workspaceId, workspace.id)).orderBy(asc(workspaceMembers.email));
    return c.json(rows.map(({ member: m, userId }) => ({ id: m.id, email: m.email, role: m.role, createdAt: m.createdAt, hasAccount: userId !== null })));
  })
  .post('/workspaces/:id/members', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'share');
    const { email, role } = await bodyOf(c, addMemberBody);
    const { db } = c.var.services;
    const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, workspace.ownerId));
    if (owner?.email === email) throw badRequest(`${email} owns this workspace`, { field: 'email' });
    const member = await db.transaction(async (tx) => {
      const [row] = await tx.insert(workspaceMembers).values({ workspaceId: workspace.id, email, role, createdBy: user.id })
        .onConflictDoUpdate({ target: [workspaceMembers.workspaceId, workspaceMembers.email], set: { role } })
        .returning();
      await audit(tx, workspace.id, user, 'member.added', { email, role });
      await accessChanged(tx, workspace.id);
      return row;
    });
    return c.json({ id: member!.id, email, role, createdAt: member!.createdAt }, 201);
  })
  .delete('/workspaces/:id/members/:memberId', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'share');
    const { db } = c.var.services;
    const memberId = idParam(c, 'memberId', 'member');
    const removed = await db.transaction(async (tx) => {
      const [row] = await tx.delete(workspaceMembers).where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, workspace.id))).returning();
      if (row) {
        await audit(tx, workspace.id, user, 'member.removed', { email: row.email, role: row.role });
        await accessChanged(tx, workspace.id);
      }
      return row;
    });
    if (!removed) throw notFound('member');
    return c.json({ ok: true });
  })
  .get('/workspaces/:id/audit', async (c) => {
    const { workspace } = await workspaceFor(c, 'owner');
    return c.json(await auditTrail(c.var.services.db, workspace.id));
  })
  // The token travels in the body, not the path, so it does not land in access logs.
  // Anyone holding a live link may see what it opens before logging in.
  .post('/shares/preview', async (c) => {
    const link = await linkFor(c.var.services.db, await bodyOf(c, tokenBody));
    return c.json({ workspace: { id: link.share.workspaceId, title: link.title }, role: link.share.role, owner: { email: link.ownerEmail }, expiresAt: link.share.expiresAt });
  })
  .post('/shares/accept', async (c) => {
    const user = requireUser(c);
    const { db } = c.var.services;
    const link = await linkFor(db, await bodyOf(c, tokenBody));
    const workspaceId = link.share.workspaceId;
    if (link.ownerId !== user.id) {
      const [fresh] = await db.insert(shareGrants).values({ shareId: link.share.id, userId: user.id }).onConflictDoNothing().returning();
      if (fresh) await audit(db, workspaceId, user, 'link.opened', { shareId: link.share.id, role: link.share.role, label: link.share.label });
    }
    return c.json({ workspaceId, role: link.share.role });
  });
