// An input's value, checked against its type, range and options: the same words for the YAML
// (parseConfig), a run given values (a rerun's params, the CLI's --param, a schedule), and the
// page's widget, which refuses a bad value where it is typed. No zod, no polars: the page imports it.
export const INPUT_TYPES = ['number', 'integer', 'text', 'date', 'choice', 'boolean'] as const;
export type InputType = typeof INPUT_TYPES[number];
export type InputValue = number | string | boolean | null;

/** What checks a value: the parts of an input's config that bound it. */
export interface Bounds {
  type: InputType;
  min?: number | string;
  max?: number | string;
  options?: (string | number)[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A 'YYYY-MM-DD' that is a real day (not 2024-02-30). */
export function isDay(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** A YAML date (a Date, when a 1.1 schema read it) or text, as 'YYYY-MM-DD'. */
export const dayText = (v: unknown): unknown => (v instanceof Date ? v.toISOString().slice(0, 10) : v);

/**
 * The value as its type holds it, or a message saying why it does not fit. Text from a command
 * line or a form field ("10", "true") is read as the type says; `key` names where it was given.
 */
export function checkValue(bounds: Bounds, raw: unknown, key: string): { value: InputValue } | { problem: string } {
  const said = (why: string) => ({ problem: `"${key}" ${why}` });
  raw = dayText(raw);
  switch (bounds.type) {
    case 'number':
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(n)) return said(`must be a number${bounds.type === 'integer' ? ' with no fraction' : ''}, not ${shown(raw)}`);
      if (bounds.type === 'integer' && !Number.isInteger(n)) return said(`must be a whole number, not ${n}`);
      if (typeof bounds.min === 'number' && n < bounds.min) return said(`must be at least ${bounds.min} ("min"), not ${n}`);
      if (typeof bounds.max === 'number' && n > bounds.max) return said(`must be at most ${bounds.max} ("max"), not ${n}`);
      return { value: n };
    }
    case 'text':
      if (typeof raw !== 'string' && typeof raw !== 'number') return said(`must be text, not ${shown(raw)}`);
      return { value: String(raw) };
    case 'date': {
      if (typeof raw !== 'string' || !isDay(raw)) return said(`must be a date written YYYY-MM-DD, not ${shown(raw)}`);
      if (typeof bounds.min === 'string' && raw < bounds.min) return said(`must be on or after ${bounds.min} ("min"), not ${raw}`);
      if (typeof bounds.max === 'string' && raw > bounds.max) return said(`must be on or before ${bounds.max} ("max"), not ${raw}`);
      return { value: raw };
    }
    case 'boolean':
      if (raw === true || raw === 'true') return { value: true };
      if (raw === false || raw === 'false') return { value: false };
      return said(`must be true or false, not ${shown(raw)}`);
    case 'choice': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return said(`must be one of the options, not ${shown(raw)}`);
      if (!bounds.options) return { value: raw };
      const hit = bounds.options.find((o) => o === raw || String(o) === String(raw));
      if (hit === undefined) {
        const listed = bounds.options.slice(0, 12).map((o) => JSON.stringify(o)).join(', ');
        return said(`must be one of the options (${listed}${bounds.options.length > 12 ? ', …' : ''}), not ${shown(raw)}`);
      }
      return { value: hit };
    }
  }
}

function shown(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The value a new input has before anyone sets one: its default, else its type's own. */
export function startValue(bounds: Bounds, given: InputValue | undefined): InputValue {
  if (given !== undefined) return given;
  switch (bounds.type) {
    case 'number': case 'integer': return typeof bounds.min === 'number' && bounds.min > 0 ? bounds.min : 0;
    case 'text': return '';
    case 'boolean': return false;
    case 'date': return typeof bounds.min === 'string' ? bounds.min : null;
    case 'choice': return bounds.options?.[0] ?? null;
  }
}
