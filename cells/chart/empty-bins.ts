// A group-by returns only the bins and buckets that hold rows. For counts and sums an empty
// bin is a real zero: a histogram must show it, and a line or a stacked area must drop to it
// rather than draw straight across. (For means and the like an empty bin has no value: the
// page breaks the line there instead.)
import { bucketEnd } from './bins.ts';
import type { Plan } from './resolve.ts';
import type { ChartRow, ResolvedBin } from './types.ts';
import type { Channel } from './vocabulary.ts';

const ZERO_WHEN_EMPTY = new Set(['count', 'sum', 'distinct']);

/** The channel whose empty bins are zeros for this chart, if any. */
function zeroFilledChannel(plan: Plan, bins: Partial<Record<Channel, ResolvedBin>>): Channel | undefined {
  if (plan.mode !== 'aggregate' || plan.config.limit) return undefined;
  const channel: Channel | undefined = plan.mark === 'line' || plan.mark === 'area' ? 'x' : plan.mark === 'bar' || plan.mark === 'histogram' ? plan.category : undefined;
  if (!channel || !bins[channel]) return undefined;
  if (plan.config.sort && plan.config.sort.channel !== channel) return undefined;
  const measures = Object.values(plan.encoding).filter((e) => e?.aggregate);
  // A log axis has no zero to drop to: an empty bin stays a gap, not a zero that is then left out.
  if (measures.some((e) => e!.scale === 'log')) return undefined;
  return measures.every((e) => ZERO_WHEN_EMPTY.has(e!.aggregate!)) ? channel : undefined;
}

/**
 * Adds a zero row for every bin between the first and the last that a series (a colour, a
 * panel) has no row in. `rows` hold bin indexes (numbers) or bucket starts (ISO text), sorted
 * by bin. Nothing is added when that would pass `maxRows`.
 */
export function fillEmptyBins(rows: ChartRow[], plan: Plan, bins: Partial<Record<Channel, ResolvedBin>>, maxRows: number): ChartRow[] {
  const channel = zeroFilledChannel(plan, bins);
  if (!channel || rows.length === 0) return rows;
  const bin = bins[channel]!;
  const starts = rows.map((r) => r[channel]).filter((v) => v !== null && v !== undefined);
  const all: (string | number)[] = [];
  if ('step' in bin) {
    const indexes = starts.map(Number);
    for (let i = Math.min(...indexes); i <= Math.max(...indexes) && all.length <= maxRows; i++) all.push(i);
  } else {
    const texts = starts.map(String).sort();
    const last = texts[texts.length - 1]!;
    for (let d = new Date(texts[0]!); d.toISOString() <= last && all.length <= maxRows; d = bucketEnd(d, bin.unit)) all.push(d.toISOString());
  }
  const others = (Object.keys(plan.encoding) as Channel[]).filter((c) => c !== channel && !plan.encoding[c]!.aggregate);
  const measures = (Object.keys(plan.encoding) as Channel[]).filter((c) => plan.encoding[c]!.aggregate);
  const seriesOf = (r: ChartRow) => JSON.stringify(others.map((c) => r[c] ?? null));
  const series = new Map<string, ChartRow>();
  const present = new Map<string, ChartRow>();
  for (const r of rows) {
    if (!series.has(seriesOf(r))) series.set(seriesOf(r), r);
    present.set(`${r[channel]}\u0000${seriesOf(r)}`, r);
  }
  if (all.length * series.size > maxRows) return rows;
  const out: ChartRow[] = [];
  for (const at of all) {
    for (const [key, sample] of series) {
      const found = present.get(`${at}\u0000${key}`);
      if (found) { out.push(found); continue; }
      const row: ChartRow = { [channel]: at };
      for (const c of others) row[c] = sample[c] ?? null;
      for (const c of measures) row[c] = 0;
      out.push(row);
    }
  }
  return plan.config.sort?.descending ? out.reverse() : out;
}
