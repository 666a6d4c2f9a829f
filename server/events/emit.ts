import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { EVENTS_CHANNEL, type AssayEvent } from './types.ts';

type Executor = Pick<Db, 'execute'>;

/**
 * Stores an event and announces it. Inside a transaction the NOTIFY goes out at commit,
 * so a listener never sees an event it cannot read yet. The payload is only the id:
 * NOTIFY payloads are capped at 8000 bytes and results are bigger.
 */
export async function emit(db: Executor, workspaceId: string, event: AssayEvent): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    with e as (
      insert into events (workspace_id, type, data)
      values (${workspaceId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb)
      returning id, workspace_id
    )
    select id, pg_notify(${EVENTS_CHANNEL}, json_build_object('id', id, 'w', workspace_id)::text) from e`);
  return Number(rows[0]!.id);
}
