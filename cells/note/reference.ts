// A live value's reference: a cell's name and a path into its result, as the API returns it:
// `covid.rows`, `covid_rules.summary.fail`, `by_continent.data[0].cases`, `covid.data[0]["Cases (new)"]`.
// No polars: the resolving is a walk over plain JSON; the table rows `data` may need are read
// by the kind (index.ts) and handed in.
import { closest } from '../shared/closest.ts';

export type Segment = string | number;

export interface Reference {
  cell: string;
  path: Segment[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Reads `cell.key[0]["a key"]`; a string says what is wrong with it. */
export function parseReference(text: string): Reference | string {
  const src = text.trim();
  const cell = NAME.exec(src)?.[0];
  if (!cell) return `"\${${text}}" does not start with a cell's name: write \${cell.path}, e.g. \${covid.rows}`;
  const path: Segment[] = [];
  let rest = src.slice(cell.length);
  while (rest) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) path.push(m[1]!);
    else if ((m = /^\[\s*(\d+)\s*\]/.exec(rest))) path.push(Number(m[1]));
    else if ((m = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest)) || (m = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest))) path.push(m[1]!.replace(/\\(.)/g, '$1'));
    else return `"\${${text}}": cannot read "${rest}" (a path goes on with .key, [0] or ["a key"])`;
    rest = rest.slice(m[0].length);
  }
  if (!path.length) return `"\${${text}}" names a cell but no value in it: write \${${cell}.rows}, \${${cell}.value} or another path into its result`;
  return { cell, path };
}

/** `covid.data[0].cases`, `covid.data[0]["Cases (new)"]`. */
export function pathText(cell: string, path: readonly Segment[]): string {
  return cell + path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

/** Why a path leads nowhere: names the path, what is there instead, and the nearest key. */
export class PathError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/** How many rows `data` holds when read from a table (the first rows, in the table's order). */
export const DATA_ROWS = 1000;

/** Follows `path` from `root` (a cell's result); a scalar at its end, or a PathError naming where it went wrong. */
export function follow(cell: string, root: unknown, path: readonly Segment[]): string | number | boolean | null {
  let at: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = pathText(cell, path.slice(0, i));
    const full = pathText(cell, path);
    if (Array.isArray(at)) {
      if (seg === 'length') { at = at.length; continue; }
      if (typeof seg !== 'number') throw new PathError(full, `${full}: ${here} is a list of ${at.length}; name an item (${here}[0]) or its length (${here}.length), not "${seg}"`);
      if (seg >= at.length) throw new PathError(full, `${full}: ${here} holds ${at.length} item${at.length === 1 ? '' : 's'} (${here}[0] to ${here}[${Math.max(0, at.length - 1)}])`);
      at = at[seg];
    } else if (at && typeof at === 'object') {
      const keys = Object.keys(at);
      const key = String(seg);
      if (!Object.hasOwn(at, key)) {
        throw new PathError(full, `${full}: ${here} has no "${key}"${closest(key, keys) || (keys.length ? `; it has ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}` : '')}`);
      }
      at = (at as Record<string, unknown>)[key];
    } else {
      throw new PathError(full, `${full}: ${here} is ${describe(at)}, with nothing inside to name "${seg}"`);
    }
  }
  if (at === undefined) at = null;
  if (at !== null && typeof at === 'object') {
    const full = pathText(cell, path);
    const inner = Array.isArray(at)
      ? `a list of ${at.length}; name an item (${full}[0]) or its length (${full}.length)`
      : `a group of values; name one: ${Object.keys(at).slice(0, 12).map((k) => pathText(cell, [...path, k])).join(', ')}`;
    throw new PathError(full, `${full} is ${inner}`);
  }
  return at as string | number | boolean | null;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty (null)';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

/**
 * A note's text (its YAML source) with the cell `from` named `to` in its live values: `${from.…}`
 * and `$from`, not after a backslash. Prose that only mentions the name is left as written.
 */
export function renameInNote(text: string, from: string, to: string): string {
  const name = from.replace(/[^A-Za-z0-9_]/g, '');
  return text
    .replace(new RegExp(`(?<!\\\\)(\\$\\{\\s*)${name}(?=\\s*[.[}])`, 'g'), `$1${to}`)
    .replace(new RegExp(`(?<![\\\\$A-Za-z0-9_])\\$${name}(?![A-Za-z0-9_])`, 'g'), `$$${to}`);
}
