// A workspace with its event stream open, for the API tests of the engine.
import type { ApiClient, SseEvent } from './client.ts';

/** Matches an event of `type` about `cellId`, and `extra` if given. */
export const on = (type: string, cellId: string, extra: (e: SseEvent) => boolean = () => true) =>
  (e: SseEvent) => e.event === type && e.data.cellId === cellId && extra(e);

export async function workspaceWithStream(api: ApiClient, title: string) {
  const ws = (await api.post('/api/workspaces', { title })).body;
  const events = api.events(ws.id);
  await events.ready;
  const add = async (name: string, kind: string, config: string) => {
    const res = await api.post(`/api/workspaces/${ws.id}/cells`, { kind, name, config });
    if (res.status !== 201) throw new Error(`adding cell ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  // On a timeout, also say what the database holds for each cell: a lost event and a
  // stuck job look alike from the stream alone.
  const waitFor = events.waitFor.bind(events);
  events.waitFor = async (match, timeoutMs) => {
    try {
      return await waitFor(match, timeoutMs);
    } catch (err) {
      const cells = (await api.get(`/api/workspaces/${ws.id}`)).body.cells as { id: string; name: string; latest: { status: string; runId: string } | null }[];
      const states = cells.map((c) => `${c.name}(${c.id.slice(0, 8)}):${c.latest?.status}:${c.latest?.runId?.slice(0, 8)}`).join(', ');
      throw new Error(`${(err as Error).message}; in the database: ${states}`);
    }
  };
  return { ws, events, add };
}
