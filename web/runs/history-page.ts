// <assay-runs-page>: a workspace's runs (every trigger), newest first, each opening read-only;
// two picked are compared. Beside them: export, duplicate, the schema lock and the schedule.
import { html, LitElement, nothing } from 'lit';
import { api, type Workspace } from '../api.ts';
import { navigate } from '../router.ts';
import { timeAgo } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';
import { onNewData, runsApi, TRIGGERS, type RunHeader, type Schedule } from './api.ts';
import { counts, PollWhileRunning, runStyles, when } from './parts.ts';
import './delivery-panel.ts';

/** Which runs the history lists: those on new data (the default), edits, or all. */
type Shown = 'data' | 'edits' | 'all';
const SHOWN: { value: Shown; label: string }[] = [{ value: 'data', label: 'New data' }, { value: 'edits', label: 'Edits' }, { value: 'all', label: 'All' }];
// A rerun given values for input cells is listed with the reruns on new data, not with the edits.
const isRerun = (r: RunHeader) => onNewData(r.trigger) || Object.keys(r.params ?? {}).length > 0;
const shows = (shown: Shown, r: RunHeader) => shown === 'all' || (shown === 'data') === isRerun(r);

export class RunsPage extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    workspace: { state: true },
    runs: { state: true },
    a: { state: true },
    b: { state: true },
    schedule: { state: true },
    cron: { state: true },
    folder: { state: true },
    message: { state: true },
    error: { state: true },
    shown: { state: true },
  };

  static styles = [controlStyles, runStyles];

  declare workspaceId: string;
  declare workspace: Workspace | null;
  declare runs: RunHeader[] | null;
  declare a: string;
  declare b: string;
  declare schedule: Schedule | null;
  declare cron: string;
  declare folder: string;
  declare message: string;
  declare error: string;
  declare shown: Shown;
  // A run still computing: look again shortly.
  private poll = new PollWhileRunning(this, (all) => this.load(all), 1000);

  constructor() {
    super();
    this.workspace = null;
    this.runs = null;
    this.a = '';
    this.b = '';
    this.schedule = null;
    this.cron = '0 6 * * *';
    this.folder = '';
    this.message = '';
    this.error = '';
    this.shown = 'data';
  }

  /**
   * `all`: the workspace and its schedule too (after a change made here); a poll reads only
   * the runs. True while a run computes.
   */
  private async load(all: boolean): Promise<boolean> {
    try {
      const first = all || this.workspace === null;
      const [workspace, runs, schedule] = await Promise.all([
        first ? api.workspace(this.workspaceId) : this.workspace!, runsApi.runs(this.workspaceId), first ? runsApi.schedule(this.workspaceId) : this.schedule,
      ]);
      this.workspace = workspace;
      this.runs = runs;
      this.schedule = schedule;
      if (schedule && !this.folder) [this.cron, this.folder] = [schedule.cron, schedule.folder];
      document.title = `Runs · ${workspace.title} · Assay`;
      // The newest two of those listed: with edits hidden, the last two files read.
      const listed = runs.filter((r) => shows(this.shown, r));
      if (!this.b && listed[0]) this.b = listed[0].id;
      if (!this.a && listed[1]) this.a = listed[1].id;
      return runs.some((r) => r.status === 'running');
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  private async act(what: () => Promise<unknown>, done: string) {
    this.error = '';
    this.message = '';
    try {
      await what();
      this.message = done;
      await this.poll.now();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private compare = () => {
    navigate(`/w/${encodeURIComponent(this.workspaceId)}/compare?a=${encodeURIComponent(this.a)}&b=${encodeURIComponent(this.b)}`);
  };

  private duplicate = async () => {
    try {
      const copy = await api.duplicateWorkspace(this.workspaceId);
      navigate(`/w/${encodeURIComponent(copy.id)}`);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  };

  private saveSchedule = (e: Event) => {
    e.preventDefault();
    void this.act(() => runsApi.setSchedule(this.workspaceId, { cron: this.cron, folder: this.folder }), 'Schedule saved.');
  };

  private renderRuns(runs: RunHeader[]) {
    const id = encodeURIComponent(this.workspaceId);
    const listed = runs.filter((r) => shows(this.shown, r));
    const count = (shown: Shown) => runs.filter((r) => shows(shown, r)).length;
    return html`
      <div class="row" role="group" aria-label="Runs to list" data-testid="run-filter" style="margin: 8px 0">
        ${SHOWN.map((s) => html`<button data-testid="run-filter-${s.value}" aria-pressed=${this.shown === s.value ? 'true' : 'false'}
            class=${this.shown === s.value ? 'primary' : ''} @click=${() => { this.shown = s.value; }}>${s.label} (${count(s.value)})</button>`)}
        <span class="muted">New data: uploads, reruns on new files, schedules. Edits: configs saved, cells added, "run stale".</span>
      </div>
      ${listed.length === 0 ? html`<p class="empty" data-testid="run-filter-empty">${this.shown === 'data' ? 'No run on new data yet: only edits.' : 'No edits.'}</p>` : html`
        <div class="row" style="margin: 8px 0">
          <button class="primary" data-testid="compare-runs" ?disabled=${!this.a || !this.b || this.a === this.b} @click=${this.compare}>Compare A with B</button>
          <span class="muted">Pick a run as A (before) and one as B (after).</span>
        </div>
        <table data-testid="run-history">
          <tr><th>A</th><th>B</th><th>when</th><th>trigger</th><th>who</th><th>input files and values</th><th>rules</th><th>status</th><th></th></tr>
          ${listed.map((r) => html`
            <tr data-testid="run-row" data-run=${r.id}>
              <td><input type="radio" name="a" aria-label="Compare from this run" .checked=${this.a === r.id} @change=${() => (this.a = r.id)}></td>
              <td><input type="radio" name="b" aria-label="Compare to this run" .checked=${this.b === r.id} @change=${() => (this.b = r.id)}></td>
              <td title=${when(r.createdAt)}>${timeAgo(r.createdAt)}</td>
              <td>${TRIGGERS[r.trigger] ?? r.trigger}</td>
              <td>${r.user?.email ?? html`<span class="muted">—</span>`}</td>
              <td>${r.files.map((f) => html`<div>${f.cell}: ${f.name}</div>`)}${Object.entries(r.params ?? {}).map(([name, value]) => html`<div data-testid="run-param">${name} = ${JSON.stringify(value)}</div>`)}</td>
              <td>${counts(r.summary)}</td>
              <td><span class="badge ${r.status === 'running' ? 'running' : r.cellErrors ? 'error' : 'pass'}">${r.status === 'running' ? 'running' : r.cellErrors ? `${r.cellErrors} cell error${r.cellErrors > 1 ? 's' : ''}` : 'done'}</span></td>
              <td><a data-testid="open-run" href="/w/${id}/runs/${encodeURIComponent(r.id)}">Open</a></td>
            </tr>`)}
        </table>`}`;
  }

  override render() {
    const id = encodeURIComponent(this.workspaceId);
    const ws = this.workspace;
    return html`
      <div class="crumbs"><a href="/">Workspaces</a> › <a href="/w/${id}">${ws?.title ?? '…'}</a> › runs</div>
      <h1>Runs</h1>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : nothing}
      ${this.runs === null ? html`<p class="empty">Loading…</p>` : this.runs.length === 0 ? html`<p class="empty">No runs yet.</p>` : this.renderRuns(this.runs)}

      <h2>This workspace</h2>
      <div class="panel row">
        <a class="button" data-testid="export" href=${runsApi.exportUrl(this.workspaceId)} download>Export as YAML</a>
        <button data-testid="duplicate" @click=${this.duplicate}>Duplicate (cells, no data)</button>
        <button data-testid="lock-schema" title="Pin the upload cells' columns and types as they read now; a file that drifts fails its cell"
                @click=${() => this.act(() => runsApi.schemaLock(this.workspaceId, true), 'Schema locked: a file that drifts now fails its upload cell.')}>Lock schema</button>
        <button data-testid="unlock-schema" @click=${() => this.act(() => runsApi.schemaLock(this.workspaceId, false), 'Schema unlocked.')}>Unlock schema</button>
      </div>
      <h2>Schedule</h2>
      <form class="panel" @submit=${this.saveSchedule}>
        <div class="row">
          <label>cron (UTC) <input data-testid="schedule-cron" .value=${this.cron} @input=${(e: Event) => (this.cron = (e.target as HTMLInputElement).value)} placeholder="0 6 * * *"></label>
          <label>folder in your inbox (DATA_DIR/inbox/&lt;your user id&gt;/) <input data-testid="schedule-folder" .value=${this.folder} @input=${(e: Event) => (this.folder = (e.target as HTMLInputElement).value)} placeholder="sales"></label>
          <button class="primary" type="submit">Save schedule</button>
          ${this.schedule ? html`<button type="button" @click=${() => this.act(() => runsApi.removeSchedule(this.workspaceId), 'Schedule removed.')}>Remove</button>` : nothing}
        </div>
        <p class="muted">Each firing reruns the notebook on the newest file in the folder (with several upload cells: in a subfolder named after each).
          ${this.schedule ? html`Files go in <code data-testid="schedule-inbox">DATA_DIR/${this.schedule.inbox}/</code>. Last fired: ${this.schedule.lastFiredAt ? when(this.schedule.lastFiredAt) : 'not yet'}.` : nothing}
          ${this.schedule?.lastError ? html`<span class="error-text">${this.schedule.lastError.message}</span>` : nothing}
          ${deliveryError(this.schedule)}</p>
      </form>
      <h2>Delivered reports</h2>
      <assay-delivery-panel .workspaceId=${this.workspaceId}></assay-delivery-panel>
    `;
  }
}

/** The last scheduled run's report that could not be delivered: to whom, and why. */
function deliveryError(schedule: Schedule | null) {
  const d = schedule?.lastDeliveryError;
  if (!d) return nothing;
  return html`<span class="error-text" data-testid="schedule-delivery-error">The last run's report ${d.channel === 'webhook' ? `to the webhook (${d.target})` : `to ${d.target}`}
    ${d.status === 'failed' ? `could not be delivered after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : `is being retried (attempt ${d.attempts})`}: ${d.lastError}</span>`;
}

customElements.define('assay-runs-page', RunsPage);

declare global {
  interface HTMLElementTagNameMap { 'assay-runs-page': RunsPage }
}
