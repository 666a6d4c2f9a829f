// Locking the schema of a workspace's upload cells as their latest results read them: each
// config gets a `schema:` mapping (written into the YAML text, so comments stay); unlocking
// removes it. A file that drifts from it is then the upload cell's error (cells/upload/schema-lock.ts).
import { eq } from 'drizzle-orm';
import { isMap, parseDocument } from 'yaml';
import { yamlNestingProblem } from '../../cells/yaml-shape.ts';
import { cells } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import type { Services } from '../services.ts';
import type { User } from '../auth/users.ts';
import { audit } from '../sharing/audit.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { latestStates } from '../workspaces/present.ts';
import { uploadCells } from './rerun.ts';

/** The config text with `schema` set to `columns` (a flow mapping, in column order), or removed when null. */
export function withSchema(config: string, columns: { name: string; type: string }[] | null): string {
  const tooDeep = yamlNestingProblem(config);
  if (tooDeep) throw new ApiError(409, 'config_yaml', `the cell's YAML does not parse: ${tooDeep.message}`);
  const doc = parseDocument(config);
  if (doc.errors.length) throw new ApiError(409, 'config_yaml', `the cell's YAML does not parse: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ApiError(409, 'config_invalid', 'the cell\'s config is not a YAML mapping');
  if (columns === null) {
    // An empty config has no schema to remove (and yaml cannot delete from an empty document).
    if (doc.contents === null) return config;
    doc.delete('schema');
  } else {
    const node = doc.createNode(Object.fromEntries(columns.map((c) => [c.name, c.type])), { flow: true });
    doc.set('schema', node);
  }
  const text = doc.toString({ lineWidth: 0 });
  return text === '{}\n' || text === 'null\n' ? '' : text;
}

/**
 * Locks (or unlocks) every upload cell's schema in one change. Locking needs each upload cell's
 * finished result (409 naming the cells without one). Answers the locked schemas by cell name.
 */
export async function setSchemaLock(services: Services, workspaceId: string, user: User, lock: boolean) {
  const uploads = await uploadCells(services, workspaceId);
  if (!uploads.length) throw new ApiError(409, 'no_upload_cells', 'the workspace has no upload cell whose schema could be locked');
  const states = await latestStates(services.db, uploads.map((u) => u.id));
  const schemas = new Map<string, { name: string; type: string }[]>();
  if (lock) {
    const without = uploads.filter((u) => states.get(u.id)?.status !== 'done');
    if (without.length) {
      throw new ApiError(409, 'no_schema_yet', `upload cell${without.length > 1 ? 's' : ''} ${without.map((u) => `"${u.name}"`).join(', ')} ha${without.length > 1 ? 've' : 's'} no finished result to lock; run ${without.length > 1 ? 'them' : 'it'} first`);
    }
    for (const u of uploads) schemas.set(u.name, ((states.get(u.id)!.result as { columns: { name: string; type: string }[] }).columns).map((c) => ({ name: c.name, type: c.type })));
  }
  const { version } = await changeWorkspace(services, workspaceId, { trigger: 'edit', userId: user.id }, async (tx, bump) => {
    for (const u of uploads) {
      const [row] = await tx.select({ config: cells.config }).from(cells).where(eq(cells.id, u.id));
      const next = withSchema(row!.config, lock ? schemas.get(u.name)! : null);
      if (next !== row!.config) {
        await tx.update(cells).set({ config: next, updatedAt: new Date() }).where(eq(cells.id, u.id));
        await bump('cell.updated', u.id);
        await audit(tx, workspaceId, user, 'cell.edited', { cellId: u.id, name: u.name, schema: lock ? 'locked' : 'unlocked' });
      }
    }
  });
  return { locked: lock, schemas: Object.fromEntries(schemas), workspaceVersion: version };
}
