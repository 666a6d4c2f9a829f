// Completion in a transform cell's editor: the step names after a list item's "-", each with
// its help; inside a step, the words its options take (a cast's types, a join's `how`, an
// aggregate), other cells after `with:` or in a union, and the input's column names elsewhere;
// the config's own keys at the start of a line. No polars: the browser imports this.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { completeColumns, completeKeys, completeWords } from '../completion.ts';
import { CASES, CAST_TYPES, DATE_ORDERS, OPTION_WORDS, STEP_HELP, STEP_NAMES, STEP_OPTIONS, type StepName } from './vocabulary.ts';

const KEYS = ['input', 'steps', 'limit_preview'];
const KEY_HELP: Record<string, string> = {
  input: 'the cell whose table the steps start from', steps: 'the steps, in order: - filter: …', limit_preview: 'rows kept in the preview (the grid reads the rest)',
};
// What a column's value is in the steps that map columns to a word.
const VALUE_WORDS: Partial<Record<StepName, readonly string[]>> = { cast: [...CAST_TYPES, ...DATE_ORDERS], case: CASES };

/** The step the line at `lineNumber` belongs to: the nearest "- name:" at or above it. */
function stepAt(ctx: CompletionContext, lineNumber: number): StepName | undefined {
  for (let n = lineNumber; n >= 1; n--) {
    const text = ctx.state.doc.line(n).text;
    const m = /^\s*-\s*(\w+)\s*:/.exec(text);
    if (m) return (STEP_NAMES as string[]).includes(m[1]!) ? (m[1] as StepName) : undefined;
    if (/^\w/.test(text)) return undefined;
  }
  return undefined;
}

export function completeTransform(ctx: CompletionContext, columnsByCell: Record<string, string[]>): CompletionResult | null {
  const { state, pos } = ctx;
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const doc = state.doc.toString();
  const typed = /[\w]*$/.exec(before)![0];
  let m: RegExpExecArray | null;
  if ((m = /^(\w*)$/.exec(before))) {
    if (!m[1] && !ctx.explicit) return null;
    return completeKeys(pos, m[1]!, KEYS, [...doc.matchAll(/^(\w+)\s*:/gm)].map((k) => k[1]!), KEY_HELP);
  }
  // A new step: its name, written as the key it is.
  if ((m = /^\s*-\s+(\w*)$/.exec(before))) {
    return { from: pos - m[1]!.length, options: STEP_NAMES.map((s) => ({ label: `${s}: `, displayLabel: s, type: 'function', detail: STEP_HELP[s] })), validFor: /^\w*$/ };
  }
  const cells = Object.keys(columnsByCell);
  if (/\bwith:\s*\w*$/.test(before) || /^\s*-\s*union:\s*\[?(?:[\w]+\s*,\s*)*\w*$/.test(before)) return completeWords(pos, typed, cells, {}, 'class');
  if ((m = /\b(strategy|keep|how|aggregate|descending):\s*\[?(?:\w+\s*,\s*)*(\w*)$/.exec(before))) return completeWords(pos, typed, OPTION_WORDS[m[1]!]!);
  const step = stepAt(ctx, line.number);
  if (!step) return null;
  // `{a: sum, b: [sum, max]}` in a group_by's aggregate: after a column's colon, an aggregate.
  if (step === 'group_by' && /\baggregate:.*\w+\s*:\s*\[?(?:\w+\s*,\s*)*\w*$/.test(before)) return completeWords(pos, typed, OPTION_WORDS.aggregate!);
  const words = VALUE_WORDS[step];
  if (words && /\w\s*:\s*\w*$/.test(before) && !new RegExp(`-\\s*${step}:\\s*\\w*$`).test(before)) return completeWords(pos, typed, words);
  // Inside an options mapping ({with: …, on: …}): its keys where a key goes.
  const options = STEP_OPTIONS[step];
  if (options && /[{,]\s*\w*$/.test(before)) {
    const written = [...before.matchAll(/[{,]\s*(\w+)\s*:/g)].map((k) => k[1]!);
    const keys = completeKeys(pos, typed, options, written);
    if (keys) return keys;
  }
  if (!typed && !ctx.explicit && !/[[{,:]\s*$/.test(before)) return null;
  return completeColumns(pos, typed, doc, columnsByCell);
}
