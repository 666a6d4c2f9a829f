// Scheduled reruns: pg-boss fires a workspace's cron schedule as a job; the job takes the
// newest file of the schedule's folder (DATA_DIR/inbox/<user id>/<folder>/, see inboxOf) for each upload cell and reruns
// the notebook on them, recorded as a run like any other (trigger `schedule`).
import { CronExpressionParser } from 'cron-parser';
import { eq, inArray } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { schedules, users } from '../db/schema.ts';
import { storeStream } from '../files/store.ts';
import { badRequest } from '../http/errors.ts';
import { log } from '../log.ts';
import { ensureQueue } from '../jobs/queue.ts';
import type { Services } from '../services.ts';
import { runDetail } from './history.ts';
import type { IncomingFile } from '../files/receive.ts';
import { rerunWithFiles, uploadCells } from './rerun.ts';
import { roleOn } from '../workspaces/access.ts';
import type { RuleCounts } from '../../cells/shared/rule-counts.ts';

export const SCHEDULE_QUEUE = 'assay-schedules';
const FOLDER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ScheduleJob { workspaceId: string }

/**
 * A schedule's inbox, relative to DATA_DIR: a folder of the person who set it, so that no one
 * can name a folder meant for someone else and read its files into their own workspace.
 */
export function inboxOf(s: { userId: string | null; folder: string }): string {
  return path.join('inbox', s.userId ?? 'nobody', s.folder);
}

/**
 * Validates `{cron, folder}`; pg-boss validates the expression itself when it stores it.
 * `minMinutes` is the shortest time a schedule may leave between two firings (ASSAY_SCHEDULE_MIN_MINUTES).
 */
export function scheduleFrom(body: Record<string, unknown>, minMinutes: number): { cron: string; folder: string } {
  const { cron, folder } = body;
  if (typeof cron !== 'string' || !cron.trim() || cron.length > 200) throw badRequest('"cron" must be a cron expression, e.g. "0 6 * * *" (every day at 06:00 UTC)', { field: 'cron' });
  if (typeof folder !== 'string' || !FOLDER.test(folder)) {
    throw badRequest('"folder" must be one folder name (letters, digits, ".", "_", "-"; no slashes): your inbox DATA_DIR/inbox/<your user id>/<folder>/', { field: 'folder' });
  }
  checkInterval(cron.trim(), minMinutes);
  return { cron: cron.trim(), folder };
}

/**
 * Refuses a schedule that fires more often than every `minMinutes` (each firing reruns the
 * whole notebook), judged by its
 * coming firings (a ranged minute like "0-4 9 * * *" is as frequent as "* * * * *"
 * for five minutes). An expression cron-parser cannot read is left to pg-boss, whose message says why.
 */
function checkInterval(cron: string, minMinutes: number): void {
  if (minMinutes <= 0) return;
  let next: () => number;
  try {
    const it = CronExpressionParser.parse(cron, { tz: 'UTC' });
    next = () => it.next().getTime();
  } catch {
    return;
  }
  // Cron fields are a product (every chosen hour has the same minutes), so the shortest gap is
  // between two chosen minutes or across the end of a chosen hour into the next; days and
  // months only lengthen gaps. A schedule that passes has at most 12 firings an hour, so its
  // next 100 firings (or two days of them) show both; each costs ~0.5 ms on a loaded machine.
  const until = Date.now() + 2 * 86400_000;
  let previous = next();
  for (let i = 0; i < 100 && previous < until; i++) {
    let at: number;
    try {
      at = next();
    } catch {
      return; // no further firing
    }
    const minutes = (at - previous) / 60_000;
    if (minutes < minMinutes) {
      const every = minutes < 1 ? `${Math.round(minutes * 60)} s` : `${Math.round(minutes)} min`;
      throw badRequest(`"cron" fires every ${every} at times (${new Date(previous).toISOString()} then ${new Date(at).toISOString()}); a schedule may fire at most every ${minMinutes} minutes (ASSAY_SCHEDULE_MIN_MINUTES), e.g. "*/${minMinutes} * * * *"`, { field: 'cron' });
    }
    previous = at;
  }
}

export async function startSchedules(services: Services): Promise<void> {
  await ensureQueue(services.jobs.boss, SCHEDULE_QUEUE, { notify: true, retryLimit: 1, expireInSeconds: 3600, deleteAfterSeconds: 7 * 86400 });
}

export async function startScheduleWorker(services: Services): Promise<void> {
  await services.jobs.boss.work<ScheduleJob>(SCHEDULE_QUEUE, { localConcurrency: 1, batchSize: 1, notifyPollingIntervalSeconds: 10 }, async ([job]) => {
    if (job) await fireSchedule(services, job.data.workspaceId);
  });
}

/** `params`: values for the notebook's input cells, given to every run the schedule fires (checked by the caller). */
export async function setSchedule(services: Services, workspaceId: string, userId: string, s: { cron: string; folder: string; params?: Record<string, unknown> }): Promise<void> {
  try {
    await services.jobs.boss.schedule(SCHEDULE_QUEUE, s.cron, { workspaceId } satisfies ScheduleJob, { key: workspaceId, tz: 'UTC' });
  } catch (err) {
    throw badRequest(`"cron" is not a cron expression pg-boss accepts: ${(err as Error).message}`, { field: 'cron' });
  }
  const params = s.params ?? {};
  await services.db.insert(schedules).values({ workspaceId, cron: s.cron, folder: s.folder, userId, params })
    .onConflictDoUpdate({ target: schedules.workspaceId, set: { cron: s.cron, folder: s.folder, userId, params, lastError: null } });
  fs.mkdirSync(path.join(services.config.dataDir, inboxOf({ userId, folder: s.folder })), { recursive: true });
}

