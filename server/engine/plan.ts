import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cellRuns, cells, files, runs, workspaces } from '../db/schema.ts';
import { emit } from '../events/emit.ts';
import type { Services } from '../services.ts';
import { analyse, type CellRow } from './analyse.ts';
import { advance } from './advance.ts';
import { findDone } from './reuse.ts';

export interface PlanOptions {
  trigger: 'edit' | 'upload' | 'run' | 'create' | 'seed';
  userId?: string | null;
  /** Also re-run cells whose last run failed, was marked stale or was cancelled, with unchanged inputs. */
  force?: boolean;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Brings a workspace's results up to date with its cells: every cell whose fingerprint
 * differs from its latest run (so an edited cell and everything downstream of it) gets a
 * new cell run in one new run; a result with the same fingerprint is reused at once.
 * Returns the run id, or null when everything is already current.
 */
export async function planRun(services: Services, workspaceId: string, opts: PlanOptions): Promise<string | null> {
  const { runId, superseded } = await services.db.transaction(async (tx) => {
    // One planner per workspace at a time, so two quick edits cannot both plan the same cell.
    await tx.execute(sql`select id from ${workspaces} where id = ${workspaceId} for update`);
    return planInTransaction(tx, workspaceId, opts);
  });
  if (superseded.length) await services.jobs.cancel(superseded);
  if (runId) await advance(services, workspaceId);
  return runId;
}

async function planInTransaction(tx: Tx, workspaceId: string, opts: PlanOptions) {
  const rows: CellRow[] = await tx
    .select({ id: cells.id, name: cells.name, kind: cells.kind, config: cells.config, fileId: cells.fileId, fileSha256: files.sha256 })
    .from(cells)
    .leftJoin(files, eq(files.id, cells.fileId))
    .where(eq(cells.workspaceId, workspaceId))
    .orderBy(cells.position);
  const { graph, plans } = analyse(rows);
  const latest = await latestRuns(tx, rows.map((r) => r.id));

  const targets = graph.order.filter((id) => {
    const plan = plans.get(id)!;
    if (plan.state === 'waiting') return false;
    const last = latest.get(id);
    if (!last || last.fingerprint !== plan.fingerprint || last.status === 'cancelled') return true;
    return Boolean(opts.force) && (last.status === 'error' || last.status === 'stale');
  });
  if (targets.length === 0) return { runId: null, superseded: [] as string[] };

  const [run] = await tx.insert(runs).values({ workspaceId, trigger: opts.trigger, userId: opts.userId ?? null })
    .returning({ id: runs.id });
  const runId = run!.id;
  const superseded = await tx.update(cellRuns)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(and(inArray(cellRuns.cellId, targets), inArray(cellRuns.status, ['queued', 'running'])))
    .returning({ id: cellRuns.id, cellId: cellRuns.cellId, runId: cellRuns.runId, jobId: cellRuns.jobId });
  for (const s of superseded) {
    await emit(tx, workspaceId, { type: 'cell.status', data: { cellId: s.cellId, runId: s.runId, status: 'cancelled', progress: 0 } });
  }

  const configs = new Map(rows.map((r) => [r.id, r]));
  for (const cellId of targets) {
    const plan = plans.get(cellId)!;
    const cell = configs.get(cellId)!;
    const base = {
      runId, workspaceId, cellId, kind: cell.kind, fingerprint: plan.fingerprint,
      config: cell.config, fileId: cell.fileId, inputs: plan.inputs,
    };
    if (plan.state === 'error' || plan.state === 'stale') {
      await tx.insert(cellRuns).values({ ...base, status: plan.state, error: plan.error, finishedAt: new Date() });
      await emit(tx, workspaceId, plan.state === 'error'
        ? { type: 'cell.error', data: { cellId, runId, error: plan.error } }
        : { type: 'cell.status', data: { cellId, runId, status: 'stale', progress: 0, reason: plan.error } });
      continue;
    }
    const done = await findDone(tx, plan.fingerprint);
    if (done) {
      const now = new Date();
      await tx.insert(cellRuns).values({
        ...base, status: 'done', progress: 1, result: done.result, tablePath: done.tablePath,
        reusedFrom: done.id, startedAt: now, finishedAt: now,
      });
      await emit(tx, workspaceId, { type: 'cell.result', data: { cellId, runId, status: 'done', result: done.result, reused: true } });
      continue;
    }
    await tx.insert(cellRuns).values({ ...base, status: 'queued' });
    await emit(tx, workspaceId, { type: 'cell.status', data: { cellId, runId, status: 'queued', progress: 0 } });
  }
  return { runId, superseded: superseded.filter((s) => s.jobId).map((s) => s.id) };
}

/** The newest cell run of each cell. */
async function latestRuns(tx: Tx, cellIds: string[]) {
  if (cellIds.length === 0) return new Map<string, { fingerprint: string; status: string }>();
  const rows = await tx.selectDistinctOn([cellRuns.cellId], {
    cellId: cellRuns.cellId, fingerprint: cellRuns.fingerprint, status: cellRuns.status,
  })
    .from(cellRuns)
    .where(inArray(cellRuns.cellId, cellIds))
    .orderBy(cellRuns.cellId, desc(cellRuns.createdAt));
  return new Map(rows.map((r) => [r.cellId, r]));
}
