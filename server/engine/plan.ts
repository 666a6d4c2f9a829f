import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { OwnFacts } from '../../cells/kind.ts';
import type { CellErrorData } from '../../cells/wire.ts';
import { kindOf } from '../../cells/registry.ts';
import { summaryLine } from '../notebook/summary-line.ts';
import type { Tx } from '../db/client.ts';
import { auditEvents, cellRuns, cells, files, runs, workspaces } from '../db/schema.ts';
import { emitMany, EVENTS_LOCK } from '../events/emit.ts';
import type { AssayEvent } from '../events/types.ts';
import type { Services } from '../services.ts';
import { advance } from './advance.ts';
import { logSent, sendJobs } from './send.ts';
import { analyse, type CellRow, type InputRef } from '../notebook/analyse.ts';
import { applyParams } from '../notebook/params.ts';
import { announceCancelled } from './cancels.ts';
import { doneByFingerprint, resultsOf } from './reuse.ts';

export interface PlanOptions {
  /** `files`: a rerun on new files from the page; `api`: the same by a script with an API token; `schedule`: a scheduled rerun. */
  /** `restore`: an upload cell went back to its previous file because the new one failed (server/files/keep-previous.ts). */
  trigger: 'edit' | 'upload' | 'run' | 'create' | 'seed' | 'files' | 'api' | 'schedule' | 'personal' | 'restore';
  userId?: string | null;
  /** Also re-run cells whose last run failed, was marked stale or was cancelled, with unchanged inputs. */
  force?: boolean;
  /**
   * Give every cell a cell run in the new run, even one whose result is current (it reuses that
   * result at once): a rerun on new files is a complete record of the notebook, and a run is
   * made even when nothing changed.
   */
  all?: boolean;
  /** Values for input cells by name (server/notebook/params.ts), checked already: this run plans them with `value:` set. */
  params?: Record<string, unknown>;
  /**
   * A viewer's own run (server/runs/personal.ts): recorded as theirs (runs.personal_for), it
   * never becomes the notebook's latest, and it supersedes only their own earlier one.
   */
  personalFor?: string;
  /**
   * A word for a cell's new cell run, by cell id: why its file went back (a `file_refused`
   * notice). Stored in the run's error column, which for a cell that is not in error holds a
   * reason, and sent with its outcome event, so the page says it until the cell runs again.
   */
  notes?: Map<string, CellErrorData>;
}

/** What a plan left for after its commit. */
export interface Planned {
  runId: string | null;
  /** Cell runs a newer plan cancelled, whose pg-boss jobs are to be cancelled too. */
  superseded: string[];
  /** Whether some cell run waits for an input still being computed. */
  waiting: boolean;
  /** Cell runs whose jobs the plan sent. */
  sent: string[];
}

// lockWorkspace, planInTransaction and afterPlan are the steps of changeWorkspace
// (server/workspaces/change.ts), the one way in for a change; nothing else calls them.

/**
 * Locks a workspace for a change or a plan, to the end of the transaction; its version, or
 * undefined when there is no such workspace. One planner per workspace at a time, so two
 * quick edits cannot both plan the same cell.
 *
 * Locks are always taken in this order: the workspace row, then the events lock (see
 * emit.ts), then cell and cell-run rows. A worker takes the events lock before a cell-run
 * row (see settle), so neither can wait for the other in a circle. The row lock is NO KEY
 * UPDATE, not UPDATE: inserting an event share-locks the workspace row through its foreign
 * key, and FOR UPDATE here deadlocked with a worker writing an event (the engine tests' old
 * flake, in which an outcome event or an edit was lost to PostgreSQL's deadlock detector).
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<number | undefined> {
  const rows = await tx.execute<{ version: number }>(sql`
    with w as (select version from ${workspaces} where id = ${workspaceId} for no key update)
    select version, pg_advisory_xact_lock(${EVENTS_LOCK}, hashtext(${workspaceId}))::text as locked from w`);
  return rows[0]?.version;
}

/**
 * Every cell whose fingerprint differs from its latest run (so an edited cell and everything
 * downstream of it) gets a new cell run in one new run; a result with the same fingerprint
 * is reused at once. A cell run whose inputs are all done is handed to pg-boss in the same
 * transaction, so its job exists exactly when its row does and starts the moment the change
 * commits; one whose inputs are still running waits for advance(). The caller holds the
 * workspace row's lock.
 */
