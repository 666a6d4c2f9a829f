// <assay-data-grid>: a table of any size. Only the rows and columns in view are in the DOM
// (a few dozen cells whatever the table's shape), and the data arrives from the server in
// blocks of rows × columns as they scroll into view; sorting and filtering run on the
// server over the whole table. Every value is bound as text, never as HTML.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { PageQuery } from '../wire.ts';
import { formatCount, formatValue, valueFormatFor } from './format.ts';

/** A block's query: the server's page query (rows, a window of columns, sort, filters). */
export type GridQuery = PageQuery;

export interface GridPage { total: number; rowNumbers: number[]; rows: unknown[][] }

export type GridLoader = (query: GridQuery, signal: AbortSignal) => Promise<GridPage>;

const ROW_H = 26;
const COL_W = 156;
const NUM_W = 64;
const HEAD_H = 56;
const MAX_H = 420;
const ROW_BLOCK = 100;
const COL_BLOCK = 40;
/** Rows and columns drawn beyond the edges, so a short scroll shows no gap. */
const OVERSCAN_ROWS = 8;
const OVERSCAN_COLS = 2;
const FILTER_DEBOUNCE_MS = 250;
const NUMERIC = new Set(['integer', 'float', 'int', 'number', 'decimal']);

interface Block { rowNumbers: number[]; rows: unknown[][] }

export class DataGrid extends LitElement {
  static properties = {
    columns: { attribute: false },
    total: { attribute: false },
    seed: { attribute: false },
    loader: { attribute: false },
    sort: { state: true },
    filters: { state: true },
    matching: { state: true },
    view: { state: true },
    loadError: { state: true },
    version: { state: true },
  };

  static styles = css`
    :host { display: block; font-size: 12px; font-variant-numeric: tabular-nums; }
    .bar { display: flex; gap: 12px; align-items: baseline; margin: 0 0 6px; color: var(--muted); }
    .bar button { font: inherit; font-size: 12px; background: none; border: none; color: var(--link); cursor: pointer; padding: 0; }
    .viewport { position: relative; overflow: auto; border: 1px solid var(--border); border-radius: 6px; background: var(--surface); outline: none; }
    .viewport:focus-visible { box-shadow: 0 0 0 3px var(--focus-ring); }
    .canvas { position: relative; }
    .head { position: sticky; top: 0; z-index: 2; height: ${HEAD_H}px; background: var(--surface-2); border-bottom: 1px solid var(--border-strong); }
    .hcell, .cell { position: absolute; top: 0; width: ${COL_W}px; box-sizing: border-box; padding: 0 8px; overflow: hidden; text-overflow: ellipsis; white-space: pre; }
    .hcell { height: ${HEAD_H}px; display: flex; flex-direction: column; justify-content: center; gap: 3px; border-right: 1px solid var(--border); }
    .hcell button { all: unset; cursor: pointer; font-weight: 600; color: var(--fg); overflow: hidden; text-overflow: ellipsis; white-space: pre; }
    .hcell button:focus-visible { outline: 2px solid var(--accent); }
    .hcell .type { color: var(--muted); font-family: var(--mono); font-size: 10px; font-weight: 400; margin-left: 4px; }
    .hcell input { width: 100%; box-sizing: border-box; font: inherit; font-size: 11px; padding: 1px 4px; border: 1px solid var(--border); border-radius: 4px; background: var(--surface); color: var(--fg); }
    .row { position: absolute; left: 0; height: ${ROW_H}px; border-bottom: 1px solid var(--border); }
    .cell { line-height: ${ROW_H}px; }
    .cell.num { text-align: right; }
    .cell.null { color: var(--muted); font-style: italic; }
    .cell.loading { color: var(--border-strong); }
    .rownum, .corner { position: sticky; left: 0; z-index: 1; width: ${NUM_W}px; box-sizing: border-box; padding: 0 8px; text-align: right; color: var(--muted); background: var(--surface-2); border-right: 1px solid var(--border); }
    .rownum { display: block; height: ${ROW_H}px; line-height: ${ROW_H}px; }
    .corner { display: flex; align-items: center; justify-content: flex-end; height: ${HEAD_H}px; z-index: 3; }
    .error { color: var(--error-fg); }
  `;

