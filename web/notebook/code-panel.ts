// <assay-code-panel>: "Show the code" of a cell whose kind writes its work as code
// (CellKind.code): the SQL for DuckDB and PostgreSQL, and the Python polars, in two tabs, to
// copy or download. The code comes from the server (GET …/cells/:cellId/code), so the page and
// a script calling the API get the same text.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { ApiError, call } from '../api.ts';
import { controlStyles } from '../ui/styles.ts';

type Language = 'sql' | 'python';
/** GET …/code: the code, and the tables it reads (each downloadable as <cell>.parquet). */
interface Code { sql: string; python: string; tables?: { name: string; cellId: string }[] }
const TABS: { id: Language; label: string; extension: string; type: string }[] = [
  { id: 'sql', label: 'SQL', extension: 'sql', type: 'application/sql' },
  { id: 'python', label: 'Python', extension: 'py', type: 'text/x-python' },
];

export class AssayCodePanel extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    cellId: { attribute: false },
    cellName: { attribute: false },
    /** The cell's config: a saved edit fetches the code again. */
    config: { attribute: false },
    tab: { state: true },
    code: { state: true },
    problem: { state: true },
    copied: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; }
    section { border: 1px solid var(--border); border-radius: 8px; background: var(--surface-2); }
    .bar { display: flex; align-items: center; gap: 4px; padding: 6px 8px; border-bottom: 1px solid var(--border); flex-wrap: wrap; }
    [role=tab][aria-selected=true] { color: var(--fg); border-color: var(--border-strong); background: var(--surface); }
    .spacer { flex: 1; }
    .status { font-size: 12px; color: var(--muted); }
    pre { margin: 0; padding: 10px 12px; font-family: var(--mono); font-size: 12px; line-height: 1.45; overflow: auto; max-height: 360px; white-space: pre; }
    .problem { padding: 10px 12px; font-size: 13px; color: var(--error-fg); }
    .tables { padding: 6px 12px; border-top: 1px solid var(--border); font-size: 12px; color: var(--muted); }
    .tables a { font-family: var(--mono); margin-left: 6px; }
  `];

  declare workspaceId: string;
  declare cellId: string;
  declare cellName: string;
  declare config: string;
  declare tab: Language;
  declare code: Code | null;
  declare problem: string;
  declare copied: string;
  private asked = 0;

  constructor() {
    super();
    this.tab = 'sql';
    this.code = null;
    this.problem = '';
    this.copied = '';
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') || changed.has('cellId')) void this.load();
  }

  private async load(): Promise<void> {
    // Only the latest answer counts: an older request may come back after a newer one.
    const asked = ++this.asked;
    try {
      const code = await call<Code>('GET', `${this.cellPath(this.cellId)}/code`);
      if (asked !== this.asked) return;
      this.code = code;
      this.problem = '';
    } catch (err) {
      if (asked !== this.asked) return;
      this.code = null;
      this.problem = err instanceof ApiError ? err.message : String(err);
    }
  }

  private cellPath(cellId: string): string {
    return `/api/workspaces/${encodeURIComponent(this.workspaceId)}/cells/${encodeURIComponent(cellId)}`;
  }

  private get text(): string {
    return this.code?.[this.tab] ?? '';
  }

  private copy = async () => {
    try {
      await navigator.clipboard.writeText(this.text);
      this.copied = 'Copied';
    } catch {
      // No clipboard (an insecure origin, or permission refused): the text is selected to copy by hand.
      const pre = this.renderRoot.querySelector('pre');
      if (pre) getSelection()?.selectAllChildren(pre);
      this.copied = 'Selected: press Ctrl+C to copy';
    }
  };

  private download = () => {
    const tab = TABS.find((t) => t.id === this.tab)!;
    const url = URL.createObjectURL(new Blob([this.text], { type: tab.type }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${this.cellName}.${tab.extension}` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  private select(tab: Language) {
    this.tab = tab;
    this.copied = '';
  }

  private onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = TABS.findIndex((t) => t.id === this.tab);
    const next = TABS[(at + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    this.select(next.id);
    void this.updateComplete.then(() => (this.renderRoot.querySelector(`[data-tab=${next.id}]`) as HTMLElement | null)?.focus());
  };

  render() {
    return html`
      <section data-testid="code-panel" aria-label="The cell's code">
        <div class="bar">
          <div role="tablist" aria-label="Language" @keydown=${this.onTabKey}>
            ${TABS.map((t) => html`<button class="ghost" role="tab" data-tab=${t.id} data-testid="code-tab-${t.id}" aria-selected=${this.tab === t.id ? 'true' : 'false'}
                tabindex=${this.tab === t.id ? '0' : '-1'} @click=${() => this.select(t.id)}>${t.label}</button>`)}
          </div>
          <span class="spacer"></span>
          <span class="status" role="status" data-testid="code-status">${this.copied}</span>
          <button data-testid="code-copy" ?disabled=${!this.code} @click=${this.copy}>Copy</button>
          <button data-testid="code-download" ?disabled=${!this.code} @click=${this.download}>Download</button>
        </div>
        ${this.problem ? html`<div class="problem" role="alert" data-testid="code-problem">${this.problem}</div>`
          : this.code ? html`<pre role="tabpanel" data-testid="code-text" tabindex="0">${this.text}</pre>
            ${this.code.tables?.length ? html`<div class="tables" data-testid="code-tables">The files it reads:
              ${this.code.tables.map((t) => html`<a href=${`${this.cellPath(t.cellId)}/table.parquet`} download=${`${t.name}.parquet`}>${t.name}.parquet</a>`)}</div>` : nothing}` : nothing}
      </section>
    `;
  }
}

customElements.define('assay-code-panel', AssayCodePanel);

declare global {
  interface HTMLElementTagNameMap { 'assay-code-panel': AssayCodePanel }
}
