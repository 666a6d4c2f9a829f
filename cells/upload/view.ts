// <assay-upload-view>: what an upload cell found in its CSV. Every value from the file is
// bound as text by Lit; nothing here builds HTML from strings.
import { css, html, LitElement, nothing } from 'lit';
import { formatBytes, formatCount, formatValue, plural } from '../kit/format.ts';
import { viewStyles } from '../kit/view-styles.ts';
import '../kit/table-preview.ts';
import type { GridLoader } from '../kit/data-grid.ts';

// The result contract (DESIGN.md, Results). Local so the view builds without the server side.
export interface UploadResult {
  rows: number;
  columns: { name: string; type: string }[];
  preview: { columns: string[]; rows: (unknown[] | Record<string, unknown>)[]; cut?: { chars: number; cells: unknown[] } };
  file: { name: string; size: number; sha256: string };
  dialect: { delimiter: string; encoding: string; header: boolean; quote?: string };
  warnings?: { code: string; message: string; line?: number }[];
}

const DELIMITERS: Record<string, string> = {
  ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe', ' ': 'space', ':': 'colon',
};

export function delimiterName(d: unknown): string {
  if (typeof d !== 'string') return formatValue(d);
  if (Object.hasOwn(DELIMITERS, d)) return `${DELIMITERS[d]} (${d === '\t' ? '\\t' : d})`;
  if (d === '\\t') return 'tab (\\t)';
  return JSON.stringify(d);
}

export class UploadView extends LitElement {
  static properties = { result: { attribute: false }, tableLoader: { attribute: false } };

  static styles = [viewStyles, css`
    .facts { display: flex; flex-wrap: wrap; gap: 6px 20px; margin: 0 0 10px; }
    .facts div { display: flex; flex-direction: column; min-width: 0; }
    .facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
    .facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .schema { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 4px 0 12px; padding: 0; list-style: none; }
    .schema li { border: 1px solid var(--border); border-radius: 4px; padding: 1px 6px; font-size: 12px; background: var(--surface-2); }
    .schema .type { color: var(--muted); font-family: var(--mono); font-size: 11px; }
    .warnings { margin: 0 0 12px; padding: 8px 12px 8px 28px; border-radius: 6px; background: var(--warn-bg); color: var(--warn-fg); }
  `];

  declare result: UploadResult | null;
  /** Reads the whole table by pages once the upload is done; before, the preview is all there is. */
  declare tableLoader: GridLoader | null;

  constructor() {
    super();
    this.result = null;
    this.tableLoader = null;
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object') return nothing;
    const columns = Array.isArray(r.columns) ? r.columns : [];
    const warnings = Array.isArray(r.warnings) ? r.warnings : [];
    return html`
      <dl class="facts">
        <div><dt>File</dt><dd>${r.file?.name ?? '–'}</dd></div>
        <div><dt>Size</dt><dd>${formatBytes(r.file?.size)}</dd></div>
        <div><dt>SHA-256</dt><dd class="mono" title=${r.file?.sha256 ?? ''}>${r.file?.sha256 ? r.file.sha256.slice(0, 12) : '–'}</dd></div>
        <div><dt>Shape</dt><dd>${plural(r.rows, 'row')} × ${plural(columns.length, 'column')}</dd></div>
        <div><dt>Delimiter</dt><dd>${delimiterName(r.dialect?.delimiter)}</dd></div>
        <div><dt>Encoding</dt><dd>${r.dialect?.encoding ?? '–'}</dd></div>
        <div><dt>Header</dt><dd>${r.dialect?.header === false ? 'no' : r.dialect?.header === true ? 'yes' : '–'}</dd></div>
      </dl>
      ${warnings.length ? html`
        <ul class="warnings" data-testid="upload-warnings">
          ${warnings.map((w) => html`<li>${w.message}${typeof w.line === 'number' ? ` (line ${w.line})` : ''}</li>`)}
        </ul>` : nothing}
      <details ?open=${columns.length <= 40}>
        <summary>Schema (${formatCount(columns.length)} columns)</summary>
        <ul class="schema">
          ${columns.map((c) => html`<li>${c.name}: <span class="type">${c.type}</span></li>`)}
        </ul>
      </details>
      <assay-table-preview .table=${r} .loader=${this.tableLoader}></assay-table-preview>
    `;
  }
}

customElements.define('assay-upload-view', UploadView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-upload-view': UploadView;
  }
}
