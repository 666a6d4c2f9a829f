// <assay-result-view>: a cell's result shown by its kind's own view (cells/views.ts), read-only;
// a kind without a view is shown as JSON.
import { html, LitElement } from 'lit';
import { viewTagFor } from '../../cells/views.ts';

type ViewElement = HTMLElement & { result?: unknown };

export class ResultView extends LitElement {
  static properties = { kind: { attribute: false }, result: { attribute: false } };

  declare kind: string;
  declare result: unknown;
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
  }
}

customElements.define('assay-result-view', ResultView);

declare global {
  interface HTMLElementTagNameMap { 'assay-result-view': ResultView }
}
