// The transform cell's result as the CLI, the report and a run comparison show it: a table, as
// a query's is, with the steps that made it. No polars: the page imports it too.
import type { KindFace } from '../face.ts';
import { esc } from '../report-html.ts';
import { sqlFace } from '../sql/face.ts';
import { tableSection } from '../upload/face.ts';
import type { TransformSchema } from './portable.ts';

export interface TransformResult {
  rows: number;
  columns: { name: string; type: string }[];
  preview: { columns: string[]; rows: unknown[][]; cut?: { chars: number; cells: [number, number][] } };
  /** The steps' names, in order, as run. */
  steps: string[];
  /** The columns before and after each step, as the run found them: the code's SQL lists them (portable.ts). */
  schema?: TransformSchema;
}

export const transformFace: KindFace<unknown, TransformResult> = {
  // A table made from other tables reads as a query's does: its shape, and its change between runs.
  summarize: sqlFace.summarize as KindFace<unknown, TransformResult>['summarize'],
  compare: sqlFace.compare as KindFace<unknown, TransformResult>['compare'],
  showsCode: true,
  report: (r) => `${tableSection(r)}\n<p>Steps: ${(r.steps ?? []).map((s) => esc(s)).join(' → ') || 'none'}</p>`,
};
