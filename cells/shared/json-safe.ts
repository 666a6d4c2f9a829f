/** Turns a value polars hands back into plain JSON: no BigInt, no NaN, dates as ISO text. */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** A table cell as JSON: dates read as dates, not as midnight UTC timestamps. */
export function jsonSafeCell(value: unknown, isDate: boolean): unknown {
  const safe = jsonSafe(value);
  return isDate && typeof safe === 'string' ? safe.slice(0, 10) : safe;
}
