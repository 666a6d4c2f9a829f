// <assay-cell>: one cell of a notebook: header with status, YAML editor, file drop (for
// kinds that take a file), errors, and the kind's result view. Saves and uploads go to the
// server directly; the page learns about the outcome from the event stream and a refetch.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { faceOf, viewTagFor } from '../../cells/views.ts';
import { api, ApiError, type Cell } from '../api.ts';
import { emptyRun, isActive, type CellErrorData, type CellRunState } from '../cell-state.ts';
import type { AssayEditor, EditorSaveDetail } from '../editor/yaml-editor.ts';
import '../editor/yaml-editor.ts';
import './code-panel.ts';
import type { GraphState } from './runtime.ts';
import type { WorkspaceVersion } from './workspace-version.ts';
import type { GridLoader } from '../../cells/kit/data-grid.ts';
import { formatBytes, formatPercent, plural } from '../../cells/kit/format.ts';
import { ask, toast } from '../ui/dialog.ts';
import { controlStyles } from '../ui/styles.ts';

const STATUS_LABEL: Record<string, string> = {
  queued: 'queued', running: 'running', done: 'done', error: 'error', stale: 'stale', cancelled: 'cancelled', none: 'not run',
};

/** What a kind's view is given; `tableLoader` reads the cell's table by pages (kinds that make one). */
/** A kind's view (cells/views.ts); `readOnly` hides its controls that change the notebook (a viewer's page). */
/** A finished result of the notebook's check cells (KindFace.checks), with the table it checks: a view may weigh it (the profile's score). */
export interface NotebookCheck { name: string; input: string | undefined; result: unknown }

interface ViewElement extends HTMLElement {
  result?: unknown; partial?: boolean; tableLoader?: GridLoader | null; readOnly?: boolean; cellName?: string;
  /** The tables the cell reads (its input first) and the notebook's check results. */
  inputs?: string[]; checks?: NotebookCheck[];
}

