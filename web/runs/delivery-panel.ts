// <assay-delivery-panel>: delivered reports on the Runs page, beside the schedule. Each person
// chooses whether reruns' and scheduled runs' reports come to them by email (never, always,
// or only when a rule fails or a cell errors); the owner sets the workspace's webhook.
import { css, html, LitElement, nothing } from 'lit';
import { call, workspacePath } from '../api.ts';
import { controlStyles } from '../ui/styles.ts';
import { runStyles } from './parts.ts';

type EmailChoice = 'never' | 'always' | 'on_fail';
type When = 'always' | 'on_fail';
interface DeliverySettings {
  email: { choice: EmailChoice; smtpConfigured: boolean };
  webhook: { url?: string; host: string; when: When } | null;
  canSetWebhook: boolean;
}

const CHOICES: { value: EmailChoice; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: 'always', label: 'After every rerun and scheduled run' },
  { value: 'on_fail', label: 'Only when a rule fails or a cell errors' },
];

const deliveryApi = {
  get: (wsId: string) => call<DeliverySettings>('GET', `${workspacePath(wsId)}/delivery`),
  setEmail: (wsId: string, email: EmailChoice) => call<DeliverySettings>('PUT', `${workspacePath(wsId)}/delivery/email`, { email }),
  setWebhook: (wsId: string, url: string, when: When) => call<DeliverySettings>('PUT', `${workspacePath(wsId)}/delivery/webhook`, { url, when }),
  removeWebhook: (wsId: string) => call<DeliverySettings>('DELETE', `${workspacePath(wsId)}/delivery/webhook`),
};

export class DeliveryPanel extends LitElement {
  static properties = {
    workspaceId: { attribute: false },
    settings: { state: true },
    url: { state: true },
    when: { state: true },
    message: { state: true },
    error: { state: true },
  };

  static styles = [controlStyles, runStyles, css`:host { padding: 0; max-width: none; margin: 0; }`];

  declare workspaceId: string;
  declare settings: DeliverySettings | null;
  declare url: string;
  declare when: When;
  declare message: string;
  declare error: string;

  constructor() {
    super();
    this.settings = null;
    this.url = '';
    this.when = 'on_fail';
    this.message = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.act(() => deliveryApi.get(this.workspaceId), '');
  }

  private async act(what: () => Promise<DeliverySettings>, done: string) {
    this.error = '';
    this.message = '';
    try {
      this.settings = await what();
      if (this.settings.webhook?.url !== undefined) [this.url, this.when] = [this.settings.webhook.url, this.settings.webhook.when];
      this.message = done;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private saveWebhook = (e: Event) => {
    e.preventDefault();
    void this.act(() => deliveryApi.setWebhook(this.workspaceId, this.url, this.when), 'Webhook saved.');
  };

  override render() {
    const s = this.settings;
    if (!s) return html`${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : html`<p class="empty">Loading…</p>`}`;
    const hook = s.webhook;
    return html`
      <div class="panel">
        <label class="row">Email me the report
          <select data-testid="delivery-email" aria-label="Email me the report" .value=${s.email.choice}
                  @change=${(e: Event) => this.act(() => deliveryApi.setEmail(this.workspaceId, (e.target as HTMLSelectElement).value as EmailChoice), 'Saved.')}>
            ${CHOICES.map((c) => html`<option value=${c.value} ?selected=${c.value === s.email.choice}>${c.label}</option>`)}
          </select>
        </label>
        ${s.email.smtpConfigured ? nothing : html`<p class="muted">This server sends no email yet (its administrator sets ASSAY_SMTP_URL); your choice is kept for then.</p>`}
      </div>
      ${s.canSetWebhook ? html`
        <form class="panel" @submit=${this.saveWebhook}>
          <div class="row">
            <label>Webhook (Slack or any JSON receiver) <input data-testid="delivery-webhook-url" type="url" size="48" placeholder="https://hooks.slack.com/services/…"
                   .value=${this.url} @input=${(e: Event) => (this.url = (e.target as HTMLInputElement).value)}></label>
            <select data-testid="delivery-webhook-when" aria-label="When the webhook is called" .value=${this.when} @change=${(e: Event) => (this.when = (e.target as HTMLSelectElement).value as When)}>
              <option value="on_fail" ?selected=${this.when === 'on_fail'}>only when a rule fails or a cell errors</option>
              <option value="always" ?selected=${this.when === 'always'}>after every rerun and scheduled run</option>
            </select>
            <button class="primary" type="submit">Save webhook</button>
            ${hook ? html`<button type="button" @click=${() => this.act(() => deliveryApi.removeWebhook(this.workspaceId), 'Webhook removed.')}>Remove</button>` : nothing}
          </div>
        </form>`
      : html`<p class="muted" data-testid="delivery-webhook">${hook ? `Reports are also posted to ${hook.host} (${hook.when === 'always' ? 'after every run' : 'when a rule fails or a cell errors'}).` : 'No webhook; the owner can set one.'}</p>`}
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : nothing}
    `;
  }
}

customElements.define('assay-delivery-panel', DeliveryPanel);

declare global {
  interface HTMLElementTagNameMap { 'assay-delivery-panel': DeliveryPanel }
}
