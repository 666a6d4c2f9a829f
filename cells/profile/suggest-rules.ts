// "Suggest rules": a starting rule cell written from a profile, for the analyst to edit.
// Each suggestion holds on the profiled data (so the new cell starts green) and says, in a
// comment, what it was read from; except where the bulk of a column says more than its
// extremes (a column of counts with a few negatives): that rule follows the bulk, and the
// comment lists the rows it catches.
import { stringify } from 'yaml';
import type { ProfileResult } from './types.ts';
import { fewNegatives } from './column-stats.ts';

const MARGIN = 0.1;
const FEW_VALUES = 10;

/** Rounds outward to a few significant digits, so bounds read like a person wrote them. */
function outward(x: number, down: boolean, integer: boolean): number {
  if (integer) return down ? Math.floor(x) : Math.ceil(x);
  if (x === 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 2);
  return Number(((down ? Math.floor(x / step) : Math.ceil(x / step)) * step).toPrecision(12));
}

export function suggestRules(profile: ProfileResult, input: string): string {
  const rules: Record<string, unknown>[] = [];
  const notes: string[] = [];
  const exceptions: string[] = [];
  rules.push({ check: 'row_count', min: 1 });
  rules.push({ check: 'schema', columns: Object.fromEntries(profile.columns.map((c) => [c.name, c.type === 'other' ? 'any' : c.type])) });
  const complete = profile.columns.filter((c) => c.nulls === 0 && profile.rows > 0).map((c) => c.name);
  if (complete.length) rules.push({ check: 'not_null', columns: complete });
  for (const c of profile.columns) {
    if (profile.rows > 1 && c.distinct === profile.rows && (c.type === 'integer' || c.type === 'string')) {
      rules.push({ check: 'unique', column: c.name });
    }
    const negatives = fewNegatives(c);
    if (negatives && typeof c.min === 'number') {
      // The bulk of the column is never negative: a widened min–max range would accept the
      // few rows that are, which are what a rule is for. Suggest what the bulk says.
      rules.push({ check: 'range', column: c.name, min: 0, warn_if: '> 0', fail_if: '> 1%' });
      exceptions.push(`${c.name} >= 0 would catch ${negatives.toLocaleString('en-US')} row${negatives === 1 ? '' : 's'} now (${negatives === 1 ? 'the value' : 'values down to'} ${c.min}): check them`);
    } else if ((c.type === 'integer' || c.type === 'float') && typeof c.min === 'number' && typeof c.max === 'number' && c.distinct > 1) {
      const span = c.max - c.min;
      const integer = c.type === 'integer';
      const min = c.min >= 0 && c.min - span * MARGIN < 0 ? 0 : outward(c.min - span * MARGIN, true, integer);
      rules.push({ check: 'range', column: c.name, min, max: outward(c.max + span * MARGIN, false, integer), warn_if: '> 0', fail_if: '> 1%' });
      notes.push(`${c.name}: observed ${c.min} to ${c.max}, widened by ${MARGIN * 100}%`);
    }
    if ((c.type === 'string' || c.type === 'boolean') && c.distinct > 1 && c.distinct <= FEW_VALUES && c.top.length === c.distinct) {
      rules.push({ check: 'allowed_values', column: c.name, values: c.top.map((t) => t.value) });
    }
    if (c.semantic && ['email', 'url', 'uuid', 'ip'].includes(c.semantic)) {
      rules.push({ check: 'format', column: c.name, format: c.semantic, warn_if: '> 0', fail_if: '> 5%' });
    }
    if (c.nulls > 0 && c.count > 0) {
      const max = Math.min(1, Number((Math.ceil(c.nullRate * 1.5 * 1000) / 1000).toFixed(3)));
      rules.push({ check: 'null_rate', column: c.name, max, severity: 'warn' });
    }
  }
  const header = [
    `# Suggested from the profile of "${input}" (${profile.rows.toLocaleString('en-US')} rows): each rule holds on that data${exceptions.length ? ', but for the exceptions below' : ''}.`,
    '# Edit freely; ranges are widened by 10 % around what was seen.',
    ...notes.map((n) => `#   ${n}`),
    ...(exceptions.length ? ['# Exceptions: the bulk of the data says more than its extremes, so these rules already fail on a few rows:', ...exceptions.map((n) => `#   ${n}`)] : []),
  ].join('\n');
  return `${header}\n${stringify({ input, rules }, { lineWidth: 0, flowCollectionPadding: false })}`;
}
