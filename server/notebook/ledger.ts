// The violation ledger: for a rule with `key: <column>`, each failing row's key followed across
// runs: new in this run, still failing (since when), or resolved (failing in the run before,
// not in this one). Pure: it takes the rule's failing keys run by run, oldest first.

export interface LedgerPoint {
  runId: string;
  at: Date | string;
  /** The failing keys in that run; null when the rule had no result there (it errored, or did not exist). */
  keys: unknown[] | null;
}

export interface LedgerEntry { key: unknown; firstSeen: { runId: string; at: Date | string } }

export interface Ledger {
  runId: string;
  new: LedgerEntry[];
  stillFailing: LedgerEntry[];
  resolved: (LedgerEntry & { lastFailed: { runId: string; at: Date | string } })[];
}

const id = (k: unknown) => JSON.stringify(k);

/** The ledger as of the last point. A key's first sighting is the start of its current streak of failing runs. */
export function ledgerOf(points: LedgerPoint[]): Ledger | undefined {
  const known = points.filter((p) => p.keys !== null);
  const last = known.at(-1);
  if (!last) return undefined;
  let failing = new Map<string, { key: unknown; firstSeen: { runId: string; at: Date | string } }>();
  let previous: LedgerPoint | undefined;
  let resolved: Ledger['resolved'] = [];
  for (const point of known) {
    const next = new Map<string, { key: unknown; firstSeen: { runId: string; at: Date | string } }>();
    for (const key of point.keys!) {
      next.set(id(key), failing.get(id(key)) ?? { key, firstSeen: { runId: point.runId, at: point.at } });
    }
    resolved = [...failing].filter(([k]) => !next.has(k))
      .map(([, e]) => ({ ...e, lastFailed: { runId: previous!.runId, at: previous!.at } }));
    failing = next;
    previous = point;
  }
  const entries = [...failing.values()];
  return {
    runId: last.runId,
    new: entries.filter((e) => e.firstSeen.runId === last.runId),
    stillFailing: entries.filter((e) => e.firstSeen.runId !== last.runId),
    resolved,
  };
}
