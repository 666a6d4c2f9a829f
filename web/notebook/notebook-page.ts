// <assay-notebook>: one workspace. Loads it, streams its events into the cell-state
// reducer, and refetches on `workspace.changed` (editors keep unsaved text themselves).
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { api, ApiError, type KindInfo, type Workspace } from '../api.ts';
import { emptyRun, reduce, type CellEvent, type CellsState } from '../cell-state.ts';
import { openEventStream, type EventStream, type StreamState } from '../events.ts';
import { controlStyles } from '../ui/styles.ts';
import { loadFailure, streamEnded } from '../workspace-errors.ts';
import { faceOf } from '../../cells/views.ts';
import { CELL_DRAG_TYPE, isConflict, type NotebookCheck } from './cell.ts';
import { WorkspaceGraph, type GraphState } from './runtime.ts';
import { WorkspaceVersion } from './workspace-version.ts';
import './share-dialog.ts';

const REFETCH_DEBOUNCE_MS = 80;

/** `profile1`, `profile2`, …: the first name of this kind not taken yet. */
export function defaultCellName(kind: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  const base = kind.replace(/[^A-Za-z0-9_]/g, '_') || 'cell';
  for (let n = 1; ; n++) if (!names.has(`${base}${n}`)) return `${base}${n}`;
}

/** Fills an empty `input:` of a starter config with the last cell that makes a table, the usual choice. */
export function starterFor(starter: string, previousCell: string | undefined): string {
  if (!previousCell) return starter;
  return starter.replace(/^input:[ \t]*$/m, `input: ${previousCell}`);
}

/** Statuses a "Run stale" runs again. */
const NOT_CURRENT = new Set(['error', 'stale', 'cancelled']);

/** Whether the browser sizes a textarea to its text by itself (CSS field-sizing); else fitTitle does. */
const FIELD_SIZING = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/** The title's box as tall as its wrapped text, where CSS cannot say so (no field-sizing). */
function fitTitle(e: { target: EventTarget | null }): void {
  const el = e.target as HTMLTextAreaElement;
  if (FIELD_SIZING) return;
  el.style.height = 'auto';
  el.style.height = `${el.scrollHeight + 2}px`;
}

