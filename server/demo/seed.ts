import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cells, files, workspaces } from '../db/schema.ts';
import { changeWorkspace } from '../workspaces/change.ts';
import { storeStream } from '../files/store.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';

// Rules a new user can read and change: one of them warns, to show what that looks like.
const DEMO_RULES = `# Data-quality checks on the upload; they run again whenever its file changes.
input: weather
rules:
  - check: not_null
    columns: [date, weather]
  - check: unique
    column: date
  - check: allowed_values
    column: weather
    values: [drizzle, fog, rain, snow, sun]
  - check: expression
    name: the day's high is not below its low
    expr: temp_max >= temp_min
  - check: range
    name: calm days
    column: wind
    max: 7
    warn_if: "> 0"
    fail_if: "> 5%"
`;

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seattle-weather.csv');

/**
 * Gives a new user a workspace that already shows results: the Seattle weather sample,
 * its upload cell and a profile. The results are shared by fingerprint, so only the first
 * user's demo does any work.
 */
export async function seedDemoWorkspace(services: Services, userId: string): Promise<string | null> {
  try {
    const stored = await storeStream(services.config.dataDir, fs.createReadStream(SAMPLE), Number.MAX_SAFE_INTEGER);
    const workspaceId = await services.db.transaction(async (tx) => {
      const [ws] = await tx.insert(workspaces).values({ ownerId: userId, title: 'Demo: Seattle weather 2012–2015' }).returning();
      const [file] = await tx.insert(files).values({
        workspaceId: ws!.id, name: 'seattle-weather.csv', size: stored.size, sha256: stored.sha256, createdBy: userId,
      }).returning();
      await tx.insert(cells).values([
        {
          workspaceId: ws!.id, name: 'weather', kind: 'upload', position: 0, fileId: file!.id,
          config: '# Daily weather in Seattle (NOAA, public domain). Drop another CSV here to replace it.\n',
        },
        {
          workspaceId: ws!.id, name: 'weather_profile', kind: 'profile', position: 1,
          config: '# Column statistics of the upload above; edit `input` to profile another cell.\ninput: weather\n',
        },
        { workspaceId: ws!.id, name: 'weather_checks', kind: 'rule', position: 2, config: DEMO_RULES },
        {
          workspaceId: ws!.id, name: 'weather_by_month', kind: 'chart', position: 3,
          config: '# The mean daily high, month by month.\ninput: weather\nmark: line\nx: {field: date, bin: month}\ny: mean(temp_max)\n',
        },
      ]);
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
