// <assay-profile-view>: the score and its parts, the alerts most pressing first, the
// correlation matrix, an overview table of columns (search, jump to a column), the missing
// values, sample rows, and each column's figures as a card. A file of a few columns shows
// every card; a wider one shows the cards opened from the table, so 22 columns are not four
// screens of cards. Wide files (a thousand columns and more) page their cards.
import { css, html, LitElement, nothing, svg } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { formatBytes, formatCount, formatNumber, formatPercent, formatPlain, formatValue, isCodeColumn, plural, formatShort } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';

import { cellApiPath } from '../kit/cell-link.ts';
import { heatmap } from './view-heatmap.ts';
import { cleaningFound } from './cleaning-types.ts';
import { missingView, overviewTable, qualityTile, samplesView, type SampleSet } from './view-sections.ts';
import type { Association, ColumnProfile, Correlation, HistogramBin, ProfileResult } from './types.ts';
import { withChecks, type CheckCell } from './report.ts';

/** A finished result, or the partials merged so far (which also carry `total`). Read defensively: it is JSON. */
type Shown = Partial<ProfileResult> & { total?: number };

const PAGE = 100;
/** Up to this many columns every card shows; beyond, the cards opened from the overview. */
const CARDS_AT_ONCE = 12;
const QUANTILES = ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'] as const;

