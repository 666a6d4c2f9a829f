// The chart cell's result as the CLI shows it. Its section of the HTML report is the page's
// drawing, made on the server (report-chart.ts): it sits on the kind (index.ts), so the page,
// which imports this face, never loads the server's DOM.
import type { KindFace } from '../face.ts';
import type { ChartResult } from './types.ts';

export const chartFace: KindFace<unknown, ChartResult> = {
  summarize: (r) => `${r.pointsOut} points`,
  // A chart with a title shows it itself; the presentation adds no second heading above it.
  present: (r) => (r.spec?.title ? 'bare' : undefined),
};
