// Comparing two runs of a notebook: each cell's kind says what changed in its results (a
// table's shape, a profile's statistics, rules' outcomes; see KindFace.compare), gathered
// here by section, largest shifts first. Pure: it takes two runs' cell results (the server's
// run detail, or the headless runner's) and nothing else.
import type { RunComparison } from '../../cells/face.ts';
import { kindOf } from '../../cells/registry.ts';

export type { ColumnChange, RuleChange, RunComparison, StatChange, TableChange } from '../../cells/face.ts';

export interface ComparedCell {
  name: string;
  kind: string;
  status: string;
  result: unknown;
}

const done = (c: ComparedCell | undefined) => (c?.status === 'done' && c.result && typeof c.result === 'object' ? c.result : undefined);

export function compareRuns(a: ComparedCell[], b: ComparedCell[]): RunComparison {
  const out: RunComparison = { tables: [], profiles: [], rules: [], notes: [] };
  const before = new Map(a.map((c) => [c.name, c]));
  for (const cell of b) {
    const compare = kindOf(cell.kind)?.compare;
    if (!compare) continue;
    // A cell renamed to another kind's name since is not the same cell.
    const earlier = before.get(cell.name);
    const part = compare(earlier?.kind === cell.kind ? done(earlier) : undefined, done(cell), cell.name);
    out.tables.push(...part.tables ?? []);
    out.profiles.push(...part.profiles ?? []);
    out.rules.push(...part.rules ?? []);
    out.notes.push(...part.notes ?? []);
  }
  out.profiles.sort((x, y) => y.shift - x.shift);
  return out;
}
