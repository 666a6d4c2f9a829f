// The upload's preview: the first rows, bounded in size whatever the file holds. It is part
// of the result, which every load of the workspace and every watcher's event carries, so a
// 50,000,000-character field must not ride along (it did: 50 MB per load). Long values are
// cut, marked with `…` and listed in `cut`; the grid serves them whole from the Parquet.
import pl from 'nodejs-polars';
import { jsonSafeCell } from '../shared/json-safe.ts';
import type { ColumnPlan } from './infer.ts';
import { PREVIEW_CELLS, PREVIEW_CHARS, PREVIEW_MIN_CHARS, PREVIEW_ROWS, PREVIEW_VALUE_CHARS } from './limits.ts';
import type { UploadPreview } from './types.ts';

/** Rows in the preview of a table `width` columns wide: fewer on wide tables. */
export function previewRows(width: number): number {
  return Math.min(PREVIEW_ROWS, Math.max(1, Math.floor(PREVIEW_CELLS / Math.max(1, width))));
}

/**
 * The longest a value may stay: PREVIEW_VALUE_CHARS, or less when the preview's text would
 * pass PREVIEW_CHARS in all (then the longest values are cut first, to a common length).
 */
function cutLength(lengths: number[]): number {
  const total = (limit: number) => lengths.reduce((sum, n) => sum + Math.min(n, limit), 0);
  if (total(PREVIEW_VALUE_CHARS) <= PREVIEW_CHARS) return PREVIEW_VALUE_CHARS;
  let lo = PREVIEW_MIN_CHARS;
  let hi = PREVIEW_VALUE_CHARS;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= PREVIEW_CHARS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `text` cut to at most `limit` UTF-16 units plus `…`, never between the two halves of a surrogate pair. */
function cutText(text: string, limit: number): string {
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Cuts the long text values of `rows`; `cut` lists the [row, column] of each value cut. */
export function boundPreview(columns: string[], rows: unknown[][]): UploadPreview {
  const lengths = rows.flatMap((r) => r.map((v) => (typeof v === 'string' ? v.length : 0)));
  const limit = cutLength(lengths);
  const cells: [number, number][] = [];
  const bounded = rows.map((row, r) => row.map((v, c) => {
    if (typeof v !== 'string' || v.length <= limit) return v;
    cells.push([r, c]);
    return cutText(v, limit);
  }));
  return { columns, rows: bounded, ...(cells.length ? { cut: { chars: limit, cells } } : {}) };
}

/** The preview of a written table: polars cuts long text before it reaches JavaScript. */
export async function previewOf(table: string, plans: ColumnPlan[]): Promise<UploadPreview> {
  const names = plans.map((p) => p.name);
  const text = plans.filter((p) => p.type === 'string').map((p) => p.name);
  const others = plans.filter((p) => p.type !== 'string').map((p) => p.name);
  let frame = pl.scanParquet(table).head(previewRows(names.length));
  // One more character than is ever kept, so a cut value still shows it was longer.
  if (text.length) frame = frame.select(...(others.length ? [pl.col(others)] : []), pl.col(text).str.slice(0, PREVIEW_VALUE_CHARS + 1)).select(pl.col(names));
  // By position: nodejs-polars' DataFrame answers a column's name before its own methods, so a
  // column named "rows" (a group_by's `rows: count`) would hide head.rows(). One rename, not an
  // expression per column: nodejs-polars builds each expression in JavaScript (hundreds of
  // closures), and 10,000 columns' aliases took 10 s and as much again in garbage collection.
  const head = await frame.rename(Object.fromEntries(names.map((n, i) => [n, `c${i}`]))).collect();
  return boundPreview(names, head.rows().map((r) => r.map((v, c) => jsonSafeCell(v, plans[c]!.type === 'date'))));
}
