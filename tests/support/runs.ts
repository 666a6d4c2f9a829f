// Helpers for the run tests: a notebook on the Seattle weather file, files derived from it,
// and reruns sent as the page sends them (multipart, a field per upload cell).
import fs from 'node:fs';
import path from 'node:path';
import type { ApiClient } from './client.ts';

export const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
export const WEATHER = path.join(DATA, 'seattle-weather.csv');

/** The weather file cut to the rows whose date starts with `year` (header kept), optionally edited line by line. */
export function weatherOf(year: string, edit: (line: string, i: number) => string = (l) => l): string {
  const [header, ...rows] = fs.readFileSync(WEATHER, 'utf8').trimEnd().split('\n');
  return [header!, ...rows.filter((r) => r.startsWith(year))].map(edit).join('\n') + '\n';
}

export const RULES = [
  'input: weather',
  'rules:',
  '  - check: range',
  '    name: hot days',
  '    column: temp_max',
  '    max: 30',
  '  - check: not_null',
  '    column: precipitation',
  '  - check: allowed_values',
  '    column: weather',
  '    values: [drizzle, fog, rain, snow, sun]',
  '',
].join('\n');

/** POSTs new files for a rerun: `files` maps upload cell names to [file name, contents]. */
export async function rerun(api: ApiClient, workspaceId: string, files: Record<string, [string, string]>) {
  const form = new FormData();
  for (const [field, [name, bytes]] of Object.entries(files)) form.append(field, new Blob([bytes]), name);
  const res = await fetch(`${api.base}/api/workspaces/${workspaceId}/runs`, { method: 'POST', headers: api.headers(), body: form });
  return { status: res.status, body: await res.json() as any };
}

/**
 * The run, once none of its cells is queued or running. Looked at again as each event of its
 * workspace arrives (a cell's run ending sends one, after its row is committed), not on a timer;
 * and after 2 s without one, in case an ending came with no event this test can see.
 */
export async function finishedRun(api: ApiClient, runId: string, timeoutMs = 30_000): Promise<any> {
  const get = async () => {
    const res = await api.get(`/api/runs/${runId}`);
    if (res.status !== 200) throw new Error(`GET run: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let run = await get();
  if (run.status === 'done') return run;
  const events = api.events(run.workspaceId);
  await events.ready;
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Looked at after the stream opened: an ending before it is in this answer, a later one comes as an event.
      const seen = events.received.length;
      run = await get();
      if (run.status === 'done') return run;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`run ${runId} still ${run.status}: ${run.cells.map((c: any) => `${c.name}:${c.status}`).join(', ')}`);
      await events.waitFor((e) => events.received.indexOf(e) >= seen, Math.min(left, 2000)).catch(() => {});
    }
  } finally {
    events.close();
  }
}

export const cellOf = (run: any, name: string) => run.cells.find((c: any) => c.name === name);
