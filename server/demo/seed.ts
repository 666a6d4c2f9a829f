import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { User } from '../auth/users.ts';
import { storeStream } from '../files/store.ts';
import { log } from '../log.ts';
import { fromYaml, type WorkspaceDocument } from '../notebook/workspace-yaml.ts';
import { importDocument } from '../runs/documents.ts';
import type { Services } from '../services.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SAMPLE = path.join(HERE, 'seattle-weather.csv');
// The notebook itself is a workspace document (an export's format), imported as any other is,
// so this file names no kind: its first cell that takes a file is given the sample. One of its
// rules warns, to show what that looks like.
const DEMO = path.join(HERE, 'demo.yaml');
let demo: WorkspaceDocument | undefined;

/**
 * Gives a new user a workspace that already shows results: the Seattle weather sample,
 * its upload cell, a profile, checks and a chart. The results are shared by fingerprint, so
 * only the first user's demo does any work.
 */
export async function seedDemoWorkspace(services: Services, user: User): Promise<string | null> {
  try {
    const doc = demo ??= fromYaml(fs.readFileSync(DEMO, 'utf8'));
    const stored = await storeStream(services.config.dataDir, fs.createReadStream(SAMPLE), Number.MAX_SAFE_INTEGER);
    const ws = await importDocument(services, user, doc, { file: { name: path.basename(SAMPLE), size: stored.size, sha256: stored.sha256 }, trigger: 'seed' });
    return ws.id;
  } catch (err) {
    // A missing demo must never block a signup.
    log.warn('demo workspace not created', { err: String(err) });
    return null;
  }
}
