import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { AGGREGATES, MARKS } from './vocabulary.ts';
import { completeChart } from './completion.ts';

const columns = { weather: ['date', 'temp_max', 'weather'] };

/** The labels offered with the cursor at `|` in `text`. */
function offered(text: string, explicit = false): string[] {
  const pos = text.indexOf('|');
  const doc = text.replace('|', '');
  const result = completeChart(new CompletionContext(EditorState.create({ doc }), pos, explicit), columns);
  return result ? result.options.map((o) => o.displayLabel ?? o.label) : [];
}

test('chart completion: marks, columns with aggregate shorthands, aggregates, bins, keys', () => {
  assert.deepEqual(offered('input: weather\nmark: b|'), [...MARKS]);
  const x = offered('input: weather\nx: te|');
  assert.deepEqual(x.slice(0, 3), columns.weather);
  assert.ok(x.includes('count()') && x.includes('mean(…)'));
  assert.deepEqual(offered('input: weather\ny: mean(t|'), columns.weather);
  assert.deepEqual(offered('input: weather\ny: {field: te|'), columns.weather);
  assert.deepEqual(offered('input: weather\ny:\n  field: temp_max\n  aggregate: m|'), [...AGGREGATES]);
  assert.ok(offered('input: weather\nx: {field: date, bin: m|').includes('month'));
  assert.ok(offered('input: weather\ny: {scale: |').includes('log'));
  assert.ok(offered('input: weather\nsort: -|').includes('-y'));
  // Keys: the top level's not yet written, a channel's mapping (block or flow).
  const top = offered('input: weather\nx: date\nf|');
  assert.ok(top.includes('filter') && top.includes('facet') && !top.includes('x') && !top.includes('input'));
  assert.deepEqual(offered('input: weather\ny:\n  field: temp_max\n  ag|'), ['aggregate', 'bin', 'label', 'format', 'scale']);
  assert.deepEqual(offered('input: weather\nx: {field: date, |', true), ['aggregate', 'bin', 'label', 'format', 'scale']);
  // Columns of another input, or of none known: no column options, only shorthands.
  assert.ok(!offered('input: other\nx: |').includes('date'));
  assert.deepEqual(offered('input: weather\n|'), [], 'no list pops up on an empty line unless asked');
});
