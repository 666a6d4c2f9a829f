// <assay-home>: my workspaces, and a form to start a new one.
import { css, html, LitElement, nothing } from 'lit';
import { api, ApiError, type WorkspaceSummary } from '../api.ts';
import { navigate } from '../router.ts';
import { timeAgo } from '../ui/format.ts';
import { controlStyles } from '../ui/styles.ts';

export class HomePage extends LitElement {
  static properties = {
    workspaces: { state: true },
    error: { state: true },
    creating: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; max-width: 880px; margin: 0 auto; padding: 28px 20px 60px; }
    h1 { font-size: 22px; margin: 0 0 16px; }
    form { display: flex; gap: 8px; margin-bottom: 20px; }
    form input { flex: 1; }
    ul { list-style: none; padding: 0; margin: 0; border: 1px solid var(--border); border-radius: 10px; background: var(--surface); overflow: hidden; }
    li + li { border-top: 1px solid var(--border); }
    a { display: flex; justify-content: space-between; gap: 12px; padding: 12px 16px; text-decoration: none; color: var(--fg); }
    a:hover { background: var(--surface-2); }
    .title { font-weight: 500; overflow-wrap: anywhere; }
    .when { color: var(--muted); font-size: 12px; white-space: nowrap; }
    .empty { color: var(--muted); padding: 20px 0; }
  `];

  declare workspaces: WorkspaceSummary[] | null;
  declare error: string;
  declare creating: boolean;

  constructor() {
    super();
    this.workspaces = null;
    this.error = '';
    this.creating = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.workspaces = await api.workspaces();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  override render() {
    return html`
      <h1>Workspaces</h1>
      <form @submit=${this.create}>
        <input name="title" placeholder="New workspace title" aria-label="New workspace title" data-testid="new-workspace-title" maxlength="200" ?disabled=${this.creating}>
        <button class="primary" type="submit" data-testid="new-workspace-submit" ?disabled=${this.creating}>Create</button>
      </form>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.workspaces === null ? html`<p class="empty">Loading…</p>`
        : this.workspaces.length === 0 ? html`<p class="empty">No workspaces yet. Create one above.</p>`
        : html`<ul>${this.workspaces.map((w) => html`
            <li><a href="/w/${encodeURIComponent(w.id)}" data-testid="workspace-link">
              <span class="title">${w.title}</span>
              <span class="when" title=${new Date(w.updatedAt).toLocaleString()}>updated ${timeAgo(w.updatedAt)}</span>
            </a></li>`)}</ul>`}
    `;
  }

  private create = async (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement;
    const title = input.value.trim() || 'Untitled';
    this.creating = true;
    this.error = '';
    try {
      const ws = await api.createWorkspace(title);
      navigate(`/w/${encodeURIComponent(ws.id)}`);
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
    } finally {
      this.creating = false;
    }
  };
}

customElements.define('assay-home', HomePage);

declare global {
  interface HTMLElementTagNameMap {
    'assay-home': HomePage;
  }
}
