// The chart in the HTML report: the page's drawing (drawing.ts), made on the server with a
// document of linkedom's, as static SVG text (a report is a file that must open anywhere,
// with no script). Server only: the page never imports linkedom.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { esc, num } from '../report-html.ts';
import { drawChart, standaloneSvg } from './drawing.ts';
import type { ChartResult } from './types.ts';

/** The report's text column (server/notebook/report.ts: 1000 px less its padding). */
const REPORT_WIDTH = 900;
const COLOURS = { foreground: '#1d1d1f', background: '#ffffff', font: 'system-ui, sans-serif' };

export function reportChart(result: ChartResult): string {
  if (!result?.spec || !Array.isArray(result.data) || result.data.length === 0) {
    return `<p class="muted">A ${esc(result?.spec?.mark ?? '')} chart with no points to draw.</p>`;
  }
  try {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const drawing = drawChart(Plot, result, REPORT_WIDTH, document as unknown as Document);
    const svg = standaloneSvg(drawing, result.spec.title, COLOURS, document as unknown as Document);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${result.spec.mark} chart${result.spec.title ? `: ${result.spec.title}` : ''}`);
    // Plot's tooltips belong to the page, where a pointer moves over them.
    for (const tip of svg.querySelectorAll('[aria-label="tip"]')) tip.remove();
    return svg.outerHTML;
  } catch (err) {
    return `<p class="muted">A ${esc(result.spec.mark)} chart of ${num(result.pointsOut)} points could not be drawn here (${esc(err instanceof Error ? err.message : String(err))}): open it in Assay.</p>`;
  }
}
