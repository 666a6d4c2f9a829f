// <assay-settings>: the account's password and personal API tokens (for scripts:
// `Authorization: Bearer <token>`). A new token is shown once; only its hash is kept.
import { css, html, LitElement, nothing } from 'lit';
import { api, type ApiToken } from '../api.ts';
import { timeAgo } from '../../cells/kit/format.ts';
import { controlStyles } from '../ui/styles.ts';

export class SettingsPage extends LitElement {
  static properties = {
    tokens: { state: true },
    created: { state: true },
    passwordMessage: { state: true },
    passwordError: { state: true },
    tokenError: { state: true },
    busy: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; max-width: 720px; margin: 0 auto; padding: 28px 20px 60px; }
    h1 { font-size: 22px; margin: 0 0 16px; }
    section { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 16px 20px; margin-bottom: 16px; }
    h2 { font-size: 15px; margin: 0 0 10px; }
    form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
    form input { flex: 1 1 200px; }
    ul { list-style: none; padding: 0; margin: 10px 0 0; }
    li { display: flex; gap: 10px; align-items: center; padding: 6px 0; font-size: 13px; }
    li + li { border-top: 1px solid var(--border); }
    li .what { flex: 1; overflow-wrap: anywhere; }
    .created { display: flex; gap: 8px; margin-top: 10px; }
    .created input { flex: 1; font-family: var(--mono); font-size: 12px; }
    .note { font-size: 12px; color: var(--muted); }
    .ok { color: var(--done-fg); font-size: 13px; }
    label.check { flex: 1 1 100%; font-size: 13px; display: flex; gap: 6px; align-items: center; }
    form label.check input { flex: none; margin: 0; }
  `];

  declare tokens: ApiToken[];
  declare created: ApiToken | null;
  declare passwordMessage: string;
  declare passwordError: string;
  declare tokenError: string;
  declare busy: boolean;

  constructor() {
    super();
    this.tokens = [];
    this.created = null;
    this.passwordMessage = '';
    this.passwordError = '';
    this.tokenError = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = 'Settings · Assay';
    void this.loadTokens();
  }

  private async loadTokens(): Promise<void> {
    try {
      this.tokens = await api.tokens();
    } catch (err) {
      this.tokenError = err instanceof Error ? err.message : String(err);
    }
  }

  private changePassword = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.passwordMessage = '';
    this.passwordError = '';
    if (value('newPassword') !== value('repeat')) {
      this.passwordError = 'The new password and its repetition differ.';
      return;
    }
    this.busy = true;
    try {
      const revokeTokens = (form.elements.namedItem('revokeTokens') as HTMLInputElement).checked;
      const { tokensRevoked = 0 } = await api.changePassword(value('currentPassword'), value('newPassword'), revokeTokens);
      form.reset();
      this.passwordMessage = 'Password changed. Every other session of this account was logged out'
        + (revokeTokens ? `, and its API tokens were revoked (${tokensRevoked}).` : '.');
      if (revokeTokens) {
        this.created = null;
        await this.loadTokens();
      }
    } catch (err) {
      this.passwordError = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  };

  private createToken = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const scope = (form.elements.namedItem('scope') as HTMLSelectElement).value as 'full' | 'read';
    const days = Number((form.elements.namedItem('expiry') as HTMLSelectElement).value);
    this.tokenError = '';
    try {
      this.created = await api.createToken(name || 'API token', {
        scope, expiresAt: days > 0 ? new Date(Date.now() + days * 86400_000).toISOString() : null,
      });
      form.reset();
      await this.loadTokens();
    } catch (err) {
      this.tokenError = err instanceof Error ? err.message : String(err);
    }
  };

  private revoke = async (token: ApiToken) => {
    this.tokenError = '';
    try {
      await api.revokeToken(token.id);
      if (this.created?.id === token.id) this.created = null;
      await this.loadTokens();
    } catch (err) {
      this.tokenError = err instanceof Error ? err.message : String(err);
    }
  };

  override render() {
    return html`
      <h1>Settings</h1>
      <section>
        <h2>Password</h2>
        <form @submit=${this.changePassword}>
          <input name="currentPassword" type="password" autocomplete="current-password" placeholder="current password" aria-label="Current password" required data-testid="current-password">
          <input name="newPassword" type="password" autocomplete="new-password" placeholder="new password (8 characters or more)" aria-label="New password" required minlength="8" data-testid="new-password">
          <input name="repeat" type="password" autocomplete="new-password" placeholder="new password again" aria-label="New password again" required data-testid="repeat-password">
          <label class="check"><input name="revokeTokens" type="checkbox" data-testid="revoke-tokens"> also revoke every API token (if one may have leaked)</label>
          <button class="primary" type="submit" data-testid="change-password" ?disabled=${this.busy}>Change password</button>
        </form>
        ${this.passwordError ? html`<p class="error-text" role="alert" data-testid="password-error">${this.passwordError}</p>` : nothing}
        ${this.passwordMessage ? html`<p class="ok" role="status" data-testid="password-changed">${this.passwordMessage}</p>` : nothing}
      </section>
      <section>
        <h2>API tokens</h2>
        <p class="note">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A full token acts as you, a read-only one may only read; neither can make tokens. Revoke a token when its script is retired.</p>
        <form @submit=${this.createToken}>
          <input name="name" placeholder="what it is for (e.g. nightly CI)" maxlength="100" aria-label="Token name" data-testid="token-name">
          <select name="scope" aria-label="What the token may do" data-testid="token-scope">
            <option value="full">full access (acts as you)</option>
            <option value="read">read only (GET)</option>
          </select>
          <select name="expiry" aria-label="When the token expires" data-testid="token-expiry">
            <option value="30">expires in 30 days</option>
            <option value="90">expires in 90 days</option>
            <option value="365">expires in a year</option>
            <option value="0">never expires</option>
          </select>
          <button type="submit" data-testid="token-create">Create token</button>
        </form>
        ${this.created?.token ? html`
          <div class="created">
            <input readonly .value=${this.created.token} aria-label="New token" data-testid="token-value" @focus=${(e: Event) => (e.target as HTMLInputElement).select()}>
          </div>
          <p class="note">Copy it now: it is shown only once.</p>` : nothing}
        ${this.tokenError ? html`<p class="error-text" role="alert">${this.tokenError}</p>` : nothing}
        <ul data-testid="tokens">
          ${this.tokens.map((t) => html`
            <li data-testid="token">
              <span class="what">${t.name} <span class="note">· ${t.scope === 'read' ? 'read only' : 'full access'} · created ${timeAgo(t.createdAt)} · ${t.lastUsedAt ? `last used ${timeAgo(t.lastUsedAt)}` : 'never used'} · ${expiryText(t.expiresAt)}</span></span>
              <button class="danger" data-testid="token-revoke" @click=${() => this.revoke(t)}>Revoke</button>
            </li>`)}
        </ul>
        ${this.tokens.length === 0 ? html`<p class="note">No tokens.</p>` : nothing}
      </section>
    `;
  }
}

/** "expires in 3 days", "expired", or "no expiry". */
function expiryText(expiresAt: string | null | undefined): string {
  if (!expiresAt) return 'no expiry';
  const ms = new Date(expiresAt).getTime() - Date.now();
  if (ms <= 0) return 'expired';
  const days = Math.round(ms / 86400_000);
  return days >= 1 ? `expires in ${days} day${days === 1 ? '' : 's'}` : `expires in ${Math.max(1, Math.round(ms / 3600_000))} h`;
}

customElements.define('assay-settings', SettingsPage);

declare global {
  interface HTMLElementTagNameMap {
    'assay-settings': SettingsPage;
  }
}
