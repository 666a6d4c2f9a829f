// <assay-compare-page>: two runs side by side: each table's rows and schema changes, each
// profiled column's statistics that moved (largest shift first), the rules whose outcome
// changed, and one rule's violations over the run history, drawn with Observable Plot.
import { css, html, LitElement, nothing } from 'lit';
import { formatNumber } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';
import { api } from '../api.ts';
import { runsApi, type Comparison } from './api.ts';
import { runLabel, runStyles } from './parts.ts';

let plotModule: Promise<typeof import('@observablehq/plot')> | undefined;
const loadPlot = () => (plotModule ??= import('@observablehq/plot'));

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : String(v));

export class ComparePage extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    a: { attribute: false },
    b: { attribute: false },
    data: { state: true },
    trend: { state: true },
    error: { state: true },
    workspaceTitle: { state: true },
  };

  static styles = [controlStyles, runStyles, css`
    .delta.up { color: var(--error-fg); } .delta.down { color: #166534; }
    .trend-plot { min-height: 60px; }
    ul.changes { margin: 0; padding-left: 18px; }
  `];

  declare workspaceId: string;
  declare a: string;
  declare b: string;
  declare data: Comparison | null;
  declare trend: string;
  declare error: string;
  /** The workspace's title for the breadcrumb. */
  declare workspaceTitle: string;

  constructor() {
    super();
    this.data = null;
    this.trend = '';
    this.error = '';
    this.workspaceTitle = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      void api.workspace(this.workspaceId).then((w) => { this.workspaceTitle = w.title; }, () => {});
      this.data = await runsApi.compare(this.workspaceId, this.a, this.b);
      const first = this.data.rules[0] ?? this.data.trends[0];
      if (first) this.trend = `${first.cell}\u0000${first.rule}`;
      document.title = 'Compare runs · Assay';
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  override async updated(): Promise<void> {
    const host = this.renderRoot.querySelector('.trend-plot');
    const series = this.data?.trends.find((t) => `${t.cell}\u0000${t.rule}` === this.trend);
    if (!host || !series) return;
    const Plot = await loadPlot();
    const points = series.points.map((p) => ({ ...p, when: new Date(p.at), picked: p.runId === this.a ? 'A' : p.runId === this.b ? 'B' : '' }));
    const chart = Plot.plot({
      height: 200,
      marginLeft: 50,
      // Dated (issue 23, item 18): eleven edits in five minutes sit together, a month's reruns spread out.
      x: { type: 'utc', label: 'run date (UTC)' },
      y: { label: 'violations', grid: true, zero: true },
      marks: [
        Plot.lineY(points, { x: 'when', y: 'violations', stroke: '#d03c3c' }),
        Plot.dot(points, { x: 'when', y: 'violations', fill: (d) => (d.picked ? '#1d4ed8' : '#d03c3c'), r: (d) => (d.picked ? 5 : 3), tip: true, title: (d) => `${d.when.toISOString().slice(0, 19)}: ${d.violations} (${d.status})` }),
        Plot.text(points.filter((p) => p.picked), { x: 'when', y: 'violations', text: 'picked', dy: -12 }),
      ],
    });
    host.replaceChildren(chart);
  }

  private renderTables(d: Comparison) {
    return html`<h2>Tables</h2>
      ${d.tables.length === 0 ? html`<p class="empty">No upload cell in both runs.</p>` : html`
      <table data-testid="table-changes"><tr><th>cell</th><th>rows A</th><th>rows B</th><th>change</th><th>schema</th></tr>
        ${d.tables.map((t) => html`<tr>
          <td>${t.cell}</td><td class="num">${show(t.rows.a)}</td><td class="num">${show(t.rows.b)}</td>
          <td class="num">${t.rows.delta === null ? '—' : `${t.rows.delta > 0 ? '+' : ''}${formatNumber(t.rows.delta)}`}</td>
          <td>${!t.added.length && !t.removed.length && !t.retyped.length ? html`<span class="muted">same columns and types</span>` : html`<ul class="changes">
            ${t.added.map((c) => html`<li>added <b>${c.name}</b> (${c.type})</li>`)}
            ${t.removed.map((c) => html`<li>removed <b>${c.name}</b> (${c.type})</li>`)}
            ${t.retyped.map((c) => html`<li><b>${c.name}</b>: ${c.from} → ${c.to}</li>`)}</ul>`}</td>
        </tr>`)}
      </table>`}`;
  }

  private renderProfiles(d: Comparison) {
    return html`<h2>Profiles: what moved, largest first</h2>
      ${d.profiles.length === 0 ? html`<p class="empty">No profiled column changed (or no profile in both runs).</p>` : html`
      <table data-testid="profile-changes"><tr><th>column</th><th>statistic</th><th>A</th><th>B</th><th>shift</th></tr>
        ${d.profiles.slice(0, 60).map((p) => p.changes.slice(0, 4).map((ch, i) => html`<tr>
          <td>${i === 0 ? html`<b>${p.column}</b> <span class="muted">${p.cell} · ${p.type}</span>` : nothing}</td>
          <td>${ch.stat}</td><td class="num">${show(ch.a)}</td><td class="num">${show(ch.b)}</td><td class="num">${ch.shift.toFixed(2)}</td>
        </tr>`))}
      </table>`}`;
  }

  private renderRules(d: Comparison) {
    // A rule failing in both runs with another count did not change its outcome: listed apart.
    const outcome = d.rules.filter((r) => r.a?.status !== r.b?.status);
    const counts = d.rules.filter((r) => r.a?.status === r.b?.status);
    return html`<h2>Rules whose outcome changed</h2>
      ${outcome.length === 0 ? html`<p class="empty">Every rule has the same outcome in both runs.</p>` : this.ruleTable(outcome, 'rule-changes')}
      ${counts.length ? html`<h2>Same outcome, other counts</h2>${this.ruleTable(counts, 'rule-count-changes')}` : nothing}`;
  }

  private ruleTable(rules: Comparison['rules'], testId: string) {
    return html`
      <table data-testid=${testId}><tr><th>rule</th><th>A</th><th>B</th><th>violations</th></tr>
        ${rules.map((r) => html`<tr>
          <td>${r.cell} · <b>${r.rule}</b></td>
          <td>${r.a ? html`<span class="badge ${r.a.status}">${r.a.status}</span>` : html`<span class="muted">absent</span>`}</td>
          <td>${r.b ? html`<span class="badge ${r.b.status}">${r.b.status}</span>` : html`<span class="muted">absent</span>`}</td>
          <td class="num">${show(r.a?.violations)} → ${show(r.b?.violations)}</td>
        </tr>`)}
      </table>`;
  }

  /** Changes kinds without a section of their own describe in words. */
  private renderNotes(d: Comparison) {
    if (!d.notes?.length) return nothing;
    return html`<h2>Other changes</h2>
      <ul data-testid="note-changes">${d.notes.map((n) => html`<li>${n.cell} <span class="muted">(${n.kind})</span>: ${n.text}</li>`)}</ul>`;
  }

  override render() {
    const id = encodeURIComponent(this.workspaceId);
    if (this.error) return html`<p class="error-text" role="alert">${this.error}</p><p><a href="/w/${id}/runs">Runs</a></p>`;
    const d = this.data;
    if (!d) return html`<p class="empty">Loading…</p>`;
    return html`
      <div class="crumbs"><a href="/">Workspaces</a> › <a href="/w/${id}" data-testid="crumb-workspace">${this.workspaceTitle || 'notebook'}</a> › <a href="/w/${id}/runs">runs</a> › compare</div>
      <h1>Compare runs</h1>
      <p><b>A</b> <a href="/w/${id}/runs/${encodeURIComponent(d.a.id)}">${runLabel(d.a)}</a><br>
         <b>B</b> <a href="/w/${id}/runs/${encodeURIComponent(d.b.id)}">${runLabel(d.b)}</a></p>
      ${this.renderTables(d)}
      ${this.renderProfiles(d)}
      ${this.renderRules(d)}
      ${this.renderNotes(d)}
      <h2>A rule's violations over the runs</h2>
      ${d.trends.length === 0 ? html`<p class="empty">No rule has run yet.</p>` : html`
        <select data-testid="trend-rule" aria-label="Rule" @change=${(e: Event) => (this.trend = (e.target as HTMLSelectElement).value)}>
          ${d.trends.map((t) => html`<option value=${`${t.cell}\u0000${t.rule}`} ?selected=${`${t.cell}\u0000${t.rule}` === this.trend}>${t.cell} · ${t.rule}</option>`)}
        </select>
        <div class="trend-plot" data-testid="trend-chart"></div>`}
    `;
  }
}

customElements.define('assay-compare-page', ComparePage);

declare global {
  interface HTMLElementTagNameMap { 'assay-compare-page': ComparePage }
}
