// A rule cell's outcome counts (`result.summary`), and their sum over several cells: what a
// run's header, the workspaces page and the command line's exit code are made from.
// No polars here: the page imports the type.
/** A rule's outcome. */
export type Status = 'pass' | 'warn' | 'fail' | 'error';

export type RuleCounts = Record<Status, number>;

export const noRuleCounts = (): RuleCounts => ({ pass: 0, warn: 0, fail: 0, error: 0 });

/** Adds a stored summary (possibly partial, or not one at all) into `into`. */
export function addRuleCounts(into: RuleCounts, summary: unknown): RuleCounts {
  const s = (summary ?? {}) as Partial<Record<Status, unknown>>;
  for (const k of ['pass', 'warn', 'fail', 'error'] as const) into[k] += Number(s[k] ?? 0);
  return into;
}