  /** Every column of the table, in order. */
  declare columns: { name: string; type?: string }[];
  /** Rows in the table. */
  declare total: number;
  /** The first rows, every column, to show before the server answers (an upload's preview). */
  declare seed: unknown[][] | null;
  /** Reads a block; null: only the seed is shown. */
  declare loader: GridLoader | null;
  declare sort: { column: number; descending: boolean } | null;
  declare filters: ReadonlyMap<number, string>;
  /** Rows matching the filters, once the server said; null while unknown. */
  declare matching: number | null;
  declare view: { top: number; left: number; height: number; width: number };
  declare loadError: string;
  /** Bumped when a block arrives, to re-render. */
  declare version: number;

  private blocks = new Map<string, Block | 'loading'>();
  private aborts = new Set<AbortController>();
  private frame = 0;
  private filterTimer: ReturnType<typeof setTimeout> | null = null;
  /** Filter text typed but not applied yet. */
  private typed = new Map<number, string>();
  private resize: ResizeObserver | null = null;
  private shape = '';
  /** Each column's value format: years, codes and ids without group separators (judged by name and the seed's values). */
  private formats: ((v: unknown) => string)[] = [];

  constructor() {
    super();
    this.columns = [];
    this.total = 0;
    this.seed = null;
    this.loader = null;
    this.sort = null;
    this.filters = new Map();
    this.matching = null;
    this.view = { top: 0, left: 0, height: MAX_H, width: 800 };
    this.loadError = '';
    this.version = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize = new ResizeObserver(() => this.measure());
    this.updateComplete.then(() => {
      const vp = this.viewport;
      if (vp) this.resize?.observe(vp);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.resize = null;
    this.reset();
    cancelAnimationFrame(this.frame);
    if (this.filterTimer) clearTimeout(this.filterTimer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // A new table (another run, or other columns) starts from nothing; the same columns handed in again do not.
    const shape = this.columns.map((c) => c.name).join('\u0000');
    if (changed.has('loader') || shape !== this.shape) {
      this.shape = shape;
      this.reset();
    }
    if (changed.has('columns') || changed.has('seed')) {
      this.formats = this.columns.map((c, j) => valueFormatFor({ name: c.name, values: this.seed?.map((row) => row[j]) }));
    }
  }

  private get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector('.viewport');
  }

  private get queried(): boolean {
    return this.sort !== null || this.filters.size > 0;
  }

  /** Rows the grid scrolls through: the matching ones once known. */
  private get rowCount(): number {
    if (!this.loader) return this.seed?.length ?? 0;
    return this.queried ? this.matching ?? 0 : this.total;
  }

  private reset(): void {
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
    this.blocks.clear();
    this.matching = null;
    this.loadError = '';
  }

  private onScroll = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.measure());
  };

  private measure(): void {
    const vp = this.viewport;
    if (!vp) return;
    const next = { top: vp.scrollTop, left: vp.scrollLeft, height: vp.clientHeight, width: vp.clientWidth };
    const v = this.view;
    if (next.top !== v.top || next.left !== v.left || next.height !== v.height || next.width !== v.width) this.view = next;
  }

  private visible() {
    const { top, left, height, width } = this.view;
    const r0 = Math.max(0, Math.floor((top - 0) / ROW_H) - OVERSCAN_ROWS);
    const r1 = Math.min(this.rowCount, Math.ceil((top + height) / ROW_H) + OVERSCAN_ROWS);
    const c0 = Math.max(0, Math.floor(left / COL_W) - OVERSCAN_COLS);
    const c1 = Math.min(this.columns.length, Math.ceil((left + width) / COL_W) + OVERSCAN_COLS);
    return { r0, r1, c0, c1 };
  }

