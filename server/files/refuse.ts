// A file its cell can never read (empty, binary: a PNG dropped on an upload cell) is refused
// before it becomes the cell's (issue 23, item 8). Refused, nothing changes: the cell keeps its
// file, its result and its dependents as they were, and the answer says why and what stays.
import { eq } from 'drizzle-orm';
import fs from 'node:fs';
import type { CellKind } from '../../cells/kind.ts';
import { CellError } from '../../cells/kind.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import type { Db } from '../db/client.ts';
import { files } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import type { IncomingFile } from './receive.ts';

export async function refuseUnreadable(
  db: Db, kind: CellKind, cell: { name: string; config: string; fileId: string | null }, incoming: IncomingFile,
): Promise<void> {
  if (!kind.refuseFile) return;
  let config: unknown;
  try {
    config = kind.parseConfig(parseCellYaml(cell.config));
  } catch {
    config = undefined; // A config that does not parse is the run's to report; the file is judged on its own.
  }
  try {
    kind.refuseFile(incoming.path, config);
  } catch (err) {
    if (!(err instanceof CellError)) throw err;
    // Stored by its hash: kept when some workspace holds the same bytes, else gone with the refusal.
    const [held] = await db.select({ id: files.id }).from(files).where(eq(files.sha256, incoming.sha256)).limit(1);
    if (!held) fs.rmSync(incoming.path, { force: true });
    const [previous] = cell.fileId ? await db.select({ name: files.name }).from(files).where(eq(files.id, cell.fileId)) : [];
    throw new ApiError(422, 'file_refused', refusal(incoming.name, err.message, cell.name, previous?.name), { reason: err.code, file: incoming.name });
  }
}

/**
 * What a refusal says, in the same words whether the file was refused on arrival (above) or
 * failed in the cell's run and was handed back (keep-previous.ts): which file, why, and what stays.
 */
export function refusal(file: string, why: string, cell: string, kept: string | undefined): string {
  const keeps = kept !== undefined ? `cell "${cell}" keeps its file "${kept}" and its result` : `cell "${cell}" still waits for a file`;
  return `"${file}" was not used: ${why}; ${keeps}`;
}
