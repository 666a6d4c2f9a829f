// <assay-result-view>: a cell's result shown by its kind's own view (cells/views.ts), read-only;
// a kind without a view is shown as JSON.
import { html, LitElement } from 'lit';
import type { GridLoader } from '../../cells/kit/data-grid.ts';
import { viewTagFor } from '../../cells/views.ts';

type ViewElement = HTMLElement & { result?: unknown; tableLoader?: GridLoader | null; readOnly?: boolean; cellName?: string };

export class ResultView extends LitElement {
  static properties = { kind: { attribute: false }, result: { attribute: false }, tableLoader: { attribute: false }, readOnly: { attribute: false }, cellName: { attribute: false } };

  declare kind: string;
  declare result: unknown;
  /** Pages through the whole table of a kind that makes one (the presentation view); without it the preview is all. */
  declare tableLoader: GridLoader | null | undefined;
  /** No control that would change the notebook (the presentation view, for anyone). */
  declare readOnly: boolean | undefined;
  /** The cell's name, for a view that shows it (an input's widget, when its config gives no label). */
  declare cellName: string | undefined;
  private view: ViewElement | null = null;
  private viewKind = '';

  override render() {
    if (!viewTagFor(this.kind)) return html`<pre>${JSON.stringify(this.result, null, 2)}</pre>`;
    return html`<div class="slot"></div>`;
  }

  override updated(): void {
    const tag = viewTagFor(this.kind);
    const slot = this.renderRoot.querySelector('.slot');
    if (!tag || !slot) return;
    if (!this.view || this.viewKind !== this.kind) {
      this.view = document.createElement(tag) as ViewElement;
      this.viewKind = this.kind;
      slot.replaceChildren(this.view);
    }
    this.view.result = this.result;
    if (this.tableLoader !== undefined) this.view.tableLoader = this.tableLoader;
    if (this.readOnly !== undefined) this.view.readOnly = this.readOnly;
    if (this.cellName !== undefined) this.view.cellName = this.cellName;
  }
}

customElements.define('assay-result-view', ResultView);

declare global {
  interface HTMLElementTagNameMap { 'assay-result-view': ResultView }
}
