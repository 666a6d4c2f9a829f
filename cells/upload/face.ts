// The upload cell's result as the CLI, the report and a run comparison show it.
import type { KindFace, TableChange } from '../face.ts';
import { esc, num } from '../report-html.ts';
import { columnDiff } from './schema-lock.ts';

interface TableResult { rows?: number; columns?: { name: string; type: string }[]; file?: { name?: string } }

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** How a table's shape moved between two runs: rows, and columns added, removed or retyped. */
export function tableChange(cell: string, a: TableResult | undefined, b: TableResult | undefined): TableChange | undefined {
  if (!a && !b) return undefined;
  const diff = columnDiff(a?.columns ?? [], b?.columns ?? []);
  const rowsA = count(a?.rows);
  const rowsB = count(b?.rows);
  return {
    cell,
    rows: { a: rowsA, b: rowsB, delta: rowsA !== null && rowsB !== null ? rowsB - rowsA : null },
    // A cell that only one run has is new or gone, not a table whose columns changed.
    added: a ? diff.added : [],
    removed: b ? diff.removed : [],
    retyped: diff.retyped,
  };
}

/** The report's section of a table: its source, size and columns. */
export function tableSection(r: TableResult): string {
  const cols = r.columns ?? [];
  return `<p>${r.file?.name ? `${esc(r.file.name)} · ` : ''}${num(r.rows)} rows · ${cols.length} columns</p>
<table><tr><th>column</th><th>type</th></tr>${cols.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td></tr>`).join('')}</table>`;
}

export const uploadFace: KindFace<unknown, TableResult> = {
  // A source and its statistics: the presentation names them in a line; the reader came for what follows.
  present: 'summary',
  summarize: (r) => `${r.rows} rows, ${r.columns?.length ?? 0} columns`,
  report: (r) => tableSection(r),
  compare(a, b, cell) {
    const change = tableChange(cell, a, b);
    return change ? { tables: [change] } : {};
  },
};
