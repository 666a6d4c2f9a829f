import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CellError, type CellOutput, type StoredFile } from '../../cells/kind.ts';
import { kindOf } from '../../cells/registry.ts';
import { summaryLine } from '../notebook/summary-line.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { cellRuns, files } from '../db/schema.ts';
import { emit } from '../events/emit.ts';
import { filePath } from '../files/store.ts';
import { withoutServerPaths } from '../http/errors.ts';
import { log, preciseNow } from '../log.ts';
import { metrics } from '../metrics/metrics.ts';
import type { Services } from '../services.ts';
import { advance } from './advance.ts';
import { settle } from './settle.ts';
import type { InputRef } from '../notebook/analyse.ts';
import { findDone } from './reuse.ts';
import { deliverFinishedRuns } from '../delivery/dispatch.ts';
import { keepPreviousFile } from '../files/keep-previous.ts';
import type { CellErrorData } from '../../cells/wire.ts';

// Progress is a row update plus an event: a few a second is plenty for a progress bar.
const PROGRESS_EVERY_MS = 300;
// A newer edit cancels a running cell at once by NOTIFY (see cancels.ts); this look at the
// row is the backstop for a notification lost with a dropped connection.
const CANCEL_CHECK_MS = 2000;

/** Runs one cell run (a pg-boss job). Expected failures become data on the cell; nothing is thrown for them. */
export async function runCellJob(services: Services, cellRunId: string, jobSignal?: AbortSignal): Promise<void> {
  const { db } = services;
  const pickedAt = preciseNow();
  const abort = new AbortController();
  // Listening before the claim below: a cancellation committed after it is heard.
  const unwatch = services.cancels.watch(cellRunId, abort);
  // A retried job (its worker died) finds the row still `running` and starts over.
  const [cr] = await db.update(cellRuns).set({ status: 'running', startedAt: new Date(), progress: 0 })
    .where(and(eq(cellRuns.id, cellRunId), eq(cellRuns.jobId, cellRunId), inArray(cellRuns.status, ['queued', 'running'])))
    // The owner with the claim (one round trip): tables are written per owner, see reuse.ts.
    .returning({ ...getTableColumns(cellRuns), ownerId: sql<string>`(select owner_id from workspaces where id = ${cellRuns.workspaceId})` });
  log.debug('job picked', { cellRunId, claimed: Boolean(cr), at: pickedAt, cellId: cr?.cellId, pid: process.pid });
  if (!cr) {
    unwatch();
    return; // cancelled or already finished
  }
  const { workspaceId, cellId, runId } = cr;
  // Said while the inputs load; awaited before the outcome, whose event must come after it.
  const announced = emit(db, workspaceId, { type: 'cell.status', data: { cellId, runId, status: 'running', progress: 0 } });

  jobSignal?.addEventListener('abort', () => abort.abort(), { once: true });
  const watcher = setInterval(async () => {
    try {
      const [row] = await db.select({ status: cellRuns.status }).from(cellRuns).where(eq(cellRuns.id, cellRunId));
      if (row?.status !== 'running') abort.abort();
    } catch { /* the next tick tries again */ }
  }, CANCEL_CHECK_MS);

  let lastProgress = 0;
  // Progress and partial results are written in the order they come, and all before the
  // outcome: a late one would otherwise reach clients after the result.
  let reported: Promise<unknown> = Promise.resolve();
  const report = (write: () => Promise<unknown>) => { reported = reported.then(write).catch(() => {}); };
  const started = Date.now();
  // An upload cell's new file that failed here goes back for the file before it (before advance, below).
  let failedFile: CellErrorData | null = null;
  try {
    const kind = kindOf(cr.kind);
    if (!kind) throw new CellError('unknown_kind', `unknown cell kind "${cr.kind}"`);
    const config = kind.parseConfig(parseCellYaml(cr.config));
    // One folder per owner: kinds keep content-addressed caches there, whose hits would tell
    // one user, by their speed, that another holds the same bytes.
    const workDir = path.join(services.config.dataDir, 'tables', cr.ownerId);
    fs.mkdirSync(workDir, { recursive: true });
    const [inputs, file] = await Promise.all([
      loadInputs(services, workspaceId, cr.inputs as InputRef[]),
      cr.fileId ? loadFile(services, cr.fileId) : undefined,
      announced,
    ]);
    const output = await kind.run({
      config,
      inputs,
      file,
      ctx: {
        workDir,
        signal: abort.signal,
        progress(fraction) {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
          const progress = Math.max(0, Math.min(1, fraction));
          report(async () => {
            // Only while the run is still running: a cancelled run's progress is not news.
            const moved = await db.update(cellRuns).set({ progress }).where(and(eq(cellRuns.id, cellRunId), eq(cellRuns.status, 'running'))).returning({ id: cellRuns.id });
            if (moved.length) await emit(db, workspaceId, { type: 'cell.status', data: { cellId, runId, status: 'running', progress } });
          });
        },
        partial(data) {
          report(() => emit(db, workspaceId, { type: 'cell.partial', data: { ...data, cellId, runId } }));
        },
      },
    });
    // Finished work is always offered to settle(): it records nothing when a newer edit took
    // the cell meanwhile (the row is no longer running), whatever else aborted the signal.
    const tablePath = output.table ? path.relative(services.config.dataDir, output.table) : undefined;
    await reported;
    if (await settle(services, cr, { status: 'done', result: output.result, tablePath, summary: summaryLine(cr.kind, output.result) })) {
      log.info('cell done', { kind: cr.kind, cellRunId, ms: Date.now() - started });
      counted(cr.kind, 'done', started);
    } else {
      counted(cr.kind, 'superseded', started);
    }
  } catch (err) {
    await announced.catch(() => {});
    // pg-boss aborted the job (shutdown, expiry): let it retry rather than record a failure.
    if (jobSignal?.aborted) {
      counted(cr.kind, 'handed_back', started);
      throw err;
    }
    if (abort.signal.aborted) {
      counted(cr.kind, 'superseded', started);
      return; // superseded: the newer run owns the cell now
    }
    await reported;
    const error = err instanceof CellError ? err.toJSON() : unexpected(cr.kind, err);
    // Messages quote what failed, file paths included: the cell shows them relative to DATA_DIR.
    error.message = withoutServerPaths(error.message, services.config.dataDir);
    if (!(err instanceof CellError)) log.error('cell crashed', { cellRunId, ref: error.ref, err: String((err as Error)?.stack ?? err) });
    const recorded = await settle(services, cr, { status: 'error', error });
    if (recorded && cr.fileId && kindOf(cr.kind)?.acceptsFile) failedFile = error;
    counted(cr.kind, 'error', started);
  } finally {
    clearInterval(watcher);
    unwatch();
  }
  // Before advance(): the cell gets its previous file back with the results it had, and its
  // readers in the failed run are recorded stale with no news (server/files/keep-previous.ts).
  // With no earlier file to keep, advance() marks them stale as for any failure.
  if (failedFile) {
    await keepPreviousFile(services, cr, failedFile)
      .catch((err) => log.error('keeping the previous file failed', { cellRunId, err: String((err as Error)?.stack ?? err) }));
  }
  await advance(services, workspaceId);
  // A run whose last cell this was sends its report (delivery/dispatch.ts); never throws.
  await deliverFinishedRuns(services, workspaceId);
}