export class NotebookPage extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    workspace: { state: true },
    runs: { state: true },
    kinds: { state: true },
    loadError: { state: true },
    stream: { state: true },
    addKind: { state: true },
    addName: { state: true },
    addError: { state: true },
    adding: { state: true },
    titleError: { state: true },
    /** What the last "Run stale" did, said beside the button for a few seconds. */
    runNote: { state: true },
    graph: { state: true },
    /** Uploads refused on this page, by cell name (cell.ts' `upload-outcome`): the banner says so until a file goes through. */
    uploadRefusals: { state: true },
  };

  static styles = [controlStyles, css`
    .failing-rules { margin: 0 0 12px; padding: 8px 12px; border-radius: 8px; background: var(--error-bg); color: var(--error-fg); border: 1px solid var(--error-border); font-size: 13px; }
    .failing-rules ul { margin: 4px 0 0; padding-left: 18px; }
    .failing-rules .link { background: none; border: none; padding: 0; color: inherit; text-decoration: underline; cursor: pointer; font: inherit; }
    .failing-rules .st { font-size: 10px; text-transform: uppercase; font-weight: 600; }
    .failing-rules .muted { color: inherit; opacity: .8; }
    .run-note { font-size: 12px; color: var(--muted); }
    :host { display: block; max-width: 1180px; margin: 0 auto; padding: 20px 20px 80px; }
    .top { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
    /* The title wraps rather than cut a long one (issue 23, item 26): a one-line textarea as tall as its text. */
    textarea.title {
      flex: 1 1 300px; min-width: 0; font: inherit; font-size: 22px; font-weight: 600; line-height: 1.3; color: var(--fg);
      border: 1px solid transparent; border-radius: 6px; background: transparent; padding: 4px 8px; margin-left: -8px;
      resize: none; overflow: hidden; field-sizing: content; overflow-wrap: anywhere;
    }
    textarea.title:hover { border-color: var(--border); }
    textarea.title:focus-visible { outline: none; border-color: var(--accent); box-shadow: 0 0 0 2px var(--focus-ring); }
    .badge { font-size: 11px; font-weight: 600; border-radius: 999px; padding: 2px 9px; background: var(--badge-bg); color: var(--badge-fg); }
    .live { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
    .live.open .dot { background: var(--done-fg); }
    .live.reconnecting .dot { background: var(--warn-fg); }
    .cells { display: flex; flex-direction: column; gap: 16px; }
    assay-cell[data-drop='before'] { box-shadow: 0 -3px 0 var(--accent); border-radius: 10px; }
    assay-cell[data-drop='after'] { box-shadow: 0 3px 0 var(--accent); border-radius: 10px; }
    .add { margin-top: 20px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; padding: 12px 14px; border: 1px dashed var(--border-strong); border-radius: 10px; }
    .add .label { color: var(--muted); font-size: 13px; }
    .add input { width: 200px; font-family: var(--mono); font-size: 13px; }
    .empty { color: var(--muted); padding: 24px 0; }
    .error-text { margin: 6px 0; }
  `];

  declare workspaceId: string;
  declare workspace: Workspace | null;
  declare runs: CellsState;
  declare kinds: KindInfo[];
  declare loadError: string;
  declare stream: StreamState;
  declare addKind: string;
  declare addName: string;
  declare addError: string;
  declare adding: boolean;
  declare titleError: string;
  declare runNote: string;
  /** Each cell's place in the reactive graph: pending while an input upstream works. */
  declare graph: Readonly<Record<string, { state: GraphState; failedInput?: string }>>;
  declare uploadRefusals: Readonly<Record<string, string>>;

  private events: EventStream | null = null;
  private runtime: WorkspaceGraph | null = null;
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  private refetching: Promise<void> | null = null;
  private refetchAgain = false;
  private addNameTouched = false;
  /** The version this page's changes carry, shared with its cells. */
  private versions = new WorkspaceVersion();

  constructor() {
    super();
    this.workspaceId = '';
    this.workspace = null;
    this.runs = {};
    this.kinds = [];
    this.loadError = '';
    this.stream = 'connecting';
    this.addKind = '';
    this.addName = '';
    this.addError = '';
    this.adding = false;
    this.titleError = '';
    this.runNote = '';
    this.graph = {};
    this.uploadRefusals = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.workspaceId && !this.events) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
    this.titleSizer?.disconnect();
    this.titleSizer = null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('workspaceId') && this.isConnected && changed.get('workspaceId') !== undefined) {
      this.stop();
      this.workspace = null;
      this.runs = {};
      this.versions = new WorkspaceVersion();
      void this.load();
    }
  }

  private stop(): void {
    this.events?.close();
    this.events = null;
    this.runtime?.dispose();
    this.runtime = null;
    this.graph = {};
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
    this.refetchTimer = null;
  }

  private async load(): Promise<void> {
    const id = this.workspaceId;
    this.loadError = '';
    try {
      const [ws, kinds] = await Promise.all([api.workspace(id), api.kinds()]);
      if (id !== this.workspaceId) return;
      this.kinds = kinds;
      if (!this.addKind || !kinds.some((k) => k.kind === this.addKind)) this.addKind = kinds[0]?.kind ?? '';
      this.runtime = new WorkspaceGraph((cellId, state, failedInput) => {
        this.graph = { ...this.graph, [cellId]: { state, failedInput } };
      });
      this.apply(ws);
      this.events = openEventStream(id, {
        lastEventId: typeof ws.lastEventId === 'number' ? String(ws.lastEventId) : undefined,
        onEvent: (e) => this.onEvent(e),
        onHello: (hello) => {
          if (typeof hello.version === 'number' && hello.version !== this.workspace?.version) this.scheduleRefetch();
        },
        onState: (state, detail) => {
          this.stream = state;
          if (state === 'closed') this.loadError = streamEnded(detail) ?? this.loadError;
        },
      });
    } catch (err) {
      this.loadError = loadFailure(err, 'the workspace') ?? '';
    }
  }

  private apply(ws: Workspace): void {
    // A refetch that raced an older one must not roll the page back.
    if (this.workspace && ws.version < this.workspace.version) return;
    ws.cells.sort((a, b) => a.position - b.position);
    this.workspace = ws;
    this.versions.show(ws.version);
    this.runs = reduce(this.runs, { type: 'snapshot', cells: ws.cells.map((c) => ({ id: c.id, latest: c.latest ?? null })) });
    this.runtime?.sync(ws.cells, this.runs);
    if (!this.addNameTouched || !this.addName) this.addName = defaultCellName(this.addKind, ws.cells.map((c) => c.name));
  }

  private onEvent(event: Exclude<CellEvent, { type: 'snapshot' }>): void {
    // The caller's own run with values of their own (the presentation view's; the server marks
    // its events `personal`) is never the notebook's state.
    if ((event.data as { personal?: boolean }).personal) return;
    this.runs = reduce(this.runs, event);
    if (this.workspace) this.runtime?.sync(this.workspace.cells, this.runs);
    if (event.type === 'workspace.changed') {
      // A change of who may do what comes with no new version: the role shown may be stale.
      if (!this.workspace || event.data.version > this.workspace.version || event.data.reason === 'access') this.scheduleRefetch();
    } else if (this.workspace && !this.workspace.cells.some((c) => c.id === event.data.cellId)) {
      this.scheduleRefetch();
    }
  }

  private scheduleRefetch(): void {
    if (this.refetchTimer) return;
    this.refetchTimer = setTimeout(() => {
      this.refetchTimer = null;
      void this.refetch();
    }, REFETCH_DEBOUNCE_MS);
  }

  /** One refetch at a time; changes during one trigger exactly one more. */
  private async refetch(): Promise<void> {
    if (this.refetching) {
      this.refetchAgain = true;
      return this.refetching;
    }
    const id = this.workspaceId;
    this.refetching = (async () => {
      try {
        const ws = await api.workspace(id);
        if (id === this.workspaceId) this.apply(ws);
      } catch (err) {
        // A refetch racing the stream's end must not replace why access ended.
        if (err instanceof ApiError && err.status === 404 && !this.loadError) this.loadError = 'This workspace was deleted.';
      } finally {
        this.refetching = null;
        if (this.refetchAgain) {
          this.refetchAgain = false;
          void this.refetch();
        }
      }
    })();
    return this.refetching;
  }

  override render() {
    if (this.loadError) return html`<p class="error-text" role="alert">${this.loadError}</p><p><a href="/">Back to workspaces</a></p>`;
    const ws = this.workspace;
    if (!ws) return html`<p class="empty">Loading…</p>`;
    const names = ws.cells.map((c) => c.name);
    // What each cell's table holds, from its result (an upload's or a profile's columns).
    const columnsByCell: Record<string, string[]> = {};
    for (const c of ws.cells) {
      const columns = (this.runs[c.id]?.result as { columns?: { name?: unknown }[] } | null)?.columns;
      if (Array.isArray(columns)) columnsByCell[c.name] = columns.map((x) => String(x?.name));
    }
    const readOnly = ws.role === 'view';
    const checks = this.checksOf(ws.cells);
    const acceptsFile = new Map(this.kinds.map((k) => [k.kind, Boolean(k.acceptsFile)]));
    return html`
      <div class="top">
        <textarea class="title" rows="1" aria-label="Workspace title" data-testid="workspace-title" .value=${ws.title} maxlength="200" ?readonly=${readOnly}
               @change=${this.saveTitle} @input=${fitTitle}
               @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); (e.target as HTMLTextAreaElement).blur(); } }}></textarea>
        <span class="live ${this.stream}" title="Live updates"><span class="dot"></span>${this.stream === 'open' ? 'live' : this.stream === 'closed' ? 'offline' : this.stream === 'reconnecting' ? 'reconnecting…' : 'connecting…'}</span>
        ${readOnly ? html`<span class="badge" data-testid="read-only" title="You can read and watch this workspace; its owner has not let you change it">view only</span>`
          : this.renderRunStale(ws.cells)}
        <a class="button" href="/w/${encodeURIComponent(ws.id)}/present" data-testid="open-present" title="The notebook laid out for reading: no editors, ready to print">Present</a>
        ${ws.canShare ? html`<assay-share-dialog .workspace=${ws}></assay-share-dialog>` : nothing}
        <assay-run-bar .workspaceId=${ws.id} .cells=${ws.cells} .fileKinds=${new Set([...acceptsFile].filter(([, takes]) => takes).map(([k]) => k))} .readOnly=${readOnly}></assay-run-bar>
      </div>
      ${this.titleError ? html`<p class="error-text" role="alert">${this.titleError}</p>` : nothing}
      ${this.renderFailingRules(ws.cells)}
      ${ws.cells.length === 0 ? html`<p class="empty">No cells yet. Add an upload cell to bring in a CSV.</p>` : nothing}
      <div class="cells" @cell-changed=${this.onCellChanged} @upload-outcome=${this.onUploadOutcome} @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        ${repeat(ws.cells, (c) => c.id, (c, i) => html`
          <assay-cell .readOnly=${readOnly} .index=${i} .count=${ws.cells.length} .workspaceId=${ws.id} .versions=${this.versions} .cell=${c} .run=${this.runs[c.id] ?? emptyRun} .graph=${this.graph[c.id] ?? null} .cellNames=${names} .columnsByCell=${columnsByCell}
                      .readers=${ws.cells.filter((r) => r.inputs?.includes(c.name)).map((r) => r.name)}
                      .checks=${checks}
                      ?acceptsFile=${acceptsFile.get(c.kind) ?? false}></assay-cell>`)}
      </div>
      ${readOnly ? nothing : html`<form class="add" @submit=${this.addCell}>
        <span class="label">Add a cell</span>
        <select data-testid="add-cell-kind" aria-label="Kind of the new cell" .value=${this.addKind} @change=${this.onKindChange}>
          ${this.kinds.map((k) => html`<option value=${k.kind} ?selected=${k.kind === this.addKind}>${k.kind}</option>`)}
        </select>
        <input data-testid="add-cell-name" aria-label="Name of the new cell" .value=${this.addName} placeholder="name"
               @input=${(e: Event) => { this.addName = (e.target as HTMLInputElement).value; this.addNameTouched = true; }}>
        <button class="primary" type="submit" data-testid="add-cell-submit" ?disabled=${this.adding || !this.addKind}>Add cell</button>
        ${this.addError ? html`<span class="error-text" role="alert">${this.addError}</span>` : nothing}
      </form>`}
    `;
  }

  private onKindChange = (e: Event) => {
    this.addKind = (e.target as HTMLSelectElement).value;
    if (!this.addNameTouched) this.addName = defaultCellName(this.addKind, this.workspace?.cells.map((c) => c.name) ?? []);
  };

  private addCell = async (e: SubmitEvent) => {
    e.preventDefault();
    const ws = this.workspace;
    const kind = this.kinds.find((k) => k.kind === this.addKind);
    if (!ws || !kind) return;
    const name = this.addName.trim() || defaultCellName(kind.kind, ws.cells.map((c) => c.name));
    this.adding = true;
    this.addError = '';
    try {
      const tables = new Set(this.kinds.filter((k) => k.producesTable).map((k) => k.kind));
      const previous = ws.cells.filter((c) => tables.has(c.kind)).at(-1)?.name;
      await api.addCell(ws.id, { kind: kind.kind, name, config: starterFor(kind.starterConfig, previous) });
      this.addNameTouched = false;
      await this.refetch();
      this.addName = defaultCellName(this.addKind, this.workspace?.cells.map((c) => c.name) ?? []);
    } catch (err) {
      this.addError = err instanceof Error ? err.message : String(err);
    } finally {
      this.adding = false;
    }
  };

  private saveTitle = async (e: Event) => {
    const input = e.target as HTMLTextAreaElement;
    const ws = this.workspace;
    // One line: a pasted line break is a space.
    const title = input.value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (!ws || title === ws.title) return;
    if (!title) {
      input.value = ws.title;
      return;
    }
    this.titleError = '';
    try {
      this.apply(await api.renameWorkspace(ws.id, title, await this.versions.toSend()));
      document.title = `${title} · Assay`;
    } catch (err) {
      this.titleError = err instanceof Error ? err.message : String(err);
      // On a conflict the typed title stays, to be saved again over the other change.
      if (isConflict(err)) {
        this.versions.refused();
        this.scheduleRefetch();
      } else input.value = ws.title;
    }
  };

  /**
   * A cell's own change: the page now stands at the version it made, so the next change from
   * this page is not refused as stale before the refetch lands.
   */
  private onCellChanged = (e: CustomEvent<{ workspaceVersion?: number }>) => {
    const version = e.detail?.workspaceVersion;
    if (this.workspace && typeof version === 'number' && version === this.workspace.version + 1) {
      this.workspace = { ...this.workspace, version };
      this.versions.show(version);
    }
    this.scheduleRefetch();
  };

  private onUploadOutcome = (e: CustomEvent<{ cell: string; message: string | null }>) => {
    const { cell, message } = e.detail;
    const { [cell]: _gone, ...others } = this.uploadRefusals;
    this.uploadRefusals = message ? { ...others, [cell]: message } : others;
  };

  /** The cell under a dragged cell, and whether it would land before or after it. */
  private dropTarget(e: DragEvent): { el: HTMLElement; index: number; after: boolean } | null {
    const el = e.composedPath().find((n) => (n as HTMLElement).tagName === 'ASSAY-CELL') as (HTMLElement & { index: number }) | undefined;
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return { el, index: el.index, after: e.clientY > box.top + box.height / 2 };
  }

  private clearDropMarks(): void {
    for (const el of this.renderRoot.querySelectorAll('assay-cell[data-drop]')) el.removeAttribute('data-drop');
  }

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes(CELL_DRAG_TYPE)) return;
    const target = this.dropTarget(e);
    if (!target) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    this.clearDropMarks();
    target.el.setAttribute('data-drop', target.after ? 'after' : 'before');
  };

  private onDragLeave = (e: DragEvent) => {
    if (!(e.relatedTarget instanceof Node) || !this.renderRoot.contains(e.relatedTarget)) this.clearDropMarks();
  };

  private onDrop = async (e: DragEvent) => {
    const id = e.dataTransfer?.getData(CELL_DRAG_TYPE);
    const target = this.dropTarget(e);
    this.clearDropMarks();
    const ws = this.workspace;
    if (!id || !target || !ws) return;
    e.preventDefault();
    const from = ws.cells.findIndex((c) => c.id === id);
    if (from < 0) return;
    // Positions count the list without the moved cell.
    let to = target.index + (target.after ? 1 : 0);
    if (from < to) to--;
    if (to === from) return;
    try {
      const saved = await api.updateCell(ws.id, id, { position: to, version: await this.versions.toSend() });
      this.onCellChanged(new CustomEvent('cell-changed', { detail: { workspaceVersion: saved.workspaceVersion } }));
    } catch (err) {
      this.titleError = `The cell was not moved: ${err instanceof Error ? err.message : String(err)}`;
      if (isConflict(err)) this.versions.refused();
      this.scheduleRefetch();
    }
  };

  /** Enabled only when a cell is not current (failed, stale or cancelled), with how many. */
  private renderRunStale(cells: { id: string }[]) {
    const waiting = cells.filter((c) => NOT_CURRENT.has(this.runs[c.id]?.status ?? '')).length;
    return html`<button data-testid="run-stale" ?disabled=${waiting === 0} @click=${this.runStale}
        title=${waiting ? `Run the ${waiting} cell${waiting === 1 ? '' : 's'} that failed, went stale or were cancelled` : 'Nothing to run: every cell is current'}>
        Run stale${waiting ? ` (${waiting})` : ''}</button>
      ${this.runNote ? html`<span class="run-note" data-testid="run-note" role="status">${this.runNote}</span>` : nothing}`;
  }

  private runStale = async () => {
    if (!this.workspace) return;
    try {
      const { runId } = await api.runStale(this.workspace.id);
      this.runNote = runId ? 'Running…' : 'Nothing to run: every cell is current';
      setTimeout(() => { this.runNote = ''; }, 4000);
    } catch (err) {
      this.titleError = err instanceof Error ? err.message : String(err);
    }
  };

  override updated(): void {
    if (this.workspace) document.title = `${this.workspace.title} · Assay`;
    const title = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea.title');
    if (title && !FIELD_SIZING) {
      fitTitle({ target: title });
      // A narrower screen wraps the title onto more lines.
      if (!this.titleSizer) (this.titleSizer = new ResizeObserver(() => fitTitle({ target: title }))).observe(title);
    }
  }

  private lastChecks: NotebookCheck[] = [];
  /** Refits the title on a resize, where the browser has no field-sizing. */
  private titleSizer: ResizeObserver | null = null;

  /**
   * The finished results of the check cells (KindFace.checks), with the table each checks: a
   * view may weigh them (a profile's score has a rules part). The same array while nothing in
   * it changed, so views re-render only when a check's result does.
   */
  private checksOf(cells: { name: string; kind: string; id: string; inputs?: string[] }[]): NotebookCheck[] {
    const next = cells.flatMap((c) => {
      const run = this.runs[c.id];
      return faceOf(c.kind)?.checks && run?.status === 'done' ? [{ name: c.name, input: c.inputs?.[0], result: run.result }] : [];
    });
    const same = next.length === this.lastChecks.length && next.every((n, i) => {
      const o = this.lastChecks[i]!;
      return o.name === n.name && o.input === n.input && o.result === n.result;
    });
    if (!same) this.lastChecks = next;
    return this.lastChecks;
  }

  /** Failing rules of every rule cell, at the top of the workspace: what needs attention first. */
  private renderFailingRules(cells: { id: string; name: string; kind: string }[]) {
    const failing: { cell: string; id: string; rule: string; status: string; message: string }[] = [];
    for (const c of cells) {
      const problems = faceOf(c.kind)?.problems;
      const result = this.runs[c.id]?.result;
      for (const p of problems && result ? problems(result) : []) {
        if (p.status === 'fail' || p.status === 'error') failing.push({ cell: c.name, id: c.id, rule: p.item, status: p.status, message: p.message ?? '' });
      }
    }
    // A refused upload is said here too: its cell kept its old file, so nothing else would tell.
    // Refused on arrival (this page's answer) or failed in its run and handed back (the cell's reason, from the server).
    const handedBack = cells.flatMap((c) => {
      const reason = this.runs[c.id]?.status === 'done' ? this.runs[c.id]?.reason : null;
      return reason?.code === 'file_refused' ? [[c.name, reason.message] as [string, string]] : [];
    });
    const refused = [...new Map([...handedBack, ...Object.entries(this.uploadRefusals)])].filter(([name]) => cells.some((c) => c.name === name));
    if (!failing.length && !refused.length) return nothing;
    const heads = [
      failing.length ? `${failing.length} rule${failing.length === 1 ? '' : 's'} failing` : '',
      refused.length ? `${refused.length} upload${refused.length === 1 ? '' : 's'} refused` : '',
    ].filter(Boolean).join(' · ');
    const open = (name: string) => this.renderRoot.querySelector(`[data-cell-name="${CSS.escape(name)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    return html`
      <section class="failing-rules" data-testid="failing-rules" role="status">
        <strong>${heads}</strong>
        <ul>${refused.map(([cell, message]) => html`
          <li data-testid="upload-refused"><button class="link" @click=${() => open(cell)}>${cell}</button> · <b>upload refused</b> <span class="muted">${message}</span></li>`)}${failing.slice(0, 8).map((f) => html`
          <li><button class="link" @click=${() => open(f.cell)}>${f.cell}</button> · <b>${f.rule}</b> <span class="st ${f.status}">${f.status}</span> <span class="muted">${f.message}</span></li>`)}
          ${failing.length > 8 ? html`<li class="muted">and ${failing.length - 8} more</li>` : nothing}
        </ul>
      </section>`;
  }
}

customElements.define('assay-notebook', NotebookPage);

declare global {
  interface HTMLElementTagNameMap {
    'assay-notebook': NotebookPage;
  }
}
