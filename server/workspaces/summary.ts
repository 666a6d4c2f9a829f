// What the workspaces page shows beside each title: when its cells last ran, and how its
// rules stand (the latest outcome of every rule cell, added up).
import { sql } from 'drizzle-orm';
import { addRuleCounts, noRuleCounts, type RuleCounts } from '../../rules/summary.ts';
import type { Db } from '../db/client.ts';

export interface WorkspaceSummary { lastRunAt: string | null; rules: RuleCounts | null }

export async function workspaceSummaries(db: Db, ids: string[]): Promise<Map<string, WorkspaceSummary>> {
  const out = new Map<string, WorkspaceSummary>(ids.map((id) => [id, { lastRunAt: null, rules: null }]));
  if (ids.length === 0) return out;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const last = await db.execute<{ workspace_id: string; at: string | Date }>(sql`
    select workspace_id, max(finished_at) as at from cell_runs
    where workspace_id in (${list}) and finished_at is not null group by workspace_id`);
  for (const row of last) out.get(row.workspace_id)!.lastRunAt = new Date(row.at).toISOString();
  // A rule cell that errored counts as one error; its rules' own outcomes are in its summary.
  const rules = await db.execute<{ workspace_id: string; status: string; summary: Partial<RuleCounts> | null }>(sql`
    select distinct on (r.cell_id) r.workspace_id, r.status, r.result->'summary' as summary
    from cell_runs r join cells c on c.id = r.cell_id
    where r.workspace_id in (${list}) and c.kind = 'rule' and r.status in ('done', 'error')
    order by r.cell_id, r.created_at desc`);
  for (const row of rules) {
    const entry = out.get(row.workspace_id)!;
    const counts = entry.rules ??= noRuleCounts();
    if (row.status === 'error') {
      counts.error++;
      continue;
    }
    addRuleCounts(counts, row.summary);
  }
  return out;
}
