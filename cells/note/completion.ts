// Completion in a note's editor: after `${`, the cells whose results have columns (tables);
// after `${cell.`, what such a result holds (rows, columns, data[0]); after `${cell.data[0].`,
// the table's columns. The key `text` at the start of a line. No markdown-it: the browser imports this.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { completeKeys } from '../completion.ts';

const TABLE_PATHS: [string, string][] = [
  ['rows', 'how many rows its table holds'],
  ['columns.length', 'how many columns'],
  ['data[0].', 'a value of the first row (data holds its first 1,000 rows)'],
];

export function completeNote(ctx: CompletionContext, columnsByCell: Record<string, string[]>): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  let m: RegExpExecArray | null;
  if ((m = /^(\w*)$/.exec(before))) {
    if (!m[1] && !ctx.explicit) return null;
    return completeKeys(ctx.pos, m[1]!, ['text'], [...ctx.state.doc.toString().matchAll(/^(\w+)\s*:/gm)].map((k) => k[1]!), { text: 'the note, in Markdown: text: |' });
  }
  if ((m = /(?<!\\)\$\{\s*([A-Za-z_]\w*)\.data\[\d+\]\.(\w*)$/.exec(before))) {
    return { from: ctx.pos - m[2]!.length, options: (columnsByCell[m[1]!] ?? []).filter((c) => /^[A-Za-z_]\w*$/.test(c)).map((c) => ({ label: c, type: 'property', detail: `column of ${m![1]}` })), validFor: /^\w*$/ };
  }
  if ((m = /(?<!\\)\$\{\s*([A-Za-z_]\w*)\.([\w.[\]]*)$/.exec(before)) && columnsByCell[m[1]!]) {
    return { from: ctx.pos - m[2]!.length, options: TABLE_PATHS.map(([label, detail]) => ({ label, type: 'property', detail })), validFor: /^[\w.[\]]*$/ };
  }
  if ((m = /(?<!\\)\$\{\s*(\w*)$/.exec(before))) {
    return { from: ctx.pos - m[1]!.length, options: Object.keys(columnsByCell).map((c) => ({ label: c, type: 'class', detail: 'cell' })), validFor: /^\w*$/ };
  }
  return null;
}
