// <assay-sql-view>: the table a sql cell made, shown as an upload's table is (the shared grid of
// cells/kit/table-preview.ts). Values are bound as text by Lit; nothing builds HTML from strings.
import { html, LitElement, nothing } from 'lit';
import { plural } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';
import '../kit/table-preview.ts';
import type { GridLoader } from '../kit/data-grid.ts';
import type { TableShape } from '../kit/table-preview.ts';

export class SqlView extends LitElement {
  static properties = { result: { attribute: false }, partial: { attribute: false }, tableLoader: { attribute: false } };
  static styles = [viewStyles];

  declare result: TableShape | null;
  declare partial: boolean;
  /** Reads the whole result by pages once the run is done; before, the preview is all there is. */
  declare tableLoader: GridLoader | null;

  constructor() {
    super();
    this.result = null;
    this.partial = false;
    this.tableLoader = null;
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object') return nothing;
    const columns = Array.isArray(r.columns) ? r.columns : [];
    return html`
      <p class="muted" data-testid="sql-shape">${typeof r.rows === 'number' ? plural(r.rows, 'row') : 'computing rows'} × ${plural(columns.length, 'column')}</p>
      <assay-table-preview .table=${r} .loader=${this.tableLoader}></assay-table-preview>
    `;
  }
}

customElements.define('assay-sql-view', SqlView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-sql-view': SqlView;
  }
}
