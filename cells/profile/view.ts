// <assay-profile-view>: column statistics as cards. Wide files (a thousand columns and
// more) render a page of cards at a time, with a filter by name, so the page stays quick.
import { css, html, LitElement, nothing, svg } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { formatCount, formatNumber, formatPercent, formatValue } from '../../web/ui/format.ts';
import { viewStyles } from '../../web/ui/view-styles.ts';

// The result contract (DESIGN.md, Results). Local so the view builds without the server side.
export interface HistogramBin { start: number | string; end: number | string; count: number }
export interface ColumnProfile {
  name: string;
  type: string;
  count: number;
  nulls: number;
  nullRate?: number;
  distinct: number;
  min: unknown;
  max: unknown;
  mean: number | null;
  std: number | null;
  sum?: number | null;
  quantiles?: { p5?: unknown; p25?: unknown; p50?: unknown; p75?: unknown; p95?: unknown } | null;
  histogram?: HistogramBin[] | null;
  top?: { value: unknown; count: number }[] | null;
  alerts?: { code: string; message: string }[] | null;
}
export interface ProfileResult {
  rows?: number;
  columns: ColumnProfile[];
  correlations?: unknown;
  duplicateRows?: number;
  quality?: { score: number; reasons?: (string | { code?: string; message: string })[] };
}

const PAGE = 100;
const QUANTILES = ['p5', 'p25', 'p50', 'p75', 'p95'] as const;

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function histogram(bins: HistogramBin[]) {
  const max = Math.max(1, ...bins.map((b) => (isNumber(b.count) ? b.count : 0)));
  const w = 200;
  const h = 44;
  const bw = w / bins.length;
  return html`
    <svg class="hist" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" role="img"
         aria-label=${`histogram, ${bins.length} bins`}>
      ${bins.map((b, i) => {
        const bh = isNumber(b.count) && b.count > 0 ? Math.max(1, (b.count / max) * h) : 0;
        return svg`<rect x=${i * bw + 0.5} y=${h - bh} width=${Math.max(0.5, bw - 1)} height=${bh}>
          <title>${formatValue(b.start)} – ${formatValue(b.end)}: ${formatCount(b.count)}</title></rect>`;
      })}
    </svg>
    <div class="hist-axis"><span>${formatValue(bins[0]?.start)}</span><span>${formatValue(bins[bins.length - 1]?.end)}</span></div>`;
}

function qualityReason(r: string | { code?: string; message: string }): string {
  return typeof r === 'string' ? r : formatValue(r?.message ?? r);
}

export class ProfileView extends LitElement {
  static properties = {
    result: { attribute: false },
    partial: { type: Boolean },
    shown: { state: true },
    filter: { state: true },
  };

  static styles = [viewStyles, css`
    .summary { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; margin-bottom: 8px; }
    .summary .big { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .summary .label { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); display: block; }
    .reasons { margin: 0 0 8px; padding-left: 20px; color: var(--muted); font-size: 12px; }
    .toolbar { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
    .toolbar input { flex: 0 1 240px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px; }
    .card { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; background: var(--surface); min-width: 0; }
    .card header { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; margin-bottom: 6px; }
    .card .name { font-weight: 600; overflow-wrap: anywhere; }
    .card .type { font-family: var(--mono); font-size: 11px; color: var(--muted); white-space: nowrap; }
    dl.stats { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0 0 6px; font-size: 12px; }
    dl.stats dt { color: var(--muted); }
    dl.stats dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .quantiles { display: flex; gap: 4px; margin: 2px 0 4px; font-size: 12px; font-variant-numeric: tabular-nums; }
    .quantiles div { flex: 1; min-width: 0; text-align: center; background: var(--surface-2); border-radius: 4px; padding: 2px 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .quantiles span { display: block; font-size: 10px; color: var(--muted); }
    .hist { width: 100%; height: 44px; display: block; margin-top: 6px; }
    .hist rect { fill: var(--accent); opacity: .75; }
    .hist rect:hover { opacity: 1; }
    .hist-axis { display: flex; justify-content: space-between; font-size: 10px; color: var(--muted); gap: 8px; }
    .hist-axis span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 48%; }
    h5 { margin: 8px 0 2px; font-size: 11px; font-weight: 400; color: var(--muted); }
    .top { list-style: none; padding: 0; margin: 0; font-size: 12px; }
    .top li { display: grid; grid-template-columns: 1fr auto; gap: 6px; position: relative; padding: 1px 4px; }
    .top .bar { position: absolute; inset: 0 auto 0 0; background: var(--accent-soft); border-radius: 3px; z-index: 0; }
    .top .v, .top .n { position: relative; z-index: 1; }
    .top .v { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .top .n { color: var(--muted); font-variant-numeric: tabular-nums; }
    .alerts { list-style: none; padding: 0; margin: 6px 0 0; }
    .alerts li { font-size: 11px; color: var(--warn-fg); background: var(--warn-bg); border-radius: 4px; padding: 2px 6px; margin-top: 3px; }
    .more { margin-top: 10px; display: flex; gap: 8px; align-items: center; }
    .partial-note { color: var(--muted); font-size: 12px; }
  `];

  declare result: ProfileResult | null;
  /** True while the run is still streaming column groups. */
  declare partial: boolean;
  declare shown: number;
  declare filter: string;

