// <assay-input-view>: an input cell's widget (number field, or a slider when min and max are
// set; text; date picker; select; switch) with its label. A value that does not fit is refused
// where it is typed (the field says why, checkValue's words); a fitting one is sent up as a
// `config-edit` event whose `edit` sets `value:` in the cell's YAML: the cell saves it through
// the normal config update (web/notebook/cell.ts), and the server re-runs the cells that read it.
import { css, html, LitElement, nothing } from 'lit';
import { viewStyles } from '../kit/view-styles.ts';
import type { InputResult } from './face.ts';
import { checkValue, type InputValue } from './value.ts';

/** A change a view makes to its cell's YAML: the page applies `edit` to the config text and saves it. */
export interface ConfigEditDetail { edit: (config: string) => Promise<string>; value: InputValue }

export class InputView extends LitElement {
  static properties = { result: { attribute: false }, partial: { attribute: false }, readOnly: { attribute: false }, cellName: { attribute: false }, problem: { state: true } };
  static styles = [viewStyles, css`
    .widget { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    label { font-weight: 600; }
    input[type='number'], input[type='date'], select {
      font: inherit; font-size: 13px; padding: 4px 8px; border-radius: 6px;
      border: 1px solid var(--border); background: var(--surface); color: var(--fg);
    }
    input[type='range'] { width: 220px; }
    input[aria-invalid='true'] { border-color: var(--danger, #c62828); }
    .problem { color: var(--danger, #c62828); font-size: 12px; }
  `];

  declare result: InputResult | null;
  declare partial: boolean;
  /** A viewer's page: the widget shows the value and changes nothing. */
  declare readOnly: boolean;
  /** The cell's name: the label when the config gives none. */
  declare cellName: string;
  declare problem: string;

  constructor() {
    super();
    this.result = null;
    this.partial = false;
    this.readOnly = false;
    this.cellName = '';
    this.problem = '';
  }

  /** Checks what was typed; sends it up only when it fits (`commit`), else says why here. */
  private offer(raw: unknown, commit: boolean) {
    const r = this.result!;
    const checked = checkValue({ type: r.type, min: r.min, max: r.max, options: r.options }, raw, this.label());
    this.problem = 'problem' in checked ? checked.problem : '';
    if (!commit || this.readOnly || 'problem' in checked || checked.value === r.value) return;
    const { value } = checked;
    this.dispatchEvent(new CustomEvent<ConfigEditDetail>('config-edit', { detail: { edit: async (config) => (await import('./value-text.ts')).withValueText(config, value), value }, bubbles: true, composed: true }));
  }

  private label(): string {
    return this.result?.label || this.cellName || 'value';
  }

  override render() {
    const r = this.result;
    if (!r || typeof r !== 'object' || !('type' in r)) return nothing;
    const id = 'input';
    const text = (e: Event) => (e.target as HTMLInputElement).value;
    let field;
    switch (r.type) {
      case 'number':
      case 'integer': {
        const step = r.type === 'integer' ? '1' : 'any';
        const slider = typeof r.min === 'number' && typeof r.max === 'number';
        field = html`
          ${slider ? html`<input type="range" data-testid="input-slider" ?disabled=${this.readOnly} min=${r.min!} max=${r.max!} step=${r.type === 'integer' ? 1 : ((r.max as number) - (r.min as number)) / 100 || 'any'}
              .value=${String(r.value ?? '')} aria-label=${this.label()} @change=${(e: Event) => this.offer(text(e), true)}>` : nothing}
          <input type="number" id=${id} data-testid="input-field" ?disabled=${this.readOnly} step=${step} min=${r.min ?? nothing} max=${r.max ?? nothing} .value=${String(r.value ?? '')}
            aria-invalid=${this.problem ? 'true' : 'false'}
            @input=${(e: Event) => this.offer(text(e), false)} @change=${(e: Event) => this.offer(text(e), true)}>`;
        break;
      }
      case 'text':
        field = html`<input type="text" id=${id} data-testid="input-field" ?disabled=${this.readOnly} .value=${String(r.value ?? '')}
          @change=${(e: Event) => this.offer(text(e), true)}>`;
        break;
      case 'date':
        field = html`<input type="date" id=${id} data-testid="input-field" ?disabled=${this.readOnly} min=${r.min ?? nothing} max=${r.max ?? nothing} .value=${String(r.value ?? '')}
          aria-invalid=${this.problem ? 'true' : 'false'}
          @input=${(e: Event) => this.offer(text(e), false)} @change=${(e: Event) => this.offer(text(e), true)}>`;
        break;
      case 'choice':
        field = html`<select id=${id} data-testid="input-field" ?disabled=${this.readOnly} @change=${(e: Event) => this.offer(text(e), true)}>
          ${(r.options ?? []).map((o) => html`<option .value=${String(o)} ?selected=${String(o) === String(r.value)}>${String(o)}</option>`)}
        </select>`;
        break;
      case 'boolean':
        field = html`<input type="checkbox" role="switch" id=${id} data-testid="input-field" ?disabled=${this.readOnly} .checked=${r.value === true}
          @change=${(e: Event) => this.offer((e.target as HTMLInputElement).checked, true)}>`;
        break;
    }
    return html`
      <div class="widget" data-testid="input-widget">
        <label for=${id}>${this.label()}</label>
        ${field}
      </div>
      ${this.problem ? html`<p class="problem" role="alert" data-testid="input-problem">${this.problem}</p>` : nothing}
    `;
  }
}

customElements.define('assay-input-view', InputView);

declare global {
  interface HTMLElementTagNameMap {
    'assay-input-view': InputView;
  }
}
