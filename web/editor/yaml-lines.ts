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

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * 1-based line of a key an error names: `y` (top level), or `y.aggregate` inside y's mapping,
 * written as a block below it or as `{…}` on its line. The parent's line when the inner key is
 * not written (a default), undefined when the key is not in the text at all.
 */
export function keyLine(text: string, path: string): number | undefined {
  const [top, inner] = path.split('.');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^${escaped(top!)}\\s*:`).test(l));
  if (at < 0) return undefined;
  if (!inner) return at + 1;
  if (new RegExp(`[{,]\\s*${escaped(inner)}\\s*:`).test(lines[at]!)) return at + 1;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim() || /^\s*#/.test(l)) continue;
    if (!/^\s/.test(l)) break;
    if (new RegExp(`^\\s+${escaped(inner)}\\s*:`).test(l)) return i + 1;
  }
  return at + 1;
}
