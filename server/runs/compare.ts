// Comparing two runs of a notebook: what changed in each table's shape, in each profiled
// column's statistics (largest shifts first), and in each rule's outcome. Pure: it takes two
// runs' cell results (the server's run detail, or the headless runner's) and nothing else.
import { columnDiff } from '../../cells/upload/schema-lock.ts';

export interface ComparedCell {
  name: string;
  kind: string;
  status: string;
  result: unknown;
}

interface Column { name: string; type: string }

export interface TableChange {
  cell: string;
  rows: { a: number | null; b: number | null; delta: number | null };
  added: Column[];
  removed: Column[];
  retyped: { name: string; from: string; to: string }[];
}

export interface StatChange {
  stat: 'rows' | 'nulls' | 'nullRate' | 'distinct' | 'mean' | 'std' | 'min' | 'max' | 'p25' | 'p50' | 'p75';
  a: number | string | null;
  b: number | string | null;
  /** How far it moved, on a common scale (see shiftOf): what the list is sorted by. */
  shift: number;
}

export interface ColumnChange {
  cell: string;
  column: string;
  type: string;
  /** The largest of its statistics' shifts. */
  shift: number;
  changes: StatChange[];
}

export interface RuleChange {
  cell: string;
  rule: string;
  a: { status: string; violations: number } | null;
  b: { status: string; violations: number } | null;
}

export interface RunComparison {
  tables: TableChange[];
  profiles: ColumnChange[];
  rules: RuleChange[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The cells by name that both runs have finished results for. */
function pairs(a: ComparedCell[], b: ComparedCell[], kinds: (kind: string) => boolean) {
  const before = new Map(a.filter((c) => kinds(c.kind)).map((c) => [c.name, c]));
  return b.filter((c) => kinds(c.kind)).map((c) => ({ name: c.name, a: before.get(c.name), b: c }));
}

const done = (c: ComparedCell | undefined) => (c?.status === 'done' && c.result && typeof c.result === 'object' ? c.result as Record<string, unknown> : undefined);

function tableChange(name: string, a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): TableChange | undefined {
  if (!a && !b) return undefined;
  const colsA = (Array.isArray(a?.columns) ? a.columns : []) as Column[];
  const colsB = (Array.isArray(b?.columns) ? b.columns : []) as Column[];
  const diff = columnDiff(colsA, colsB);
  const rowsA = num(a?.rows);
  const rowsB = num(b?.rows);
  return {
    cell: name,
    rows: { a: rowsA, b: rowsB, delta: rowsA !== null && rowsB !== null ? rowsB - rowsA : null },
    // A cell that only one run has is new or gone, not a table whose columns changed.
    added: a ? diff.added : [],
    removed: b ? diff.removed : [],
    retyped: diff.retyped,
  };
}

/**
 * A statistic's move on a scale shared by all statistics, so "nulls went from 0 to 40 %"
 * and "the mean moved by two standard deviations" can be ranked together: rates and
 * shares move by their difference (0..1), counts by their relative change, locations
 * (mean, quantiles, min, max) by the change in units of the column's spread.
 */
function shiftOf(stat: StatChange['stat'], a: number, b: number, spread: number | null): number {
  if (a === b) return 0;
  if (stat === 'nullRate') return Math.abs(b - a);
  if (stat === 'rows' || stat === 'nulls' || stat === 'distinct' || stat === 'std') return Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b), 1);
  if (spread && spread > 0) return Math.min(Math.abs(b - a) / spread, 10) / 10 * 2;
  return Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

interface ProfiledColumn {
  name: string;
  type: string;
  count?: number;
  nulls?: number;
  distinct?: number;
  mean?: number | null;
  std?: number | null;
  min?: unknown;
  max?: unknown;
  quantiles?: Record<string, unknown> | null;
}

function columnChange(cell: string, rowsA: number, rowsB: number, a: ProfiledColumn, b: ProfiledColumn): ColumnChange {
  const changes: StatChange[] = [];
  const spread = num(a.std) ?? num(b.std);
  const add = (stat: StatChange['stat'], va: unknown, vb: unknown) => {
    const x = num(va);
    const y = num(vb);
    if (x !== null && y !== null) {
      if (x !== y) changes.push({ stat, a: x, b: y, shift: shiftOf(stat, x, y, spread) });
    } else if (va !== vb && (va !== undefined || vb !== undefined) && (typeof va === 'string' || typeof vb === 'string')) {
      // Dates and text have no arithmetic: a changed min or max date is a change all the same.
      changes.push({ stat, a: (va ?? null) as string | null, b: (vb ?? null) as string | null, shift: 0.05 });
    }
  };
  add('nulls', a.nulls, b.nulls);
  if (rowsA > 0 && rowsB > 0 && num(a.nulls) !== null && num(b.nulls) !== null) add('nullRate', a.nulls! / rowsA, b.nulls! / rowsB);
  add('distinct', a.distinct, b.distinct);
  add('mean', a.mean, b.mean);
  add('std', a.std, b.std);
  add('min', a.min, b.min);
  add('max', a.max, b.max);
  for (const q of ['p25', 'p50', 'p75'] as const) add(q, a.quantiles?.[q], b.quantiles?.[q]);
  changes.sort((x, y) => y.shift - x.shift);
  return { cell, column: b.name, type: b.type, shift: changes[0]?.shift ?? 0, changes };
}

function ruleOutcomes(result: Record<string, unknown> | undefined) {
  const rules = (Array.isArray(result?.rules) ? result.rules : []) as { name: string; status: string; violations: number }[];
  return new Map(rules.map((r) => [r.name, { status: r.status, violations: Number(r.violations ?? 0) }]));
}

export function compareRuns(a: ComparedCell[], b: ComparedCell[]): RunComparison {
  const tables: TableChange[] = [];
  for (const p of pairs(a, b, (k) => k === 'upload')) {
    const change = tableChange(p.name, done(p.a), done(p.b));
    if (change) tables.push(change);
  }
  const profiles: ColumnChange[] = [];
  for (const p of pairs(a, b, (k) => k === 'profile')) {
    const ra = done(p.a);
    const rb = done(p.b);
    if (!ra || !rb) continue;
    const before = new Map(((ra.columns ?? []) as ProfiledColumn[]).map((c) => [c.name, c]));
    for (const col of (rb.columns ?? []) as ProfiledColumn[]) {
      const prev = before.get(col.name);
      if (!prev) continue;
      const change = columnChange(p.name, Number(ra.rows ?? 0), Number(rb.rows ?? 0), prev, col);
      if (change.changes.length) profiles.push(change);
    }
  }
  profiles.sort((x, y) => y.shift - x.shift);
  const rules: RuleChange[] = [];
  for (const p of pairs(a, b, (k) => k === 'rule')) {
    const before = ruleOutcomes(done(p.a));
    const after = ruleOutcomes(done(p.b));
    for (const name of new Set([...before.keys(), ...after.keys()])) {
      const x = before.get(name) ?? null;
      const y = after.get(name) ?? null;
      if (x && y && x.status === y.status && x.violations === y.violations) continue;
      rules.push({ cell: p.name, rule: name, a: x, b: y });
    }
  }
  return { tables, profiles, rules };
}
