import { eq } from 'drizzle-orm';
import { renameReferences } from '../../cells/references.ts';
import { kindOf } from '../../cells/registry.ts';
import type { Tx } from '../db/client.ts';
import { cells } from '../db/schema.ts';
import { parseCell } from '../notebook/analyse.ts';

/**
 * After a rename, the cells that read the old name: with `update`, each one's references
 * are rewritten to the new name (see cells/references.ts). Returns the cells updated and
 * those still reading the old name, whose runs now fail naming the renamed cell.
 */
export async function followRename(tx: Tx, workspaceId: string, from: string, to: string, update: boolean) {
  const others = await tx.select({ id: cells.id, name: cells.name, kind: cells.kind, config: cells.config }).from(cells)
    .where(eq(cells.workspaceId, workspaceId));
  const updatedReferences: string[] = [];
  const danglingReferences: string[] = [];
  for (const other of others) {
    if (!parseCell(other).inputs.includes(from)) continue;
    const kind = kindOf(other.kind);
    const config = update && kind ? renameReferences(kind, other.config, from, to) : undefined;
    if (config === undefined) {
      danglingReferences.push(other.name);
      continue;
    }
    await tx.update(cells).set({ config, updatedAt: new Date() }).where(eq(cells.id, other.id));
    updatedReferences.push(other.name);
  }
  return { ...(update ? { updatedReferences } : {}), danglingReferences };
}
