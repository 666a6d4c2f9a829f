// <assay-transform-view>: the table a transform cell made, shown as a query's table is (the
// shared grid of cells/kit/table-preview.ts), under the steps that made it.
import { html, LitElement, nothing } from 'lit';
import { plural } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';
import '../kit/table-preview.ts';
import type { GridLoader } from '../kit/data-grid.ts';
import type { TableShape } from '../kit/table-preview.ts';

export class TransformView extends LitElement {
  static properties = { result: { attribute: false }, partial: { attribute: false }, tableLoader: { attribute: false } };
  static styles = [viewStyles];

  declare result: (TableShape & { steps?: string[] }) | null;
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
    const steps = Array.isArray(r.steps) ? r.steps : [];
    return html`
      <p class="muted" data-testid="transform-shape">${typeof r.rows === 'number' ? plural(r.rows, 'row') : 'computing rows'} × ${plural(columns.length, 'column')}${steps.length ? ` · ${plural(steps.length, 'step')}: ${steps.join(' → ')}` : ''}</p>
      <assay-table-preview .table=${r} .loader=${this.tableLoader}></assay-table-preview>
    `;
  }
}

customElements.define('assay-transform-view', TransformView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-transform-view': TransformView;
  }
}
