import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUnsafeText } from '../../cells/text-safety.ts';
import { log } from '../log.ts';

/** The one error a route throws; `onError` turns it into `{error: {code, message}}`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(status: ContentfulStatusCode, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...details } };
}

// The folder the server's code runs from: a path under it says how the server is installed.
const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A message fit for a client: the server's own folders (DATA_DIR, where the code is
 * installed, the temp folder) are named, not spelled out. A system error about a file
 * ("ENOENT: …, open '/srv/assay/data/tmp/…'") tells an attacker how the server is laid out.
 */
export function withoutServerPaths(message: string, dataDir?: string): string {
  const named = new Map<string, string>([[APP_ROOT, '<assay>'], [os.tmpdir(), '<tmp>']]);
  if (dataDir) named.set(dataDir, 'DATA_DIR');
  // One pass, longest folder first (DATA_DIR is often inside the temp folder or the code's),
  // each a whole path: not the `/tmp` of DATA_DIR/tmp.
  const folders = [...named.keys()].filter((f) => f.length > 1).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w.\\/-])(${folders.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w.-])`, 'g');
  return message.replace(pattern, (folder) => named.get(folder)!);
}

export function handleError(err: Error, c: Context): Response {
  const dataDir = (c.var as { services?: { config?: { dataDir?: string } } }).services?.config?.dataDir;
  if (err instanceof ApiError) return c.json(errorBody(err.code, withoutServerPaths(err.message, dataDir), err.details), err.status);
  // Hono's own HTTPException (body limit, bad JSON from validators) carries a status.
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return c.json(errorBody('bad_request', withoutServerPaths(err.message || 'bad request', dataDir)), status as ContentfulStatusCode);
  }
  // Never send a stack trace: log it, answer with an id to find it by.
  const ref = crypto.randomUUID();
  log.error('request failed', { ref, path: c.req.path, err: String(err?.stack ?? err) });
  return c.json(errorBody('internal', `internal error (reference ${ref})`), 500);
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, 'bad_request', message, details);

/** Reads a JSON object body or answers 400 naming the problem. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('the body must be JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  const unsafe = findUnsafeText(body);
  if (unsafe) throw badRequest(unsafe.message, { field: unsafe.path });
  return body as Record<string, unknown>;
}
