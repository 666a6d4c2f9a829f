// <assay-rule-view>: each rule with its status, its counts and, on demand, the failing rows.
// Failing and erroring rules come first: they are what the analyst opens the cell for.
import { css, html, LitElement, nothing } from 'lit';
import { formatCount, formatPercent, valueFormatFor } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';
import { cellApiPath } from '../kit/cell-link.ts';
import type { RuleOutcome, RulesResult } from '../../rules/engine.ts';

const ORDER: Record<string, number> = { error: 0, fail: 1, warn: 2, pass: 3 };

export class RuleView extends LitElement {
  static properties = { result: { attribute: false } };

  static styles = [viewStyles, css`
    .summary { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
    .badge { display: inline-block; min-width: 40px; text-align: center; border-radius: 10px; padding: 1px 8px; font-size: 11px; font-weight: 600; text-transform: uppercase; }
    .pass { background: #dcfce7; color: #166534; }
    .warn { background: var(--warn-bg); color: var(--warn-fg); }
    .fail { background: #fee2e2; color: #991b1b; }
    .error { background: #ede9fe; color: #5b21b6; }
    ul.rules { list-style: none; margin: 0; padding: 0; }
    ul.rules > li { border-top: 1px solid var(--border); padding: 6px 0; }
    .line { display: grid; grid-template-columns: auto 1fr auto; gap: 10px; align-items: baseline; }
    .name { font-weight: 600; overflow-wrap: anywhere; }
    .check { font-family: var(--mono); font-size: 11px; color: var(--muted); margin-left: 6px; }
    .counts { font-variant-numeric: tabular-nums; color: var(--muted); font-size: 12px; white-space: nowrap; }
    .message { font-size: 12px; color: var(--muted); margin: 2px 0 0; overflow-wrap: anywhere; }
    details { margin-top: 4px; font-size: 12px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin-top: 4px; }
    th, td { padding: 2px 8px; border-bottom: 1px solid var(--border); text-align: left; white-space: pre; max-width: 280px; overflow: hidden; text-overflow: ellipsis; }
    th { background: var(--surface-2); font-weight: 600; }
    td.null { color: var(--muted); font-style: italic; }
    a.download { display: inline-block; margin-top: 4px; font-size: 12px; color: var(--accent); }
  `];

  declare result: RulesResult | null;

  constructor() {
    super();
    this.result = null;
  }

  override render() {
    const r = this.result;
    if (!r || !Array.isArray(r.rules)) return nothing;
    const rules = [...r.rules].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9));
    const s = r.summary ?? { pass: 0, warn: 0, fail: 0, error: 0 };
    return html`
      <div class="summary" data-testid="rule-summary">
        ${(['fail', 'warn', 'error', 'pass'] as const).map((k) => html`<span class="badge ${k}">${formatCount(s[k] ?? 0)} ${k}</span>`)}
        <span class="muted">${formatCount(r.rows)} rows checked</span>
      </div>
      <ul class="rules">${rules.map((x) => this.renderRule(x, r.rules.indexOf(x)))}</ul>`;
  }

  /** Every failing row of a row check as CSV (the result keeps 20), from a notebook cell. */
  private download(x: RuleOutcome, index: number) {
    const base = x.violationRate !== null && x.violationRate !== undefined && x.violations > 0 ? cellApiPath(this) : null;
    return base ? html`<a class="download" data-testid="failing-rows-download" href=${`${base}/failing-rows.csv?rule=${index + 1}`} download
      title="Every failing row, with all its columns, as CSV">Download all ${formatCount(x.violations)} failing rows (CSV)</a>` : nothing;
  }

  private renderRule(x: RuleOutcome, index: number) {
    const samples = Array.isArray(x.samples) ? x.samples : [];
    const columns = samples.length ? Object.keys(samples[0]!.values ?? {}) : [];
    // Years, codes and ids without group separators (issue 23, item 1).
    const formats = new Map(columns.map((c) => [c, valueFormatFor({ name: c, values: samples.map((s) => s.values?.[c]) })]));
    return html`
      <li data-testid="rule" data-rule=${x.name} data-status=${x.status}>
        <div class="line">
          <span class="badge ${x.status}">${x.status}</span>
          <span><span class="name">${x.name}</span><span class="check">${x.check}</span></span>
          <span class="counts">${x.violationRate !== null && x.violationRate !== undefined
            ? `${formatCount(x.violations)} rows · ${formatPercent(x.violationRate, 2)}`
            : x.status === 'error' ? '' : `${formatCount(x.violations)} problem${x.violations === 1 ? '' : 's'}`}</span>
        </div>
        <p class="message">${x.message}</p>
        ${samples.length ? html`
          <details>
            <summary>${samples.length} failing row${samples.length === 1 ? '' : 's'}${x.violations > samples.length ? ` of ${formatCount(x.violations)}` : ''}</summary>
            <table data-testid="rule-samples">
              <thead><tr><th>row</th>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
              <tbody>${samples.map((s) => html`<tr><td>${formatCount(s.row)}</td>${columns.map((c) => {
                const v = s.values[c];
                return v === null || v === undefined ? html`<td class="null">null</td>` : html`<td>${formats.get(c)!(v)}</td>`;
              })}</tr>`)}</tbody>
            </table>
          </details>` : nothing}
        ${this.download(x, index)}
      </li>`;
  }
}

customElements.define('assay-rule-view', RuleView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-rule-view': RuleView;
  }
}
