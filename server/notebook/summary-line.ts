// A result's one-line summary, from its kind's face, for clients that do not know the kind:
// the page shows it for a kind it has no view for, so a kind registered on the server alone
// is still summarised there.
import { kindOf } from '../../cells/registry.ts';

export function summaryLine(kind: string, result: unknown): string | undefined {
  const summarize = kindOf(kind)?.summarize;
  if (!summarize || result === null || result === undefined) return undefined;
  try {
    return summarize(result);
  } catch {
    // A summary is a courtesy: a result its face cannot read is still shown, as JSON.
    return undefined;
  }
}