  /** The value at (row, column) and the row's number in the file, or undefined while loading. */
  private value(row: number, column: number): { n: number; v: unknown } | undefined {
    if (!this.queried && this.seed && row < this.seed.length) return { n: row + 1, v: this.seed[row]?.[column] };
    const block = this.blocks.get(`${Math.floor(row / ROW_BLOCK)}:${Math.floor(column / COL_BLOCK)}`);
    if (!block || block === 'loading') return undefined;
    const i = row % ROW_BLOCK;
    return i < block.rows.length ? { n: block.rowNumbers[i]!, v: block.rows[i]![column % COL_BLOCK] } : undefined;
  }

  private rowNumber(row: number, c0: number): number | undefined {
    if (!this.queried) return row + 1;
    for (let c = c0; c < Math.max(c0 + 1, this.columns.length); c += COL_BLOCK) {
      const hit = this.value(row, c);
      if (hit) return hit.n;
    }
    return undefined;
  }

  override updated(): void {
    this.fetchVisible();
  }

  /** Asks for the blocks in view that are neither here nor on their way. */
  private fetchVisible(): void {
    const loader = this.loader;
    if (!loader) return;
    const { r0, r1, c0, c1 } = this.visible();
    // Before the first answer to a query the row count is unknown: ask for the first block.
    const lastRow = this.queried && this.matching === null ? ROW_BLOCK : r1;
    const seeded = !this.queried && this.seed ? this.seed.length : 0;
    for (let rb = Math.floor(r0 / ROW_BLOCK); rb * ROW_BLOCK < Math.max(lastRow, 1); rb++) {
      // The seed covers the whole first block only when it is a full block of every column.
      if ((rb + 1) * ROW_BLOCK <= seeded) continue;
      for (let cb = Math.floor(c0 / COL_BLOCK); cb * COL_BLOCK < Math.max(c1, 1); cb++) {
        const key = `${rb}:${cb}`;
        if (this.blocks.has(key)) continue;
        this.blocks.set(key, 'loading');
        void this.load(loader, rb, cb, key);
      }
    }
  }

