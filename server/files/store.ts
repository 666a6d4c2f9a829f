import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../http/errors.ts';
import { log } from '../log.ts';
import { metrics } from '../metrics/metrics.ts';

export interface StoredBytes {
  sha256: string;
  size: number;
  /** Absolute path of the content-addressed file. */
  path: string;
}

/**
 * Where a file with this hash lives: content-addressed, fanned out so no folder grows
 * huge. The `.csv` suffix matters: nodejs-polars' readCSV takes a string without a
 * .csv/.tsv suffix for CSV text, not a path.
 */
export function filePath(dataDir: string, sha256: string): string {
  return path.join(dataDir, 'files', sha256.slice(0, 2), `${sha256}.csv`);
}

/**
 * Streams a body to disk, hashing it on the way; the bytes are never held whole in
 * memory. The file appears under its hash only once complete, so a failed or
 * oversized upload leaves nothing half-written behind.
 */
export async function storeStream(dataDir: string, body: Readable, maxBytes: number): Promise<StoredBytes> {
  const tmpDir = path.join(dataDir, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  // Named by its writer, so a later start can tell a dead process's partial upload from a live one's.
  const tmp = path.join(tmpDir, partialUploadName(process.pid));
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new ApiError(413, 'too_large', `the file is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  let final: string;
  let sha256: string;
  try {
    await pipeline(body, meter, fs.createWriteStream(tmp, { flags: 'wx', highWaterMark: 1 << 20 }));
    sha256 = hash.digest('hex');
    final = filePath(dataDir, sha256);
    // A new fan-out folder needs a block too: on a full disk this fails like the write.
    fs.mkdirSync(path.dirname(final), { recursive: true });
    if (fs.existsSync(final)) fs.rmSync(tmp);
    else fs.renameSync(tmp, final);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const failure = uploadFailure(err, size);
    metrics.uploads.inc({ outcome: failure.code });
    throw failure;
  }
  metrics.uploads.inc({ outcome: 'stored' });
  metrics.uploadBytes.inc({}, size);
  return { sha256, size, path: final };
}

/**
 * Where process ids mean the same processes: this machine's name and its process id namespace
 * (two containers may share a host name, never a pid namespace), as it goes into a file name.
 */
const PID_SPACE = `${os.hostname()}.${pidNamespace()}`.replace(/[^A-Za-z0-9.]/g, '_');
const PARTIAL = /^upload-(.+)-(\d+)-[0-9a-f-]{36}$/;

function pidNamespace(): string {
  try {
    return fs.readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    return ''; // not Linux: the host name alone
  }
}

/** The name of a partial upload written by process `pid` of this machine. */
export function partialUploadName(pid: number): string {
  return `upload-${PID_SPACE}-${pid}-${crypto.randomUUID()}`;
}
/**
 * A partial upload untouched this long is abandoned whoever wrote it: a live upload writes to
 * its file with every chunk, and a stalled client is cut off long before (the server's request
 * timeout is minutes). This is what clears a file another machine's dead process left, and
 * files of older versions, whose names carry no writer.
 */
export const ABANDONED_AFTER_MS = 3600_000;

/**
 * Removes the partial uploads of processes that are gone: on this machine (in this pid
 * namespace), those whose writer's process id is no longer running (or is this process's own: it has written none yet); from
 * anywhere, those untouched for ABANDONED_AFTER_MS. Only a killed process leaves one (a failed
 * upload removes its own), and nothing else would ever remove it. Several processes, on several
 * machines, may share DATA_DIR: a file another live process is writing now is never one of these.
 */
export function removeAbandonedUploads(dataDir: string, now = Date.now()): { files: number; bytes: number } {
  const tmpDir = path.join(dataDir, 'tmp');
  const removed = { files: 0, bytes: 0 };
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return removed; // no uploads yet
  }
  for (const name of names) {
    const file = path.join(tmpDir, name);
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) continue;
      const writer = PARTIAL.exec(name);
      const deadHere = writer !== null && writer[1] === PID_SPACE && !writerAlive(Number(writer[2]));
      if (!deadHere && now - stat.mtimeMs < ABANDONED_AFTER_MS) continue;
      fs.rmSync(file, { force: true });
      removed.files += 1;
      removed.bytes += stat.size;
    } catch { /* gone meanwhile (another process starting cleaned it) */ }
  }
  if (removed.files) log.info('removed abandoned partial uploads', { ...removed, dir: tmpDir });
  return removed;
}

function writerAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function uploadFailure(err: unknown, received: number): ApiError {
  if (err instanceof ApiError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ApiError(507, 'disk_full', `the server ran out of disk space after ${received} bytes of the file; nothing was kept, try again once space is freed`);
  }
  return new ApiError(400, 'upload_interrupted', `the upload did not complete: ${(err as Error).message}`);
}

/** A file name from a client is a label, never a path: keep the last segment, drop control characters. */
export function safeFileName(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || 'upload.csv';
}
