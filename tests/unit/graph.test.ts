import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph, descendants, type GraphNode } from '../../server/notebook/graph.ts';

const node = (name: string, ...inputs: string[]): GraphNode => ({ id: name, name, inputs });

const cases: Array<{ name: string; nodes: GraphNode[]; order: string[]; errors: Record<string, string> }> = [
  { name: 'empty', nodes: [], order: [], errors: {} },
  { name: 'chain in order', nodes: [node('a'), node('b', 'a'), node('c', 'b')], order: ['a', 'b', 'c'], errors: {} },
  { name: 'chain listed backwards', nodes: [node('c', 'b'), node('b', 'a'), node('a')], order: ['a', 'b', 'c'], errors: {} },
  {
    name: 'diamond keeps the listed order among ready cells',
    nodes: [node('src'), node('right', 'src'), node('left', 'src'), node('join', 'left', 'right')],
    order: ['src', 'right', 'left', 'join'],
    errors: {},
  },
  { name: 'missing input', nodes: [node('a'), node('b', 'nope')], order: ['a', 'b'], errors: { b: 'missing_input' } },
  { name: 'self reference', nodes: [node('a', 'a')], order: ['a'], errors: { a: 'cycle' } },
  {
    name: 'two-cell cycle with a dependent',
    nodes: [node('x', 'y'), node('y', 'x'), node('z', 'y'), node('ok')],
    order: ['ok', 'x', 'y', 'z'],
    errors: { x: 'cycle', y: 'cycle' },
  },
];

for (const c of cases) {
  test(`graph: ${c.name}`, () => {
    const g = buildGraph(c.nodes);
    assert.deepEqual(g.order, c.order);
    assert.deepEqual(Object.fromEntries([...g.errors].map(([id, e]) => [id, e.code])), c.errors);
  });
}

test('graph: a cycle error names every cell in it', () => {
  const g = buildGraph([node('a', 'c'), node('b', 'a'), node('c', 'b')]);
  const err = g.errors.get('b')!;
  assert.deepEqual([...(err.cells as string[])].sort(), ['a', 'b', 'c']);
  // a feeds b, b feeds c, c feeds a: the message follows the data.
  assert.equal(err.message, "cells a → b → c → a form a cycle");
});

test('graph: descendants include the node and everything downstream, nothing else', () => {
  const g = buildGraph([node('a'), node('b', 'a'), node('c', 'b'), node('d'), node('e', 'd', 'a')]);
  assert.deepEqual([...descendants(g, ['b'])].sort(), ['b', 'c']);
  assert.deepEqual([...descendants(g, ['a'])].sort(), ['a', 'b', 'c', 'e']);
});

test('graph: a missing input suggests the nearest name and lists the cells there are', () => {
  const g = buildGraph([node('matches'), node('teams'), node('table', 'matchs')]);
  assert.equal(g.errors.get('table')!.message,
    'input "matchs" names no cell in this workspace; did you mean "matches"? (its cells: "matches", "teams")');
  const far = buildGraph([node('a'), node('b', 'zzzzzz')]);
  assert.equal(far.errors.get('b')!.message, 'input "zzzzzz" names no cell in this workspace (its cells: "a")');
  const alone = buildGraph([node('b', 'x')]);
  assert.match(alone.errors.get('b')!.message, /\(it has no other cell\)$/);
});
