// <assay-transform-view>: the table a transform cell made, shown as a query's table is (the sql
// view, its shared grid and its paging), with the steps that made it in the shape line.
import { html } from 'lit';
import { plural } from '../kit/format.ts';
import { SqlView } from '../sql/view.ts';

export class TransformView extends SqlView {
  override render() {
    const r = this.result as (typeof this.result & { steps?: unknown }) | null;
    const steps = r && Array.isArray(r.steps) ? (r.steps as string[]) : [];
    if (!steps.length) return super.render();
    return html`${super.render()}<p class="muted" data-testid="transform-steps">${plural(steps.length, 'step')}: ${steps.join(' → ')}</p>`;
  }
}

customElements.define('assay-transform-view', TransformView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-transform-view': TransformView;
  }
}
