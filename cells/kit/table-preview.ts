// <assay-table-preview>: a table cell's rows in the data grid, as every kind that makes a table
// shows them (upload, sql): the preview's first rows at once, the rest read by pages from the
// cell's table once its run is done, and a note when long values of the preview were cut.
import { css, html, LitElement, nothing } from 'lit';
import { formatCount, plural } from './format.ts';
import { viewStyles } from './view-styles.ts';
import './data-grid.ts';
import type { GridLoader } from './data-grid.ts';

export interface TablePreview { columns: string[]; rows: (unknown[] | Record<string, unknown>)[]; cut?: { chars: number; cells: unknown[] } }

export interface TableShape {
  rows?: number | null;
  columns?: { name: string; type: string }[];
  preview?: TablePreview;
}

function cellText(row: unknown[] | Record<string, unknown>, index: number, column: string): unknown {
  return Array.isArray(row) ? row[index] : row?.[column];
}

export class TablePreviewView extends LitElement {
  static properties = { table: { attribute: false }, loader: { attribute: false } };

  static styles = [viewStyles, css`
    .cut { margin: 0 0 6px; font-size: 12px; color: var(--muted); }
  `];

  declare table: TableShape | null;
  declare loader: GridLoader | null;

  constructor() {
    super();
    this.table = null;
    this.loader = null;
  }

  override render() {
    const r = this.table;
    if (!r || typeof r !== 'object') return nothing;
    const columns = Array.isArray(r.columns) ? r.columns : [];
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const preview = r.preview && Array.isArray(r.preview.columns) ? r.preview : { columns: columns.map((c) => c.name), rows: [] };
    const rows = Array.isArray(preview.rows) ? preview.rows : [];
    const cut = preview.cut && Array.isArray(preview.cut.cells) && preview.cut.cells.length ? preview.cut : null;
    return html`
      ${cut ? html`<p class="cut" data-testid="preview-cut">
        ${plural(cut.cells.length, 'value')} in the first rows ${cut.cells.length === 1 ? 'is' : 'are'} cut to ${formatCount(cut.chars)} characters (…);
        the table holds ${cut.cells.length === 1 ? 'it' : 'them'} whole: sort or filter to read ${cut.cells.length === 1 ? 'it' : 'them'} from it.</p>` : nothing}
      <assay-data-grid data-testid="preview-table" .columns=${preview.columns.map((name) => ({ name, type: types.get(name) }))}
                       .total=${typeof r.rows === 'number' ? r.rows : rows.length} .loader=${this.loader}
                       .seed=${rows.map((row) => preview.columns.map((name, j) => cellText(row, j, name)))}></assay-data-grid>
    `;
  }
}

customElements.define('assay-table-preview', TablePreviewView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-table-preview': TablePreviewView;
  }
}
