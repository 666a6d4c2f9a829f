// Pieces of completion every kind's editor shares: the input's column names, and a list of
// words (check types, marks, aggregates) with a line of help on each.
import type { Completion, CompletionResult } from '@codemirror/autocomplete';

/** The cell a config reads, from its `input:` line. */
export function inputOf(doc: string): string {
  return /^input:\s*(\S+)/m.exec(doc)?.[1] ?? '';
}

export function columnOptions(doc: string, columnsByCell: Record<string, string[]>): Completion[] {
  const input = inputOf(doc);
  return (columnsByCell[input] ?? []).map((c) => ({ label: c, type: 'property', detail: `column of ${input}` }));
}

/** Completes the input's column names over the `typed` text just before `pos`. */
export function completeColumns(pos: number, typed: string, doc: string, columnsByCell: Record<string, string[]>, extra: Completion[] = []): CompletionResult {
  return { from: pos - typed.length, options: [...columnOptions(doc, columnsByCell), ...extra] };
}

/** Completes one of `words` over the `typed` text just before `pos`, each with its help line. */
export function completeWords(pos: number, typed: string, words: readonly string[], help: Partial<Record<string, string>> = {}, type = 'keyword'): CompletionResult {
  return {
    from: pos - typed.length,
    options: words.map((w) => ({ label: w, type, ...(help[w] ? { detail: help[w] } : {}) })),
    validFor: /^-?\w*$/,
  };
}

/** Completes mapping keys (`key: `) not yet written, over the typed part of one. */
export function completeKeys(pos: number, typed: string, keys: readonly string[], present: string[], help: Partial<Record<string, string>> = {}): CompletionResult | null {
  const options = keys.filter((k) => !present.includes(k)).map((k) => ({ label: `${k}: `, displayLabel: k, type: 'property', ...(help[k] ? { detail: help[k] } : {}) }));
  return options.length ? { from: pos - typed.length, options, validFor: /^\w*$/ } : null;
}
