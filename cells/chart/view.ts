// <assay-chart-view>: a chart cell's result drawn with Observable Plot, as wide as the cell
// (redrawn when it resizes), with tooltips, a colour legend, and SVG and PNG downloads.
// Plot is loaded on first use, so pages without charts do not download it.
import { css, html, LitElement, nothing } from 'lit';
import { formatCount } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';
import type { ChartResult } from './types.ts';
import { drawChart, standaloneSvg } from './drawing.ts';
import { downloadPng, downloadSvg, fileName } from './view-export.ts';

type PlotModule = typeof import('@observablehq/plot');
let plotModule: Promise<PlotModule> | null = null;
const loadPlot = () => (plotModule ??= import('@observablehq/plot'));

export class ChartView extends LitElement {
  static properties = {
    result: { attribute: false },
    width: { state: true },
    drawError: { state: true },
  };

  static styles = [viewStyles, css`
    .head { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; margin-bottom: 6px; }
    .title { margin: 0; font-size: 15px; font-weight: 600; overflow-wrap: anywhere; }
    .stats { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
    .spacer { flex: 1; }
    ul.warnings { margin: 0 0 6px; padding-left: 18px; color: var(--warn-fg); font-size: 12px; }
    .plot { min-height: 40px; color: var(--fg); }
    /* Plot's tooltip box is white unless told; follow the page's theme. */
    .plot svg, .legend svg { --plot-background: var(--surface); overflow: visible; }
    .plot svg { display: block; max-width: 100%; height: auto; }
    .legend:empty { display: none; }
    .legend { margin-bottom: 4px; color: var(--fg); }
    .defaults { color: var(--muted); font-size: 11px; margin: 4px 0 0; }
    .empty, .draw-error { color: var(--muted); padding: 12px 0; }
    .draw-error { color: var(--error-fg); }
  `];

  declare result: ChartResult | null;
  declare width: number;
  declare drawError: string;

  private resizer: ResizeObserver | null = null;
  private drawn: { result: ChartResult; width: number } | null = null;
  private drawing = 0;

  constructor() {
    super();
    this.result = null;
    this.width = 0;
    this.drawError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      // Sub-pixel jitter must not redraw; a real change of the cell's width does.
      if (w > 0 && Math.abs(w - this.width) >= 2) this.width = w;
    });
    this.resizer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.resizer = null;
  }

  override render() {
    const r = this.result;
    if (!r || !r.spec || !Array.isArray(r.data)) return nothing;
    const filtered = r.rowsFiltered !== undefined && r.rowsFiltered !== r.rowsIn ? ` (${formatCount(r.rowsFiltered)} after the filter)` : '';
    const warnings = Array.isArray(r.warnings) ? r.warnings : [];
    return html`
      <div class="head">
        ${r.spec.title ? html`<h4 class="title">${r.spec.title}</h4>` : nothing}
        <span class="stats" data-testid="chart-stats">${formatCount(r.pointsOut)} point${r.pointsOut === 1 ? '' : 's'} from ${formatCount(r.rowsIn)} rows${filtered}${r.sampled ? ' · sampled' : ''}${r.truncated ? ' · truncated' : ''}</span>
        <span class="spacer"></span>
        <button data-testid="chart-download-svg" title="Download the chart as an SVG file" ?disabled=${!r.data.length} @click=${this.onSvg}>SVG</button>
        <button data-testid="chart-download-png" title="Download the chart as a PNG picture" ?disabled=${!r.data.length} @click=${this.onPng}>PNG</button>
      </div>
      ${warnings.length ? html`<ul class="warnings" data-testid="chart-warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
      ${this.drawError ? html`<p class="draw-error" role="alert">The chart could not be drawn: ${this.drawError}</p>` : nothing}
      ${r.data.length ? html`<div class="legend"></div><div class="plot" data-testid="chart-plot" data-mark=${r.spec.mark}></div>`
        : html`<p class="empty">No points to draw.</p>`}
      ${Array.isArray(r.spec.defaults) && r.spec.defaults.length ? html`<p class="defaults">Defaults: ${r.spec.defaults.join('; ')}</p>` : nothing}
    `;
  }

  override updated(): void {
    const r = this.result;
    const width = this.width || Math.floor(this.getBoundingClientRect().width) || 640;
    if (!r?.spec || !Array.isArray(r.data) || !r.data.length) return;
    if (this.drawn && this.drawn.result === r && this.drawn.width === width) return;
    this.drawn = { result: r, width };
    void this.draw(r, width);
  }

  private async draw(result: ChartResult, width: number): Promise<void> {
    const ticket = ++this.drawing;
    try {
      const Plot = await loadPlot();
      if (ticket !== this.drawing) return;
      const { plot: chart, legend } = drawChart(Plot, result, width, document);
      this.renderRoot.querySelector('.plot')?.replaceChildren(chart);
      this.renderRoot.querySelector('.legend')?.replaceChildren(...(legend ? [legend] : []));
      if (this.drawError) this.drawError = '';
    } catch (err) {
      if (ticket === this.drawing) this.drawError = err instanceof Error ? err.message : String(err);
    }
  }

  /** The drawn chart as one standalone SVG (title, legend, plot) in this page's colours. */
  private composed(): SVGSVGElement | null {
    const plot = this.renderRoot.querySelector<SVGSVGElement>('.plot svg');
    if (!plot || !this.result) return null;
    const style = getComputedStyle(this);
    return standaloneSvg({ plot, legend: this.renderRoot.querySelector<SVGSVGElement>('.legend > svg') }, this.result.spec.title, {
      foreground: style.color,
      background: style.getPropertyValue('--surface').trim() || '#ffffff',
      font: style.fontFamily,
    }, document);
  }

  private name(): string {
    return fileName(this.result?.spec.title, `chart-${this.result?.spec.mark ?? 'plot'}`);
  }

  private onSvg = () => {
    const svg = this.composed();
    if (svg) downloadSvg(svg, this.name());
  };

  private onPng = async () => {
    const svg = this.composed();
    if (!svg) return;
    try {
      await downloadPng(svg, this.name());
    } catch (err) {
      this.drawError = err instanceof Error ? err.message : String(err);
    }
  };
}

customElements.define('assay-chart-view', ChartView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-chart-view': ChartView;
  }
}
