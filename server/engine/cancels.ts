import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import type { Notifications } from '../events/listen.ts';
import { log } from '../log.ts';

const CANCEL_CHANNEL = 'assay_cancel';

/**
 * Aborts this process's runs of cell runs that a newer edit superseded, the moment the plan
 * that superseded them commits: the planner NOTIFYs their ids, every worker process LISTENs.
 * Without it a superseded run went on computing until the worker next looked at its row, and
 * on a worker running one heavy job at a time the newer run waited for it.
 */
export class Cancels {
  readonly #notifications: Notifications;
  readonly #running = new Map<string, AbortController>();
  #unlisten?: () => void;

  constructor(notifications: Notifications) {
    this.#notifications = notifications;
  }

  /** While this LISTEN is down (a lost connection), the worker's periodic look at the row is the backstop. */
  async start(): Promise<void> {
    this.#unlisten = await this.#notifications.listen(CANCEL_CHANNEL, (cellRunId) => {
      const controller = this.#running.get(cellRunId);
      if (!controller) return;
      log.debug('run cancelled by a newer edit', { cellRunId });
      controller.abort();
    });
  }

  stop(): void {
    this.#unlisten?.();
  }

  /** How many cell runs this process is computing now. */
  get running(): number {
    return this.#running.size;
  }

  /** Aborts `controller` if the cell run is cancelled while this process runs it; returns the undo. */
  watch(cellRunId: string, controller: AbortController): () => void {
    this.#running.set(cellRunId, controller);
    return () => {
      if (this.#running.get(cellRunId) === controller) this.#running.delete(cellRunId);
    };
  }
}

/** Tells every worker, when `tx` commits, that these cell runs are cancelled. */
export async function announceCancelled(tx: Tx, cellRunIds: string[]): Promise<void> {
  if (cellRunIds.length === 0) return;
  await tx.execute(sql`select pg_notify(${CANCEL_CHANNEL}, id) from unnest(${`{${cellRunIds.join(',')}}`}::text[]) as id`);
}