/**
 * Names of the workspace's recently deleted cells (the audit trail's last 100 deletes): a cell
 * that still reads one says it was deleted, not that the name is unknown (issue 23, item 9).
 */
async function deletedNames(tx: Tx, workspaceId: string): Promise<Set<string>> {
  const rows = await tx.select({ name: sql<string>`${auditEvents.detail}->>'name'` }).from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, workspaceId), eq(auditEvents.action, 'cell.deleted')))
    .orderBy(desc(auditEvents.id)).limit(100);
  return new Set(rows.map((r) => r.name).filter(Boolean));
}

export async function planInTransaction(tx: Tx, services: Services, workspaceId: string, opts: PlanOptions): Promise<Planned> {
  let rows: (CellRow & { fileName: string | null; fileSize: number | null })[] = await tx
    .select({
      id: cells.id, name: cells.name, kind: cells.kind, config: cells.config,
      fileId: cells.fileId, fileSha256: files.sha256, fileName: files.name, fileSize: files.size,
    })
    .from(cells)
    .leftJoin(files, eq(files.id, cells.fileId))
    .where(eq(cells.workspaceId, workspaceId))
    .orderBy(cells.position);
  // A run given values plans its input cells with them; the cells' saved configs stay as they are.
  if (opts.params && Object.keys(opts.params).length) rows = applyParams(rows, opts.params);
  const latest = await latestRuns(tx, rows.map((r) => r.id));
  const { graph, plans } = analyse(rows, new Map([...latest].map(([id, r]) => [id, r.inputs as InputRef[]])), await deletedNames(tx, workspaceId));

  const targets = graph.order.filter((id) => {
    const plan = plans.get(id)!;
    if (plan.state === 'waiting') return false;
    const last = latest.get(id);
    if (opts.all) return true;
    if (!last || last.fingerprint !== plan.fingerprint || last.status === 'cancelled') return true;
    return Boolean(opts.force) && (last.status === 'error' || last.status === 'stale');
  });
  if (targets.length === 0) return { runId: null, superseded: [], waiting: false, sent: [] };

  // Stamped when written, not when the transaction began: plans of a workspace are ordered by
  // its lock, not by their start, and "a cell's latest run" must be the last plan's.
  const planned = sql`clock_timestamp()`;
  const [run] = await tx.insert(runs).values({
    workspaceId, trigger: opts.trigger, userId: opts.userId ?? null, createdAt: planned, params: opts.params ?? {}, personalFor: opts.personalFor ?? null,
  })
    .returning({ id: runs.id });
  const runId = run!.id;
  const superseded = await tx.update(cellRuns)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(and(inArray(cellRuns.cellId, targets), inArray(cellRuns.status, ['queued', 'running']), sameAudience(opts.personalFor)))
    .returning({ id: cellRuns.id, cellId: cellRuns.cellId, runId: cellRuns.runId, jobId: cellRuns.jobId });
  await announceCancelled(tx, superseded.filter((s) => s.jobId).map((s) => s.id));
  const events: AssayEvent[] = superseded.map((s) => ({ type: 'cell.status', data: { cellId: s.cellId, runId: s.runId, status: 'cancelled', progress: 0 } }));

  // One look for every finished result the new runs could reuse or read.
  const runnable = targets.filter((id) => plans.get(id)!.state === 'ready');
  const done = await doneByFingerprint(tx, workspaceId, runnable.flatMap((id) => [plans.get(id)!.fingerprint, ...plans.get(id)!.inputs.map((i) => i.fingerprint)]));
  const reused = await resultsOf(tx, runnable.map((id) => done.get(plans.get(id)!.fingerprint)?.id).filter((x): x is string => Boolean(x)));

  const configs = new Map(rows.map((r) => [r.id, r]));
  const inserts: PgInsertValue<typeof cellRuns>[] = [];
  const jobs: { cellRunId: string; kind: string }[] = [];
  let waiting = false;
  const now = new Date();
  for (const cellId of targets) {
    const plan = plans.get(cellId)!;
    const cell = configs.get(cellId)!;
    const id = randomUUID();
    const base = {
      id, runId, workspaceId, cellId, kind: cell.kind, fingerprint: plan.fingerprint, createdAt: planned,
      config: cell.config, fileId: cell.fileId, inputs: plan.inputs,
    };
    if (plan.state === 'error' || plan.state === 'stale') {
      inserts.push({ ...base, status: plan.state, error: plan.error, finishedAt: now });
      events.push(plan.state === 'error'
        ? { type: 'cell.error', data: { cellId, runId, error: plan.error } }
        : { type: 'cell.status', data: { cellId, runId, status: 'stale', progress: 0, reason: plan.error } });
      continue;
    }
    const note = opts.notes?.get(cellId);
    const previous = done.get(plan.fingerprint);
    if (previous && reused.has(previous.id)) {
      const file = cell.fileSha256 ? { name: cell.fileName!, size: cell.fileSize!, sha256: cell.fileSha256 } : undefined;
      const result = ownResult(cell.kind, reused.get(previous.id), { file });
      inserts.push({ ...base, status: 'done', progress: 1, result, tablePath: previous.tablePath, reusedFrom: previous.id, startedAt: now, finishedAt: now, error: note ?? null });
      const summary = summaryLine(cell.kind, result);
      events.push({ type: 'cell.result', data: { cellId, runId, status: 'done', result, reused: true, ...(summary === undefined ? {} : { summary }), ...(note ? { reason: note } : {}) } });
      continue;
    }
    const ready = plan.inputs.every((i) => done.has(i.fingerprint));
    inserts.push({ ...base, status: 'queued', jobId: ready ? id : null, error: note ?? null });
    events.push({ type: 'cell.status', data: { cellId, runId, status: 'queued', progress: 0, ...(note ? { reason: note } : {}) } });
    if (ready) jobs.push({ cellRunId: id, kind: cell.kind });
    else waiting = true;
  }
  await tx.insert(cellRuns).values(inserts);
  await sendJobs(services, tx, jobs);
  await emitMany(tx, workspaceId, events);
  return { runId, superseded: superseded.filter((s) => s.jobId).map((s) => s.id), waiting, sent: jobs.map((j) => j.cellRunId) };
}

