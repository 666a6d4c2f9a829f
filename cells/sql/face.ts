// The sql cell's result as the CLI, the report and a run comparison show it: a table, as an
// upload's is, with the query that made it.
import type { KindFace } from '../face.ts';
import { esc } from '../report-html.ts';
import { tableChange, tableSection } from '../upload/face.ts';

export interface SqlResult {
  rows: number;
  columns: { name: string; type: string }[];
  preview: { columns: string[]; rows: unknown[][]; cut?: { chars: number; cells: [number, number][] } };
  /** The query, as run. */
  sql: string;
}

export const sqlFace: KindFace<unknown, SqlResult> = {
  summarize: (r) => `${r.rows} rows × ${r.columns?.length ?? 0} columns`,
  report: (r) => `${tableSection(r)}\n<pre>${esc(r.sql ?? '')}</pre>`,
  compare(a, b, cell) {
    const change = tableChange(cell, a, b);
    return change ? { tables: [change] } : {};
  },
  showsCode: true,
  sqlKeys: ['sql'],
};
