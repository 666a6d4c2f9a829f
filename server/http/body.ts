// Request bodies are declared as zod schemas next to their routes: the same schema checks a
// body (400 naming the field, as every route always answered) and describes it in the
// OpenAPI document (openapi.ts), so scripts can generate typed clients from what is checked.
import type { Context } from 'hono';
import { z } from 'zod';
import { describeIssue, firstProblem } from '../../cells/shared/config-schema.ts';
import { badRequest, jsonBody } from './errors.ts';

/** Reads a JSON object body (NUL and unpaired surrogates refused by jsonBody) and checks it against `schema`. */
export async function bodyOf<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return checkBody(schema, await jsonBody(c));
}

/** A body read already (or `{}` for none): the first problem is a 400 `{code: bad_request, message, field}`. */
export function checkBody<S extends z.ZodType>(schema: S, body: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(body, { reportInput: true, error: (iss) => describeIssue(iss, 'field') });
  if (result.success) return result.data;
  const { message, path } = firstProblem(result.error.issues[0]!);
  throw badRequest(message, path.length ? { field: path.join('.') } : undefined);
}

/** A field's one message, for its type and each of its checks: the wording routes always used. */
export const says = (message: string) => ({ error: message });

/** The workspace version a change was made on: an older one is refused with 409 (change.ts). */
export const versionField = z.number(says('"version" must be the workspace version the change was made on')).nullable().optional()
  .meta({ description: 'the workspace version the change was made on; a change made on an older one is refused with 409 and the current version' });

/** An optional date and time in the future, within `days` days, or null (never). */
export const expiryField = (days: number) => z.union([z.null(), z.string()], says('"expiresAt" must be a date and time (ISO 8601) or null'))
  .transform((value, ctx): Date | null => {
    if (value === null) return null;
    const at = new Date(value);
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', input: value, message });
      return z.NEVER;
    };
    if (Number.isNaN(at.getTime())) return fail('"expiresAt" must be a date and time (ISO 8601) or null');
    if (at.getTime() <= Date.now()) return fail('"expiresAt" must be in the future');
    if (at.getTime() > Date.now() + days * 86400_000) return fail(`"expiresAt" must be within ${days} days`);
    return at;
  }).optional().meta({ description: `when it ends: a date and time (ISO 8601) within ${days} days, or null for never` });
