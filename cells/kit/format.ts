// Number and value formatting shared by the pages and the cell views. Always text:
// callers bind the returned strings with Lit, never as HTML.

const counts = new Intl.NumberFormat('en-US');

export function formatCount(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? counts.format(n) : n === null || n === undefined ? '–' : String(n);
}

export function formatNumber(n: unknown): string {
  if (typeof n !== 'number') return formatValue(n);
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return counts.format(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return n.toExponential(3);
  return n.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 2 : abs >= 1 ? 3 : 4 });
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/**
 * A number in at most about `width` characters, whole: compact (1.3M, 4.91k) where the full
 * form would be longer; callers put the full form in a title. Never cut with an ellipsis.
 */
export function formatShort(n: unknown, width = 6): string {
  const full = formatNumber(n);
  if (typeof n !== 'number' || !Number.isFinite(n) || full.length <= width) return full;
  const abs = Math.abs(n);
  if (abs >= 1000) return compact.format(n);
  return Number(n.toPrecision(Math.max(1, width - 3))).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A fraction 0..1 as a percentage. */
export function formatPercent(fraction: unknown, digits = 1): string {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction)) return '–';
  const pct = fraction * 100;
  if (pct > 0 && pct < 0.1) return '<0.1%';
  return `${pct.toFixed(pct === 0 || pct === 100 ? 0 : digits)}%`;
}

export function formatBytes(n: unknown): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/**
 * Years, codes and ids are labels, not quantities: "2020", "98101", "4711", never "2,020".
 * A column is one when its name says so (a word of it: year, id, code, zip, …; camelCase
 * split, so "geoId" and "countryterritoryCode" count), when the profile found it to be an
 * identifier or a postal code, or when every integer seen in it reads as a year (1000–2999).
 */
const CODE_WORDS = new Set(['year', 'yr', 'yyyy', 'id', 'code', 'zip', 'zipcode', 'postcode', 'postal', 'fips', 'geoid', 'isbn', 'ean', 'upc', 'sku']);
const CODE_SEMANTICS = new Set(['identifier', 'postal_code', 'phone', 'credit_card']);

export interface ColumnHint { name: string; semantic?: string | null; values?: readonly unknown[] }

export function namesCode(name: string): boolean {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/).some((w) => CODE_WORDS.has(w));
}

/** Every number among `values` (at least one) a whole number from 1000 to 2999. */
export function yearLike(values: readonly unknown[]): boolean {
  let seen = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1000 || v > 2999) return false;
    seen = true;
  }
  return seen;
}

export function isCodeColumn(column: ColumnHint): boolean {
  return namesCode(column.name) || CODE_SEMANTICS.has(column.semantic ?? '') || (column.values ? yearLike(column.values) : false);
}

/** A number as a label: no group separators. Other values as formatValue. */
export function formatPlain(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return formatValue(v);
  return Number.isInteger(v) ? String(v) : v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 4 });
}

/** How a column's values are shown: as labels (formatPlain) or as quantities (formatValue, grouped). */
export function valueFormatFor(column: ColumnHint): (v: unknown) => string {
  return isCodeColumn(column) ? formatPlain : formatValue;
}

/** Any value from a result (a CSV cell, a min, a top value) as display text. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function timeAgo(when: string | number | Date | null | undefined, now = Date.now()): string {
  if (when === null || when === undefined) return '';
  const t = new Date(when).getTime();
  if (!Number.isFinite(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 14) return `${d} d ago`;
  return new Date(t).toLocaleDateString();
}

/** `1 row`, `2,311 rows`. */
export function plural(n: unknown, one: string, many = one + 's'): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
