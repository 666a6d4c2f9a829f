// What the workspaces page shows beside each title: when its cells last ran, and how its
// rules stand (the latest outcome of every rule cell, added up).
import { sql } from 'drizzle-orm';
import { checkKinds } from '../../cells/registry.ts';
import { addRuleCounts, noRuleCounts, type RuleCounts } from '../../cells/shared/rule-counts.ts';
import type { Db } from '../db/client.ts';

/** `running`: a cell of it is queued or running now (a new account's demo, right after signup). */
export interface WorkspaceSummary { lastRunAt: string | null; running: boolean; rules: RuleCounts | null }

export async function workspaceSummaries(db: Db, ids: string[]): Promise<Map<string, WorkspaceSummary>> {
  const out = new Map<string, WorkspaceSummary>(ids.map((id) => [id, { lastRunAt: null, running: false, rules: null }]));
  if (ids.length === 0) return out;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  // A viewer's own run with values of theirs (runs/personal.ts) is not the notebook's state.
  const notebooks = sql`not exists (select 1 from runs x where x.id = r.run_id and x.personal_for is not null)`;
  // Through cells: cell_runs is indexed by cell, not by workspace (both queries run on every home page).
  const last = await db.execute<{ workspace_id: string; at: string | Date | null; running: boolean }>(sql`
    select c.workspace_id, max(r.finished_at) as at, bool_or(r.status in ('queued', 'running')) as running
    from cells c join cell_runs r on r.cell_id = c.id
    where c.workspace_id in (${list}) and ${notebooks} group by c.workspace_id`);
  for (const row of last) {
    const entry = out.get(row.workspace_id)!;
    if (row.at) entry.lastRunAt = new Date(row.at).toISOString();
    entry.running = Boolean(row.running);
  }
  // A rule cell that errored counts as one error; its rules' own outcomes are in its summary.
  const checking = checkKinds();
  if (checking.length === 0) return out;
  const kindList = sql.join(checking.map((k) => sql`${k}`), sql`, `);
  const rules = await db.execute<{ workspace_id: string; status: string; summary: Partial<RuleCounts> | null }>(sql`
    select distinct on (r.cell_id) c.workspace_id, r.status, r.result->'summary' as summary
    from cells c join cell_runs r on r.cell_id = c.id
    where c.workspace_id in (${list}) and c.kind in (${kindList}) and r.status in ('done', 'error') and ${notebooks}
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
