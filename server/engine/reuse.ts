import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cellRuns } from '../db/schema.ts';

type Reader = Pick<Db, 'select' | 'selectDistinctOn'>;

/**
 * Results are reused only among the workspaces of one owner (the workspace being run's).
 * The same fingerprint means the same result, but finding one in someone else's workspace
 * would tell the caller, by its speed alone, that someone else holds the same bytes; and
 * anything a result says about its file would be theirs. Within one owner's workspaces
 * the data was the owner's already.
 */
function sameOwnerAs(workspaceId: string): SQL {
  return sql`${cellRuns.workspaceId} in (
    select mine.id from workspaces mine join workspaces run_ws on run_ws.owner_id = mine.owner_id where run_ws.id = ${workspaceId})`;
}

/**
 * The newest finished cell run with this fingerprint, in a workspace of the same owner as
 * `workspaceId`: the same kind, config and inputs give the same result, so it stands in for
 * running again.
 * `withResult: false` skips the result column (a profile's can be megabytes) when only
 * existence or the table matters.
 */
export async function findDone(db: Reader, workspaceId: string, fingerprint: string, { withResult = true } = {}) {
  const [row] = await db
    .select({
      id: cellRuns.id,
      tablePath: cellRuns.tablePath,
      ...(withResult ? { result: cellRuns.result } : {}),
    })
    .from(cellRuns)
    .where(and(eq(cellRuns.fingerprint, fingerprint), eq(cellRuns.status, 'done'), sameOwnerAs(workspaceId)))
    .orderBy(desc(cellRuns.finishedAt))
    .limit(1);
  return row as { id: string; tablePath: string | null; result?: unknown } | undefined;
}

/**
 * For each fingerprint, the newest finished cell run of the same owner's workspaces (id and
 * table, not the result), in one query: what the planner needs to tell which new runs can reuse a result or start at once.
 */
export async function doneByFingerprint(db: Reader, workspaceId: string, fingerprints: string[]) {
  const wanted = [...new Set(fingerprints)];
  if (wanted.length === 0) return new Map<string, { id: string; tablePath: string | null }>();
  const rows = await db.selectDistinctOn([cellRuns.fingerprint], { fingerprint: cellRuns.fingerprint, id: cellRuns.id, tablePath: cellRuns.tablePath })
    .from(cellRuns)
    .where(and(inArray(cellRuns.fingerprint, wanted), eq(cellRuns.status, 'done'), sameOwnerAs(workspaceId)))
    .orderBy(cellRuns.fingerprint, desc(cellRuns.finishedAt));
  return new Map(rows.map((r) => [r.fingerprint, { id: r.id, tablePath: r.tablePath }]));
}

/** The results of these cell runs, by id. */
export async function resultsOf(db: Reader, ids: string[]) {
  if (ids.length === 0) return new Map<string, unknown>();
  const rows = await db.select({ id: cellRuns.id, result: cellRuns.result }).from(cellRuns).where(inArray(cellRuns.id, ids));
  return new Map(rows.map((r) => [r.id, r.result]));
}
