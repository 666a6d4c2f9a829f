// <assay-present>: a workspace laid out for reading (/w/:id/present). The cells in the
// notebook's order, each shown by its kind's own view (cells/views.ts, through
// <assay-result-view>), with no editor, YAML, toolbar or run control; sources and statistics
// (kinds whose face says `present: 'summary'`) as one line each at the top. It stays live:
// the workspace's events make it read the presentation again. An input's widget here sets the
// reader's own value: the notebook runs with it as their own run (only they see it, the
// notebook does not change), and the page says whose values it shows, with a way back.
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { presentAs } from '../../cells/face.ts';
import { faceOf } from '../../cells/views.ts';
import type { GridLoader } from '../../cells/kit/data-grid.ts';
import { api } from '../api.ts';
import { isActive, type CellStatus } from '../cell-state.ts';
import { openEventStream, type EventStream } from '../events.ts';
import { controlStyles } from '../ui/styles.ts';
import { loadFailure, streamEnded } from '../workspace-errors.ts';
import '../runs/result-view.ts';
import { presentApi, type PresentCell, type Presentation } from './api.ts';
import { headingOf } from './heading.ts';
import { presentStyles } from './styles.ts';

const REFETCH_DEBOUNCE_MS = 120;
/** While the caller's own run computes: its cells' events may not reach this stream, so look again. */
const PERSONAL_POLL_MS = 500;

