// The chart cell's result as the CLI and the report show it.
import type { KindFace } from '../face.ts';
import { esc, num } from '../report-html.ts';
import { chartSvg } from './report-svg.ts';
import type { ChartResult } from './types.ts';

export const chartFace: KindFace<unknown, ChartResult> = {
  summarize: (r) => `${r.pointsOut} points`,
  report(r) {
    const svg = chartSvg(r as Parameters<typeof chartSvg>[0]);
    return svg || `<p class="muted">A ${esc(r.spec?.mark ?? '')} chart of ${num(r.pointsOut)} points: open it in Assay to see it drawn.</p>`;
  },
};
