// Downloads of one cell's result as a file of its own: the files its kind offers
// (CellKind.downloads: a profile as JSON or HTML, a rule's failing rows as CSV), and a cell's
// table as Parquet (what "Show the code" reads). Anyone who may view the workspace may
// download; each reads the cell's latest finished run in the notebook, as the page shows it.
// The kind makes the file; this file names no kind.
import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CellError, type CellOutput, type KindDownload } from '../../cells/kind.ts';
import { checkKinds, kindOf, kinds } from '../../cells/registry.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { cellRuns, cells, runs } from '../db/schema.ts';
import { findDone } from '../engine/reuse.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import { fileSafe } from '../http/file-name.ts';
import type { InputRef } from '../notebook/analyse.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { cellFor } from '../workspaces/cells.ts';

type CellRow = { id: string; name: string };

/** The cell's latest finished run in the notebook (not a viewer's personal run). */
async function latestDone(c: Context<AppEnv>, cell: CellRow) {
  const [run] = await c.var.services.db.select({ config: cellRuns.config, inputs: cellRuns.inputs, result: cellRuns.result })
    .from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
    .where(and(eq(cellRuns.cellId, cell.id), eq(cellRuns.status, 'done'), isNull(runs.personalFor)))
    .orderBy(desc(cellRuns.createdAt)).limit(1);
  if (!run?.result) throw new ApiError(409, 'no_result', `cell "${cell.name}" has no finished result yet; run it first`);
  return run;
}

async function inputsOf(c: Context<AppEnv>, workspaceId: string, refs: InputRef[]): Promise<Record<string, CellOutput>> {
  const out: Record<string, CellOutput> = {};
  for (const ref of refs) {
    const done = await findDone(c.var.services.db, workspaceId, ref.fingerprint);
    if (done) out[ref.name] = { result: done.result, table: done.tablePath ? path.join(c.var.services.config.dataDir, done.tablePath) : undefined };
  }
  return out;
}

/** The workspace's cells whose results count rule outcomes, each with its raw config and latest result. */
async function checksOf(c: Context<AppEnv>, workspaceId: string) {
  const rows = await c.var.services.db.select().from(cells).where(and(eq(cells.workspaceId, workspaceId), inArray(cells.kind, checkKinds())));
  const out: { name: string; config: Record<string, unknown>; result: unknown }[] = [];
  for (const r of rows) {
    let config: Record<string, unknown>;
    try {
      config = parseCellYaml(r.config);
    } catch {
      continue;
    }
    const done = await latestDone(c, r).catch(() => null);
    if (done) out.push({ name: r.name, config, result: done.result });
  }
  return out;
}

/** The file `name` of the cell's latest result, made by its kind. */
async function download(c: Context<AppEnv>, name: string): Promise<Response> {
  const { workspace } = await workspaceFor(c, 'view');
  const cell = await cellFor(c, workspace.id);
  const kind = kindOf(cell.kind);
  const offer = kind?.downloads?.[name];
  if (!kind || !offer) {
    const own = Object.keys(kind?.downloads ?? {});
    throw badRequest(`cell "${cell.name}" (${cell.kind}) offers no ${name}${own.length ? `; it offers ${own.join(', ')}` : ''}`);
  }
  const run = await latestDone(c, cell);
  const file = await offer.make({
    workspaceTitle: workspace.title,
    cellName: cell.name,
    config: kind.parseConfig(parseCellYaml(run.config)),
    result: run.result,
    inputs: () => inputsOf(c, workspace.id, run.inputs as InputRef[]),
    checks: () => checksOf(c, workspace.id),
    query: (key) => c.req.query(key),
  }).catch((err: unknown) => {
    if (err instanceof CellError && err.code === 'bad_request') throw badRequest(err.message, err.details);
    if (err instanceof CellError) throw new ApiError(409, err.code, err.message, err.details);
    throw err;
  });
  c.header('Content-Type', file.type);
  c.header('Content-Disposition', `attachment; filename="${fileSafe(file.fileName, 'cell')}"`);
  // A document of its own: nothing in it runs, and it loads nothing.
  if (file.selfContained) c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  if ('text' in file) return c.body(file.text);
  const stream = fs.createReadStream(file.path);
  // Removed once sent (or when the client goes away).
  if (file.done) stream.once('close', file.done);
  return c.body(Readable.toWeb(stream) as ReadableStream);
}

/** Every file name some kind offers: one route each, so the API's routes stay what the OpenAPI document lists. */
const offered = [...new Set(Object.values(kinds).flatMap((k) => Object.keys((k.downloads ?? {}) as Record<string, KindDownload>)))];

export const downloadRoutes = offered.reduce(
  (routes, name) => routes.get(`/workspaces/:id/cells/:cellId/${name}`, (c) => download(c, name)),
  new Hono<AppEnv>()
    // A cell's table as the Parquet file "Show the code" reads: <cell>.parquet, the notebook's newest.
    .get('/workspaces/:id/cells/:cellId/table.parquet', async (c) => {
      const { workspace } = await workspaceFor(c, 'view');
      const cell = await cellFor(c, workspace.id);
      const [run] = await c.var.services.db.select({ tablePath: cellRuns.tablePath })
        .from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
        .where(and(eq(cellRuns.cellId, cell.id), eq(cellRuns.status, 'done'), isNotNull(cellRuns.tablePath), isNull(runs.personalFor)))
        .orderBy(desc(cellRuns.createdAt)).limit(1);
      if (!run?.tablePath) throw new ApiError(409, 'no_table', `cell "${cell.name}" has no table yet: it makes one when it has run`);
      const file = path.join(c.var.services.config.dataDir, run.tablePath);
      c.header('Content-Type', 'application/vnd.apache.parquet');
      c.header('Content-Length', String(fs.statSync(file).size));
      c.header('Content-Disposition', `attachment; filename="${fileSafe(cell.name, 'cell')}.parquet"`);
      return c.body(Readable.toWeb(fs.createReadStream(file)) as ReadableStream);
    }),
);
