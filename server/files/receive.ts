// Receiving uploaded files: the request body streamed to the content-addressed store, as raw
// bytes or as multipart fields. Shared by a cell's upload and a rerun on new files.
import Busboy from 'busboy';
import type { Context } from 'hono';
import { Readable } from 'node:stream';
import type { AppEnv } from '../http/env.ts';
import { metrics } from '../metrics/metrics.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import { safeFileName, storeStream, type StoredBytes } from './store.ts';

export type IncomingFile = StoredBytes & { name: string };

/**
 * The request's bytes as a node stream. Under @hono/node-server that is the incoming
 * message itself: going through the web ReadableStream and back cost a factor of three
 * in upload speed (188 against 560 MB/s over loopback).
 */
function requestBody(c: Context<AppEnv>): Readable {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (incoming instanceof Readable) return incoming;
  const body = c.req.raw.body;
  if (!body) throw badRequest('the upload has no body');
  return Readable.fromWeb(body as import('node:stream/web').ReadableStream);
}

/**
 * Runs `receive` on the request body: a declared length over `limit` is a 413 before any byte
 * is read, and a refusal closes the connection, whose unread rest could not carry another request.
 */
export async function receiving<T>(c: Context<AppEnv>, limit: number, receive: (body: Readable, contentType: string) => Promise<T>): Promise<T> {
  const declared = Number(c.req.header('content-length'));
  try {
    if (Number.isFinite(declared) && declared > limit) {
      // Refused before storeStream, which counts the uploads it sees: counted here.
      metrics.uploads.inc({ outcome: 'too_large' });
      throw new ApiError(413, 'too_large', `the upload is larger than the limit of ${limit} bytes`);
    }
    return await receive(requestBody(c), c.req.header('content-type') ?? '');
  } catch (err) {
    const outgoing = (c.env as { outgoing?: { shouldKeepAlive: boolean } } | undefined)?.outgoing;
    if (outgoing) outgoing.shouldKeepAlive = false;
    throw err;
  }
}

export const isMultipart = (contentType: string) => contentType.toLowerCase().startsWith('multipart/form-data');

/**
 * The files of a multipart body, by field, each streamed to disk as it arrives. A field not in
 * `fields` is skipped (`others: 'skip'`) or refuses the whole body (`'refuse'`, with `describe`
 * naming what is expected), before any of its bytes are kept; so is a field sent twice.
 */
export function receiveMultipart(
  body: Readable, contentType: string, fields: string[], dataDir: string, maxBytes: number,
  opts: { others: 'skip' | 'refuse'; describe: string },
): Promise<Map<string, IncomingFile>> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { 'content-type': contentType }, limits: { files: Math.max(1, fields.length), fields: 20 } });
    } catch (err) {
      reject(badRequest(`bad multipart body: ${(err as Error).message}`));
      return;
    }
    const stored = new Map<string, Promise<IncomingFile>>();
    let refused: ApiError | undefined;
    let failed = false;
    // A file that cannot be kept (over the limit, a full disk) fails the whole body at once:
    // busboy would otherwise wait for its stream to be read, and the request for busboy, until
    // the server's request timeout. The rest of the body is not read: receiving() closes the
    // connection after the answer.
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe(bb);
      bb.removeAllListeners('close');
      for (const p of stored.values()) p.catch(() => {});
      reject(err);
    };
    bb.on('file', (field, stream, info) => {
      const unknown = !fields.includes(field);
      if (refused || stored.has(field) || unknown) {
        if (stored.has(field)) refused ??= badRequest(`field "${field}" came twice; ${opts.describe}`, { field });
        else if (unknown && opts.others === 'refuse') refused ??= badRequest(`field "${field}" is not expected; ${opts.describe}`, { field });
        stream.resume();
        return;
      }
      const p = storeStream(dataDir, stream, maxBytes).then((s) => ({ ...s, name: safeFileName(info.filename) }));
      p.catch(fail);
      stored.set(field, p);
    });
    bb.on('filesLimit', () => { if (opts.others === 'refuse') refused ??= badRequest(`too many files; ${opts.describe}`); });
    bb.on('error', (err) => fail(badRequest(`bad multipart body: ${(err as Error).message}`)));
    bb.on('close', () => {
      void (async () => {
        try {
          const out = new Map<string, IncomingFile>();
          for (const [field, p] of stored) out.set(field, await p);
          if (refused) throw refused;
          if (out.size === 0) throw badRequest(`no file in the multipart body; ${opts.describe}`);
          resolve(out);
        } catch (err) {
          reject(err);
        }
      })();
    });
    body.pipe(bb);
  });
}