export async function removeSchedule(services: Services, workspaceId: string): Promise<void> {
  await services.jobs.boss.unschedule(SCHEDULE_QUEUE, workspaceId);
  await services.db.delete(schedules).where(eq(schedules.workspaceId, workspaceId));
}

/** The newest regular file of a folder (by modification time, then name), if any. */
function newestFile(dir: string): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const found = entries.filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => ({ file: path.join(dir, e.name), at: fs.statSync(path.join(dir, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at || (a.file < b.file ? 1 : -1));
  return found[0]?.file;
}

/**
 * Which file feeds each upload cell: the newest in `inbox/<folder>/<cell name>/` when that
 * folder exists, else (a workspace with one upload cell) the newest in `inbox/<folder>/`.
 */
export function inboxFiles(inbox: string, uploadNames: string[]): { files: Map<string, string>; missing: string[] } {
  const files = new Map<string, string>();
  const missing: string[] = [];
  for (const name of uploadNames) {
    const own = path.join(inbox, name);
    const file = fs.existsSync(own) ? newestFile(own) : uploadNames.length === 1 ? newestFile(inbox) : undefined;
    if (file) files.set(name, file);
    else missing.push(name);
  }
  return { files, missing };
}

/** One firing: a run on the inbox's newest files, or the reason there is none, kept on the schedule. */
export async function fireSchedule(services: Services, workspaceId: string): Promise<void> {
  const [s] = await services.db.select().from(schedules).where(eq(schedules.workspaceId, workspaceId));
  if (!s) {
    // Its workspace was deleted (the row went with it): the pg-boss schedule goes too.
    await services.jobs.boss.unschedule(SCHEDULE_QUEUE, workspaceId).catch(() => {});
    return;
  }
  const record = (change: { lastRunId?: string; lastError?: unknown }) =>
    services.db.update(schedules).set({ lastFiredAt: new Date(), lastRunId: change.lastRunId ?? s.lastRunId, lastError: change.lastError ?? null })
      .where(eq(schedules.workspaceId, workspaceId));
  try {
    // The schedule acts as whoever set it: if they may no longer edit (a revoked link, a
    // removed share, a deleted account), it records why and runs nothing.
    const [setter] = s.userId ? await services.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, s.userId)) : [];
    const role = setter ? await roleOn(services.db, workspaceId, setter) : null;
    if (role !== 'owner' && role !== 'edit') {
      await record({ lastError: { code: 'no_access', message: 'the person who set this schedule may no longer edit the workspace; set it again to run it as yourself' } });
      log.warn('schedule skipped: its setter lost edit access', { workspaceId });
      return;
    }
    const uploads = await uploadCells(services, workspaceId);
    const inbox = path.join(services.config.dataDir, inboxOf(s));
    const { files, missing } = inboxFiles(inbox, uploads.map((u) => u.name));
    if (!uploads.length || missing.length) {
      const message = !uploads.length ? 'the workspace has no upload cell'
        : `no file for upload cell${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} in ${inboxOf(s)}${uploads.length > 1 ? '/<cell name>/' : '/'}`;
      await record({ lastError: { code: 'no_file', message } });
      log.warn('schedule found no file', { workspaceId, message });
      return;
    }
    const incoming = new Map<string, IncomingFile>();
    for (const [name, file] of files) {
      const stored = await storeStream(services.config.dataDir, fs.createReadStream(file), services.config.maxUploadBytes);
      incoming.set(name, { ...stored, name: path.basename(file) });
    }
    // Its values were checked when it was set; an input renamed or narrowed since is this firing's error, naming it.
    const runId = await rerunWithFiles(services, workspaceId, incoming, { trigger: 'schedule', user: setter!, params: s.params as Record<string, unknown> });
    await record({ lastRunId: runId });
    log.info('schedule fired', { workspaceId, runId });
  } catch (err) {
    await record({ lastError: { code: 'schedule_failed', message: (err as Error).message } }).catch(() => {});
    log.error('schedule failed', { workspaceId, err: String((err as Error)?.stack ?? err) });
  }
}

/**
 * The schedules of these workspaces with their last firing's run summary: what the workspaces
 * page needs to mark a scheduled run's failing rules. Workspaces without a schedule are absent.
 */
export async function scheduledStatus(services: Services, workspaceIds: string[]) {
  if (!workspaceIds.length) return new Map<string, ScheduledStatus>();
  const rows = await services.db.select().from(schedules).where(inArray(schedules.workspaceId, workspaceIds));
  const out = new Map<string, ScheduledStatus>();
  for (const s of rows) {
    const run = s.lastRunId ? await runDetail(services.db, s.lastRunId) : undefined;
    out.set(s.workspaceId, {
      cron: s.cron, folder: s.folder, lastFiredAt: s.lastFiredAt, lastError: s.lastError,
      lastRun: run ? { id: run.id, createdAt: run.createdAt, status: run.status, summary: run.summary, cellErrors: run.cellErrors } : null,
    });
  }
  return out;
}

export interface ScheduledStatus {
  cron: string;
  folder: string;
  lastFiredAt: Date | null;
  lastError: unknown;
  lastRun: { id: string; createdAt: Date; status: string; summary: RuleCounts; cellErrors: number } | null;
}
