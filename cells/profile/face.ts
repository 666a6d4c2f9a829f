// The profile cell's result as the CLI, the report and a run comparison show it.
import type { ColumnChange, KindFace, StatChange } from '../face.ts';
import { formatPlain, isCodeColumn } from '../kit/format.ts';
import { esc, miniHistogram, num } from '../report-html.ts';
import type { ProfileConfig, ProfileResult } from './types.ts';

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A statistic's move on a scale shared by all statistics, so "nulls went from 0 to 40 %"
 * and "the mean moved by two standard deviations" can be ranked together: rates and
 * shares move by their difference (0..1), counts by their relative change, locations
 * (mean, quantiles, min, max) by the change in units of the column's spread.
 */
function shiftOf(stat: StatChange['stat'], a: number, b: number, spread: number | null): number {
  if (a === b) return 0;
  if (stat === 'nullRate') return Math.abs(b - a);
  if (stat === 'rows' || stat === 'nulls' || stat === 'distinct' || stat === 'std') return Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b), 1);
  // Not capped: a minimum that moved eleven standard deviations must rank above one that moved ten.
  if (spread && spread > 0) return (Math.abs(b - a) / spread) / 10 * 2;
  return Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

interface ProfiledColumn {
  name: string;
  type: string;
  count?: number;
  nulls?: number;
  distinct?: number;
  mean?: number | null;
  std?: number | null;
  min?: unknown;
  max?: unknown;
  quantiles?: Record<string, unknown> | null;
}

function columnChange(cell: string, rowsA: number, rowsB: number, a: ProfiledColumn, b: ProfiledColumn): ColumnChange {
  const changes: StatChange[] = [];
  const spread = count(a.std) ?? count(b.std);
  const add = (stat: StatChange['stat'], va: unknown, vb: unknown) => {
    const x = count(va);
    const y = count(vb);
    if (x !== null && y !== null) {
      if (x !== y) changes.push({ stat, a: x, b: y, shift: shiftOf(stat, x, y, spread) });
    } else if (va !== vb && (va !== undefined || vb !== undefined) && (typeof va === 'string' || typeof vb === 'string')) {
      // Dates and text have no arithmetic: a changed min or max date is a change all the same.
      changes.push({ stat, a: (va ?? null) as string | null, b: (vb ?? null) as string | null, shift: 0.05 });
    }
  };
  add('nulls', a.nulls, b.nulls);
  if (rowsA > 0 && rowsB > 0 && count(a.nulls) !== null && count(b.nulls) !== null) add('nullRate', a.nulls! / rowsA, b.nulls! / rowsB);
  add('distinct', a.distinct, b.distinct);
  add('mean', a.mean, b.mean);
  add('std', a.std, b.std);
  add('min', a.min, b.min);
  add('max', a.max, b.max);
  for (const q of ['p25', 'p50', 'p75'] as const) add(q, a.quantiles?.[q], b.quantiles?.[q]);
  changes.sort((x, y) => y.shift - x.shift);
  return { cell, column: b.name, type: b.type, shift: changes[0]?.shift ?? 0, changes };
}

/** How each column both runs profiled moved, largest shift first. */
export function profileChanges(cell: string, a: ProfileResult, b: ProfileResult): ColumnChange[] {
  const before = new Map(((a.columns ?? []) as ProfiledColumn[]).map((c) => [c.name, c]));
  const out: ColumnChange[] = [];
  for (const col of (b.columns ?? []) as ProfiledColumn[]) {
    const prev = before.get(col.name);
    if (!prev) continue;
    const change = columnChange(cell, Number(a.rows ?? 0), Number(b.rows ?? 0), prev, col);
    if (change.changes.length) out.push(change);
  }
  return out;
}

function profileSection(r: ProfileResult): string {
  const cols = (r.columns ?? []) as unknown as Record<string, any>[];
  const rows = cols.map((c) => {
    // Years, codes and ids as labels ("2019", not "2,019"), as the page shows them.
    const value = isCodeColumn({ name: c.name, semantic: c.semantic, values: [c.min, c.max] }) ? formatPlain : num;
    return `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td><td class="num">${num(c.nulls)}</td><td class="num">${num(c.distinct)}</td>`
    + `<td class="num">${esc(value(c.min))}</td><td class="num">${esc(value(c.mean))}</td><td class="num">${esc(value(c.quantiles?.p50))}</td><td class="num">${esc(value(c.max))}</td>`
    + `<td>${miniHistogram(c.histogram)}</td><td>${esc(((c.alerts ?? []) as { code: string }[]).map((a) => a.code).join(', '))}</td></tr>`;
  }).join('');
  const duplicates = r.duplicateRows as unknown as { count?: number } | number;
  return `<p>${num(r.rows)} rows · quality score ${esc(num(r.quality?.score))} · ${num(typeof duplicates === 'object' ? duplicates?.count : duplicates)} duplicate rows</p>
<table><tr><th>column</th><th>type</th><th>nulls</th><th>distinct</th><th>min</th><th>mean</th><th>median</th><th>max</th><th>distribution</th><th>alerts</th></tr>${rows}</table>`;
}

export const profileFace: KindFace<ProfileConfig, ProfileResult> = {
  // A source and its statistics: the presentation names them in a line; the reader came for what follows.
  present: 'summary',
  summarize: (r) => `${r.columns?.length ?? 0} columns profiled, quality ${r.quality?.score ?? '?'}`,
  report: (r) => profileSection(r),
  compare: (a, b, cell) => (a && b ? { profiles: profileChanges(cell, a, b) } : {}),
};
