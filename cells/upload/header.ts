import type { UploadWarning } from './types.ts';

/** Unnamed columns warned of one by one up to this many; more are one warning naming the first and last. */
const LISTED = 3;

/**
 * Unique, non-empty column names; every rename is reported, unnamed columns in one warning
 * ("23 columns had no name: column_5 … column_27"), not one each.
 */
export function uniqueNames(header: string[]): { names: string[]; warnings: UploadWarning[] } {
  const warnings: UploadWarning[] = [];
  const unnamed: { name: string; index: number }[] = [];
  const seen = new Set<string>();
  const names = header.map((raw, i) => {
    let name = raw.trim();
    if (name === '') {
      name = `column_${i + 1}`;
      unnamed.push({ name, index: i });
    }
    const base = name;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    if (name !== base) {
      warnings.push({ code: 'duplicate_header', message: `column ${i + 1} repeats the name "${base}"; it is called "${name}"`, column: name });
    }
    seen.add(name);
    return name;
  });
  // The final names: "column_9" may itself have been made unique.
  const given = unnamed.map((u) => names[u.index]!);
  if (given.length > LISTED) {
    warnings.unshift({ code: 'empty_header', message: `${given.length} columns had no name: ${given[0]} … ${given.at(-1)}`, columns: given });
  } else {
    warnings.unshift(...unnamed.map((u, k) => ({ code: 'empty_header', message: `column ${u.index + 1} has no name; it is called "${given[k]}"`, column: given[k] })));
  }
  return { names, warnings };
}

/**
 * One name per column from a survey export's two header rows: the question row names a
 * question once, over the first of its answer columns, so an empty question cell under an
 * answer takes the question to its left ("Q1 / Yes", "Q1 / No").
 */
export function joinHeaderRows(questions: string[], answers: string[]): string[] {
  let question = '';
  return questions.map((raw, i) => {
    const q = raw.trim();
    const a = (answers[i] ?? '').trim();
    if (q) question = q;
    const asked = q || (a ? question : '');
    return asked && a && asked !== a ? `${asked} / ${a}` : asked || a;
  });
}
