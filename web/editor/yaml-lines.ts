// Where things are in a cell's YAML text, for diagnostics that results report by position in a list.

/** 1-based line where each item of the top-level `key:` list starts. */
export function listItemLines(text: string, key: string): number[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^${key}:\\s*$`).test(l));
  if (at < 0) return [];
  const out: number[] = [];
  let indent: number | undefined;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim() || /^\s*#/.test(l)) continue;
    if (!/^\s/.test(l) && !l.startsWith('-')) break;
    const dash = /^(\s*)-(\s|$)/.exec(l);
    if (dash && (indent === undefined || dash[1]!.length === indent)) {
      indent ??= dash[1]!.length;
      out.push(i + 1);
    }
  }
  return out;
}
