import { eq, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import type { User } from '../auth/users.ts';
import type { Db } from '../db/client.ts';
import { workspaces } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { idParam } from '../http/params.ts';
import { emit } from '../events/emit.ts';

/** What someone holds on a workspace: its owner, or a share's role (by link or by email). */
export type Role = 'view' | 'edit' | 'owner';
/** What a route needs: `share` is creating and revoking shares (the owner, or an editor if the owner allows). */
export type Access = 'view' | 'edit' | 'share' | 'owner';

type Workspace = typeof workspaces.$inferSelect;

const RANK: Record<Role, number> = { view: 1, edit: 2, owner: 3 };

/**
 * Every role the user holds, one row per source: ownership, each live link they opened
 * (neither revoked nor expired: both are checked on every request, so revoking a link
 * or reaching its expiry ends the access of everyone who opened it), and shares by email.
 */
function rolesOf(user: User, workspaceId?: string): SQL {
  const only = (column: SQL) => (workspaceId ? sql`and ${column} = ${workspaceId}` : sql``);
  return sql`
    select w.id as workspace_id, 'owner' as role from workspaces w where w.owner_id = ${user.id} ${only(sql`w.id`)}
    union all
    select s.workspace_id, s.role from share_grants g join shares s on s.id = g.share_id
      where g.user_id = ${user.id} and s.revoked_at is null and (s.expires_at is null or s.expires_at > now()) ${only(sql`s.workspace_id`)}
    union all
    select m.workspace_id, m.role from workspace_members m where m.email = ${user.email} ${only(sql`m.workspace_id`)}`;
}

const best = (roles: string[]): Role | null =>
  roles.reduce<Role | null>((a, r) => (r in RANK && (!a || RANK[r as Role] > RANK[a]) ? (r as Role) : a), null);

/** The caller's strongest role on one workspace, or null when they have none. */
export async function roleOn(db: Db, workspaceId: string, user: User): Promise<Role | null> {
  const rows = await db.execute<{ role: string }>(rolesOf(user, workspaceId));
  return best(rows.map((r) => r.role));
}

export const canShare = (role: Role, ws: Pick<Workspace, 'editorsCanShare'>) => role === 'owner' || (role === 'edit' && ws.editorsCanShare);

/** Every workspace the user may open, with their role and the owner's email, newest change first. */
export async function accessibleWorkspaces(db: Db, user: User) {
  const rows = await db.execute<{ id: string; title: string; version: number; created_at: Date; updated_at: Date; role: Role; owner_email: string }>(sql`
    with mine as (${rolesOf(user)}),
    strongest as (
      select workspace_id,
             case when bool_or(role = 'owner') then 'owner' when bool_or(role = 'edit') then 'edit' else 'view' end as role
      from mine group by workspace_id
    )
    select w.id, w.title, w.version, w.created_at, w.updated_at, s.role, u.email as owner_email
    from strongest s join workspaces w on w.id = s.workspace_id join users u on u.id = w.owner_id
    order by w.updated_at desc, w.title`);
  return rows.map((r) => ({
    id: r.id, title: r.title, version: r.version, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
    role: r.role, owner: { email: r.owner_email },
  }));
}

const NEEDS: Record<Access, string> = {
  view: 'view access',
  edit: 'edit access',
  share: 'the owner, or an editor the owner lets share',
  owner: 'the owner',
};

/**
 * The workspace `workspaceId`, if the caller may do `need` to it. Someone with no role at
 * all gets 404, like a missing workspace: ids never reveal what exists. Someone with a
 * weaker role gets 403 saying what they hold (they already know the workspace exists).
 * For routes whose ids do not sit under /workspaces/:id (a run, say): look up the row's
 * workspace id first, then call this.
 */
export async function workspaceAccess(c: Context<AppEnv>, workspaceId: string, need: Access) {
  const user = requireUser(c);
  const { db } = c.var.services;
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  const role = ws ? (ws.ownerId === user.id ? 'owner' : await roleOn(db, ws.id, user)) : null;
  if (!ws || !role) throw notFound('workspace');
  const allowed = need === 'share' ? canShare(role, ws) : RANK[role] >= RANK[need];
  if (!allowed) {
    throw new ApiError(403, 'forbidden', `you have ${role} access to this workspace; this needs ${NEEDS[need]}`, { role });
  }
  return { workspace: ws, user, role, canShare: canShare(role, ws) };
}

/** The workspace named by the path's `:id`, if the caller may do `need` to it (see workspaceAccess). */
export function workspaceFor(c: Context<AppEnv>, need: Access) {
  return workspaceAccess(c, idParam(c, 'id', 'workspace'), need);
}

/**
 * Tells open pages and streams that who may do what changed. No new version: nobody's edit in
 * flight becomes a conflict; pages refetch and streams recheck on the `access` reason.
 */
export async function accessChanged(db: Pick<Db, 'select' | 'execute'>, workspaceId: string): Promise<void> {
  const [ws] = await db.select({ version: workspaces.version }).from(workspaces).where(eq(workspaces.id, workspaceId));
  await emit(db, workspaceId, { type: 'workspace.changed', data: { version: ws?.version ?? 0, reason: 'access' } });
}
