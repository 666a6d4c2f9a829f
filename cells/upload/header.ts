import type { UploadWarning } from './types.ts';

/** Unique, non-empty column names; every rename is reported. */
export function uniqueNames(header: string[]): { names: string[]; warnings: UploadWarning[] } {
  const warnings: UploadWarning[] = [];
  const seen = new Set<string>();
  const names = header.map((raw, i) => {
    let name = raw.trim();
    if (name === '') {
      name = `column_${i + 1}`;
      warnings.push({ code: 'empty_header', message: `column ${i + 1} has no name; it is called "${name}"`, column: name });
    }
    const base = name;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    if (name !== base) {
      warnings.push({ code: 'duplicate_header', message: `column ${i + 1} repeats the name "${base}"; it is called "${name}"`, column: name });
    }
    seen.add(name);
    return name;
  });
  return { names, warnings };
}
