import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindOf } from '../../cells/registry.ts';
import { cells, files, workspaces } from '../db/schema.ts';
import { fromYaml, type WorkspaceDocument } from '../notebook/workspace-yaml.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { storeStream } from '../files/store.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SAMPLE = path.join(HERE, 'seattle-weather.csv');
// The notebook itself is a workspace document (an export's format), so this file names no
// kind: its first cell that takes a file is given the sample. One of its rules warns, to show
// what that looks like.
const DEMO = path.join(HERE, 'demo.yaml');
let demo: WorkspaceDocument | undefined;

/**
 * Gives a new user a workspace that already shows results: the Seattle weather sample,
 * its upload cell and a profile. The results are shared by fingerprint, so only the first
 * user's demo does any work.
 */
export async function seedDemoWorkspace(services: Services, userId: string): Promise<string | null> {
  try {
    const doc = demo ??= fromYaml(fs.readFileSync(DEMO, 'utf8'));
    const stored = await storeStream(services.config.dataDir, fs.createReadStream(SAMPLE), Number.MAX_SAFE_INTEGER);
    const workspaceId = await services.db.transaction(async (tx) => {
      const [ws] = await tx.insert(workspaces).values({ ownerId: userId, title: doc.title }).returning();
      const [file] = await tx.insert(files).values({
        workspaceId: ws!.id, name: 'seattle-weather.csv', size: stored.size, sha256: stored.sha256, createdBy: userId,
      }).returning();
      const takesFile = doc.cells.findIndex((c) => kindOf(c.kind)?.acceptsFile);
      await tx.insert(cells).values(doc.cells.map((c, position) => ({
        workspaceId: ws!.id, name: c.name, kind: c.kind, config: c.config, position, ...(position === takesFile ? { fileId: file!.id } : {}),
      })));
      return ws!.id;
    });
    await changeWorkspace(services, workspaceId, { trigger: 'seed', userId });
    return workspaceId;
  } catch (err) {
    // A missing demo must never block a signup.
    log.warn('demo workspace not created', { err: String(err) });
    return null;
  }
}
