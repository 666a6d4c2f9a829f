// The input cell's result as the CLI, run history, the report and a run comparison show it:
// its value. A comparison names an input whose value changed between two runs.
import type { KindFace } from '../face.ts';
import { esc } from '../report-html.ts';
import type { InputType, InputValue } from './value.ts';

export interface InputResult {
  type: InputType;
  value: InputValue;
  /** The widget's label, when the config gives one (the page shows the cell's name otherwise). */
  label: string | null;
  min?: number | string;
  max?: number | string;
  /** For a choice: the options, as given or read from the table `options_from` names. */
  options?: (string | number)[];
}

const shown = (v: InputValue | undefined) => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? JSON.stringify(v) : String(v));

export const inputFace: KindFace<unknown, InputResult> = {
  // The widget carries its label (or the cell's name): the presentation adds no heading above it.
  present: 'bare',
  summarize: (r) => `${r.label ? `${r.label}: ` : ''}${shown(r.value)}`,
  report: (r, ctx) => `<p><strong>${esc(r.label ?? ctx.cell)}</strong>: ${esc(shown(r.value))}</p>`,
  compare(a, b, cell) {
    if (!a || !b || a.value === b.value) return {};
    return { notes: [{ cell, kind: 'input', text: `${cell} changed from ${shown(a.value)} to ${shown(b.value)}` }] };
  },
};
