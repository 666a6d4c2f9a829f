// Which alerts an analyst must act on first, and which are noise on a column that only looks
// numeric. ydata-profiling lists alerts by column; a long file then buries "16 negative case
// counts" under a dozen "skewed" and "imbalanced" notes on month and year columns.
import type { AlertCode, ColumnAlert, ColumnProfile } from './types.ts';

/**
 * act: the data is probably wrong (fix it or write a rule); check: worth a look before
 * trusting a figure; note: describes the data, nothing to fix.
 */
export type AlertSeverity = 'act' | 'check' | 'note';

/** In the order they are listed: most pressing first. */
const ORDER: [AlertCode, AlertSeverity][] = [
  ['negatives', 'act'],
  ['mixed_types', 'act'],
  ['empty', 'act'],
  ['many_missing', 'act'],
  ['constant', 'check'],
  ['high_correlation', 'check'],
  ['outliers', 'check'],
  ['skewed', 'note'],
  ['imbalance', 'note'],
  ['zeros', 'note'],
  ['high_cardinality', 'note'],
  ['unique', 'note'],
];
const RANK = new Map(ORDER.map(([code], i) => [code, i]));
const SEVERITY = new Map(ORDER);

export function severityOf(code: AlertCode): AlertSeverity {
  return SEVERITY.get(code) ?? 'note';
}

/** Most pressing first; alerts of one code keep the columns' order (a stable sort). */
export function rankAlerts<A extends ColumnAlert>(alerts: A[]): (A & { severity: AlertSeverity })[] {
  return alerts
    .map((a) => ({ ...a, severity: severityOf(a.code) }))
    .sort((x, y) => (RANK.get(x.code) ?? ORDER.length) - (RANK.get(y.code) ?? ORDER.length));
}

// Parts of a date kept as whole numbers: their spread is the calendar's, not the data's.
const DATE_PART = /^(year|yr|month|mon|day|week|weekday|dow|doy|quarter|qtr|hour|minute|period)s?$/i;
/** Integer columns of this many values at most are codes or small counts: their IQR is too coarse for outliers. */
const FEW_VALUES = 12;

/** Words of a column name: `dateRep` → date, rep; `fiscal_year` → fiscal, year. */
function words(name: string): string[] {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').split(/[^A-Za-z]+/).filter(Boolean);
}

/**
 * A month, year or day column, or another integer code of few values: outliers, skew and
 * imbalance there say only that the calendar (or the code list) is what it is.
 */
export function codeLike(c: Pick<ColumnProfile, 'name' | 'type' | 'distinct' | 'min' | 'max'>): 'date_part' | 'few_values' | null {
  if (c.type !== 'integer') return null;
  const inRange = typeof c.min === 'number' && typeof c.max === 'number' && c.min >= 0 && c.max <= 9999;
  if (inRange && words(c.name).some((w) => DATE_PART.test(w))) return 'date_part';
  if (c.distinct > 0 && c.distinct <= FEW_VALUES) return 'few_values';
  return null;
}

/** Alerts silenced on code-like columns, by kind of column. */
export const SILENCED: Record<'date_part' | 'few_values', AlertCode[]> = {
  date_part: ['outliers', 'skewed', 'imbalance'],
  few_values: ['outliers', 'skewed'],
};
