import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cellRuns } from '../db/schema.ts';

type Reader = Pick<Db, 'select'>;

/**
 * The newest finished cell run with this fingerprint, in any workspace: the same kind,
 * config and inputs give the same result, so it stands in for running again.
 * `withResult: false` skips the result column (a profile's can be megabytes) when only
 * existence or the table matters.
 */
export async function findDone(db: Reader, fingerprint: string, { withResult = true } = {}) {
  const [row] = await db
    .select({
      id: cellRuns.id,
      tablePath: cellRuns.tablePath,
      ...(withResult ? { result: cellRuns.result } : {}),
    })
    .from(cellRuns)
    .where(and(eq(cellRuns.fingerprint, fingerprint), eq(cellRuns.status, 'done')))
    .orderBy(desc(cellRuns.finishedAt))
    .limit(1);
  return row as { id: string; tablePath: string | null; result?: unknown } | undefined;
}
