import { and, asc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { Readable } from 'node:stream';
import type { SuggestedCell } from '../../cells/face.ts';
import { fileKinds, kindOf, kinds } from '../../cells/registry.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { cells, files } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest, notFound } from '../http/errors.ts';
import { bodyOf, says, versionField } from '../http/body.ts';
import { z } from 'zod';
import { idParam } from '../http/params.ts';
import { isMultipart, receiveMultipart, receiving, type IncomingFile } from '../files/receive.ts';
import { refuseUnreadable } from '../files/refuse.ts';
import { safeFileName, storeStream } from '../files/store.ts';
import { audit } from '../sharing/audit.ts';
import { workspaceFor } from './access.ts';
import { latestStates, presentCell } from './present.ts';
import { changeWorkspace } from './change.ts';
import { followRename } from './rename.ts';
import { lastFinishedRun } from './kept-run.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const NAME_RULE = '"name" must start with a letter or _ and hold only letters, digits and _ (at most 64)';
const nameField = z.string(says(NAME_RULE)).regex(NAME, says(NAME_RULE))
  .meta({ description: 'the cell\'s name, as other cells\' configs refer to it: a letter or _, then letters, digits and _ (at most 64)' });
const CONFIG_RULE = '"config" must be YAML text';
const configField = z.string(says(CONFIG_RULE)).max(256 * 1024, says('"config" is longer than 256 KB'))
  .meta({ description: 'the cell\'s YAML config (see each kind\'s reference at GET /api/kinds)' });
const positionField = z.int(says('"position" must be a whole number ≥ 0')).min(0, says('"position" must be a whole number ≥ 0')).nullable().optional()
  .transform((v) => v ?? undefined).meta({ description: 'where the cell goes, 0 first (default: last)' });
const unknownKind = (iss: { input?: unknown }) => `unknown cell kind "${typeof iss.input === 'string' ? iss.input : ''}"; known kinds: ${Object.keys(kinds).join(', ')}`;

export const createCellBody = z.object({
  // Checked against the registry as it is when asked: a kind registered later (a test's) counts.
  kind: z.string({ error: unknownKind }).refine((k) => kindOf(k) !== undefined, { error: unknownKind })
    .meta({ description: 'the cell\'s kind: one of GET /api/kinds' }),
  name: nameField,
  config: configField.optional(),
  position: positionField,
  version: versionField,
});

export const patchCellBody = z.object({
  config: configField.optional(),
  name: nameField.optional(),
  position: positionField,
  updateReferences: z.boolean(says('"updateReferences" must be true or false')).optional()
    .meta({ description: 'on a rename, rewrite the configs that name the cell' }),
  version: versionField,
});

export async function cellFor(c: Context<AppEnv>, workspaceId: string) {
  const cellId = idParam(c, 'cellId', 'cell');
  const [cell] = await c.var.services.db.select().from(cells).where(and(eq(cells.id, cellId), eq(cells.workspaceId, workspaceId)));
  if (!cell) throw notFound('cell');
  return cell;
}

/** Rewrites positions 0..n-1 with `movedId` placed at `position`. */
export async function reorder(db: Pick<Db, 'select' | 'update'>, workspaceId: string, movedId: string, position: number): Promise<void> {
  const rows = await db.select({ id: cells.id }).from(cells).where(eq(cells.workspaceId, workspaceId)).orderBy(asc(cells.position), asc(cells.createdAt));
  const ids = rows.map((r) => r.id).filter((id) => id !== movedId);
  ids.splice(Math.max(0, Math.min(position, ids.length)), 0, movedId);
  for (const [i, id] of ids.entries()) await db.update(cells).set({ position: i }).where(eq(cells.id, id));
}

export function uniqueViolation(err: unknown, name: string): never {
  const cause = (err as { cause?: { code?: string } })?.cause ?? err;
  if ((cause as { code?: string })?.code === '23505') throw new ApiError(409, 'name_taken', `a cell named "${name}" already exists in this workspace`, { field: 'name' });
  throw err;
}

export const cellRoutes = new Hono<AppEnv>()
  .post('/workspaces/:id/cells', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const body = await bodyOf(c, createCellBody);
    const kind = kindOf(body.kind)!;
    const { name, position } = body;
    const config = body.config ?? kind.starterConfig();
    const { value: cell, version: workspaceVersion } = await changeWorkspace(c.var.services, workspace.id, { version: body.version, trigger: 'create', userId: user.id }, async (tx, bump) => {
      const [created] = await tx.insert(cells).values({ workspaceId: workspace.id, name, kind: kind.kind, config, position: 1e6 })
        .returning().catch((err) => uniqueViolation(err, name));
      await reorder(tx, workspace.id, created!.id, position ?? Number.MAX_SAFE_INTEGER);
      await bump('cell.created', created!.id);
      await audit(tx, workspace.id, user, 'cell.created', { cellId: created!.id, name, kind: kind.kind });
      const [fresh] = await tx.select().from(cells).where(eq(cells.id, created!.id));
      return fresh!;
    });
    return c.json({ ...presentCell(cell), workspaceVersion }, 201);
  })
  .patch('/workspaces/:id/cells/:cellId', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const cell = await cellFor(c, workspace.id);
    const body = await bodyOf(c, patchCellBody);
    const changes: Partial<typeof cells.$inferInsert> = {};
    if (body.config !== undefined) changes.config = body.config;
    if (body.name !== undefined) changes.name = body.name;
    const { position } = body;
    const renamed = changes.name !== undefined && changes.name !== cell.name;
    // Planning compares fingerprints: a change that does not alter meaning re-runs nothing.
    const { value, version: workspaceVersion } = await changeWorkspace(c.var.services, workspace.id, { version: body.version, trigger: 'edit', userId: user.id }, async (tx, bump) => {
      if (Object.keys(changes).length) {
        await tx.update(cells).set({ ...changes, updatedAt: new Date() }).where(eq(cells.id, cell.id))
          .catch((err) => uniqueViolation(err, String(changes.name)));
      }
      if (position !== undefined) await reorder(tx, workspace.id, cell.id, position);
      const references = renamed ? await followRename(tx, workspace.id, cell.name, changes.name!, body.updateReferences === true) : undefined;
      await bump('cell.updated', cell.id);
      await audit(tx, workspace.id, user, 'cell.edited', { cellId: cell.id, name: changes.name ?? cell.name, ...(renamed ? { renamedFrom: cell.name } : {}) });
      const [fresh] = await tx.select().from(cells).where(eq(cells.id, cell.id));
      return { fresh: fresh!, references };
    });
    return c.json({ ...presentCell(value.fresh), ...value.references, workspaceVersion });
  })
  .delete('/workspaces/:id/cells/:cellId', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const cell = await cellFor(c, workspace.id);
    const version = c.req.query('version');
    if (version !== undefined && !/^\d{1,9}$/.test(version)) throw badRequest('"version" must be the workspace version the change was made on', { field: 'version' });
    // Cells that read the deleted one now name a missing input: planning marks them.
    const { version: workspaceVersion } = await changeWorkspace(c.var.services, workspace.id, {
      version: version === undefined ? undefined : Number(version), trigger: 'edit', userId: user.id,
    }, async (tx, bump) => {
      // Read before the delete takes it (its cell runs go with the cell).
      const lastRun = await lastFinishedRun(tx, cell.id);
      await tx.delete(cells).where(eq(cells.id, cell.id));
      await bump('cell.deleted', cell.id);
      // What an undo needs to put the cell back as it was (restore.ts): the trail keeps it.
      await audit(tx, workspace.id, user, 'cell.deleted', {
        cellId: cell.id, name: cell.name, kind: cell.kind, config: cell.config, position: cell.position, fileId: cell.fileId,
        ...(lastRun ? { lastRun } : {}),
      });
    });
    return c.json({ ok: true, workspaceVersion });
  })
  .get('/workspaces/:id/cells/:cellId/result', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const cell = await cellFor(c, workspace.id);
    const state = (await latestStates(c.var.services.db, [cell.id])).get(cell.id);
    if (!state) return c.json({ status: null, runId: null, fingerprint: null, result: null, error: null, progress: 0 });
    return c.json(state);
  })
  // Cells a cell's latest result suggests adding after it (KindFace.suggest: rules from a
  // profile); the page then adds the one chosen as a cell.
  .get('/workspaces/:id/cells/:cellId/suggestions', async (c) => c.json(await suggestionsFor(c)))
  // The first suggestion alone: what the page's "Suggest rules" asks for.
  .get('/workspaces/:id/cells/:cellId/suggested-rules', async (c) => {
    const [first] = await suggestionsFor(c);
    return c.json({ name: first!.name, config: first!.config, kind: first!.kind });
  })
  // "Show the code" (CellKind.code): the cell's work as SQL and Python, from its config and latest result.
  .get('/workspaces/:id/cells/:cellId/code', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const cell = await cellFor(c, workspace.id);
    const kind = kindOf(cell.kind);
    if (!kind?.code) throw badRequest(`${/^[aeiou]/.test(cell.kind) ? 'an' : 'a'} ${cell.kind} cell has no code to show`);
    const raw = parseCellYaml(cell.config);
    const state = (await latestStates(c.var.services.db, [cell.id])).get(cell.id);
    const code = kind.code(raw, state?.result ?? undefined);
    if (!code) throw new ApiError(409, 'no_code', `cell "${cell.name}" holds nothing that can be written as code yet: give it a query that runs`);
    // The tables the code reads, each downloadable as <cell>.parquet (…/cells/:cellId/table.parquet).
    let names: string[] = [];
    try {
      names = kind.inputs(kind.parseConfig(raw));
    } catch {
      // A config the kind refuses still has its code written out; the cell shows the error.
    }
    const inWorkspace = await c.var.services.db.select({ id: cells.id, name: cells.name }).from(cells).where(eq(cells.workspaceId, workspace.id));
    const tables = names.flatMap((name) => inWorkspace.filter((x) => x.name === name).map((x) => ({ name, cellId: x.id })));
    return c.json({ sql: code.sql, python: code.python, tables });
  })
  .post('/workspaces/:id/cells/:cellId/upload', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'edit');
    const cell = await cellFor(c, workspace.id);
    const kind = kindOf(cell.kind);
    if (!kind?.acceptsFile) throw badRequest(`a ${cell.kind} cell takes no file; upload to a cell of a kind that does (${fileKinds().join(', ')})`);
    const { services } = c.var;
    const incoming = await receiving(c, services.config.maxUploadBytes, (body, type) => receiveFile(c, body, type, services.config.dataDir, services.config.maxUploadBytes));
    await refuseUnreadable(services.db, kind, cell, incoming);
    const { value: file, runId, version: workspaceVersion } = await changeWorkspace(services, workspace.id, { trigger: 'upload', userId: user.id }, async (tx, bump) => {
      const [f] = await tx.insert(files).values({ workspaceId: workspace.id, name: incoming.name, size: incoming.size, sha256: incoming.sha256, createdBy: user.id })
        .returning();
      await tx.update(cells).set({ fileId: f!.id, updatedAt: new Date() }).where(eq(cells.id, cell.id));
      await bump('cell.file', cell.id);
      await audit(tx, workspace.id, user, 'file.uploaded', { cellId: cell.id, name: cell.name, file: incoming.name, size: incoming.size });
      return f!;
    });
    return c.json({ file: { id: file.id, name: file.name, size: file.size, sha256: file.sha256 }, runId, workspaceVersion }, 201);
  });

