import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { EVENTS_CHANNEL, type AssayEvent } from './types.ts';

type Executor = Pick<Db, 'execute'>;

// Namespace of the advisory lock below (any constant that no other lock uses).
export const EVENTS_LOCK = 0x61737901;

/**
 * Stores an event and announces it. Inside a transaction the NOTIFY goes out at commit,
 * so a listener never sees an event it cannot read yet. The payload is only the id:
 * NOTIFY payloads are capped at 8000 bytes and results are bigger.
 *
 * The lock, held to the end of the writer's transaction, makes a workspace's event ids
 * commit in increasing order. Without it a worker's event could commit before an older
 * id of a still-open planner transaction, and a client resuming by Last-Event-ID would
 * skip the older one for good.
 */
export async function emit(db: Executor, workspaceId: string, event: AssayEvent): Promise<number> {
  return (await emitMany(db, workspaceId, [event]))[0]!;
}

/** Several events of one workspace in one statement, with ids in the given order. */
export async function emitMany(db: Executor, workspaceId: string, events: AssayEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await db.execute<{ id: number }>(storeEvents(workspaceId, events));
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * The one statement that stores events and announces them, under the events lock (see
 * emit). With `change`, the events are stored only when it changed a row: `change` is an
 * UPDATE … RETURNING that gets the lock's CTE name to wait on (`… and (select true from l)`),
 * so a row's change and the event saying so are one statement, and no client ever waits for
 * a change that was stored but never sent.
 */
export function storeEvents(workspaceId: string, events: AssayEvent[], change?: (lock: SQL) => SQL): SQL {
  return sql`
    with l as (select pg_advisory_xact_lock(${EVENTS_LOCK}, hashtext(${workspaceId}))),
    c as (${change ? change(sql.raw('l')) : sql`select 1`}),
    e as (
      insert into events (workspace_id, type, data)
      select ${workspaceId}, x.item->>'type', x.item->'data'
      from l, jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as x(item, n)
      where exists (select 1 from c)
      order by x.n
      returning id, workspace_id
    )
    select id, pg_notify(${EVENTS_CHANNEL}, json_build_object('id', id, 'w', workspace_id)::text) from e`;
}

/** The id of a workspace's newest event (0 when none): where a fresh client's stream starts. */
export async function lastEventId(db: Executor, workspaceId: string): Promise<number> {
  const rows = await db.execute<{ id: number | null }>(sql`select max(id) as id from events where workspace_id = ${workspaceId}`);
  return Number(rows[0]?.id ?? 0);
}