/** A result reused from another cell run, with the facts of this cell that its fingerprint leaves out (its file's name). */
function ownResult(kind: string, result: unknown, own: OwnFacts): unknown {
  const ownResult = kindOf(kind)?.ownResult;
  return ownResult && result ? ownResult(result, own) : result;
}

/** After the plan's commit: cancel the superseded jobs, and start what waited on a running input. */
export async function afterPlan(services: Services, workspaceId: string, planned: Planned): Promise<void> {
  // The jobs exist from the commit, just before this.
  logSent(planned.sent);
  if (planned.superseded.length) await services.jobs.cancel(planned.superseded);
  // An input may have finished while the plan was open, before its row was visible to the
  // worker's advance(): looking again after the commit leaves no cell run waiting for good.
  if (planned.waiting) await advance(services, workspaceId);
}

/** Cell runs of the notebook's own runs, or of one viewer's: a plan supersedes only its own kind. */
function sameAudience(personalFor: string | undefined) {
  // One primary-key look per cell run, not a scan of the runs.
  return personalFor
    ? sql`exists (select 1 from runs r where r.id = ${cellRuns.runId} and r.personal_for = ${personalFor})`
    : sql`not exists (select 1 from runs r where r.id = ${cellRuns.runId} and r.personal_for is not null)`;
}

/** The newest cell run of each cell in the notebook's own runs (a viewer's personal run is never the notebook's latest). */
async function latestRuns(tx: Tx, cellIds: string[]) {
  if (cellIds.length === 0) return new Map<string, { fingerprint: string; status: string; inputs: unknown }>();
  const rows = await tx.selectDistinctOn([cellRuns.cellId], {
    cellId: cellRuns.cellId, fingerprint: cellRuns.fingerprint, status: cellRuns.status, inputs: cellRuns.inputs,
  })
    .from(cellRuns)
    .where(and(inArray(cellRuns.cellId, cellIds), sameAudience(undefined)))
    .orderBy(cellRuns.cellId, desc(cellRuns.createdAt));
  return new Map(rows.map((r) => [r.cellId, r]));
}
