// A rerun on new files: each upload cell named gets its new file, and the whole notebook runs
// again as one new run (every cell gets a cell run in it; unchanged ones reuse their result at
// once). The page, the API and the scheduler all come through here.
import { and, eq, inArray } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { kindOf } from '../../cells/registry.ts';
import { cells, files } from '../db/schema.ts';
import { isMultipart, receiveMultipart, type IncomingFile } from '../files/receive.ts';
import { refuseUnreadable } from '../files/refuse.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { audit } from '../sharing/audit.ts';
import type { User } from '../auth/users.ts';
import { expectReport } from '../delivery/dispatch.ts';


/** The workspace's upload cells (those that take a file), in notebook order. */
export async function uploadCells(services: Services, workspaceId: string) {
  const rows = await services.db.select({ id: cells.id, name: cells.name, kind: cells.kind, position: cells.position }).from(cells)
    .where(eq(cells.workspaceId, workspaceId)).orderBy(cells.position);
  return rows.filter((r) => kindOf(r.kind)?.acceptsFile);
}

/**
 * Sets each named upload cell's file and plans a complete run, in one change (one transaction):
 * the run exists exactly when the new files do. Answers the run's id.
 */
export async function rerunWithFiles(
  services: Services, workspaceId: string, incoming: Map<string, IncomingFile>,
  opts: { trigger: 'files' | 'api' | 'schedule'; user: User | null; params?: Record<string, unknown> },
): Promise<string> {
  const userId = opts.user?.id ?? null;
  // A file its cell can never read (a PNG, an empty file) is refused before anything changes.
  const named = await services.db.select({ name: cells.name, kind: cells.kind, config: cells.config, fileId: cells.fileId }).from(cells)
    .where(and(eq(cells.workspaceId, workspaceId), inArray(cells.name, [...incoming.keys()])));
  for (const cell of named) {
    const kind = kindOf(cell.kind);
    if (kind?.acceptsFile) await refuseUnreadable(services.db, kind, cell, incoming.get(cell.name)!);
  }
  // With `params`, input cells run with those values (runs.params); their saved configs stay.
  const { runId } = await changeWorkspace(services, workspaceId, { trigger: opts.trigger, userId, all: true, params: opts.params }, async (tx, bump) => {
    // Read under the workspace's lock: a cell deleted or renamed while its file arrived is a refusal, not a crash.
    const uploads = new Map((await tx.select({ id: cells.id, name: cells.name, kind: cells.kind }).from(cells).where(eq(cells.workspaceId, workspaceId)))
      .filter((c) => kindOf(c.kind)?.acceptsFile).map((c) => [c.name, c]));
    for (const [name, file] of incoming) {
      const cell = uploads.get(name);
      if (!cell) throw new ApiError(409, 'cell_gone', `upload cell "${name}" was deleted or renamed while its file arrived; nothing was changed`);
      const [f] = await tx.insert(files).values({ workspaceId, name: file.name, size: file.size, sha256: file.sha256, createdBy: userId })
        .returning({ id: files.id });
      await tx.update(cells).set({ fileId: f!.id, updatedAt: new Date() }).where(and(eq(cells.id, cell.id), eq(cells.workspaceId, workspaceId)));
      await audit(tx, workspaceId, opts.user, 'file.uploaded', { cellId: cell.id, name, file: file.name, size: file.size, trigger: opts.trigger });
    }
    await bump(opts.trigger === 'schedule' ? 'run.scheduled' : 'run.files');
  });
  if (!runId) throw new ApiError(409, 'nothing_to_run', 'the workspace has no cells to run');
  await audit(services.db, workspaceId, opts.user, 'workspace.ran', { runId, trigger: opts.trigger });
  // Reruns and scheduled runs send their report to those who asked, once they finish.
  await expectReport(services, workspaceId, runId);
  return runId;
}

/**
 * The multipart body of POST /workspaces/:id/runs: one file field per upload cell, named by
 * the cell. Each file streams to disk as it arrives; a field naming no upload cell is refused
 * before any of its bytes are kept.
 */
export function receiveRunFiles(
  body: Readable, contentType: string, uploadNames: string[], dataDir: string, maxBytes: number,
): Promise<Map<string, IncomingFile>> {
  const describe = `the fields name this workspace's upload cells: ${uploadNames.join(', ') || 'it has none'}`;
  if (!isMultipart(contentType)) return Promise.reject(badRequest(`send the files as multipart/form-data, one field per upload cell; ${describe}`));
  return receiveMultipart(body, contentType, uploadNames, dataDir, maxBytes, { others: 'refuse', describe });
}
