// The input cell's YAML with a new `value:`. A file of its own: the page loads it (and the
// yaml package, about 97 KB) only when a widget's value changes, not with every view.
import { isMap, parseDocument } from 'yaml';
import type { InputValue } from './value.ts';

/**
 * The cell's YAML with `value:` set, everything else (comments, order, quoting) as written:
 * the page's widget and a run given values both go through here.
 */
export function withValueText(config: string, value: InputValue): string {
  const doc = parseDocument(config);
  if (!isMap(doc.contents)) return `${config.trimEnd()}\nvalue: ${JSON.stringify(value)}\n`;
  doc.set('value', value);
  return doc.toString();
}