/** The upload body: either the raw bytes (`?filename=`) or a multipart field `file`. Streamed, never buffered. */
async function receiveFile(c: Context<AppEnv>, body: Readable, type: string, dataDir: string, maxBytes: number): Promise<IncomingFile> {
  if (!isMultipart(type)) return { ...await storeStream(dataDir, body, maxBytes), name: safeFileName(c.req.query('filename')) };
  const files = await receiveMultipart(body, type, ['file'], dataDir, maxBytes, { others: 'skip', describe: 'send the CSV in a field named "file"' });
  return files.get('file')!;
}

async function suggestionsFor(c: Context<AppEnv>): Promise<SuggestedCell[]> {
  const { workspace } = await workspaceFor(c, 'view');
  const cell = await cellFor(c, workspace.id);
  const kind = kindOf(cell.kind);
  if (!kind?.suggest) throw badRequest(`a ${cell.kind} cell suggests no cells to follow it`);
  const state = (await latestStates(c.var.services.db, [cell.id])).get(cell.id);
  if (state?.status !== 'done' || !state.result) {
    throw new ApiError(409, 'no_result', `cell "${cell.name}" has no finished result yet; run it first`);
  }
  const suggested = kind.suggest(state.result, { cell: cell.name, config: kind.parseConfig(parseCellYaml(cell.config)) });
  if (suggested.length === 0) throw new ApiError(409, 'no_suggestions', `cell "${cell.name}" has nothing to suggest`);
  return suggested;
}
