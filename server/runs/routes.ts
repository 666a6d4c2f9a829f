import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import { schedules } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest, jsonBody, notFound } from '../http/errors.ts';
import { bodyOf, checkBody, says } from '../http/body.ts';
import { z } from 'zod';
import { accessibleWorkspaces, workspaceFor } from '../workspaces/access.ts';
import { receiving } from '../files/receive.ts';
import { presentWorkspace } from '../workspaces/present.ts';
import { titleField } from '../workspaces/routes.ts';
import { compareRuns } from '../notebook/compare.ts';
import { ledgerOf } from '../notebook/ledger.ts';
import { DocumentError, fromYaml, toYaml } from '../notebook/workspace-yaml.ts';
import { renderReport } from '../notebook/report.ts';
import { runFor } from './access.ts';
import { documentOf, importDocument } from './documents.ts';
import { listRuns, newestRunId, ruleTrends, runDetail, runHeader } from './history.ts';
import { receiveRunFiles, rerunWithFiles, uploadCells } from './rerun.ts';
import { inboxOf, removeSchedule, scheduledStatus, scheduleFrom, setSchedule } from './schedule.ts';
import { setSchemaLock } from './schema-lock.ts';
import { checkParams, paramsField, runWithParams } from './with-params.ts';
import { compareParams } from '../notebook/compare.ts';
import { UUID } from '../http/params.ts';
import { lastDeliveryError } from '../delivery/present.ts';
import { fileSafe } from '../http/file-name.ts';

/** A run id from the query string (`?a=`), which must be a run of this workspace (its header read, not its results). */
async function runOfWorkspace(c: Context<AppEnv>, workspaceId: string, key: 'a' | 'b' | 'run'): Promise<string> {
  const id = c.req.query(key);
  if (!id || !UUID.test(id)) throw badRequest(`"${key}" must be a run id of this workspace`, { field: key });
  const run = await runHeader(c.var.services.db, id.toLowerCase());
  // A viewer's own run (runs/personal.ts) is theirs alone.
  if (!run || run.workspaceId !== workspaceId || (run.personalFor && run.personalFor !== c.var.user?.id)) throw notFound(`run "${key}"`);
  return run.id;
}

function documentError(err: unknown): never {
  if (err instanceof DocumentError) {
    throw new ApiError(400, 'bad_document', err.message, { ...(err.where ? { key: err.where } : {}), ...(err.line ? { line: err.line } : {}) });
  }
  throw err;
}

const SEND_DOCUMENT = 'send the workspace document as YAML (the body, or JSON {"yaml": "..."})';
// Request bodies (http/body.ts): checked by these schemas, described by the OpenAPI document.
export const importBody = z.object({
  yaml: z.string(says(SEND_DOCUMENT)).meta({ description: 'the workspace document (YAML text), as GET /api/workspaces/{id}/export writes it' }),
});
export const duplicateBody = z.object({ title: titleField.optional() });
const LOCK_RULE = '"locked" must be true (pin the upload cells\' schemas as they read now) or false';
export const schemaLockBody = z.object({
  locked: z.boolean(says(LOCK_RULE)).meta({ description: 'true pins the upload cells\' schemas as they read now; false unpins them' }),
});
export const scheduleBody = z.object({
  // What the text must be is scheduleFrom's to say (its interval, the folder's letters); these are the types.
  cron: z.string(says('"cron" must be a cron expression, e.g. "0 6 * * *" (every day at 06:00 UTC)'))
    .meta({ description: 'a cron expression, e.g. "0 6 * * *" (every day at 06:00 UTC)' }),
  folder: z.string(says('"folder" must be one folder name (letters, digits, ".", "_", "-"; no slashes): your inbox DATA_DIR/inbox/<your user id>/<folder>/')).meta({ description: 'one folder name of your inbox, DATA_DIR/inbox/<your user id>/<folder>/' }),
  params: paramsField.optional(),
});
/** A rerun with values and no new files (JSON): the same run as with files, the input cells given these values. */
export const rerunBody = z.object({ params: paramsField });

/** `?params=` on a rerun with files: the values as JSON text, e.g. {"min_cases":10}. */
function paramsQuery(c: Context<AppEnv>): Record<string, unknown> {
  const text = c.req.query('params');
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('"params" must be JSON: a mapping of input cell names to values, e.g. {"min_cases":10}', { field: 'params' });
  }
  const parsed = paramsField.safeParse(value);
  if (!parsed.success) throw badRequest('"params" must be a mapping of input cell names to values, e.g. {"min_cases":10}', { field: 'params' });
  return parsed.data;
}