/** A small share to two significant digits (formatPercent says <0.1% below a thousandth). */
function bound(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(2))}%`;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function histogram(bins: HistogramBin[], label = `histogram, ${bins.length} bins`, value: (v: unknown) => string = formatValue) {
  const max = Math.max(1, ...bins.map((b) => (isNumber(b.count) ? b.count : 0)));
  const w = 200;
  const h = 44;
  const bw = w / bins.length;
  return html`
    <svg class="hist" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" role="img"
         aria-label=${label}>
      ${bins.map((b, i) => {
        const bh = isNumber(b.count) && b.count > 0 ? Math.max(1, (b.count / max) * h) : 0;
        return svg`<rect x=${i * bw + 0.5} y=${h - bh} width=${Math.max(0.5, bw - 1)} height=${bh}>
          <title>${value(b.start)} – ${value(b.end)}: ${formatCount(b.count)}</title></rect>`;
      })}
    </svg>
    <div class="hist-axis"><span>${value(bins[0]?.start)}</span><span>${value(bins[bins.length - 1]?.end)}</span></div>`;
}

export class ProfileView extends LitElement {
  static properties = {
    result: { attribute: false },
    partial: { type: Boolean },
    /** A viewer's page: no control that would change the notebook. */
    readOnly: { attribute: false },
    /** The tables this cell reads (its input first), and the notebook's finished check cells: the score's rules part. */
    inputs: { attribute: false },
    checks: { attribute: false },
    shown: { state: true },
    filter: { state: true },
    method: { state: true },
    opened: { state: true },
    allCards: { state: true },
    sampleSet: { state: true },
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
    .quantiles { flex-wrap: wrap; }
    .quantiles div { flex: 1 0 auto; text-align: center; background: var(--surface-2); border-radius: 4px; padding: 2px 4px; white-space: nowrap; }
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
    .estimate { font-size: 11px; margin: 2px 0 4px; }
    .more { margin-top: 10px; display: flex; gap: 8px; align-items: center; }
    .partial-note { color: var(--muted); font-size: 12px; }
    .suggest { margin-left: auto; align-self: center; }
    .badges { display: flex; gap: 4px; align-items: baseline; }
    .badge { font-size: 10px; padding: 0 5px; border-radius: 8px; background: var(--accent-soft); white-space: nowrap; }
    .badge.pii { background: var(--warn-bg); color: var(--warn-fg); font-weight: 600; }
    .mono { font-family: var(--mono); }
    .overview-alerts { margin: 0 0 8px; font-size: 12px; }
    .overview-alerts summary { cursor: pointer; color: var(--warn-fg); }
    .heatmaps { display: flex; flex-wrap: wrap; gap: 16px; margin: 0 0 8px; }
    .heatmap { margin: 0; max-width: 100%; overflow-x: auto; }
    .heatmap figcaption { font-size: 11px; color: var(--muted); margin-bottom: 2px; }
    .heatmap text { font-size: 10px; fill: var(--muted); }
    .heatmap .scale { margin-left: 8px; }
    .heatmap .scale i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; vertical-align: -1px; margin: 0 2px 0 6px; }
    .heatmap text.v { fill: #1d1d1f; font-size: 10px; pointer-events: none; font-variant-numeric: tabular-nums; }
    .heatmap select { font: inherit; font-size: 11px; }
    .summary .actions { margin-left: auto; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
    .summary .actions .suggest { margin-left: 0; }
    .downloads { font-size: 12px; color: var(--muted); }
    .downloads a { margin-left: 6px; color: var(--accent); }
    .quality > summary { list-style: none; color: inherit; margin: 0; }
    .quality > summary::-webkit-details-marker { display: none; }
    .quality > summary .big { text-decoration: underline dotted var(--muted); text-underline-offset: 3px; }
    .quality[open] { flex-basis: 100%; }
    table.parts { border-collapse: collapse; font-size: 12px; margin: 4px 0; }
    table.parts th { text-align: left; font-weight: 600; padding: 2px 10px 2px 0; }
    table.parts td { padding: 2px 10px 2px 0; vertical-align: top; }
    table.parts td.n, table.overview .n, table.rows td.n, table.patterns .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .overview-wrap { max-height: 420px; overflow: auto; border: 1px solid var(--border); border-radius: 8px; margin-bottom: 8px; }
    table.overview { border-collapse: collapse; width: 100%; font-size: 12px; }
    table.overview th { position: sticky; top: 0; background: var(--surface-2); text-align: left; font-weight: 600; padding: 3px 8px; }
    table.overview td { padding: 2px 8px; border-top: 1px solid var(--border); }
    table.overview .type { font-family: var(--mono); font-size: 11px; color: var(--muted); }
    button.link { border: 0; background: none; padding: 0; color: var(--accent); cursor: pointer; text-align: left; overflow-wrap: anywhere; }
    button.link:hover { text-decoration: underline; }
    .chip { display: inline-block; font-size: 10px; border-radius: 8px; padding: 0 6px; margin: 1px 3px 1px 0; background: var(--surface-2); color: var(--muted); white-space: nowrap; }
    .chip.act { background: var(--warn-bg); color: var(--warn-fg); font-weight: 600; }
    .chip.check { background: var(--accent-soft); color: var(--fg); }
    .alerts li.note { background: var(--surface-2); color: var(--muted); }
    .alerts li.act { font-weight: 600; }
    .missing, .samples { margin: 0 0 8px; }
    .missing p, .missing h5 { font-size: 12px; }
    ul.bars { list-style: none; padding: 0; margin: 4px 0; font-size: 12px; }
    ul.bars li { display: grid; grid-template-columns: minmax(80px, 200px) 1fr auto; gap: 8px; align-items: center; }
    ul.bars .v { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    ul.bars .bar { height: 8px; background: var(--surface-2); border-radius: 4px; overflow: hidden; }
    ul.bars .bar i { display: block; height: 100%; background: var(--accent); opacity: .7; }
    ul.bars .n { color: var(--muted); font-variant-numeric: tabular-nums; }
    table.patterns { border-collapse: collapse; font-size: 11px; }
    table.patterns th { font-weight: 400; color: var(--muted); padding: 0 2px; max-width: 90px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    table.patterns td { padding: 0 2px; text-align: center; border: 1px solid var(--border); }
    table.patterns td.hole { color: var(--accent); }
    .samples .sets { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 4px 0; }
    .samples button[aria-pressed='true'] { border-color: var(--accent); background: var(--accent-soft); }
    .samples .scroll { overflow-x: auto; }
    table.rows { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
    table.rows th, table.rows td { padding: 2px 8px; border-bottom: 1px solid var(--border); text-align: left; white-space: nowrap; max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
    table.rows th { background: var(--surface-2); font-weight: 600; }
    table.rows td.null { color: var(--muted); font-style: italic; }
    .cards-hint { margin: 4px 0 8px; }
  `];

  declare result: Shown | null;
  /** True while the run is still streaming column groups. */
  declare partial: boolean;
  declare readOnly: boolean;
  declare inputs: string[] | undefined;
  declare checks: CheckCell[] | undefined;
  declare shown: number;
  declare filter: string;
  /** The correlation matrix's method. */
  declare method: 'pearson' | 'spearman';
  /** Columns whose cards were opened from the overview, in the order opened. */
  declare opened: string[];
  /** Every card (true), the opened ones (false), or as the width decides (null, see CARDS_AT_ONCE). */
  declare allCards: boolean | null;
  declare sampleSet: SampleSet;

  constructor() {
    super();
    this.result = null;
    this.partial = false;
    this.shown = PAGE;
    this.filter = '';
    this.method = 'pearson';
    this.opened = [];
    this.allCards = null;
    this.sampleSet = 'first';
  }

  /** Shows a column's card (opening it when cards are shown on demand) and scrolls to it. */
  private async openColumn(name: string): Promise<void> {
    if (!this.opened.includes(name)) this.opened = [...this.opened, name];
    // A filter that hides the card would hide what was asked for.
    if (this.filter && !name.toLowerCase().includes(this.filter.trim().toLowerCase())) this.filter = '';
    await this.updateComplete;
    const card = [...this.renderRoot.querySelectorAll<HTMLElement>('[data-testid="profile-column"]')].find((el) => el.dataset.column === name);
    card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    card?.focus({ preventScroll: true });
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object') return nothing;
    const columns = Array.isArray(r.columns) ? r.columns : [];
    const needle = this.filter.trim().toLowerCase();
    const matching = needle ? columns.filter((c) => String(c.name).toLowerCase().includes(needle)) : columns;
    const all = this.allCards ?? columns.length <= CARDS_AT_ONCE;
    const cards = all ? matching.slice(0, this.shown) : this.opened.flatMap((n) => columns.filter((c) => c.name === n));
    const alerts = Array.isArray(r.alerts) ? r.alerts : [];
    return html`
      ${this.renderSummary(r, columns.length)}
      ${columns.length > 1 ? html`
        <div class="toolbar">
          <input type="search" placeholder="Find a column" aria-label="Find a column" data-testid="column-search" .value=${this.filter}
                 title="Filters the table; Enter opens the first match"
                 @input=${(e: Event) => { this.filter = (e.target as HTMLInputElement).value; this.shown = PAGE; }}
                 @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && matching[0]) void this.openColumn(matching[0].name); }}>
          ${needle ? html`<span class="muted">${formatCount(matching.length)} of ${formatCount(columns.length)}</span>` : nothing}
          ${this.partial ? nothing : html`<button class="cards-toggle" data-testid="cards-toggle" @click=${() => { this.allCards = !all; this.shown = PAGE; }}>
            ${all ? 'Only opened cards' : `All ${formatCount(columns.length)} cards`}</button>`}
        </div>
        <div class="overview-wrap">${overviewTable(matching.slice(0, this.shown), r.rows, alerts, (name) => { void this.openColumn(name); })}</div>
        ${matching.length > this.shown ? html`<p class="muted">${formatCount(this.shown)} of ${formatCount(matching.length)} columns listed; find one by name above</p>` : nothing}` : nothing}
      ${this.partial ? nothing : missingView(r, columns)}
      ${this.partial ? nothing : samplesView(r.samples, this.sampleSet, (set) => { this.sampleSet = set; })}
      ${!all && cards.length === 0 && columns.length > 1 ? html`<p class="muted cards-hint">Open a column from the table to see its figures.</p>` : nothing}
      <div class="grid">${cards.map((c) => this.renderColumn(c, r.rows))}</div>
      ${all && matching.length > cards.length ? html`
        <div class="more">
          <button data-testid="profile-show-more" @click=${() => { this.shown += PAGE; }}>
            Show ${formatCount(Math.min(PAGE, matching.length - cards.length))} more
          </button>
          <button @click=${() => { this.shown = matching.length; }}>Show all ${formatCount(matching.length)}</button>
          <span class="muted">${formatCount(cards.length)} of ${formatCount(matching.length)} columns shown</span>
        </div>` : nothing}
    `;
  }

  private renderSummary(r: Shown, columnCount: number) {
    // The score as the downloads give it: with the rules part of the rule cells on the same table.
    const q = this.partial || !r.quality ? r.quality : withChecks(r as ProfileResult, this.inputs?.[0], this.checks ?? []).quality;
    const reasons = Array.isArray(q?.reasons) ? q!.reasons : [];
    const alerts = Array.isArray(r.alerts) ? r.alerts : [];
    const total = isNumber(r.total) ? r.total : null;
    const base = this.partial ? null : cellApiPath(this);
    const correlations = Array.isArray(r.correlations) ? r.correlations : [];
    const sampled = isNumber(r.spearmanRows) && isNumber(r.rows) && r.spearmanRows < r.rows ? ` (ranks of ${formatCount(r.spearmanRows)} evenly spaced rows)` : '';
    const methodName = this.method === 'pearson' ? 'Pearson' : 'Spearman';
    return html`
      <div class="summary">
        ${isNumber(r.rows) ? html`<div><span class="label">Rows</span><span class="big">${formatCount(r.rows)}</span></div>` : nothing}
        <div><span class="label">Columns</span><span class="big">${formatCount(total ?? columnCount)}</span></div>
        ${q && isNumber(q.score) ? qualityTile(q) : nothing}
        ${isNumber(r.duplicateRows) ? html`<div><span class="label">Duplicate rows</span><span class="big">${formatCount(r.duplicateRows)}</span></div>` : nothing}
        ${alerts.length ? html`<div><span class="label">Alerts</span><span class="big">${formatCount(alerts.length)}</span></div>` : nothing}
        <span class="actions">
          ${base ? html`<span class="downloads">Download
            <a data-testid="profile-download-html" href=${`${base}/profile.html`} download title="The profile alone as one HTML file">HTML</a>
            <a data-testid="profile-download-json" href=${`${base}/profile.json`} download title="The profile alone as JSON">JSON</a></span>` : nothing}
          ${this.readOnly && !this.partial ? nothing : this.partial ? html`<span class="partial-note">profiling… ${formatCount(columnCount)}${total !== null ? ` of ${formatCount(total)}` : ''} columns</span>`
            : html`<button class="suggest" data-testid="suggest-rules" title="Add a rule cell with checks that hold on this data, to edit"
                      @click=${() => this.dispatchEvent(new CustomEvent('suggest-cell', { detail: { kind: 'rule' }, bubbles: true, composed: true }))}>Suggest rules</button>${cleaningFound(r.cleaning, r.duplicateRows ?? 0) ? html`
              <button class="suggest" data-testid="suggest-cleaning" title="Add a transform cell that fixes what the profile found, each step saying what it was read from"
                      @click=${() => this.dispatchEvent(new CustomEvent('suggest-cell', { detail: { kind: 'transform' }, bubbles: true, composed: true }))}>Suggest cleaning</button>` : nothing}`}
        </span>
      </div>
      ${reasons.length ? html`<ul class="reasons">${reasons.map((x) => html`<li>${formatValue(x)}</li>`)}</ul>` : nothing}
      ${alerts.length ? html`
        <details class="overview-alerts" data-testid="profile-alerts" ?open=${alerts.length <= 12}>
          <summary>${plural(alerts.length, 'alert')}, most pressing first</summary>
          <ul class="alerts">${alerts.map((a) => html`<li class=${a.severity ?? 'note'} title=${a.code}><b>${a.column}</b> · ${a.code.replace('_', ' ')}: ${a.message}</li>`)}</ul>
        </details>` : nothing}
      <div class="heatmaps">
        ${heatmap(html`Correlations (<select data-testid="correlation-method" aria-label="correlation method" .value=${this.method}
                    @change=${(e: Event) => { this.method = (e.target as HTMLSelectElement).value as 'pearson' | 'spearman'; }}>
                    <option value="pearson" ?selected=${this.method === 'pearson'}>Pearson</option>
                    <option value="spearman" ?selected=${this.method === 'spearman'}>Spearman</option></select>)`,
          'correlation-heatmap', correlations.map((c: Correlation) => ({
            a: c.a, b: c.b, value: c[this.method],
            title: `${c.a} × ${c.b}: ${methodName} ${formatNumber(c[this.method])}; Pearson ${formatNumber(c.pearson)}, Spearman ${formatNumber(c.spearman)}${sampled}`,
          })))}
        ${heatmap("Associations (Cramér's V)", 'association-heatmap', (Array.isArray(r.associations) ? r.associations : []).map((c: Association) => ({
          a: c.a, b: c.b, value: c.cramersV, title: `${c.a} × ${c.b}: Cramér's V ${formatNumber(c.cramersV)} (${formatCount(c.rows)} rows)`,
        })))}
      </div>
    `;
  }

  private renderColumn(c: ColumnProfile, rows: number | undefined) {
    const nullRate = isNumber(c.nullRate) ? c.nullRate
      : isNumber(c.nulls) && isNumber(rows) && rows > 0 ? c.nulls / rows : null;
    // Dates are long: three quantiles fit a card where seven numbers do.
    const shownQuantiles = c.type === 'date' || c.type === 'datetime' ? (['p25', 'p50', 'p75'] as const) : QUANTILES;
    const quantiles = c.quantiles && typeof c.quantiles === 'object'
      ? shownQuantiles.filter((k) => c.quantiles![k] !== undefined && c.quantiles![k] !== null) : [];
    const top = Array.isArray(c.top) ? c.top.slice(0, 8) : [];
    const topMax = Math.max(1, ...top.map((t) => (isNumber(t.count) ? t.count : 0)));
    const bins: HistogramBin[] = Array.isArray(c.histogram) ? c.histogram : [];
    const alerts = Array.isArray(c.alerts) ? c.alerts : [];
    // Years, codes and ids (issue 23, item 1) show as labels: "2019 / 2020", not "2,019 / 2,020".
    const code = isCodeColumn({ name: c.name, semantic: c.semantic, values: [c.min, c.max] });
    const value = code ? formatPlain : formatValue;
    const stat = (label: string, value: unknown, fmt: (v: unknown) => string = code ? formatPlain : formatNumber) =>
      value === undefined || value === null ? nothing : html`<dt>${label}</dt><dd>${fmt(value)}</dd>`;
    // Figures estimated to keep a tall table's profile in bounded memory, each with its bound.
    const est = c.estimates && typeof c.estimates === 'object' ? c.estimates : undefined;
    const n = c.numeric;
    const t = c.text;
    const d = c.temporal;
    return html`
      <section class="card" data-testid="profile-column" data-column=${c.name} tabindex="-1">
        <header>
          <span class="name">${c.name}</span>
          <span class="badges">
            ${c.semantic ? html`<span class="badge" data-testid="semantic">${c.semantic.replace('_', ' ')}</span>` : nothing}
            ${c.pii ? html`<span class="badge pii" title=${c.piiReason ?? 'personal data likely'} data-testid="pii">PII</span>` : nothing}
            <span class="type">${c.type}</span>
          </span>
        </header>
        <dl class="stats">
          ${stat('count', c.count, formatCount)}
          ${isNumber(c.nulls) ? html`<dt>nulls</dt><dd>${formatCount(c.nulls)}${nullRate !== null ? ` (${formatPercent(nullRate)})` : ''}</dd>` : nothing}
          ${est?.distinct && isNumber(est.distinct.relativeError)
            ? html`<dt>distinct</dt><dd data-testid="estimate-distinct" title="estimated from a sketch of 64-bit hashes, to keep memory bounded on a tall table: within ±${bound(est.distinct.relativeError)} of the true count 99.7 % of the time">≈ ${formatCount(c.distinct)} <span class="muted">±${bound(est.distinct.relativeError)}</span></dd>`
            : c.distinctByHash
            ? html`<dt>distinct</dt><dd title="counted by 64-bit hashes: two different values sharing one is about as likely as n² / 2^65">≈ ${formatCount(c.distinct)}</dd>`
            : stat('distinct', c.distinct, formatCount)}
          ${stat('min', c.min)}
          ${stat('max', c.max)}
          ${stat('mean', c.mean)}
          ${stat('std', c.std)}
          ${stat('sum', c.sum)}
          ${n ? html`
            ${stat('zeros', n.zeros, formatCount)}
            ${stat('negatives', n.negatives, formatCount)}
            ${est?.quantiles ? html`<dt>IQR</dt><dd title="from estimated quartiles">≈ ${formatNumber(n.iqr)}</dd>` : stat('IQR', n.iqr)}
            ${stat('skewness', n.skewness)}
            ${stat('kurtosis', n.kurtosis)}
            ${est?.quantiles
              ? html`<dt>outliers</dt><dd title="counted exactly outside fences from estimated quartiles">≈ ${formatCount(n.outliers?.count)}</dd>`
              : stat('outliers', n.outliers?.count, formatCount)}` : nothing}
          ${d ? html`
            ${stat('range', d.rangeDays, (v) => plural(v, 'day'))}
            ${est?.largestGap && isNumber(est.largestGap.atMost)
              ? html`<dt>largest gap</dt><dd data-testid="estimate-gap" title="found between buckets of the range; a larger gap within one is at most its width">${plural(d.largestGapDays, 'day')} – ${plural(Number(est.largestGap.atMost.toPrecision(3)), 'day')}</dd>`
              : stat('largest gap', d.largestGapDays, (v) => plural(v, 'day'))}
            ${stat('in the future', d.future, formatCount)}` : nothing}
          ${t ? html`
            ${stat('length', c.minLength !== undefined ? `${formatNumber(c.minLength)} – ${formatNumber(c.maxLength)} (mean ${formatNumber(c.meanLength)})` : null, String)}
            ${t.empty ? stat('empty', t.empty, formatCount) : nothing}
            ${t.padded ? stat('padded', t.padded, formatCount) : nothing}` : nothing}
          ${isNumber(c.trueCount) ? html`<dt>true / false</dt><dd>${formatCount(c.trueCount)} / ${formatCount(c.falseCount)}</dd>` : nothing}
          ${stat('memory', c.memoryBytes, formatBytes)}
        </dl>
        ${quantiles.length ? html`
          <div class="quantiles" aria-label="quantiles">
            ${quantiles.map((k) => html`<div data-testid="quantile" title=${`${k}: ${formatNumber(c.quantiles![k])}`}><span>${k}</span>${est?.quantiles ? '≈ ' : ''}${code ? formatPlain(c.quantiles![k]) : isNumber(c.quantiles![k]) ? formatShort(c.quantiles![k]) : formatNumber(c.quantiles![k])}</div>`)}
          </div>
          ${est?.quantiles && isNumber(est.quantiles.rankError) ? html`<p class="estimate muted" data-testid="estimate-quantiles">≈ quantiles from a sample of each batch of rows: each is the value at a rank within ±${bound(est.quantiles.rankError)} of the one named</p>` : nothing}` : nothing}
        ${d && Array.isArray(d.byPeriod) && d.byPeriod.length > 1
          ? histogram(d.byPeriod.map((p, i) => ({ start: p.start, end: d.byPeriod[i + 1]?.start ?? p.start, count: p.count })), `by ${d.period}`)
          : bins.length ? histogram(bins, undefined, value) : nothing}
        ${t && Array.isArray(t.patterns) && t.patterns.length ? html`
          <h5>shapes ${t.sampled < (c.count ?? 0) ? html`<span class="muted">(first ${formatCount(t.sampled)})</span>` : nothing}</h5>
          <ul class="top patterns" aria-label="common shapes">
            ${t.patterns.map((p) => html`<li><span class="v mono">${p.pattern}</span><span class="n">${formatCount(p.count)}</span></li>`)}
          </ul>` : nothing}
        ${top.length ? html`
          <h5>most frequent</h5>
          ${est?.top && isNumber(est.top.unlistedAtMost) ? html`<p class="estimate muted" data-testid="estimate-top">counts exact; a value not listed occurs at most ${formatCount(est.top.unlistedAtMost)} times</p>` : nothing}
          <ul class="top" aria-label="most frequent values">
            ${top.map((v) => html`
              <li title=${`${value(v.value)}: ${formatCount(v.count)}`}>
                <span class="bar" style=${styleMap({ width: `${(isNumber(v.count) ? v.count / topMax : 0) * 100}%` })}></span>
                <span class="v">${value(v.value)}</span><span class="n">${formatCount(v.count)}</span>
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