  private async load(loader: GridLoader, rb: number, cb: number, key: string): Promise<void> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const query: GridQuery = {
      offset: rb * ROW_BLOCK,
      limit: ROW_BLOCK,
      from: cb * COL_BLOCK,
      to: Math.min(this.columns.length, (cb + 1) * COL_BLOCK),
      ...(this.sort ? { sort: this.sort } : {}),
      filters: [...this.filters].map(([column, text]) => ({ column, text })),
    };
    try {
      const page = await loader(query, abort.signal);
      if (abort.signal.aborted) return;
      this.blocks.set(key, { rowNumbers: page.rowNumbers, rows: page.rows });
      if (this.queried) this.matching = page.total;
      this.loadError = '';
      this.version++;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.blocks.delete(key);
      this.loadError = err instanceof Error ? err.message : String(err);
    } finally {
      this.aborts.delete(abort);
    }
  }

  private toggleSort(column: number): void {
    const s = this.sort;
    this.sort = !s || s.column !== column ? { column, descending: false } : !s.descending ? { column, descending: true } : null;
    this.requery();
  }

  private onFilterInput(column: number, text: string): void {
    this.typed.set(column, text);
    if (this.filterTimer) clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filterTimer = null;
      const next = new Map(this.filters);
      for (const [c, t] of this.typed) {
        if (t.trim()) next.set(c, t.trim());
        else next.delete(c);
      }
      this.typed.clear();
      this.filters = next;
      this.requery();
    }, FILTER_DEBOUNCE_MS);
  }

  private clearFilters = () => {
    this.typed.clear();
    this.filters = new Map();
    this.sort = null;
    this.requery();
  };

  private requery(): void {
    this.reset();
    const vp = this.viewport;
    if (vp) vp.scrollTop = 0;
    this.view = { ...this.view, top: 0 };
  }

  override render() {
    const cols = this.columns;
    const rowCount = this.rowCount;
    const width = NUM_W + cols.length * COL_W;
    const height = HEAD_H + rowCount * ROW_H;
    const { r0, r1, c0, c1 } = this.visible();
    const shownCols: number[] = [];
    for (let c = c0; c < c1; c++) shownCols.push(c);
    const rows: number[] = [];
    for (let r = r0; r < r1; r++) rows.push(r);
    const numeric = (c: number) => NUMERIC.has(String(cols[c]?.type ?? ''));
    return html`
      <div class="bar" data-testid="grid-status">
        <span>${this.queried
          ? this.matching === null ? 'Searching…' : `${formatCount(this.matching)} of ${formatCount(this.total)} rows match`
          : `${formatCount(this.loader ? this.total : rowCount)} rows × ${formatCount(cols.length)} columns`}</span>
        ${this.queried ? html`<button @click=${this.clearFilters} data-testid="grid-clear">Clear sort and filters</button>` : nothing}
        ${this.loadError ? html`<span class="error" role="alert">${this.loadError}</span>` : nothing}
      </div>
      <div class="viewport" tabindex="0" role="grid" aria-rowcount=${rowCount + 1} aria-colcount=${cols.length + 1}
           style="height: ${Math.min(MAX_H, height + 16)}px" @scroll=${this.onScroll}>
        <div class="canvas" style="width: ${width}px; height: ${height}px">
          <div class="head" role="row" style="width: ${width}px">
            <span class="corner">#</span>
            ${shownCols.map((c) => this.renderHead(c))}
          </div>
          ${rows.map((r) => {
            const n = this.rowNumber(r, c0);
            return html`
              <div class="row" role="row" aria-rowindex=${r + 2} style="top: ${HEAD_H + r * ROW_H}px; width: ${width}px">
                <span class="rownum">${n === undefined ? '' : formatCount(n)}</span>
                ${shownCols.map((c) => {
                  const hit = this.value(r, c);
                  const style = `left: ${NUM_W + c * COL_W}px`;
                  if (!hit) return html`<span class="cell loading" role="gridcell" style=${style}>…</span>`;
                  if (hit.v === null || hit.v === undefined) return html`<span class="cell null" role="gridcell" style=${style}>null</span>`;
                  const text = (this.formats[c] ?? formatValue)(hit.v);
                  return html`<span class="cell ${numeric(c) ? 'num' : ''}" role="gridcell" style=${style} title=${text}>${text}</span>`;
                })}
              </div>`;
          })}
        </div>
      </div>
    `;
  }

  private renderHead(c: number) {
    const col = this.columns[c]!;
    const sorted = this.sort?.column === c ? (this.sort.descending ? ' ↓' : ' ↑') : '';
    const canQuery = this.loader !== null;
    return html`
      <div class="hcell" role="columnheader" aria-colindex=${c + 2} style="left: ${NUM_W + c * COL_W}px"
           aria-sort=${this.sort?.column === c ? (this.sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button title=${canQuery ? `Sort by ${col.name}` : col.name} ?disabled=${!canQuery} @click=${() => this.toggleSort(c)}
                data-testid="grid-sort" data-column=${col.name}>${col.name}${sorted}<span class="type">${col.type ?? ''}</span></button>
        ${canQuery ? html`<input aria-label=${`Filter ${col.name}`} placeholder="filter" data-testid="grid-filter" data-column=${col.name}
                              .value=${this.typed.get(c) ?? this.filters.get(c) ?? ''}
                              @input=${(e: Event) => this.onFilterInput(c, (e.target as HTMLInputElement).value)}>` : nothing}
      </div>`;
  }
}

customElements.define('assay-data-grid', DataGrid);

declare global {
  interface HTMLElementTagNameMap {
    'assay-data-grid': DataGrid;
  }
}
