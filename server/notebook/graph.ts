// Pure graph structure of a workspace's cells: edges from `input:` references,
// a topological order, and the errors of the graph itself (missing input, cycle).
// No database, no business logic: table-driven tests cover it.

import type { CellErrorData } from '../../cells/kind.ts';
import { closest } from '../../cells/shared/closest.ts';

export interface GraphNode {
  id: string;
  name: string;
  /** Names of the cells this one reads. */
  inputs: string[];
}

export interface Graph {
  /** Node ids, upstream before downstream; nodes in a cycle come last, in their given order. */
  order: string[];
  /** Errors of the graph, by node id. */
  errors: Map<string, CellErrorData>;
  /** Resolved inputs by node id (only names that exist). */
  upstream: Map<string, string[]>;
  downstream: Map<string, string[]>;
}

/** " (its cells: a, b, c)": what a reference could name, so a typo is seen at once. */
function cellsThere(names: string[]): string {
  if (names.length === 0) return ' (it has no other cell)';
  const shown = names.slice(0, 12).map((n) => `"${n}"`).join(', ');
  return ` (its cells: ${shown}${names.length > 12 ? `, and ${names.length - 12} more` : ''})`;
}

export function buildGraph(nodes: GraphNode[]): Graph {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const errors = new Map<string, CellErrorData>();
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(nodes.map((n) => [n.id, []]));

  for (const node of nodes) {
    const ups: string[] = [];
    for (const name of node.inputs) {
      const target = byName.get(name);
      if (!target) {
        const others = nodes.filter((n) => n.id !== node.id).map((n) => n.name);
        errors.set(node.id, {
          code: 'missing_input',
          message: `input "${name}" names no cell in this workspace${closest(name, others)}${cellsThere(others)}`,
          input: name,
        });
        continue;
      }
      ups.push(target.id);
      downstream.get(target.id)!.push(node.id);
    }
    upstream.set(node.id, ups);
  }

  const order = topologicalOrder(nodes, upstream, downstream);
  const ordered = new Set(order);
  const cyclic = nodes.filter((n) => !ordered.has(n.id));
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  for (const cycle of findCycles(cyclic, upstream)) {
    const names = flowOrder(cycle, nodes, downstream).map((id) => nameOf.get(id)!);
    const path = [...names, names[0]].join(' → ');
    for (const id of cycle) {
      errors.set(id, { code: 'cycle', message: `cells ${path} form a cycle`, cells: names });
    }
  }
  return { order: [...order, ...cyclic.map((n) => n.id)], errors, upstream, downstream };
}

/** Kahn's algorithm, keeping the cells' own order among ready nodes so results are stable. */
function topologicalOrder(nodes: GraphNode[], upstream: Map<string, string[]>, downstream: Map<string, string[]>): string[] {
  const pending = new Map(nodes.map((n) => [n.id, upstream.get(n.id)!.length]));
  const order: string[] = [];
  const ready = nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  while (ready.length) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const next of downstream.get(id)!) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/** Strongly connected components (Tarjan) among the unordered nodes that really loop. */
function findCycles(nodes: GraphNode[], upstream: Map<string, string[]>): string[][] {
  const ids = new Set(nodes.map((n) => n.id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
    for (const up of upstream.get(id)!) {
      if (!ids.has(up)) continue;
      if (!index.has(up)) {
        visit(up);
        low.set(id, Math.min(low.get(id)!, low.get(up)!));
      } else if (onStack.has(up)) {
        low.set(id, Math.min(low.get(id)!, index.get(up)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let top: string;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        component.push(top);
      } while (top !== id);
      const selfLoop = component.length === 1 && upstream.get(id)!.includes(id);
      if (component.length > 1 || selfLoop) cycles.push(component.reverse());
    }
  };
  for (const n of nodes) if (!index.has(n.id)) visit(n.id);
  return cycles;
}

/** A cycle's cells in the direction data flows, starting from the first listed, for a readable message. */
function flowOrder(cycle: string[], nodes: GraphNode[], downstream: Map<string, string[]>): string[] {
  const members = new Set(cycle);
  const start = nodes.find((n) => members.has(n.id))!.id;
  const path = [start];
  let current = start;
  for (;;) {
    const next = downstream.get(current)!.find((id) => members.has(id) && (id === start || !path.includes(id)));
    if (!next || next === start) break;
    path.push(next);
    current = next;
  }
  // A component that is not one simple loop: name the rest too.
  return [...path, ...cycle.filter((id) => !path.includes(id))];
}

/** The node and everything downstream of it. */
export function descendants(graph: Graph, ids: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const walk = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of graph.downstream.get(id) ?? []) walk(next);
  };
  for (const id of ids) walk(id);
  return seen;
}