/**
 * A crash as the cell shows it. A database error's message holds the failed query (with the
 * cell's config among its parameters): it goes to the log under a reference, never to the
 * workspace's viewers. Other messages (polars') say what went wrong with the data, and stay.
 */
function unexpected(kind: string, err: unknown): { code: string; message: string; ref?: string } {
  const fromDatabase = err instanceof Error && ('query' in err || err.name === 'DrizzleQueryError' || err.name === 'PostgresError' || /^Failed query/.test(err.message));
  if (!fromDatabase) return { code: 'internal', message: `the ${kind} cell failed unexpectedly: ${(err as Error)?.message ?? String(err)}` };
  const ref = randomUUID();
  return { code: 'internal', message: `the ${kind} cell failed unexpectedly (reference ${ref}; the server's log has the details)`, ref };
}

function counted(kind: string, outcome: 'done' | 'error' | 'superseded' | 'handed_back', started: number): void {
  metrics.jobs.inc({ kind, outcome });
  metrics.jobSeconds.observe({ kind }, (Date.now() - started) / 1000);
}

async function loadInputs(services: Services, workspaceId: string, inputs: InputRef[]): Promise<Record<string, CellOutput>> {
  const out: Record<string, CellOutput> = {};
  for (const input of inputs) {
    const done = await findDone(services.db, workspaceId, input.fingerprint);
    if (!done) throw new CellError('upstream_failed', `input "${input.name}" has no result`);
    out[input.name] = {
      result: done.result,
      table: done.tablePath ? path.join(services.config.dataDir, done.tablePath) : undefined,
    };
  }
  return out;
}

async function loadFile(services: Services, fileId: string): Promise<StoredFile> {
  const [f] = await services.db.select().from(files).where(eq(files.id, fileId));
  if (!f) throw new CellError('no_file', 'the uploaded file is gone; upload it again');
  return { path: filePath(services.config.dataDir, f.sha256), name: f.name, size: f.size, sha256: f.sha256 };
}
