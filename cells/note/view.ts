// <assay-note-view>: a note as its run rendered it (Markdown to HTML on the server, values as
// escaped text), held once more to a note's tags by noteFragment. Usable alone (run pages, the
// presentation view): it needs only `.result`.
import { css, html, LitElement, nothing } from 'lit';
import { viewStyles } from '../kit/view-styles.ts';
import type { NoteResult } from './face.ts';
import { noteFragment } from './view-sanitize.ts';

export class NoteView extends LitElement {
  static properties = { result: { attribute: false }, partial: { attribute: false } };
  static styles = [viewStyles, css`
    :host { font-size: 14px; line-height: 1.55; }
    .note > :first-child { margin-top: 0; }
    .note > :last-child { margin-bottom: 0; }
    h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 16px 0 8px; font-weight: 650; }
    h1 { font-size: 22px; } h2 { font-size: 18px; } h3 { font-size: 16px; } h4, h5, h6 { font-size: 14px; }
    p, ul, ol, blockquote, pre, table { margin: 8px 0; }
    a { color: var(--accent); }
    code { font-family: var(--mono); font-size: 12.5px; background: var(--surface-2); border-radius: 4px; padding: 1px 4px; }
    pre { background: var(--surface-2); border-radius: 6px; padding: 8px 10px; overflow: auto; }
    pre code { background: none; padding: 0; }
    blockquote { border-left: 3px solid var(--border-strong, var(--border)); margin-left: 0; padding-left: 12px; color: var(--muted); }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; }
    th { background: var(--surface-2); }
    li.task-list-item { list-style: none; margin-left: -1.3em; }
    img { max-width: 100%; }
    .live { font-variant-numeric: tabular-nums; font-weight: 600; background: var(--accent-soft); border-radius: 4px; padding: 0 3px; }
    @media print { .live { background: none; } }
  `];

  declare result: NoteResult | null;
  declare partial: boolean;

  constructor() {
    super();
    this.result = null;
    this.partial = false;
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object' || typeof r.html !== 'string') return nothing;
    return html`<div class="note" data-testid="note">${noteFragment(r.html)}</div>`;
  }
}

customElements.define('assay-note-view', NoteView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-note-view': NoteView;
  }
}
