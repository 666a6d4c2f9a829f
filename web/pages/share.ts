// <assay-share-link>: the page a share link opens (/s/:token). Signed in, it claims the
// link for this account and replaces itself with the workspace (so the token leaves the
// address bar and the history). Signed out, it says what the link opens and asks to log
// in or sign up first: access is always someone's, so the owner's audit trail names them
// and revoking a link ends it for each of them.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { api, ApiError, type SharePreview, type User } from '../api.ts';
import { navigate } from '../router.ts';
import { controlStyles } from '../ui/styles.ts';
import './login.ts';

export class ShareLinkPage extends LitElement {
  static properties = {
    token: { attribute: false },
    user: { attribute: false },
    present: { attribute: false },
    preview: { state: true },
    error: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; max-width: 560px; margin: 0 auto; padding: 32px 20px; }
    .card { background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 20px 24px; }
    h1 { font-size: 20px; margin: 0 0 8px; overflow-wrap: anywhere; }
    p { margin: 6px 0; }
  `];

  declare token: string;
  /** The link opens the presentation view (`?present` on it), not the notebook. */
  declare present: boolean;
  /** null: signed out (the app has asked). */
  declare user: User | null;
  declare preview: SharePreview | null;
  declare error: string;
  private claimed = false;

  constructor() {
    super();
    this.token = '';
    this.present = false;
    this.user = null;
    this.preview = null;
    this.error = '';
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('user') && !changed.has('token')) return;
    if (this.user) void this.claim();
    else if (!this.preview && !this.error) void this.look();
  }

  private async look(): Promise<void> {
    try {
      this.preview = await api.previewShare(this.token);
    } catch (err) {
      this.error = this.explain(err);
    }
  }

  private async claim(): Promise<void> {
    if (this.claimed) return;
    this.claimed = true;
    try {
      const { workspaceId } = await api.acceptShare(this.token);
      navigate(`/w/${encodeURIComponent(workspaceId)}${this.present ? '/present' : ''}`, { replace: true });
    } catch (err) {
      this.error = this.explain(err);
    }
  }

  private explain(err: unknown): string {
    if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
      return err.status === 404 ? 'This share link is not valid. Check that it was copied whole, or ask for a new one.' : err.message;
    }
    return `Could not open the link: ${err instanceof Error ? err.message : String(err)}`;
  }

  override render() {
    if (this.error) {
      return html`<div class="card"><h1>Share link</h1><p class="error-text" role="alert" data-testid="share-link-error">${this.error}</p>
        <p><a href="/">${this.user ? 'Your workspaces' : 'Log in'}</a></p></div>`;
    }
    if (this.user) return html`<p class="muted">Opening the ${this.present ? 'presentation' : 'workspace'}…</p>`;
    const p = this.preview;
    if (!p) return html`<p class="muted">Checking the link…</p>`;
    return html`
      <div class="card" data-testid="share-preview">
        <h1>“${p.workspace.title}”</h1>
        <p>${p.owner.email} shared this workspace: you ${p.role === 'edit' ? 'can edit it' : 'can view it'}.${this.present ? ' The link opens it as a presentation.' : ''}</p>
        <p class="muted">Log in, or sign up, to open it.${p.expiresAt ? ` The link works until ${new Date(p.expiresAt).toLocaleString()}.` : nothing}</p>
      </div>
      <assay-login .invite=${this.token}></assay-login>
    `;
  }
}

customElements.define('assay-share-link', ShareLinkPage);

declare global {
  interface HTMLElementTagNameMap {
    'assay-share-link': ShareLinkPage;
  }
}
