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

/** One input's value in two runs: what a run was given (`params`), else what its input cell held. */
export interface ParamChange {
  name: string;
  a: unknown;
  b: unknown;
}

/**
 * The inputs whose values differ between two runs: each run's given values (runs.params) over
 * its input cells' results (the values it ran with), so a rerun with `min_cases: 10` against
 * one with the saved 100 shows `min_cases: 100 → 10`.
 */
export function compareParams(a: { params?: Record<string, unknown>; cells: ComparedCell[] }, b: { params?: Record<string, unknown>; cells: ComparedCell[] }): ParamChange[] {
  const valuesOf = (run: typeof a) => {
    // The value given, as the input cell read it ("10" from a command line is 10) where it ran.
    const out = new Map<string, unknown>(Object.entries(run.params ?? {}));
    for (const c of run.cells) {
      if (kindOf(c.kind)?.parameter && c.status === 'done' && c.result && typeof c.result === 'object') out.set(c.name, (c.result as { value?: unknown }).value);
    }
    return out;
  };
  const va = valuesOf(a);
  const vb = valuesOf(b);
  const names = [...new Set([...va.keys(), ...vb.keys()])];
  return names.filter((n) => JSON.stringify(va.get(n) ?? null) !== JSON.stringify(vb.get(n) ?? null))
    .map((name) => ({ name, a: va.get(name) ?? null, b: vb.get(name) ?? null }));
}
