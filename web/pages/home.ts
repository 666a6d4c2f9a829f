// <assay-home>: my workspaces and those shared with me, each with when it last ran and how
// its rules stand; create, rename, duplicate ("use as template") and delete from here.
import { css, html, LitElement, nothing } from 'lit';
import { api, ApiError, type WorkspaceSummary } from '../api.ts';
import { navigate } from '../router.ts';
import { formatCount, timeAgo } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';

export class HomePage extends LitElement {
  static properties = {
    workspaces: { state: true },
    error: { state: true },
    creating: { state: true },
    renaming: { state: true },
    confirmingDelete: { state: true },
    busy: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; max-width: 920px; margin: 0 auto; padding: 28px 20px 60px; }
    h1 { font-size: 22px; margin: 0 0 16px; }
    h2 { font-size: 15px; margin: 28px 0 10px; color: var(--muted); font-weight: 600; }
    form.new { display: flex; gap: 8px; margin-bottom: 20px; }
    form.new input { flex: 1; }
    ul { list-style: none; padding: 0; margin: 0; border: 1px solid var(--border); border-radius: 10px; background: var(--surface); overflow: hidden; }
    li { display: flex; align-items: center; gap: 12px; padding: 10px 12px 10px 16px; flex-wrap: wrap; }
    li + li { border-top: 1px solid var(--border); }
    li:hover { background: var(--surface-2); }
    .main { flex: 1 1 260px; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
    a.title { font-weight: 500; overflow-wrap: anywhere; color: var(--fg); text-decoration: none; }
    a.title:hover { text-decoration: underline; }
    .meta { color: var(--muted); font-size: 12px; }
    .rules { font-size: 11px; font-weight: 600; border-radius: 999px; padding: 2px 9px; white-space: nowrap; }
    .rules.pass { background: var(--done-bg); color: var(--done-fg); }
    .rules.warn { background: var(--warn-bg); color: var(--warn-fg); }
    .rules.fail { background: var(--error-bg); color: var(--error-fg); }
    .actions { display: flex; gap: 4px; }
    .actions button { font-size: 12px; padding: 3px 8px; }
    .confirm { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; font-size: 13px; }
    form.rename { display: flex; gap: 6px; flex: 1 1 260px; }
    form.rename input { flex: 1; }
    .empty { color: var(--muted); padding: 20px 0; }
  `];

  declare workspaces: WorkspaceSummary[] | null;
  declare error: string;
  declare creating: boolean;
  /** The workspace whose title is being edited in place. */
  declare renaming: string | null;
  declare confirmingDelete: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.workspaces = null;
    this.error = '';
    this.creating = false;
    this.renaming = null;
    this.confirmingDelete = null;
    this.busy = false;
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
    const all = this.workspaces;
    const mine = all?.filter((w) => !w.role || w.role === 'owner') ?? [];
    const shared = all?.filter((w) => w.role && w.role !== 'owner') ?? [];
    return html`
      <h1>Workspaces</h1>
      <form class="new" @submit=${this.create}>
        <input name="title" placeholder="New workspace title" aria-label="New workspace title" data-testid="new-workspace-title" maxlength="200" ?disabled=${this.creating}>
        <button class="primary" type="submit" data-testid="new-workspace-submit" ?disabled=${this.creating}>Create</button>
      </form>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${all === null ? html`<p class="empty">Loading…</p>`
        : mine.length === 0 ? html`<p class="empty">No workspaces yet. Create one above.</p>`
        : html`<ul data-testid="my-workspaces">${mine.map((w) => this.renderItem(w))}</ul>`}
      ${shared.length ? html`
        <h2>Shared with me</h2>
        <ul data-testid="shared-workspaces">${shared.map((w) => this.renderItem(w))}</ul>` : nothing}
    `;
  }

  private renderItem(w: WorkspaceSummary) {
    const owner = !w.role || w.role === 'owner';
    if (this.confirmingDelete === w.id) {
      return html`<li data-testid="workspace-item" data-title=${w.title}>
        <div class="confirm" role="alert">
          Delete <b>${w.title}</b> with its cells, files and run history? This cannot be undone.
          <button class="danger" data-testid="confirm-delete" ?disabled=${this.busy} @click=${() => this.deleteWorkspace(w)}>Delete</button>
          <button class="ghost" @click=${() => { this.confirmingDelete = null; }}>Cancel</button>
        </div>
      </li>`;
    }
    const meta = [
      w.running ? 'running now' : w.lastRunAt ? `ran ${timeAgo(w.lastRunAt)}` : 'not run yet',
      `updated ${timeAgo(w.updatedAt)}`,
      ...(w.owner && !owner ? [`${w.role === 'edit' ? 'can edit' : 'can view'} · shared by ${w.owner.email}`] : []),
    ];
    return html`<li data-testid="workspace-item" data-title=${w.title}>
      ${this.renaming === w.id ? html`
        <form class="rename" @submit=${(e: SubmitEvent) => this.rename(e, w)}>
          <input name="title" aria-label="New title" data-testid="rename-input" .value=${w.title} maxlength="200"
                 @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.renaming = null; }}>
          <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
          <button class="ghost" type="button" @click=${() => { this.renaming = null; }}>Cancel</button>
        </form>` : html`
        <div class="main">
          <a class="title" href="/w/${encodeURIComponent(w.id)}" data-testid="workspace-link">${w.title}</a>
          <span class="meta" title=${w.lastRunAt ? new Date(w.lastRunAt).toLocaleString() : ''}>${meta.join(' · ')}</span>
        </div>`}
      ${this.renderRules(w)}
      ${this.renaming === w.id ? nothing : html`<span class="actions">
        ${w.role !== 'view' ? html`<button class="ghost" data-testid="rename-workspace" @click=${() => this.startRename(w)}>Rename</button>` : nothing}
        <button class="ghost" data-testid="duplicate-workspace" title="A new workspace with the same cells, without data" ?disabled=${this.busy}
                @click=${() => this.duplicate(w)}>Use as template</button>
        ${owner ? html`<button class="ghost danger" data-testid="delete-workspace" @click=${() => { this.confirmingDelete = w.id; }}>Delete</button>` : nothing}
      </span>`}
    </li>`;
  }

  private renderRules(w: WorkspaceSummary) {
    const r = w.rules;
    if (!r) return nothing;
    const failing = r.fail + r.error;
    const [cls, text] = failing > 0 ? ['fail', `${formatCount(failing)} failing`]
      : r.warn > 0 ? ['warn', `${formatCount(r.warn)} warning`]
      : ['pass', `${formatCount(r.pass)} passing`];
    return html`<span class="rules ${cls}" data-testid="workspace-rules" data-state=${cls}
                      title=${`rules: ${r.pass} pass, ${r.warn} warn, ${r.fail} fail, ${r.error} error`}>${text}</span>`;
  }

  private startRename(w: WorkspaceSummary): void {
    this.renaming = w.id;
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('[data-testid="rename-input"]')?.select());
  }

  private async act(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await work();
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  private rename(e: SubmitEvent, w: WorkspaceSummary): Promise<void> {
    e.preventDefault();
    const title = ((e.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement).value.trim();
    return this.act(async () => {
      if (title && title !== w.title) await api.renameWorkspace(w.id, title);
      this.renaming = null;
      await this.load();
    });
  }

  private duplicate(w: WorkspaceSummary): Promise<void> {
    return this.act(async () => {
      const copy = await api.duplicateWorkspace(w.id, `${w.title} (copy)`);
      navigate(`/w/${encodeURIComponent(copy.id)}`);
    });
  }

  private deleteWorkspace(w: WorkspaceSummary): Promise<void> {
    return this.act(async () => {
      await api.deleteWorkspace(w.id);
      this.confirmingDelete = null;
      await this.load();
    });
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
