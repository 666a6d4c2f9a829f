// Completion in a chart cell's editor: mark names after `mark:`, the input's columns (and
// aggregate shorthands) after a channel, aggregates, bins, scales and sort values after their
// keys, and the keys themselves, top-level or inside a channel's mapping (block or `{…}`).
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Text } from '@codemirror/state';
import {
  AGGREGATE_HELP, AGGREGATES, CHANNEL_HELP, CHANNELS, ENCODING_KEY_HELP, ENCODING_KEYS, MARK_HELP, MARKS, SCALES, SORT_VALUES,
  SPEC_KEYS, TIME_BUCKETS,
} from './vocabulary.ts';
import { completeColumns, completeKeys, completeWords } from '../completion.ts';

const CHANNEL = `(?:${CHANNELS.join('|')})`;
const KEY_HELP: Record<string, string> = {
  ...CHANNEL_HELP, input: 'the cell whose table is charted', mark: MARKS.filter((m) => m !== 'cell').join(', '), title: 'shown above the chart',
  filter: "rows to chart, e.g. amount > 0 and region = 'EU'", sort: 'x, -x, y, -y, …', limit: 'at most this many bars (or rows)', height: 'in pixels',
};
const BIN_WORDS = ['true', 'false', ...TIME_BUCKETS];
const BIN_HELP: Record<string, string> = { true: 'numbers in about 20 bins; dates by the best bucket', false: 'raw values, no bins' };

/** `count()` and `mean(` … : what a channel's value can be besides a column. */
const SHORTHANDS: Completion[] = AGGREGATES.map((a) => (a === 'count'
  ? { label: 'count()', type: 'function', detail: 'the number of rows', boost: -1 }
  : { label: `${a}(`, displayLabel: `${a}(…)`, type: 'function', detail: AGGREGATE_HELP[a], boost: -1 }));

const keysIn = (text: string) => [...text.matchAll(/(?:^|[{,\s])(\w+)\s*:/g)].map((m) => m[1]!);

/** The key whose block holds line `lineNumber` at `indent`, and the keys written in that block. */
function parentBlock(doc: Text, lineNumber: number, indent: number): { key: string; keys: string[] } | null {
  let parent = 0;
  for (let n = lineNumber - 1; n >= 1; n--) {
    const text = doc.line(n).text;
    if (!text.trim() || /^\s*#/.test(text)) continue;
    if (/^(\s*)/.exec(text)![1]!.length < indent) { parent = n; break; }
  }
  if (!parent) return null;
  const key = /^\s*(\w+):\s*(#.*)?$/.exec(doc.line(parent).text)?.[1];
  if (!key) return null;
  const keys: string[] = [];
  for (let n = parent + 1; n <= doc.lines; n++) {
    const text = doc.line(n).text;
    if (!text.trim()) continue;
    if (/^(\s*)/.exec(text)![1]!.length < indent) break;
    if (n !== lineNumber) keys.push(...keysIn(text).slice(0, 1));
  }
  return { key, keys };
}

export function completeChart(ctx: CompletionContext, columnsByCell: Record<string, string[]>): CompletionResult | null {
  const { state, pos } = ctx;
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const doc = state.doc.toString();
  let m: RegExpExecArray | null;
  if ((m = /^mark:\s*(\w*)$/.exec(before))) return completeWords(pos, m[1]!, MARKS, MARK_HELP);
  if ((m = /\baggregate:\s*(\w*)$/.exec(before))) return completeWords(pos, m[1]!, AGGREGATES, AGGREGATE_HELP);
  if ((m = /\bbin:\s*(\w*)$/.exec(before))) return completeWords(pos, m[1]!, BIN_WORDS, BIN_HELP);
  if ((m = /\bscale:\s*(\w*)$/.exec(before))) return completeWords(pos, m[1]!, SCALES);
  if ((m = /^sort:\s*(-?\w*)$/.exec(before))) return completeWords(pos, m[1]!, SORT_VALUES);
  if ((m = /\bfield:\s*([^\s,}]*)$/.exec(before))) return completeColumns(pos, m[1]!, doc, columnsByCell);
  // Inside a shorthand: `y: mean(te`.
  if ((m = new RegExp(`^${CHANNEL}:\\s*\\w+\\(([^)\\s]*)$`).exec(before))) return completeColumns(pos, m[1]!, doc, columnsByCell);
  // A channel's value: a column, or an aggregate.
  if ((m = new RegExp(`^${CHANNEL}:(\\s*)([^\\s{(]*)$`).exec(before))) {
    if (!m[1] && !ctx.explicit) return null;
    return completeColumns(pos, m[2]!, doc, columnsByCell, SHORTHANDS);
  }
  // Keys of a `{…}` mapping: `x: {field: date, b`.
  if ((m = new RegExp(`^${CHANNEL}:\\s*\\{((?:[^}]*,)?)\\s*(\\w*)$`).exec(before))) {
    return completeKeys(pos, m[2]!, ENCODING_KEYS, keysIn(m[1]!), ENCODING_KEY_HELP);
  }
  if ((m = /^(\w*)$/.exec(before))) {
    if (!m[1] && !ctx.explicit) return null;
    return completeKeys(pos, m[1]!, SPEC_KEYS, [...doc.matchAll(/^(\w+)\s*:/gm)].map((k) => k[1]!), KEY_HELP);
  }
  if ((m = /^(\s+)(\w*)$/.exec(before))) {
    if (!m[2] && !ctx.explicit) return null;
    const block = parentBlock(state.doc, line.number, m[1]!.length);
    if (block && (CHANNELS as readonly string[]).includes(block.key)) return completeKeys(pos, m[2]!, ENCODING_KEYS, block.keys, ENCODING_KEY_HELP);
  }
  return null;
}
