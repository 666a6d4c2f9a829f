// The chart in the HTML report: the page's drawing (drawing.ts), made on the server with a
// document of linkedom's, as static SVG text (a report is a file that must open anywhere,
// with no script). Server only: the page never imports linkedom.
import { createRequire } from 'node:module';
import { esc, num } from '../report-html.ts';
import { drawChart, standaloneSvg } from './drawing.ts';
import type { ChartResult } from './types.ts';

/** The report's text column (server/notebook/report.ts: 1000 px less its padding). */
const REPORT_WIDTH = 900;
const COLOURS = { foreground: '#1d1d1f', background: '#ffffff', font: 'system-ui, sans-serif' };

// Plot and linkedom are loaded by the first report, not by every process that registers the
// chart kind: they were 0.35 s of the CPU it took to import the server (about 200 modules),
// which each worker, CLI run and test file paid and few of them use. require() keeps
// reportChart synchronous, as a kind's report section is; Node 24 requires ES modules.
const require = createRequire(import.meta.url);
let libraries: { Plot: typeof import('@observablehq/plot'); parseHTML: typeof import('linkedom').parseHTML } | undefined;
const reportLibraries = () => (libraries ??= {
  Plot: require('@observablehq/plot') as typeof import('@observablehq/plot'),
  parseHTML: (require('linkedom') as typeof import('linkedom')).parseHTML,
});

export function reportChart(result: ChartResult): string {
  if (!result?.spec || !Array.isArray(result.data) || result.data.length === 0) {
    return `<p class="muted">A ${esc(result?.spec?.mark ?? '')} chart with no points to draw.</p>`;
  }
  try {
    const { Plot, parseHTML } = reportLibraries();
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
