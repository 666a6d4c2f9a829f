import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { completeNote } from './completion.ts';

const columns = { weather: ['date', 'temp_max', 'Odd name'], covid: ['cases'] };

/** The labels offered with the cursor at `¦` in `text`. */
function offered(text: string, explicit = false): string[] {
  const pos = text.indexOf('¦');
  const result = completeNote(new CompletionContext(EditorState.create({ doc: text.replace('¦', '') }), pos, explicit), columns);
  return result ? result.options.map((o) => o.label) : [];
}

test('note completion: cells after ${, what a table\'s result holds after ${cell., its columns after data[0].', () => {
  assert.deepEqual(offered('text: |\n  We saw ${w¦'), ['weather', 'covid']);
  assert.deepEqual(offered('text: |\n  We saw ${weather.¦'), ['rows', 'columns.length', 'data[0].']);
  assert.deepEqual(offered('text: |\n  ${weather.data[0].te¦'), ['date', 'temp_max'], 'a column that is no plain name is left out');
  assert.deepEqual(offered('text: |\n  \\${weather.¦'), [], 'an escaped ${ is text');
  assert.deepEqual(offered('text: |\n  ${unknown.¦'), []);
  assert.deepEqual(offered('te¦'), ['text: ']);
  assert.deepEqual(offered('text: |\n  plain prose ¦'), []);
});
