// In-page dialogs and an undo toast, instead of the browser's prompt() and confirm() (issue 23,
// item 9): those block the page, cannot be styled or themed, and offer no undo. A dialog is a
// modal <dialog> (focus kept inside, Escape cancels); each ask resolves with the answer, or
// null when cancelled. Both live on document.body, so they outlast the element that asked (a
// deleted cell's toast must).
import { css, html, LitElement, nothing } from 'lit';
import { controlStyles } from './styles.ts';

export interface AskOptions {
  title: string;
  message?: string;
  /** A text to edit (a new name), with its label. */
  input?: { label: string; value: string; pattern?: string; hint?: string };
  /** A choice to tick (also rename the cells that read it). */
  checkbox?: { label: string; checked: boolean };
  confirm: string;
  danger?: boolean;
}

export interface Answer { value: string; checked: boolean }

export class AssayDialog extends LitElement {
  static properties = { options: { attribute: false } };

  static styles = [controlStyles, css`
    dialog { border: 1px solid var(--border); border-radius: 10px; background: var(--surface); color: var(--fg); padding: 18px 20px; width: min(440px, calc(100vw - 48px)); box-sizing: border-box; }
    dialog::backdrop { background: rgb(0 0 0 / .35); }
    h2 { margin: 0 0 10px; font-size: 16px; }
    p { margin: 0 0 12px; font-size: 13px; }
    label.text { display: block; font-size: 13px; margin-bottom: 12px; }
    label.text input { display: block; width: 100%; box-sizing: border-box; margin-top: 4px; font-family: var(--mono); }
    .hint { font-size: 12px; color: var(--muted); }
    label.tick { display: flex; gap: 8px; align-items: baseline; font-size: 13px; margin-bottom: 12px; }
    .buttons { display: flex; justify-content: flex-end; gap: 8px; }
    button.danger-primary { background: var(--error-fg); border-color: var(--error-fg); color: var(--surface); }
  `];

  declare options: AskOptions;
  private settle: (answer: Answer | null) => void = () => {};

  /** Opens the dialog; resolves with the answer, or null when cancelled. */
  ask(options: AskOptions): Promise<Answer | null> {
    this.options = options;
    return new Promise((resolve) => {
      this.settle = (answer) => {
        this.settle = () => {};
        resolve(answer);
        this.remove();
      };
      void this.updateComplete.then(() => {
        const dialog = this.renderRoot.querySelector('dialog')!;
        dialog.showModal();
        const input = this.renderRoot.querySelector('input[name="value"]') as HTMLInputElement | null;
        if (input) input.select();
        else (this.renderRoot.querySelector('button[type="submit"]') as HTMLButtonElement | null)?.focus();
      });
    });
  }

  private onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (form.elements.namedItem('value') as HTMLInputElement | null)?.value.trim() ?? '';
    if (this.options.input && !form.reportValidity()) return;
    this.settle({ value, checked: (form.elements.namedItem('tick') as HTMLInputElement | null)?.checked ?? false });
  };

  override render() {
    const o = this.options;
    if (!o) return nothing;
    return html`
      <dialog data-testid="dialog" aria-labelledby="title" @cancel=${() => this.settle(null)} @close=${() => this.settle(null)}>
        <form method="dialog" @submit=${this.onSubmit}>
          <h2 id="title">${o.title}</h2>
          ${o.message ? html`<p>${o.message}</p>` : nothing}
          ${o.input ? html`<label class="text">${o.input.label}
            <input name="value" data-testid="dialog-input" required .value=${o.input.value} pattern=${o.input.pattern ?? nothing} autocomplete="off" spellcheck="false">
            ${o.input.hint ? html`<span class="hint">${o.input.hint}</span>` : nothing}</label>` : nothing}
          ${o.checkbox ? html`<label class="tick"><input type="checkbox" name="tick" data-testid="dialog-tick" ?checked=${o.checkbox.checked}> ${o.checkbox.label}</label>` : nothing}
          <div class="buttons">
            <button type="button" data-testid="dialog-cancel" @click=${() => this.settle(null)}>Cancel</button>
            <button type="submit" data-testid="dialog-confirm" class=${o.danger ? 'danger-primary' : 'primary'}>${o.confirm}</button>
          </div>
        </form>
      </dialog>`;
  }
}

/** Asks in a modal dialog; null when cancelled. */
export function ask(options: AskOptions): Promise<Answer | null> {
  const dialog = document.createElement('assay-dialog');
  document.body.append(dialog);
  return dialog.ask(options);
}

/** A line at the foot of the page with one action (Undo), gone after `ms` or when acted on. */
export class AssayToast extends LitElement {
  static properties = { text: { attribute: false }, action: { attribute: false }, failure: { state: true } };

  static styles = [controlStyles, css`
    :host { position: fixed; left: 50%; bottom: 20px; transform: translateX(-50%); z-index: 50; max-width: calc(100vw - 32px); }
    .toast { display: flex; gap: 12px; align-items: center; padding: 10px 14px; border-radius: 10px; background: var(--fg); color: var(--bg); box-shadow: 0 4px 16px rgb(0 0 0 / .25); font-size: 13px; }
    .toast button { background: transparent; color: var(--bg); border-color: var(--bg); }
    .failure { color: var(--error-border); }
  `];

  declare text: string;
  declare action: { label: string; run: () => Promise<void> };
  declare failure: string;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.failure = '';
  }

  show(ms: number): void {
    this.timer = setTimeout(() => this.remove(), ms);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
  }

  private act = async () => {
    if (this.timer) clearTimeout(this.timer);
    try {
      await this.action.run();
      this.remove();
    } catch (err) {
      // Said where the user looked; gone after a while like the toast itself.
      this.failure = err instanceof Error ? err.message : String(err);
      this.timer = setTimeout(() => this.remove(), 8000);
    }
  };

  override render() {
    return html`<div class="toast" role="status" data-testid="toast">
      <span>${this.text}</span>
      ${this.failure ? html`<span class="failure" role="alert">${this.failure}</span>`
        : html`<button data-testid="toast-action" @click=${this.act}>${this.action.label}</button>`}
    </div>`;
  }
}

/** Shows `text` with an action button for `ms` (one toast at a time: a new one replaces the last). */
export function toast(text: string, action: AssayToast['action'], ms = 10_000): void {
  document.querySelectorAll('assay-toast').forEach((t) => t.remove());
  const el = document.createElement('assay-toast');
  el.text = text;
  el.action = action;
  document.body.append(el);
  el.show(ms);
}

customElements.define('assay-dialog', AssayDialog);
customElements.define('assay-toast', AssayToast);

declare global {
  interface HTMLElementTagNameMap {
    'assay-dialog': AssayDialog;
    'assay-toast': AssayToast;
  }
}
