import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { completeTransform } from './completion.ts';

const columns = { weather: ['date', 'temp_max', 'weather'], regions: ['country', 'region'] };

/** The labels offered with the cursor at `¦` in `text`. */
function offered(text: string, explicit = false): string[] {
  const pos = text.indexOf('¦');
  const doc = text.replace('¦', '');
  const result = completeTransform(new CompletionContext(EditorState.create({ doc }), pos, explicit), columns);
  return result ? result.options.map((o) => o.label) : [];
}

test('transform completion: step names after "- ", the input\'s columns inside a step, cells after with: and in a union', () => {
  const steps = offered('input: weather\nsteps:\n  - fi¦');
  assert.ok(steps.includes('filter: ') && steps.includes('fill_null: ') && steps.includes('group_by: '), steps.join());
  assert.deepEqual(offered('input: weather\nsteps:\n  - filter: te¦'), columns.weather);
  assert.deepEqual(offered('input: weather\nsteps:\n  - select: [date, ¦]'), columns.weather);
  assert.deepEqual(offered('input: weather\nsteps:\n  - join: {with: re¦'), ['weather', 'regions']);
  assert.deepEqual(offered('input: weather\nsteps:\n  - union: [regions, w¦'), ['weather', 'regions']);
  assert.deepEqual(offered('input: weather\nsteps:\n  - join: {with: regions, how: l¦'), ['inner', 'left', 'right', 'full', 'semi', 'anti']);
  assert.ok(offered('input: weather\nsteps:\n  - cast: {date: D¦').includes('DMY'));
  assert.ok(offered('input: weather\nsteps:\n  - group_by:\n      by: weather\n      aggregate: {temp_max: m¦').includes('mean'));
  assert.deepEqual(offered('input: weather\nsteps:\n  - fill_null: {temp_max: {strategy: f¦'), ['forward', 'backward', 'mean', 'min', 'max', 'zero']);
  assert.deepEqual(offered('input: weather\nl¦'), ['steps: ', 'limit_preview: ']);
  assert.deepEqual(offered('input: weather\nsteps:\n  - filter: temp_max > ¦'), [], 'no list pops up after a space unless asked');
});
