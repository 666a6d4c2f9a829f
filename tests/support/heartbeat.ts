// A dead worker's job is found by its heartbeat going silent: pg-boss fails it once its last
// heartbeat is older than the job's heartbeat period (10 s at least, pg-boss refuses less), at
// its next supervise pass (every 2 s here), and retries it or hands it to the dead letter queue.
//
// tests/api/worker-death.test.ts waits that heartbeat out once, in real time. Other tests of
// what follows a death (retries spent, a profile run again) move the dead worker's last
// heartbeat back by one period instead, as if that time had passed: the same query of pg-boss's
// then fails the job at its next pass, 10 s sooner per death.
import postgres from 'postgres';

/**
 * Moves the last heartbeat of the cell's job back by the job's heartbeat period, if it is still
 * active in its `claim` (0 for the first claim, 1 for the first retry…: pg-boss's retry_count).
 * Only once the worker holding that claim is dead: a live one would write a new heartbeat over it.
 * The claim is named because on a loaded machine pg-boss may already have failed the dead
 * worker's claim by itself, and another worker be running the job: its heartbeat is left alone.
 * Returns how many jobs it moved, 0 or 1.
 */
export async function lapseHeartbeat(databaseUrl: string, cellId: string, claim: number): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // The job id is the cell run id (server/jobs/queue.ts).
    const moved = await sql`
      update pgboss.job set heartbeat_on = heartbeat_on - heartbeat_seconds * interval '1 second'
      where state = 'active' and heartbeat_seconds is not null and retry_count = ${claim}
        and id in (select id from cell_runs where cell_id = ${cellId})`;
    return moved.count;
  } finally {
    await sql.end();
  }
}
