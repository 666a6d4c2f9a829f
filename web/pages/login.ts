// <assay-login>: log in or sign up with email and password.
import { css, html, LitElement, nothing } from 'lit';
import { api, ApiError, type User } from '../api.ts';
import { controlStyles } from '../ui/styles.ts';

export class LoginPage extends LitElement {
  static properties = {
    /** A share link's token: signing up with it counts as an invitation (ASSAY_SIGNUP=invite). */
    invite: { attribute: false },
    busy: { state: true },
    error: { state: true },
    signup: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: flex; justify-content: center; padding: 10vh 16px; }
    form { width: 100%; max-width: 360px; background: var(--surface); border: 1px solid var(--border); border-radius: 12px; padding: 28px; box-shadow: var(--shadow); display: flex; flex-direction: column; gap: 14px; }
    h1 { margin: 0; font-size: 22px; }
    p { margin: 0; color: var(--muted); }
    label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: var(--muted); }
    .buttons { display: flex; gap: 8px; }
    .buttons button { flex: 1; }
    .error-text { font-size: 13px; }
    .note { font-size: 12px; }
  `];

  declare invite: string | undefined;
  declare busy: boolean;
  declare error: string;
  declare signup: 'open' | 'invite' | 'off';

  constructor() {
    super();
    this.busy = false;
    this.error = '';
    this.signup = 'open';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    api.authOptions().then((o) => { this.signup = o.signup; }, () => {});
  }

  override render() {
    return html`
      <form @submit=${(e: SubmitEvent) => { e.preventDefault(); void this.submit('login'); }} novalidate>
        <h1>Assay</h1>
        <p>Notebooks for CSV analysis.</p>
        <label>Email
          <input name="email" type="email" autocomplete="username" required data-testid="login-email" ?disabled=${this.busy}>
        </label>
        <label>Password
          <input name="password" type="password" autocomplete="current-password" required minlength="8" data-testid="login-password" ?disabled=${this.busy}>
        </label>
        ${this.error ? html`<div class="error-text" role="alert" data-testid="login-error">${this.error}</div>` : nothing}
        <div class="buttons">
          <button class="primary" type="submit" data-testid="login-submit" ?disabled=${this.busy}>Log in</button>
          ${this.signup === 'off' ? nothing
            : html`<button type="button" data-testid="signup-submit" ?disabled=${this.busy} @click=${() => this.submit('signup')}>Sign up</button>`}
        </div>
        ${this.signup === 'invite' && !this.invite ? html`<p class="note">Signing up needs an invitation: a share link, or a workspace shared with your email.</p>` : nothing}
      </form>
    `;
  }

  private async submit(mode: 'login' | 'signup'): Promise<void> {
    const form = this.renderRoot.querySelector('form')!;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!email || !password) {
      this.error = 'Enter your email and a password.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const user: User = mode === 'login' ? await api.login(email, password) : await api.signup(email, password, this.invite);
      this.dispatchEvent(new CustomEvent<User>('logged-in', { detail: user, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : 'Could not reach the server; try again.';
    } finally {
      this.busy = false;
    }
  }
}

customElements.define('assay-login', LoginPage);

declare global {
  interface HTMLElementTagNameMap {
    'assay-login': LoginPage;
  }
}
