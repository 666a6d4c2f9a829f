// <assay-run-bar>: the notebook's run controls (issue 10): "Run with new files…" (a dialog
// asking for a file per upload cell), and a link to the workspace's runs.
import { css, html, LitElement, nothing } from 'lit';
import type { Cell } from '../api.ts';
import { navigate } from '../router.ts';
import { controlStyles } from '../ui/styles.ts';
import { runsApi } from './api.ts';

export class RunBar extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    cells: { attribute: false },
    /** The kinds that take a file (GET /api/kinds): their cells get a file field. */
    fileKinds: { attribute: false },
    /** A view-only holder sees the runs, and cannot start one. */
    readOnly: { attribute: false },
    open: { state: true },
    chosen: { state: true },
    sending: { state: true },
    progress: { state: true },
    error: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: inline-flex; gap: 8px; align-items: center; }
    /* As wide as it needs up to 420 px, never wider than a phone's screen (a min-width of 380 made it 422 px at 390). */
    dialog { border: 1px solid var(--border); border-radius: 10px; padding: 18px 20px; box-sizing: border-box; width: min(420px, calc(100vw - 24px)); max-width: none; background: var(--surface); color: var(--fg); }
    input[type="file"] { max-width: 100%; }
    dialog::backdrop { background: rgb(0 0 0 / .3); }
    h2 { font-size: 16px; margin: 0 0 6px; }
    label { display: grid; gap: 4px; margin: 12px 0; font-size: 13px; }
    .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; }
    progress { width: 100%; }
  `];

  declare workspaceId: string;
  declare cells: Cell[];
  declare fileKinds: ReadonlySet<string>;
  declare readOnly: boolean;
  declare open: boolean;
  declare chosen: Record<string, File>;
  declare sending: boolean;
  declare progress: number;
  declare error: string;

  constructor() {
    super();
    this.cells = [];
    this.fileKinds = new Set();
    this.readOnly = false;
    this.open = false;
    this.chosen = {};
    this.sending = false;
    this.progress = 0;
    this.error = '';
  }

  private get uploads() {
    return this.cells.filter((c) => this.fileKinds.has(c.kind));
  }

  private show = async () => {
    this.chosen = {};
    this.error = '';
    this.open = true;
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
  };

  private close = () => {
    this.renderRoot.querySelector('dialog')?.close();
    this.open = false;
  };

  private pick(cell: string, e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    const next = { ...this.chosen };
    if (file) next[cell] = file;
    else delete next[cell];
    this.chosen = next;
  }

  private submit = async (e: Event) => {
    e.preventDefault();
    this.sending = true;
    this.error = '';
    try {
      const { runId } = await runsApi.rerun(this.workspaceId, this.chosen, (f) => (this.progress = f));
      this.close();
      navigate(`/w/${encodeURIComponent(this.workspaceId)}/runs/${encodeURIComponent(runId)}`);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.sending = false;
      this.progress = 0;
    }
  };

  override render() {
    const uploads = this.uploads;
    const ready = uploads.length > 0 && uploads.every((u) => this.chosen[u.name]);
    return html`
      ${this.readOnly ? nothing : html`<button data-testid="run-new-files" ?disabled=${uploads.length === 0} title=${uploads.length ? 'Run the whole notebook on new CSV files, as a new run' : 'Add an upload cell first'} @click=${this.show}>Run with new files…</button>`}
      <a class="button" data-testid="runs-link" href=${`/w/${encodeURIComponent(this.workspaceId)}/runs`}>Runs</a>
      ${this.open ? html`
        <dialog @close=${() => (this.open = false)} aria-labelledby="rerun-title">
          <form @submit=${this.submit}>
            <h2 id="rerun-title">Run with new files</h2>
            <p class="muted">One file per upload cell; every cell runs again on them as a new run. The earlier runs stay in the history.</p>
            ${uploads.map((u) => html`
              <label>${u.name}${u.file ? html` <span class="muted">(now ${u.file.name})</span>` : nothing}
                <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid=${`rerun-file-${u.name}`} @change=${(e: Event) => this.pick(u.name, e)}>
              </label>`)}
            ${this.sending ? html`<progress max="1" .value=${this.progress}></progress>` : nothing}
            ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
            <div class="actions">
              <button type="button" @click=${this.close}>Cancel</button>
              <button class="primary" type="submit" data-testid="rerun-submit" ?disabled=${!ready || this.sending}>Run</button>
            </div>
          </form>
        </dialog>` : nothing}
    `;
  }
}

customElements.define('assay-run-bar', RunBar);

declare global {
  interface HTMLElementTagNameMap { 'assay-run-bar': RunBar }
}
