// The app shell: a top bar and the page the URL names. Pages that need an account check
// GET /api/session first and send a signed-out visitor to /login?next=<path>.
import { css, html, LitElement, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { api, type User } from './api.ts';
import './pages/home.ts';
import './pages/login.ts';
import './pages/settings.ts';
import './pages/share.ts';
import { installLinkInterception, navigate, NAVIGATE_EVENT, parseRoute, type Route } from './router.ts';
import './theme.css';
import { controlStyles } from './ui/styles.ts';

export class AssayApp extends LitElement {
  static properties = {
    route: { state: true },
    user: { state: true },
    authError: { state: true },
    notebookReady: { state: true },
  };

  static styles = [controlStyles, css`
    :host { display: block; min-height: 100vh; }
    nav { display: flex; align-items: center; gap: 16px; padding: 10px 20px; border-bottom: 1px solid var(--border); background: var(--surface); }
    .brand { font-weight: 700; font-size: 16px; letter-spacing: .01em; text-decoration: none; color: var(--fg); }
    .spacer { flex: 1; }
    .who { color: var(--muted); text-decoration: none; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 40vw; }
    .message { max-width: 720px; margin: 40px auto; padding: 0 20px; }
    /* Printed (the presentation view saved as PDF): the page's content, not the app's bar. */
    @media print { nav { display: none; } }
  `];

  declare route: Route;
  /** undefined: not asked yet; null: signed out. */
  declare user: User | null | undefined;
  declare authError: string;
  /** The notebook (CodeMirror, the views, the runtime) is its own chunk: the login and workspaces pages load without it. */
  declare notebookReady: boolean;

  constructor() {
    super();
    this.route = parseRoute(location.pathname, location.search);
    this.user = undefined;
    this.authError = '';
    this.notebookReady = false;
  }

  private loadNotebook(): void {
    if (this.notebookReady) return;
    // The run pages (and the notebook's run bar) come in the same lazy load as the notebook.
    Promise.all([import('./notebook/notebook-page.ts'), import('./runs/index.ts'), import('./present/present-page.ts')]).then(
      () => { this.notebookReady = true; },
      (err) => { this.authError = `Could not load the notebook: ${err instanceof Error ? err.message : String(err)}`; },
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onLocation);
    window.addEventListener(NAVIGATE_EVENT, this.onLocation);
    this.onLocation();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onLocation);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocation);
  }

  private onLocation = () => {
    this.route = parseRoute(location.pathname, location.search);
    window.scrollTo(0, 0);
    if (['notebook', 'present', 'runs', 'run', 'compare'].includes(this.route.page)) this.loadNotebook();
    if (this.route.page !== 'login' && this.user === undefined) void this.checkSession();
    if (this.route.page === 'login' || this.route.page === 'home' || this.route.page === 'share') document.title = 'Assay';
  };

  private async checkSession(): Promise<void> {
    try {
      const { user } = await api.session();
      this.user = user;
      this.authError = '';
      // A share link's page asks a signed-out visitor to log in itself, saying what the link opens.
      if (!user && this.route.page !== 'share') navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    } catch (err) {
      this.authError = `Could not reach the server: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private onLoggedIn = (e: CustomEvent<User>) => {
    this.user = e.detail;
    // On a share link's page the page itself goes on, to claim the link for this account.
    if (this.route.page === 'share') return;
    navigate(this.route.page === 'login' ? this.route.next : '/', { replace: true });
  };

  private logout = async () => {
    try {
      await api.logout();
    } finally {
      this.user = null;
      navigate('/login');
    }
  };

  override render() {
    const route = this.route;
    return html`
      <nav>
        <a class="brand" href="/">Assay</a>
        <span class="spacer"></span>
        ${this.user ? html`
          <a class="who" href="/settings" title="Settings: password and API tokens" data-testid="user-email">${this.user.email}</a>
          <button class="ghost" data-testid="logout" @click=${this.logout}>Log out</button>` : nothing}
      </nav>
      <main @logged-in=${this.onLoggedIn}>${this.renderPage(route)}</main>
    `;
  }

  private renderPage(route: Route) {
    if (route.page === 'login') return html`<assay-login></assay-login>`;
    if (this.authError) return html`<div class="message"><p class="error-text" role="alert">${this.authError}</p></div>`;
    if (route.page === 'share' && this.user !== undefined) return html`<assay-share-link .token=${route.token} .present=${route.present} .user=${this.user}></assay-share-link>`;
    // Wait for the session check, so a signed-out visitor never sees a half-loaded page.
    if (!this.user) return nothing;
    switch (route.page) {
      case 'home':
        return html`<assay-home></assay-home>`;
      case 'notebook':
        return this.notebookReady ? keyed(route.id, html`<assay-notebook .workspaceId=${route.id}></assay-notebook>`) : nothing;
      case 'present':
        return this.notebookReady ? keyed(route.id, html`<assay-present .workspaceId=${route.id}></assay-present>`) : nothing;
      case 'runs':
        return this.notebookReady ? keyed(route.id, html`<assay-runs-page .workspaceId=${route.id}></assay-runs-page>`) : nothing;
      case 'run':
        return this.notebookReady ? keyed(route.runId, html`<assay-run-page .workspaceId=${route.id} .runId=${route.runId}></assay-run-page>`) : nothing;
      case 'compare':
        return this.notebookReady ? keyed(`${route.a}:${route.b}`, html`<assay-compare-page .workspaceId=${route.id} .a=${route.a} .b=${route.b}></assay-compare-page>`) : nothing;
      case 'settings':
        return html`<assay-settings></assay-settings>`;
      case 'not-found':
        return html`<div class="message"><p>No page at <code>${route.path}</code>.</p><p><a href="/">Your workspaces</a></p></div>`;
    }
  }
}

customElements.define('assay-app', AssayApp);
installLinkInterception();

declare global {
  interface HTMLElementTagNameMap {
    'assay-app': AssayApp;
  }
}
