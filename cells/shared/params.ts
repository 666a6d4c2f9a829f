// `$name` parameters: a cell names an input cell's value as `$min_cases`. Finding the names
// makes the graph's edges (a cell that uses `$x` reads cell `x`, so changing `x` re-runs it and
// what depends on it); resolving them reads each input cell's result `.value`. `$$` and `\$`
// stand for a literal `$`, and `$` before anything but a letter or `_` ("costs $5") is text.
// No polars and no kind: rules/, the expression language, every kind and the page share it.
import { CellError } from '../kind.ts';
import { closest } from './closest.ts';

/** A parameter's value, as an input cell's result holds it (a date is its 'YYYY-MM-DD' text). */
export type ParamValue = number | string | boolean | null;
export type ParamValues = Record<string, ParamValue>;

export interface ParamRef {
  name: string;
  /** Offsets of `$name` in the text. */
  start: number;
  end: number;
}

/** A parameter's name: what a cell name may be and a `$` reference can hold. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ScanOptions {
  /**
   * Quote characters whose contents are text, not code: a `$x` inside `'…'` in an expression
   * or a query is left alone (a doubled quote stands for itself). None for plain text (titles).
   */
  quotes?: string;
}

/** The `$name` references in a text, in order (the same name may come more than once). */
export function findParams(text: string, opts: ScanOptions = {}): ParamRef[] {
  const out: ParamRef[] = [];
  const quotes = opts.quotes ?? '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      }
      continue;
    }
    if (quotes.includes(c)) { quote = c; continue; }
    if (c === '\\' && text[i + 1] === '$') { i++; continue; }
    if (c !== '$') continue;
    if (text[i + 1] === '$') { i++; continue; }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 201));
    if (!m) continue;
    out.push({ name: m[0], start: i, end: i + 1 + m[0].length });
    i += m[0].length;
  }
  return out;
}

/** The distinct names a text refers to. */
export function paramNames(text: string, opts: ScanOptions = {}): string[] {
  return [...new Set(findParams(text, opts).map((r) => r.name))];
}

/**
 * The distinct `$names` in every text of a parsed config (a rule list, a chart spec), except
 * under keys whose text is another language's: `quoted` keys are read with quotes (expressions),
 * `skip` keys are not read at all (a regex, where `$` means the end of a line).
 */
export function paramNamesIn(value: unknown, keys: { quoted?: string[]; skip?: string[] } = {}): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key?: string) => {
    if (key !== undefined && keys.skip?.includes(key)) return;
    if (typeof v === 'string') {
      for (const name of paramNames(v, key !== undefined && keys.quoted?.includes(key) ? { quotes: EXPRESSION_QUOTES } : {})) out.add(name);
    } else if (Array.isArray(v)) {
      v.forEach((item) => walk(item, key));
    } else if (v && typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, item] of Object.entries(v)) walk(item, k);
    }
  };
  walk(value);
  return [...out];
}

/** The quotes of the expression language: text in '…' and "…", names in `…`. */
export const EXPRESSION_QUOTES = '\'"`';

/** A value as text: a title, a threshold. Numbers as JavaScript writes them, null as nothing. */
export function paramText(value: ParamValue): string {
  return value === null ? '' : String(value);
}

/** `text` with each `$name` replaced by its value's text and `$$`/`\$` by `$`. */
export function substituteText(text: string, values: ParamValues): string {
  let out = '';
  let last = 0;
  for (const ref of findParams(text)) {
    out += unescapeDollars(text.slice(last, ref.start)) + paramText(valueOf(values, ref.name));
    last = ref.end;
  }
  return out + unescapeDollars(text.slice(last));
}

function unescapeDollars(text: string): string {
  return text.replace(/\\\$|\$\$/g, '$');
}

/**
 * A parsed config with its parameters put in: a text that is one `$name` alone becomes the
 * value itself (`min: $min_cases` is the number), other texts get each value's text
 * (`fail_if: "> $max_bad"`). Under `keep` keys (expressions, which bind values themselves;
 * regexes) nothing changes.
 */
export function substituteIn<T>(value: T, values: ParamValues, keep: string[] = []): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (key !== undefined && keep.includes(key)) return v;
    if (typeof v === 'string') {
      const refs = findParams(v);
      if (refs.length === 1 && refs[0]!.start === 0 && refs[0]!.end === v.length) return valueOf(values, refs[0]!.name);
      return refs.length ? substituteText(v, values) : v;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, key));
    if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    return v;
  };
  return walk(value) as T;
}

function valueOf(values: ParamValues, name: string): ParamValue {
  if (!Object.hasOwn(values, name)) throw unknownParam(name, Object.keys(values));
  return values[name]!;
}

/** The error of a `$name` that names no input cell, with the nearest one. */
export function unknownParam(name: string, known: string[]): CellError {
  return new CellError('unknown_param', `no input cell "${name}"${closest(name, known)}${known.length ? '' : ' (this cell reads no input cell)'}`, { param: name });
}

/** What an input cell's result holds: the value dependents read. */
interface InputResult { type: string; value: ParamValue }

const isInputResult = (r: unknown): r is InputResult =>
  Boolean(r && typeof r === 'object' && 'value' in r && typeof (r as { type?: unknown }).type === 'string');

/**
 * The values of `names` from a run's inputs (keyed by cell name, as RunArgs.inputs): each is
 * the input cell's result `.value`. A name with no such input, or naming a cell that is no
 * input cell, is a cell error naming it.
 */
export function paramValues(names: string[], inputs: Record<string, { result: unknown } | undefined>): ParamValues {
  const out: ParamValues = {};
  const inputCells = Object.keys(inputs).filter((k) => isInputResult(inputs[k]?.result));
  for (const name of names) {
    const result = inputs[name]?.result;
    if (inputs[name] && !isInputResult(result)) {
      throw new CellError('unknown_param', `"$${name}" names cell "${name}", which is not an input cell: a $name refers to an input cell's value`, { param: name });
    }
    if (!isInputResult(result)) throw unknownParam(name, inputCells);
    out[name] = result.value;
  }
  return out;
}
