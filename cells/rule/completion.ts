// The rule cell's editor completion: check types after `check:`, the input's columns after
// `column:` or in `columns: [`, and the option keys of the rule a line belongs to.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { CHECK_HELP, CHECK_OPTIONS, COMMON_OPTIONS, type CheckName } from '../../rules/vocabulary.ts';
import { completeColumns, completeKeys, completeWords } from '../completion.ts';

export function completeRule(ctx: CompletionContext, columnsByCell: Record<string, string[]>): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const checkValue = /^\s*(?:-\s+)?check:\s*(\w*)$/.exec(before);
  if (checkValue) return completeWords(ctx.pos, checkValue[1]!, Object.keys(CHECK_OPTIONS), CHECK_HELP);
  const columnValue = /^\s*(?:-\s+)?column:\s*([^\s,\]]*)$/.exec(before) ?? /columns:\s*\[(?:[^\]]*,\s*)?([^\s,\]]*)$/.exec(before);
  if (columnValue) return completeColumns(ctx.pos, columnValue[1]!, ctx.state.doc.toString(), columnsByCell);
  const key = /^(\s*)(-\s+)?(\w*)$/.exec(before);
  if (!key || (!key[1] && !key[2])) return null;
  if (!key[3] && !ctx.explicit) return null;
  // The rule this line belongs to: upwards to the line that starts its list item.
  const item = ruleItem(ctx, line.number, key[2] ? key[1]!.length : key[1]!.length - 2);
  if (!item) return null;
  const check = (item.check in CHECK_OPTIONS ? item.check : '') as CheckName | '';
  return completeKeys(ctx.pos, key[3]!, [...COMMON_OPTIONS, ...(check ? CHECK_OPTIONS[check] : [])], item.keys);
}

/** The `check` and keys of the list item whose `- ` sits at `indent`, if this line is inside one. */
function ruleItem(ctx: CompletionContext, lineNumber: number, indent: number): { check: string; keys: string[] } | null {
  const doc = ctx.state.doc;
  let start = -1;
  for (let n = lineNumber; n >= 1; n--) {
    const text = doc.line(n).text;
    const dash = /^(\s*)-\s/.exec(text);
    if (dash && dash[1]!.length === indent) { start = n; break; }
    if (n < lineNumber && text.trim() && !text.startsWith(' '.repeat(indent + 1)) && !dash) return null;
  }
  if (start < 0) return null;
  const keys: string[] = [];
  let check = '';
  for (let n = start; n <= doc.lines; n++) {
    const text = doc.line(n).text;
    if (n > start && (/^\s*-\s/.test(text) && /^(\s*)/.exec(text)![1]!.length <= indent)) break;
    if (n > start && text.trim() && /^(\s*)/.exec(text)![1]!.length <= indent) break;
    const k = /^\s*(?:-\s+)?(\w+):/.exec(text);
    if (k && n !== lineNumber) keys.push(k[1]!);
    const c = /^\s*(?:-\s+)?check:\s*(\w+)/.exec(text);
    if (c) check = c[1]!;
  }
  return { check, keys };
}
