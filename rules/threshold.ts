// warn_if / fail_if: a comparison against the violation count ("> 10") or its share of
// the rows ("> 1%"). With neither, any violation fails.
import type { Status } from '../cells/shared/rule-counts.ts';

export interface Threshold {
  op: '>' | '>=' | '<' | '<=' | '=';
  value: number;
  percent: boolean;
  text: string;
}

export function parseThreshold(raw: unknown, key: string): Threshold {
  const text = typeof raw === 'number' ? `> ${raw}` : String(raw ?? '');
  const m = /^\s*(>=|<=|>|<|=)?\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new Error(`"${key}" must look like "> 10" (a count of violating rows) or "> 1%" (a share of rows), not "${text}"`);
  return { op: (m[1] ?? '>') as Threshold['op'], value: Number(m[2]), percent: m[3] === '%', text: text.trim() };
}

function holds(t: Threshold, violations: number, rows: number): boolean {
  const x = t.percent ? (rows > 0 ? (100 * violations) / rows : 0) : violations;
  switch (t.op) {
    case '>': return x > t.value;
    case '>=': return x >= t.value;
    case '<': return x < t.value;
    case '<=': return x <= t.value;
    case '=': return x === t.value;
  }
}

export type { Status };

export function grade(violations: number, rows: number, warnIf?: Threshold, failIf?: Threshold): Status {
  if (!warnIf && !failIf) return violations > 0 ? 'fail' : 'pass';
  if (failIf && holds(failIf, violations, rows)) return 'fail';
  if (warnIf && holds(warnIf, violations, rows)) return 'warn';
  return 'pass';
}
