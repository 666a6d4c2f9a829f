import { kindOf } from '../../cells/registry.ts';
import type { Tx } from '../db/client.ts';
import { log, preciseNow } from '../log.ts';
import type { Services } from '../services.ts';

/**
 * Hands cell runs to pg-boss, inside the transaction that made them runnable: a job exists
 * exactly when its row says it was sent. The one place jobs are sent from (the planner for
 * runs whose inputs are done, advance() for runs whose inputs finished since), so which queue
 * a kind goes to is decided once.
 */
export async function sendJobs(services: Services, tx: Tx, runs: { cellRunId: string; kind: string }[]): Promise<void> {
  for (const run of runs) {
    // Heavy kinds have a queue of their own, so a big profile cannot starve light edits.
    await services.jobs.enqueue(run.cellRunId, kindOf(run.kind)?.heavy ?? true, tx);
  }
}

/** Logged after the commit that made the jobs visible, for the pick-up latency benchmark. */
export function logSent(cellRunIds: string[]): void {
  const at = preciseNow();
  for (const cellRunId of cellRunIds) log.debug('job sent', { cellRunId, at });
}