export class PresentPage extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    doc: { state: true },
    loadError: { state: true },
    valueError: { state: true },
  };

  static styles = [controlStyles, presentStyles];

  declare workspaceId: string;
  declare doc: Presentation | null;
  declare loadError: string;
  /** Why the last value given was refused (the server's words, naming it). */
  declare valueError: string;

  private events: EventStream | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private loading: Promise<void> | null = null;
  private again = false;
  /** One grid loader per cell run, so a table keeps its loaded blocks across refetches. */
  private loaders = new Map<string, GridLoader>();

  constructor() {
    super();
    this.workspaceId = '';
    this.doc = null;
    this.loadError = '';
    this.valueError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.workspaceId && !this.events) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.events?.close();
    this.events = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async start(): Promise<void> {
    await this.refetch();
    if (!this.doc || !this.isConnected) return;
    this.events = openEventStream(this.workspaceId, {
      lastEventId: typeof this.doc.lastEventId === 'number' ? String(this.doc.lastEventId) : undefined,
      // A partial result or a progress step changes nothing a reader needs; outcomes and edits do.
      onEvent: (e) => { if (e.type !== 'cell.partial') this.schedule(REFETCH_DEBOUNCE_MS); },
      onHello: (hello) => { if (typeof hello.version === 'number' && hello.version !== this.doc?.version) this.schedule(0); },
      onState: (state, detail) => { if (state === 'closed') this.loadError = streamEnded(detail) ?? this.loadError; },
    });
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.refetch(); }, ms);
  }

  /** Reads the presentation; a call while one is in flight reads once more after it. */
  private async refetch(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        const doc = await presentApi.presentation(this.workspaceId);
        // An answer that raced an older one must not roll the page back.
        if (!this.doc || doc.version >= this.doc.version) this.doc = doc;
        document.title = `${doc.title} · Assay`;
        if (doc.cells.some((c) => c.personal && isActive(c.status as CellStatus))) this.schedule(PERSONAL_POLL_MS);
      } catch (err) {
        this.loadError = loadFailure(err, 'the presentation') ?? '';
      }
    })();
    try {
      await this.loading;
    } finally {
      this.loading = null;
    }
    if (this.again) {
      this.again = false;
      await this.refetch();
    }
  }

  /** The whole table of a result, by pages: the notebook's newest, or the caller's own run's. */
  private loaderOf(cell: PresentCell): GridLoader | null {
    if (!cell.runId) return null;
    const key = `${cell.id}:${cell.runId}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      const { workspaceId } = this;
      const runId = cell.personal ? cell.runId : undefined;
      loader = (q, signal) => api.rows(workspaceId, cell.id, q, signal, runId);
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /**
   * A view asks to change its cell's YAML (an input's widget, with the value it set): here that
   * is never the notebook's change, but the reader's own value, run as their own run with the
   * values they gave so far. The views are not read-only here for that reason.
   */
  private onConfigEdit(e: CustomEvent<{ value?: unknown }>, name: string): void {
    e.stopPropagation();
    if (e.detail && 'value' in e.detail) void this.onValue(name, e.detail.value);
  }

  private onValue = async (name: string, value: unknown) => {
    const doc = this.doc;
    if (!doc) return;
    this.valueError = '';
    try {
      await presentApi.setValues(doc.id, { ...doc.personal?.values, [name]: value });
    } catch (err) {
      this.valueError = err instanceof Error ? err.message : String(err);
    }
    await this.refetch();
  };

  private reset = async () => {
    if (!this.doc) return;
    this.valueError = '';
    try {
      await presentApi.resetValues(this.doc.id);
    } catch (err) {
      this.valueError = err instanceof Error ? err.message : String(err);
    }
    // The notebook's results again: the page's own ones are gone, so no older answer may stand.
    this.doc = null;
    await this.refetch();
  };

  /** Whose values the page shows: the reader's own (with the saved ones and a way back), or the notebook's. */
  private renderValues(doc: Presentation) {
    const error = this.valueError ? html`<p class="error-text" role="alert" data-testid="present-value-error">${this.valueError}</p>` : nothing;
    const list = (values: Record<string, unknown>) => Object.entries(values).map(([name, v], i) => html`${i ? ', ' : ''}<b>${name}</b> = ${shownValue(v)}`);
    if (doc.personal && Object.keys(doc.personal.values).length) {
      return html`<aside class="values yours-values" data-testid="present-values" data-whose="yours">
        <p>Your values: ${list(doc.personal.values)}. The notebook's saved values are ${list(doc.personal.saved)}.
          Only you see the results of yours; the notebook does not change.</p>
        <button class="no-print" data-testid="present-reset" @click=${this.reset}>Reset to the saved values</button>
        ${error}</aside>`;
    }
    if (!doc.parameters.length) return error;
    return html`<aside class="values no-print" data-testid="present-values" data-whose="saved">
      <p>The notebook's saved values. Change an input to see the notebook with a value of your own: only you see it, and the notebook does not change.</p>${error}</aside>`;
  }

  override render() {
    if (this.loadError) return html`<p class="error-text" role="alert" data-testid="present-error">${this.loadError}</p><p><a href="/">Your workspaces</a></p>`;
    const doc = this.doc;
    if (!doc) return html`<p class="empty">Loading…</p>`;
    const summary = doc.cells.filter((c) => presentAs(faceOf(c.kind), c.result) === 'summary');
    const blocks = doc.cells.filter((c) => presentAs(faceOf(c.kind), c.result) !== 'summary');
    const id = encodeURIComponent(doc.id);
    return html`
      <header class="doc">
        <h1 data-testid="present-title">${doc.title}</h1>
        <p class="byline">A notebook by ${doc.owner.email}</p>
        <div class="actions no-print">
          <a class="button" href="/w/${id}" data-testid="present-notebook">${doc.canEdit ? 'Edit the notebook' : 'Open the notebook'}</a>
          <button @click=${() => window.print()} data-testid="present-print" title="Your browser's print dialog: choose “Save as PDF” for a file">Print or save as PDF</button>
        </div>
      </header>
      ${this.renderValues(doc)}
      ${summary.length ? html`<ul class="sources" data-testid="present-sources">
        ${summary.map((c) => html`<li data-testid="present-source" data-cell=${c.name}><b>${c.name}</b>: ${this.summaryOf(c)}</li>`)}</ul>` : nothing}
      ${blocks.length ? nothing : html`<p class="empty">This notebook has nothing to present yet.</p>`}
      ${repeat(blocks, (c) => c.id, (c) => this.renderBlock(c))}
    `;
  }

  private summaryOf(cell: PresentCell): string {
    if (cell.status === 'done' && cell.result) return faceOf(cell.kind)?.summarize?.(cell.result) ?? 'ready';
    return this.stateLine(cell);
  }

  /** What a cell with no result to show says instead. */
  private stateLine(cell: PresentCell): string {
    if (cell.status === 'error') return `failed: ${cell.error?.message ?? 'an error'}`;
    if (cell.awaiting === 'file') return 'waiting for a file';
    if (cell.awaiting === 'config') return 'not written yet';
    if (cell.status === 'stale') return 'out of date: an input failed';
    if (isActive(cell.status as CellStatus)) return 'computing…';
    return 'not run yet';
  }

  private renderBlock(cell: PresentCell) {
    const bare = presentAs(faceOf(cell.kind), cell.result) === 'bare';
    const shown = cell.status === 'done' && cell.result !== null;
    return html`
      <section class="block" data-testid="present-cell" data-cell=${cell.name} data-kind=${cell.kind} data-status=${cell.status ?? ''} ?data-personal=${cell.personal}>
        ${bare ? nothing : html`<h2>${headingOf(cell.name)}${cell.personal ? html`<span class="yours no-print" title="Computed with your values">your values</span>` : nothing}</h2>`}
        ${shown
          ? html`<assay-result-view .kind=${cell.kind} .result=${cell.result} .tableLoader=${this.loaderOf(cell)} .cellName=${cell.name}
              @config-edit=${(e: CustomEvent<{ value?: unknown }>) => this.onConfigEdit(e, cell.name)}></assay-result-view>`
          : html`<p class=${cell.status === 'error' ? 'failed' : 'pending'} data-testid="present-state">${this.stateLine(cell)}</p>`}
      </section>`;
  }
}

/** A value as the banner names it: text quoted, the rest as written. */
function shownValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? `“${v}”` : String(v);
}

customElements.define('assay-present', PresentPage);

declare global {
  interface HTMLElementTagNameMap { 'assay-present': PresentPage }
}