export const runRoutes = new Hono<AppEnv>()
  // Rerun on new files: multipart, one file field per upload cell name.
  .post('/workspaces/:id/runs', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const { services } = c.var;
    // A script (an API token, as curl or CI sends it) is told apart from the page in the history.
    const byScript = /^bearer /i.test(c.req.header('authorization') ?? '');
    // JSON {params}: the notebook again with values for its input cells, on the files it has.
    if ((c.req.header('content-type') ?? '').includes('json')) {
      const body = await jsonBody(c);
      if (!('params' in body)) throw badRequest(`send new files as multipart/form-data, one file field per upload cell (${(await uploadCells(services, workspace.id)).map((u) => u.name).join(', ') || 'it has none'}), or JSON {"params": {"min_cases": 10}} to rerun with values for input cells`);
      const { params } = checkBody(rerunBody, body);
      return c.json({ runId: await runWithParams(services, workspace.id, params, { trigger: byScript ? 'api' : 'run', userId: user.id }) }, 202);
    }
    // Checked before any file is received: a bad value refuses the request, and no file is kept.
    const params = paramsQuery(c);
    await checkParams(services.db, workspace.id, params);
    const uploads = await uploadCells(services, workspace.id);
    const names = uploads.map((u) => u.name);
    // Each file may be as large as one upload; the body holds one per upload cell.
    const incoming = await receiving(c, services.config.maxUploadBytes * Math.max(1, names.length), (body, type) => receiveRunFiles(body, type, names, services.config.dataDir, services.config.maxUploadBytes));
    const runId = await rerunWithFiles(services, workspace.id, incoming, { trigger: byScript ? 'api' : 'files', user, params });
    return c.json({ runId }, 202);
  })
  .get('/workspaces/:id/runs', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    return c.json(await listRuns(c.var.services.db, workspace.id));
  })
  .get('/runs/:runId', async (c) => {
    const { run } = await runFor(c, 'view');
    return c.json(await runDetail(c.var.services.db, run.id));
  })
  .get('/runs/:runId/report', async (c) => {
    const { run, workspace } = await runFor(c, 'view');
    const detail = (await runDetail(c.var.services.db, run.id))!;
    const trends = await ruleTrends(c.var.services.db, workspace.id, detail.id);
    const html = renderReport({ title: workspace.title, run: detail, cells: detail.cells, trends });
    c.header('Content-Disposition', `attachment; filename="${fileSafe(workspace.title, 'workspace')}-report.html"`);
    // The report is a document of its own: nothing in it runs, and it loads nothing.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return c.html(html);
  })
  .get('/workspaces/:id/compare', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const { db } = c.var.services;
    const a = (await runDetail(db, await runOfWorkspace(c, workspace.id, 'a')))!;
    const b = (await runDetail(db, await runOfWorkspace(c, workspace.id, 'b')))!;
    const { cells: cellsA, ...headerA } = a;
    const { cells: cellsB, ...headerB } = b;
    const later = a.createdAt > b.createdAt ? a.id : b.id;
    return c.json({
      a: headerA, b: headerB,
      ...compareRuns(cellsA, cellsB),
      // The inputs whose values differ between the two runs.
      params: compareParams(a, b),
      trends: await ruleTrends(c.var.services.db, workspace.id, later),
    });
  })
  // The violation ledger of every rule with `key:`, as of a run (`?run=`, else the newest).
  .get('/workspaces/:id/ledger', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const wanted = c.req.query('run');
    const runId = wanted ? await runOfWorkspace(c, workspace.id, 'run') : await newestRunId(c.var.services.db, workspace.id);
    if (!runId) return c.json({ runId: null, rules: [] });
    const trends = await ruleTrends(c.var.services.db, workspace.id, runId, { withKeys: true });
    const rules = trends.flatMap((t) => {
      const last = t.points.at(-1);
      if (!last?.ledger) return [];
      const ledger = ledgerOf(t.points.map((p) => ({ runId: p.runId, at: p.at, keys: p.ledger?.keys ?? null })))!;
      return [{ cell: t.cell, rule: t.rule, key: last.ledger.key, truncated: last.ledger.truncated, ...ledger }];
    });
    return c.json({ runId, rules });
  })
  .get('/workspaces/:id/export', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const yaml = toYaml(await documentOf(c.var.services.db, workspace));
    c.header('Content-Disposition', `attachment; filename="${fileSafe(workspace.title, 'workspace')}.assay.yaml"`);
    return c.body(yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' });
  })
  // The document as the raw body (YAML), or JSON `{yaml}`.
  .post('/workspaces/import', async (c) => {
    const user = requireUser(c);
    const type = c.req.header('content-type') ?? '';
    const text = type.includes('json') ? (await bodyOf(c, importBody)).yaml : await c.req.text();
    if (typeof text !== 'string' || !text.trim()) throw badRequest(SEND_DOCUMENT);
    let doc;
    try {
      doc = fromYaml(text);
    } catch (err) {
      documentError(err);
    }
    const ws = await importDocument(c.var.services, user, doc);
    return c.json(await presentWorkspace(c.var.services.db, ws), 201);
  })
  // "Use as template": a new workspace of the caller's with the same cells and configs, no data.
  .post('/workspaces/:id/duplicate', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'view');
    const body = c.req.header('content-type')?.includes('json') ? await bodyOf(c, duplicateBody) : {};
    const doc = await documentOf(c.var.services.db, workspace);
    const title = body.title ?? `Copy of ${workspace.title}`.slice(0, 200);
    // Through the document, as an export and an import would go: a copy is never more than that.
    const ws = await importDocument(c.var.services, user, fromYaml(toYaml({ ...doc, title })), { from: { workspaceId: workspace.id } });
    return c.json(await presentWorkspace(c.var.services.db, ws), 201);
  })
  .post('/workspaces/:id/schema-lock', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const { locked } = await bodyOf(c, schemaLockBody);
    return c.json(await setSchemaLock(c.var.services, workspace.id, user, locked));
  })
  .get('/workspaces/:id/schedule', async (c) => {
    const { workspace, role, user } = await workspaceFor(c, 'view');
    const [s] = await c.var.services.db.select().from(schedules).where(eq(schedules.workspaceId, workspace.id));
    // Its last run's report that could not be delivered (retrying or given up), if any.
    return c.json(s ? { ...presentSchedule(s, role !== 'view'), lastDeliveryError: await lastDeliveryError(c.var.services.db, s.lastRunId, { role, userId: user.id }) } : null);
  })
  .put('/workspaces/:id/schedule', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const body = await bodyOf(c, scheduleBody);
    const s = scheduleFrom(body, c.var.services.config.scheduleMinMinutes);
    await checkParams(c.var.services.db, workspace.id, body.params ?? {});
    await setSchedule(c.var.services, workspace.id, user.id, { ...s, params: body.params ?? {} });
    const [row] = await c.var.services.db.select().from(schedules).where(eq(schedules.workspaceId, workspace.id));
    return c.json(presentSchedule(row!));
  })
  // The scheduled workspaces the caller may open, each with its last scheduled run's rule
  // summary (for scripts and dashboards; the workspaces page shows every run's latest outcome).
  .get('/schedules', async (c) => {
    const user = requireUser(c);
    const mine = await accessibleWorkspaces(c.var.services.db, user);
    const status = await scheduledStatus(c.var.services, mine.map((w) => w.id));
    const viewOnly = new Set(mine.filter((w) => w.role === 'view').map((w) => w.id));
    return c.json([...status].map(([workspaceId, s]) => ({ workspaceId, ...s, ...(viewOnly.has(workspaceId) ? { lastError: withoutInbox(s.lastError) } : {}) })));
  })
  .delete('/workspaces/:id/schedule', async (c) => {
    const { workspace } = await workspaceFor(c, 'edit');
    await removeSchedule(c.var.services, workspace.id);
    return c.json({ ok: true });
  });

/**
 * A schedule as the caller may see it. The inbox (DATA_DIR/inbox/<setter's id>/<folder>) is
 * for those who may change the schedule: a viewer learns no server path and no user id.
 */
function presentSchedule(s: typeof schedules.$inferSelect, showInbox = true) {
  return {
    cron: s.cron, folder: s.folder, params: s.params, ...(showInbox ? { inbox: inboxOf(s) } : {}), createdAt: s.createdAt,
    lastFiredAt: s.lastFiredAt, lastRunId: s.lastRunId, lastError: showInbox ? s.lastError : withoutInbox(s.lastError),
  };
}

const INBOX_PATH = /inbox\/[0-9a-f-]{36}\/[A-Za-z0-9._-]+/g;
/** A firing's error as a viewer sees it: "no file … in inbox/<setter's id>/<folder>/" names the schedule's inbox instead. */
function withoutInbox<T>(value: T): T {
  return value == null ? value : JSON.parse(JSON.stringify(value).replace(INBOX_PATH, "the schedule's inbox"));
}
