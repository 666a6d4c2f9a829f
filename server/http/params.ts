import type { Context } from 'hono';
import { notFound } from './errors.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: answer 404 rather than let PostgreSQL reject it. */
export function idParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name);
  if (!value || !UUID.test(value)) throw notFound(what);
  return value.toLowerCase();
}
