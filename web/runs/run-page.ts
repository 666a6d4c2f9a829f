// <assay-run-page>: one past run, read-only: when, why, who, its input files and rule summary,
// every cell's result as of that run (shown by the kinds' own views), its violation ledger,
// its HTML report to download, and a comparison with the run before it.
import { css, html, LitElement, nothing } from 'lit';
import type { GridLoader } from '../../cells/kit/data-grid.ts';
import { formatBytes } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';
import { api } from '../api.ts';
import { runsApi, TRIGGERS, type LedgerRule, type RunCell, type RunDetail, type RunHeader } from './api.ts';
import { counts, PollWhileRunning, runStyles, when } from './parts.ts';
import './result-view.ts';

export class RunPage extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    runId: { attribute: false },
    run: { state: true },
    previous: { state: true },
    ledger: { state: true },
    error: { state: true },
    workspaceTitle: { state: true },
  };

  static styles = [controlStyles, runStyles, css`
    .cell { border: 1px solid var(--border); border-radius: 10px; background: var(--surface); margin: 14px 0; padding: 10px 14px; }
    .cell header { display: flex; gap: 8px; align-items: baseline; margin-bottom: 6px; }
    .cell header b { font-size: 14px; } .kind { color: var(--muted); font-size: 12px; }
    details pre { background: var(--surface-2); padding: 8px; border-radius: 6px; font-size: 12px; overflow: auto; }
    .note { font-size: 12px; color: var(--muted); }
    .readonly { font-size: 12px; color: var(--muted); border: 1px solid var(--border); border-radius: 10px; padding: 1px 8px; }
  `];

  declare workspaceId: string;
  declare runId: string;
  declare run: RunDetail | null;
  declare previous: RunHeader | null;
  declare ledger: LedgerRule[];
  declare error: string;
  /** The workspace's title for the breadcrumb, read once. */
  declare workspaceTitle: string;
  constructor() {
    super();
    // A run still computing: read it again shortly (the controller registers itself).
    new PollWhileRunning(this, () => this.load(), 500);
    this.run = null;
    this.previous = null;
    this.ledger = [];
    this.error = '';
    this.workspaceTitle = '';
  }

  private loaders = new Map<string, GridLoader>();

  /**
   * Pages through a cell's table as of this run (issue 23, item 20): the notebook's grid, with
   * sort, filters and every row, not the preview's first rows. One loader per cell run, so a
   * re-render keeps the grid's blocks.
   */
  private loaderFor(cell: RunCell): GridLoader {
    const key = `${cell.cellId}:${cell.runId}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = (q, signal) => api.rows(this.workspaceId, cell.cellId, q, signal, cell.runId);
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /** True while the run computes; once it has finished, its ledger is read. */
  private async load(): Promise<boolean> {
    try {
      // The run before this one is found once; while the run computes, only the run is read again.
      const first = this.run === null;
      const [run, runs] = await Promise.all([runsApi.run(this.runId), first ? runsApi.runs(this.workspaceId) : null]);
      if (first) void api.workspace(this.workspaceId).then((w) => { this.workspaceTitle = w.title; }, () => {});
      this.run = run;
      if (runs) {
        const i = runs.findIndex((r) => r.id === run.id);
        this.previous = i >= 0 ? runs[i + 1] ?? null : null;
      }
      document.title = `Run of ${when(run.createdAt)} · Assay`;
      if (run.status === 'running') return true;
      this.ledger = (await runsApi.ledger(this.workspaceId, run.id)).rules;
      return false;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  private renderLedger() {
    if (!this.ledger.length) return nothing;
    const keys = (entries: { key: unknown }[]) => entries.slice(0, 50).map((e) => String(e.key)).join(', ') + (entries.length > 50 ? ', …' : '');
    return html`
      <h2>Violation ledger</h2>
      <table data-testid="ledger">
        <tr><th>rule</th><th>key</th><th>new</th><th>still failing</th><th>resolved</th></tr>
        ${this.ledger.map((l) => html`<tr>
          <td>${l.cell} · ${l.rule}</td><td>${l.key}${l.truncated ? html` <span class="note">(first 10,000)</span>` : nothing}</td>
          <td title=${keys(l.new)}><b>${l.new.length}</b> <span class="note">${keys(l.new.slice(0, 5))}</span></td>
          <td title=${keys(l.stillFailing)}><b>${l.stillFailing.length}</b> <span class="note">${keys(l.stillFailing.slice(0, 5))}</span></td>
          <td title=${keys(l.resolved)}><b>${l.resolved.length}</b> <span class="note">${keys(l.resolved.slice(0, 5))}</span></td>
        </tr>`)}
      </table>`;
  }

  override render() {
    const id = encodeURIComponent(this.workspaceId);
    const run = this.run;
    if (this.error) return html`<p class="error-text" role="alert">${this.error}</p><p><a href="/w/${id}/runs">Runs</a></p>`;
    if (!run) return html`<p class="empty">Loading…</p>`;
    return html`
      <div class="crumbs"><a href="/">Workspaces</a> › <a href="/w/${id}" data-testid="crumb-workspace">${this.workspaceTitle || 'notebook'}</a> › <a href="/w/${id}/runs">runs</a> › ${when(run.createdAt)}</div>
      <h1 data-testid="run-title">Run of ${when(run.createdAt)} <span class="readonly">read-only</span></h1>
      <p class="muted">${TRIGGERS[run.trigger] ?? run.trigger}${run.user ? ` · ${run.user.email}` : ''} · ${run.status === 'running' ? 'running…' : 'done'}</p>
      <div class="row">
        <span data-testid="run-summary">${counts(run.summary)}</span>
        <a class="button" data-testid="download-report" href=${runsApi.reportUrl(run.id)} download>Download report</a>
        ${this.previous ? html`<a class="button" data-testid="compare-previous" href="/w/${id}/compare?a=${encodeURIComponent(this.previous.id)}&b=${encodeURIComponent(run.id)}">Compare with the run before</a>` : nothing}
      </div>
      ${run.files.length ? html`<p>Input files: ${run.files.map((f, i) => html`${i ? ', ' : ''}<b>${f.cell}</b>: ${f.name} (${formatBytes(f.size)})`)}</p>` : nothing}
      ${this.renderLedger()}
      ${run.cells.map((c) => html`
        <section class="cell" data-testid="run-cell" data-cell=${c.name}>
          <header><b>${c.name}</b><span class="kind">${c.kind}</span>
            ${c.status !== 'done' ? html`<span class="badge ${c.status}">${c.status}</span>` : nothing}
            ${c.runId !== run.id ? html`<span class="note">unchanged from an earlier run</span>` : nothing}</header>
          <details><summary class="note">config</summary><pre>${c.config}</pre></details>
          ${c.status === 'done'
            ? html`<assay-result-view .kind=${c.kind} .result=${c.result} .tableLoader=${this.loaderFor(c)} .readOnly=${true}></assay-result-view>`
            : c.error ? html`<p class="error-text" data-testid="run-cell-error">${c.error.message}</p>` : html`<p class="muted">${c.status}…</p>`}
        </section>`)}
    `;
  }
}

customElements.define('assay-run-page', RunPage);

declare global {
  interface HTMLElementTagNameMap { 'assay-run-page': RunPage }
}