export class AssayCellElement extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    versions: { attribute: false },
    cell: { attribute: false },
    run: { attribute: false },
    graph: { attribute: false },
    cellNames: { attribute: false },
    readers: { attribute: false },
    columnsByCell: { attribute: false },
    checks: { attribute: false },
    acceptsFile: { type: Boolean },
    index: { attribute: false },
    count: { attribute: false },
    collapsed: { state: true },
    theirs: { state: true },
    readOnly: { attribute: false },
    uploading: { state: true },
    uploadProgress: { state: true },
    localError: { state: true },
    saving: { state: true },
    dirty: { state: true },
    dragOver: { state: true },
    editing: { state: true },
    showCode: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; }
    article { border: 1px solid var(--border); border-radius: 10px; background: var(--surface); box-shadow: var(--shadow); }
    article.status-error { border-color: var(--error-border); }
    header { display: flex; align-items: center; gap: 8px; padding: 10px 14px; flex-wrap: wrap; }
    .name { font-weight: 600; font-size: 14px; font-family: var(--mono); overflow-wrap: anywhere; }
    .kind { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border: 1px solid var(--border); border-radius: 4px; padding: 0 5px; }
    .badge { font-size: 11px; font-weight: 600; border-radius: 999px; padding: 1px 8px; background: var(--badge-bg); color: var(--badge-fg); }
    .badge.s-queued { background: var(--queued-bg); color: var(--queued-fg); }
    .badge.s-running { background: var(--running-bg); color: var(--running-fg); }
    .badge.s-done { background: var(--done-bg); color: var(--done-fg); }
    .badge.s-error { background: var(--error-bg); color: var(--error-fg); }
    .badge.s-stale, .badge.s-cancelled { background: var(--stale-bg); color: var(--stale-fg); }
    .summary { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
    .kind-summary { margin: 0 0 6px; font-weight: 600; }
    .spacer { flex: 1; }
    .unsaved { font-size: 11px; color: var(--warn-fg); }
    .progress { height: 3px; background: var(--border); overflow: hidden; }
    .progress > div { height: 100%; background: var(--accent); transition: width .2s ease; }
    .progress.indeterminate > div { width: 30% !important; animation: slide 1.2s ease-in-out infinite; }
    @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
    .body { padding: 0 14px 14px; display: flex; flex-direction: column; gap: 10px; }
    .drop {
      display: flex; align-items: center; gap: 10px; flex-wrap: wrap; padding: 12px 14px; border: 1.5px dashed var(--border-strong);
      border-radius: 8px; color: var(--muted); font-size: 13px; background: var(--surface-2);
    }
    .drop.over { border-color: var(--accent); background: var(--accent-soft); color: var(--fg); }
    .drop .file { color: var(--fg); font-family: var(--mono); font-size: 12px; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .upbar { flex: 1 1 160px; height: 6px; border-radius: 3px; background: var(--border); overflow: hidden; }
    .upbar > div { height: 100%; background: var(--accent); }
    .error { border-radius: 6px; padding: 8px 12px; background: var(--error-bg); color: var(--error-fg); font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .error code { font-family: var(--mono); font-size: 11px; opacity: .75; margin-left: 6px; }
    .reason { color: var(--muted); font-size: 12px; }
    /* A new file that failed in its run and was handed back: the cell is fine, the file was not. */
    .refused { border-radius: 6px; padding: 8px 12px; background: var(--warn-bg); color: var(--warn-fg); font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .result.dim { opacity: .55; }
    .body[hidden], .editor-fold[hidden] { display: none; }
    .result.folded { cursor: text; border-radius: 6px; }
    .result.folded:focus-visible { outline: 2px solid var(--accent); outline-offset: 4px; }
    .notice { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; border-radius: 6px; padding: 8px 12px; background: var(--warn-bg); color: var(--warn-fg); font-size: 13px; }
    .handle { cursor: grab; color: var(--muted); user-select: none; font-size: 14px; padding: 0 2px; }
    .handle:active { cursor: grabbing; }
    button.icon { padding: 2px 7px; min-width: 28px; }
    article:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    pre.json { margin: 0; max-height: 360px; overflow: auto; font-size: 12px; background: var(--surface-2); padding: 8px; border-radius: 6px; }
  `];

  declare workspaceId: string;
  /** The page's workspace version: every change carries it, so one made on a stale page is refused, not applied blindly. */
  declare versions: WorkspaceVersion;
  declare cell: Cell;
  declare run: CellRunState;
  /** The cell's place in the page's reactive graph (web/notebook/runtime.ts). */
  declare graph: { state: GraphState; failedInput?: string } | null;
  declare cellNames: string[];
  /** Names of the cells whose config reads this one: a rename offers to update them. */
  declare readers: string[];
  declare columnsByCell: Record<string, string[]>;
  declare checks: NotebookCheck[];
  declare acceptsFile: boolean;
  /** Where the cell stands among `count`, for moving it. */
  declare index: number;
  declare count: number;
  /** Folded to its header; remembered per cell in this browser. */
  declare collapsed: boolean;
  /** Set when someone else saved this cell while this page had unsaved text in it. */
  declare theirs: boolean;
  /** A viewer's page: nothing can be changed. */
  declare readOnly: boolean;
  declare uploading: string | null;
  declare uploadProgress: number;
  declare localError: CellErrorData | null;
  declare saving: boolean;
  declare dirty: boolean;
  declare dragOver: boolean;
  /** A kind whose result stands for the cell (KindFace.foldsEditor, a note): its editor is open. */
  declare editing: boolean;
  /** The "Show the code" panel is open (kinds whose face `showsCode`). */
  declare showCode: boolean;

  private viewEl: ViewElement | null = null;
  private viewKind = '';
  private uploadAbort: AbortController | null = null;

  constructor() {
    super();
    this.workspaceId = '';
    this.run = emptyRun;
    this.graph = null;
    this.cellNames = [];
    this.readers = [];
    this.columnsByCell = {};
    this.checks = [];
    this.acceptsFile = false;
    this.index = 0;
    this.count = 1;
    this.collapsed = false;
    this.theirs = false;
    this.readOnly = false;
    this.uploading = null;
    this.uploadProgress = 0;
    this.localError = null;
    this.saving = false;
    this.dirty = false;
    this.dragOver = false;
    this.editing = false;
  }

  private get editor(): AssayEditor | null {
    return this.renderRoot.querySelector('assay-editor');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.uploadAbort?.abort();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('cell') && this.cell && (changed.get('cell') as Cell | undefined)?.id !== this.cell.id) {
      this.collapsed = localStorage.getItem(collapseKey(this.cell.id)) === '1';
    }
    if (changed.has('cell') && this.cell && this.cell.kind !== this.viewKind) {
      this.viewKind = this.cell.kind;
      const tag = viewTagFor(this.cell.kind);
      this.viewEl = tag ? (document.createElement(tag) as ViewElement) : null;
    }
    // A new run supersedes whatever a save or an upload reported before it; a refused save's
    // reason stays until the next save, as the page reloads right after it.
    const before = changed.get('run') as CellRunState | undefined;
    if (before && before.runId !== this.run.runId && this.localError?.code !== 'conflict') this.localError = null;
    const shown = this.shownResult();
    if (this.viewEl && shown) {
      this.viewEl.result = shown.result;
      this.viewEl.partial = shown.partial;
      this.viewEl.readOnly = this.readOnly;
      this.viewEl.cellName = this.cell.name;
      this.viewEl.inputs = this.cell.inputs;
      this.viewEl.checks = this.checks;
      this.viewEl.tableLoader = shown.partial ? null : this.loaderFor(`${this.run.runId}:${this.run.status}`);
    }
  }

  private loader: { key: string; load: GridLoader } | null = null;

  /** One loader per run and status, so the grid keeps its blocks until the table may have changed. */
  private loaderFor(key: string): GridLoader {
    if (this.loader?.key !== key) {
      const { workspaceId } = this;
      const cellId = this.cell.id;
      this.loader = { key, load: (q, signal) => api.rows(workspaceId, cellId, q, signal) };
    }
    return this.loader.load;
  }

  private shownResult(): { result: unknown; partial: boolean } | null {
    const { run } = this;
    if (isActive(run.status) && run.partial) return { result: run.partial, partial: true };
    if (run.result !== null && run.result !== undefined) return { result: run.result, partial: false };
    return null;
  }

  override render() {
    const { cell, run } = this;
    if (!cell) return nothing;
    const status = run.status ?? 'none';
    const active = isActive(run.status);
    const error = this.localError ?? run.error;
    const shown = this.shownResult();
    // An input above is still working: this cell's result is about to change, as in Observable.
    // A new cell that has never run waits for its file or its config: it is neither pending nor failed.
    const awaits = status === 'none' && !active ? cell.awaiting ?? null : null;
    const waiting = !awaits && !active && this.graph?.state === 'pending' && (status === 'done' || status === 'none' || status === 'cancelled');
    // A note shows its rendered text and keeps its editor folded until asked; an error or no result yet shows it.
    const folded = !!faceOf(cell.kind)?.foldsEditor && !this.editing && !!shown && !error;
    return html`
      <article class="cell status-${status}" tabindex="-1" @keydown=${this.onKeydown} @editor-leave=${this.focusCell} data-testid="cell" data-cell-name=${cell.name} data-status=${status}
               data-cell-id=${cell.id} data-run-id=${run.runId ?? ""} data-graph=${this.graph?.state ?? 'none'}>
        <header>
          ${this.readOnly ? nothing : html`<span class="handle" draggable="true" title="Drag to move (or Alt+↑ / Alt+↓)" aria-hidden="true" data-testid="cell-drag"
                @dragstart=${this.onDragStart}>⠿</span>`}
          <button class="ghost icon" data-testid="cell-collapse" aria-expanded=${!this.collapsed} title=${this.collapsed ? 'Expand' : 'Collapse'}
                  @click=${this.toggleCollapsed}>${this.collapsed ? '▸' : '▾'}</button>
          <span class="name">${cell.name}</span>
          <span class="kind">${cell.kind}</span>
          ${awaits ? html`<span class="badge s-none" data-testid="cell-status" data-awaiting=${awaits}>${awaits === 'file' ? 'waiting for a file' : 'waiting for its config'}</span>`
            : waiting ? html`<span class="badge s-queued" data-testid="cell-status" title="An input above is running; this cell follows when it is done">pending</span>`
            : html`<span class="badge s-${status}" data-testid="cell-status">${STATUS_LABEL[status] ?? status}${status === 'running' && run.progress > 0 ? ` ${formatPercent(run.progress, 0)}` : ''}</span>`}
          ${this.renderSummary(shown?.result)}
          <span class="spacer"></span>
          ${folded && !this.readOnly ? html`<button class="ghost" data-testid="cell-edit" title="Edit (double-click or Enter on the text)" @click=${this.openEditor}>Edit</button>` : nothing}
          ${this.dirty ? html`<span class="unsaved">unsaved</span>` : nothing}
          ${faceOf(cell.kind)?.showsCode ? html`<button class="ghost" data-testid="cell-code" aria-expanded=${this.showCode ? 'true' : 'false'} title="This cell's work as SQL and Python, to copy or download"
                  @click=${() => { this.showCode = !this.showCode; }}>${this.showCode ? 'Hide the code' : 'Show the code'}</button>` : nothing}
          ${this.readOnly ? nothing : html`
          <button class=${this.dirty ? 'primary' : ''} data-testid="cell-run" title="Save and run (Shift+Enter)" ?disabled=${this.saving}
                  @click=${() => this.save(this.editor?.text ?? cell.config, true)}>${this.dirty ? 'Save & run' : 'Run'}</button>
          <button class="ghost icon" data-testid="cell-move-up" title="Move up (Alt+↑)" aria-label="Move up" ?disabled=${this.index <= 0} @click=${() => this.move(-1)}>↑</button>
          <button class="ghost icon" data-testid="cell-move-down" title="Move down (Alt+↓)" aria-label="Move down" ?disabled=${this.index >= this.count - 1} @click=${() => this.move(1)}>↓</button>
          <button class="ghost" data-testid="cell-rename" title="Rename this cell" @click=${this.onRename}>Rename</button>
          <button class="ghost danger" data-testid="cell-delete" title="Delete this cell" @click=${this.onDelete}>Delete</button>`}
        </header>
        ${active ? html`
          <div class="progress ${run.status === 'queued' || run.progress <= 0 ? 'indeterminate' : ''}" role="progressbar"
               aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(run.progress * 100)}>
            <div style=${styleMap({ width: `${Math.round(run.progress * 100)}%` })}></div>
          </div>` : nothing}
        <div class="body" ?hidden=${this.collapsed}>
          <div class="editor-fold" ?hidden=${folded} @focusin=${this.onEditorFocus}>
          <assay-editor .value=${cell.config} .error=${error} .cellNames=${this.cellNames.filter((n) => n !== cell.name)}
                        kind=${cell.kind} .columnsByCell=${this.columnsByCell} .itemErrors=${this.ruleErrors()}
                        ?readOnly=${this.readOnly} @editor-conflict=${() => { this.theirs = true; }}
                        @editor-save=${this.onEditorSave} @editor-dirty=${this.onDirty}>
          </assay-editor>
          </div>
          ${this.theirs ? html`
            <div class="notice" role="alert" data-testid="cell-conflict">
              Someone else saved this cell while you were editing it. Your text is still here, unsaved.
              <button data-testid="conflict-theirs" @click=${() => { this.editor?.discard(); this.theirs = false; }}>Load their version</button>
              <button class="ghost" data-testid="conflict-mine" @click=${() => { this.theirs = false; }}>Keep mine</button>
            </div>` : nothing}
          ${this.acceptsFile && !this.readOnly ? this.renderDrop() : nothing}
          ${error ? html`
            <div class="error" data-testid="cell-error" role="alert">${error.message}${typeof error.line === 'number' && !/\bline\b/.test(error.message) ? ` (line ${error.line})` : ''} <code>${error.code}</code></div>` : nothing}
          ${!error && run.reason?.code === 'file_refused' ? html`
            <div class="refused" data-testid="cell-refused" role="alert">${run.reason.message} <code>${run.reason.reason ?? run.reason.code}</code></div>`
            : !error && run.reason ? html`<div class="reason">${status}: ${run.reason.message}</div>` : nothing}
          ${this.showCode && faceOf(cell.kind)?.showsCode ? html`<assay-code-panel .workspaceId=${this.workspaceId} .cellId=${cell.id} .cellName=${cell.name} .config=${cell.config}></assay-code-panel>` : nothing}
          ${shown ? html`<div class="result ${status === 'stale' || status === 'cancelled' || waiting || (active && !shown.partial) ? 'dim' : ''} ${folded ? 'folded' : ''}"
               tabindex=${folded && !this.readOnly ? '0' : nothing} title=${folded && !this.readOnly ? 'Double-click or press Enter to edit' : nothing}
               data-testid="cell-result" @dblclick=${this.onResultOpen} @keydown=${this.onResultOpen} @suggest-cell=${this.onSuggestCell} @config-edit=${this.onConfigEdit}>
            ${this.viewEl ?? html`${this.run.summary ? html`<p class="kind-summary" data-testid="kind-summary">${this.run.summary}</p>` : nothing}<pre class="json">${JSON.stringify(shown.result, null, 2)}</pre>`}
          </div>` : nothing}
        </div>
      </article>
    `;
  }

  private onDirty = (e: CustomEvent<{ dirty: boolean }>) => {
    this.dirty = e.detail.dirty;
    if (!this.dirty) this.theirs = false;
  };

  private toggleCollapsed = () => {
    this.collapsed = !this.collapsed;
    if (this.collapsed) localStorage.setItem(collapseKey(this.cell.id), '1');
    else localStorage.removeItem(collapseKey(this.cell.id));
  };

  private focusCell = () => {
    // Escape leaves the editor: a folding kind's editor folds, and the keyboard rests on its text.
    if (this.editing) {
      this.editing = false;
      void this.updateComplete.then(() => (this.renderRoot.querySelector('.result.folded') as HTMLElement | null ?? this.renderRoot.querySelector('article'))?.focus());
      return;
    }
    this.renderRoot.querySelector('article')?.focus();
  };

  /** Opens a folding kind's editor (KindFace.foldsEditor), with the keyboard in it. */
  private openEditor = async () => {
    if (this.readOnly) return;
    this.editing = true;
    await this.updateComplete;
    this.editor?.focus();
  };

  private onResultOpen = (e: Event) => {
    if (!faceOf(this.cell.kind)?.foldsEditor || this.editing) return;
    if (e instanceof KeyboardEvent && (e.key !== 'Enter' || e.target !== e.currentTarget)) return;
    e.preventDefault();
    void this.openEditor();
  };

  /** The editor of a folding kind is open while the keyboard is in it (a new note's, say), so a result arriving does not fold it away. */
  private onEditorFocus = () => {
    if (faceOf(this.cell.kind)?.foldsEditor && !this.readOnly) this.editing = true;
  };

  /** Alt+↑ / Alt+↓ on the cell (not inside the editor, where they move lines) move it. */
  private onKeydown = (e: KeyboardEvent) => {
    if (this.readOnly || !e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    if (e.composedPath().some((el) => (el as HTMLElement).tagName === 'ASSAY-EDITOR')) return;
    e.preventDefault();
    void this.move(e.key === 'ArrowUp' ? -1 : 1);
  };

  private onDragStart = (e: DragEvent) => {
    if (!e.dataTransfer) return;
    e.dataTransfer.setData(CELL_DRAG_TYPE, this.cell.id);
    e.dataTransfer.effectAllowed = 'move';
    const article = this.renderRoot.querySelector('article');
    if (article) e.dataTransfer.setDragImage(article, 20, 20);
  };

  private async move(by: -1 | 1): Promise<void> {
    const to = this.index + by;
    if (to < 0 || to >= this.count) return;
    try {
      const saved = await api.updateCell(this.workspaceId, this.cell.id, { position: to, version: await this.versions.toSend() });
      this.localError = null;
      this.changed(saved.workspaceVersion);
      // Keep the keyboard on the moved cell once the page has re-ordered it.
      this.updateComplete.then(() => requestAnimationFrame(() => this.focusCell()));
    } catch (err) {
      this.localError = conflictOrError(err, 'Nothing was moved: look at their change, then move again.');
      if (isConflict(err)) this.refused();
    }
  }

  private renderSummary(result: unknown) {
    if (!result || typeof result !== 'object') return nothing;
    const r = result as { rows?: unknown; columns?: unknown };
    const parts: string[] = [];
    if (typeof r.rows === 'number') parts.push(plural(r.rows, 'row'));
    if (Array.isArray(r.columns)) parts.push(plural(r.columns.length, 'column'));
    return parts.length ? html`<span class="summary">${parts.join(' × ')}</span>` : nothing;
  }

  private renderDrop() {
    const file = this.cell.file;
    return html`
      <label class="drop ${this.dragOver ? 'over' : ''}"
             @dragover=${this.onDragOver} @dragleave=${() => { this.dragOver = false; }} @drop=${this.onDrop}>
        <input class="visually-hidden" type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" data-testid="upload-input"
               ?disabled=${this.uploading !== null} @change=${this.onFileInput}>
        ${this.uploading !== null ? html`
          <span>Uploading <span class="file">${this.uploading}</span></span>
          <div class="upbar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(this.uploadProgress * 100)}>
            <div style=${styleMap({ width: `${Math.round(this.uploadProgress * 100)}%` })}></div>
          </div>
          <span>${formatPercent(this.uploadProgress, 0)}</span>
          <button class="ghost" @click=${(e: Event) => { e.preventDefault(); this.uploadAbort?.abort(); }}>Cancel</button>` : html`
          <span class="button">Choose a CSV</span>
          <span>or drop it here.</span>
          ${file ? html`<span>Current: <span class="file">${file.name}</span> (${formatBytes(file.size)})</span>` : nothing}`}
      </label>
    `;
  }

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragOver = true;
  };

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.dragOver = false;
    const file = e.dataTransfer?.files?.[0];
    if (file) void this.upload(file);
  };

  private onFileInput = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void this.upload(file);
    input.value = '';
  };

  private async upload(file: File): Promise<void> {
    if (this.uploading !== null) return;
    this.uploading = file.name;
    this.uploadProgress = 0;
    this.localError = null;
    this.uploadAbort = new AbortController();
    try {
      await api.uploadFile(this.workspaceId, this.cell.id, file, (f) => { this.uploadProgress = f; }, this.uploadAbort.signal);
      this.changed();
      this.uploadOutcome(null);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'aborted')) {
        // Refused or failed, the cell keeps its file and result: the error says why, here and in the page's banner.
        this.localError = asCellError(err);
        this.uploadOutcome(this.localError.message);
      }
    } finally {
      this.uploading = null;
      this.uploadAbort = null;
    }
  }

  /** Tells the page an upload to this cell was refused (`message`), or went through (null). */
  private uploadOutcome(message: string | null): void {
    this.dispatchEvent(new CustomEvent('upload-outcome', { detail: { cell: this.cell.name, message }, bubbles: true, composed: true }));
  }

  /**
   * A view changed its own cell's YAML (an input cell's widget set `value:`): saved through the
   * normal config update, on the saved text, so the server re-runs what reads the cell.
   */
  private onConfigEdit = (e: CustomEvent<{ edit: (config: string) => Promise<string> }>) => {
    e.stopPropagation();
    if (this.readOnly) return;
    void e.detail.edit(this.cell.config).then((text) => this.save(text, false));
  };

  private onEditorSave = (e: CustomEvent<EditorSaveDetail>) => {
    e.stopPropagation();
    if (this.readOnly) return;
    // Shift+Enter on a folding kind (a note) also folds its editor: the text shows as it will be read.
    if (e.detail.run && faceOf(this.cell.kind)?.foldsEditor) this.focusCell();
    void this.save(e.detail.text, e.detail.run);
  };

  /** Saves the config when it changed (the server re-runs what it affects); `run` re-runs it even when unchanged. */
  private async save(text: string, run: boolean): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      if (text !== this.cell.config) {
        const saved = await api.updateCell(this.workspaceId, this.cell.id, { config: text, version: await this.versions.toSend() });
        this.editor?.markSaved(text);
        this.localError = null;
        this.changed(saved.workspaceVersion);
      } else if (run) {
        this.localError = null;
        await api.runStale(this.workspaceId);
      }
    } catch (err) {
      this.localError = conflictOrError(err, 'Your text is kept here: save again to apply it over their change.');
      if (isConflict(err)) this.refused();
    } finally {
      this.saving = false;
    }
  }

  /** Asks for the new name, and whether the cells that read this one should read it by that name. */
  private onRename = async () => {
    const from = this.cell.name;
    const readers = this.readers.filter((n) => n !== from);
    const answer = await ask({
      title: `Rename "${from}"`,
      input: { label: 'New name', value: from, pattern: '[A-Za-z_][A-Za-z0-9_]{0,63}', hint: 'letters, digits and _, not starting with a digit' },
      ...(readers.length ? { checkbox: {
        label: `Also make ${readers.map((n) => `"${n}"`).join(', ')} read the new name (else ${readers.length === 1 ? 'it fails' : 'they fail'} until fixed)`,
        checked: true,
      } } : {}),
      confirm: 'Rename',
    });
    const to = answer?.value;
    if (!to || to === from) return;
    const updateReferences = readers.length > 0 && answer.checked;
    try {
      const saved = await api.updateCell(this.workspaceId, this.cell.id, { name: to, updateReferences, version: await this.versions.toSend() });
      this.localError = null;
      this.changed(saved.workspaceVersion);
    } catch (err) {
      this.localError = conflictOrError(err, 'Nothing was renamed: look at their change, then rename again.');
      if (isConflict(err)) this.refused();
    }
  };

  private onDelete = async () => {
    const { name, id } = this.cell;
    const readers = this.readers.filter((n) => n !== name);
    const sure = await ask({
      title: `Delete "${name}"?`,
      message: readers.length ? `${readers.map((n) => `"${n}"`).join(', ')} ${readers.length === 1 ? 'reads' : 'read'} it and will fail until you undo or fix ${readers.length === 1 ? 'it' : 'them'}.` : 'You can undo it for a few seconds.',
      confirm: 'Delete', danger: true,
    });
    if (!sure) return;
    const workspaceId = this.workspaceId;
    try {
      const done = await api.deleteCell(workspaceId, id, await this.versions.toSend());
      this.changed(done.workspaceVersion);
      // The cell is gone from the page with this element: the toast lives on the page's body.
      toast(`Deleted cell "${name}"`, { label: 'Undo', run: async () => { await api.restoreCell(workspaceId, id); } });
    } catch (err) {
      this.localError = conflictOrError(err, 'Nothing was deleted: look at their change, then delete again.');
      if (isConflict(err)) this.refused();
    }
  };

  /**
   * A rule cell's per-rule errors, for the editor to show at each rule's line. The same array
   * while the result is the same, so a re-render does not redraw the editor's diagnostics.
   */
  private ruleErrors(): { index: number; message: string; key?: string }[] {
    const result = this.run.result;
    if (result === this.ruleErrorsOf) return this.ruleErrorsCache;
    this.ruleErrorsOf = result;
    const itemErrors = faceOf(this.cell.kind)?.itemErrors;
    this.ruleErrorsCache = itemErrors && result ? itemErrors(result) : [];
    return this.ruleErrorsCache;
  }

  private ruleErrorsOf: unknown = undefined;
  private ruleErrorsCache: { index: number; message: string; key?: string }[] = [];

  /** A view asks for the cell of a kind its result suggests (a profile's cleaning: a transform cell). */
  private onSuggestCell = async (e: CustomEvent<{ kind: string }>) => {
    try {
      const suggestion = (await api.suggestions(this.workspaceId, this.cell.id)).find((s) => s.kind === e.detail.kind);
      if (!suggestion) throw new Error(`this result suggests no ${e.detail.kind} cell`);
      await this.addSuggested(suggestion);
    } catch (err) {
      this.localError = asCellError(err);
    }
  };

  /** Adds a suggested cell right after this one, under a name not yet taken. */
  private async addSuggested(suggestion: { kind: string; name: string; config: string }): Promise<void> {
    const taken = new Set(this.cellNames);
    let name = suggestion.name;
    for (let k = 2; taken.has(name); k++) name = `${suggestion.name}_${k}`;
    await api.addCell(this.workspaceId, { kind: suggestion.kind, name, config: suggestion.config, position: this.cell.position + 1 });
    this.changed();
  }

  /** A change refused as made on a stale version: the page reloads, and a change tried again waits for that. */
  private refused(): void {
    this.versions.refused();
    this.changed();
  }

  /** Tells the page to refetch; `workspaceVersion` is the version this page's own change made. */
  private changed(workspaceVersion?: number): void {
    this.dispatchEvent(new CustomEvent('cell-changed', { detail: { cellId: this.cell.id, workspaceVersion }, bubbles: true, composed: true }));
  }
}

/** The drag data type of a cell being moved; the page's drop handler reads it. */
export const CELL_DRAG_TYPE = 'application/x-assay-cell';

const collapseKey = (cellId: string) => `assay.collapsed.${cellId}`;

/** A change refused because the workspace changed since the page loaded it. */
export const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409 && err.code === 'conflict';

/** A refused change says why and what to do; nothing of the user's is thrown away. */
function conflictOrError(err: unknown, advice: string): CellErrorData {
  if (!isConflict(err)) return asCellError(err);
  return { code: 'conflict', message: `Someone else changed this workspace after this page loaded it. ${advice}` };
}

function asCellError(err: unknown): CellErrorData {
  if (err instanceof ApiError) return err.toCellError();
  return { code: 'error', message: err instanceof Error ? err.message : String(err) };
}

customElements.define('assay-cell', AssayCellElement);

declare global {
  interface HTMLElementTagNameMap {
    'assay-cell': AssayCellElement;
  }
}