  constructor() {
    super();
    this.result = null;
    this.partial = false;
    this.shown = PAGE;
    this.filter = '';
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object') return nothing;
    const columns = Array.isArray(r.columns) ? r.columns : [];
    const needle = this.filter.trim().toLowerCase();
    const matching = needle ? columns.filter((c) => String(c.name).toLowerCase().includes(needle)) : columns;
    const visible = matching.slice(0, this.shown);
    return html`
      ${this.renderSummary(r, columns.length)}
      ${columns.length > 12 ? html`
        <div class="toolbar">
          <input type="search" placeholder="Filter columns" aria-label="Filter columns" .value=${this.filter}
                 @input=${(e: Event) => { this.filter = (e.target as HTMLInputElement).value; this.shown = PAGE; }}>
          ${needle ? html`<span class="muted">${formatCount(matching.length)} of ${formatCount(columns.length)}</span>` : nothing}
        </div>` : nothing}
      <div class="grid">${visible.map((c) => this.renderColumn(c, r.rows))}</div>
      ${matching.length > visible.length ? html`
        <div class="more">
          <button data-testid="profile-show-more" @click=${() => { this.shown += PAGE; }}>
            Show ${formatCount(Math.min(PAGE, matching.length - visible.length))} more
          </button>
          <button @click=${() => { this.shown = matching.length; }}>Show all ${formatCount(matching.length)}</button>
          <span class="muted">${formatCount(visible.length)} of ${formatCount(matching.length)} columns shown</span>
        </div>` : nothing}
    `;
  }

  private renderSummary(r: ProfileResult, columnCount: number) {
    const q = r.quality;
    const score = q && isNumber(q.score) ? (q.score <= 1 ? formatPercent(q.score, 0) : `${formatNumber(q.score)} / 100`) : null;
    const reasons = Array.isArray(q?.reasons) ? q!.reasons : [];
    return html`
      <div class="summary">
        ${isNumber(r.rows) ? html`<div><span class="label">Rows</span><span class="big">${formatCount(r.rows)}</span></div>` : nothing}
        <div><span class="label">Columns</span><span class="big">${formatCount(columnCount)}</span></div>
        ${score ? html`<div><span class="label">Quality</span><span class="big" data-testid="quality-score">${score}</span></div>` : nothing}
        ${isNumber(r.duplicateRows) ? html`<div><span class="label">Duplicate rows</span><span class="big">${formatCount(r.duplicateRows)}</span></div>` : nothing}
        ${this.partial ? html`<span class="partial-note">profiling… ${formatCount(columnCount)} columns so far</span>` : nothing}
      </div>
      ${reasons.length ? html`<ul class="reasons">${reasons.map((x) => html`<li>${qualityReason(x)}</li>`)}</ul>` : nothing}
    `;
  }

  private renderColumn(c: ColumnProfile, rows: number | undefined) {
    const nullRate = isNumber(c.nullRate) ? c.nullRate
      : isNumber(c.nulls) && isNumber(rows) && rows > 0 ? c.nulls / rows : null;
    const quantiles = c.quantiles && typeof c.quantiles === 'object'
      ? QUANTILES.filter((k) => c.quantiles![k] !== undefined && c.quantiles![k] !== null) : [];
    const top = Array.isArray(c.top) ? c.top.slice(0, 8) : [];
    const topMax = Math.max(1, ...top.map((t) => (isNumber(t.count) ? t.count : 0)));
    const bins = Array.isArray(c.histogram) ? c.histogram : [];
    const alerts = Array.isArray(c.alerts) ? c.alerts : [];
    const stat = (label: string, value: unknown, fmt: (v: unknown) => string = formatNumber) =>
      value === undefined || value === null ? nothing : html`<dt>${label}</dt><dd>${fmt(value)}</dd>`;
    return html`
      <section class="card" data-testid="profile-column" data-column=${c.name}>
        <header><span class="name">${c.name}</span><span class="type">${c.type}</span></header>
        <dl class="stats">
          ${stat('count', c.count, formatCount)}
          ${isNumber(c.nulls) ? html`<dt>nulls</dt><dd>${formatCount(c.nulls)}${nullRate !== null ? ` (${formatPercent(nullRate)})` : ''}</dd>` : nothing}
          ${stat('distinct', c.distinct, formatCount)}
          ${stat('min', c.min)}
          ${stat('max', c.max)}
          ${stat('mean', c.mean)}
          ${stat('std', c.std)}
          ${stat('sum', c.sum)}
        </dl>
        ${quantiles.length ? html`
          <div class="quantiles" aria-label="quantiles">
            ${quantiles.map((k) => html`<div><span>${k}</span>${formatNumber(c.quantiles![k])}</div>`)}
          </div>` : nothing}
        ${bins.length ? histogram(bins) : nothing}
        ${top.length ? html`
          <h5>most frequent</h5>
          <ul class="top" aria-label="most frequent values">
            ${top.map((t) => html`
              <li title=${`${formatValue(t.value)}: ${formatCount(t.count)}`}>
                <span class="bar" style=${styleMap({ width: `${(isNumber(t.count) ? t.count / topMax : 0) * 100}%` })}></span>
                <span class="v">${formatValue(t.value)}</span><span class="n">${formatCount(t.count)}</span>
              </li>`)}
          </ul>` : nothing}
        ${alerts.length ? html`<ul class="alerts">${alerts.map((a) => html`<li title=${a.code}>${a.message}</li>`)}</ul>` : nothing}
      </section>
    `;
  }
}

customElements.define('assay-profile-view', ProfileView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-profile-view': ProfileView;
  }
}
