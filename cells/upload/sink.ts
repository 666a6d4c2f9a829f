// Streams a lazy polars plan into a Parquet file, for a large input in a process of its own.
//
// polars reads a local CSV through a memory map, and every page of the file it has read
// stays in the reading process's resident set until the map is dropped: converting a 1 GB
// upload showed 1.3 GB of RSS, of which 0.3 GB was polars' own memory. Started with
// POLARS_FORCE_ASYNC=1, polars reads the file in ranges instead (the same 1 GB: 0.46 GB
// peak RSS, no slower). But polars reads that setting once per process, and it changes
// every read in it (the profile's, the grid's, the rules'), none measured that way; so the
// sink runs apart, the plan travelling serialised on stdin. A crash in the native reader
// then costs one conversion, not the worker, and a cancelled run kills the writer instead
// of waiting for it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pl from 'nodejs-polars';

const CHILD = fileURLToPath(new URL('./sink-child.ts', import.meta.url));

export interface SinkOptions {
  compression: 'snappy' | 'lz4' | 'zstd' | 'uncompressed';
  statistics?: boolean;
}

// Below this input size the map costs little and starting a process (about 0.15 s, more
// on a busy machine) would be most of a conversion's time: the sink runs in-process.
const APART_BYTES = 64 * 1024 * 1024;

// How many of a Parquet input's row groups polars' streaming reader decodes ahead of the plan
// (8 by default). A plan that reads Parquet (a transform's or a query's) holds them all while
// its slower writer catches up: on the 6.6 M-row table a left join to 1,000 rows peaked at
// 1,042 MB of anonymous memory ahead by 8 and 343 MB ahead by 1, a union of three copies
// 1,074 against 370 MB, neither slower. A CSV input (the upload's) is not read this way.
const ROW_GROUP_PREFETCH = '1';

export interface SinkWatch {
  /** Size of the file the plan reads: small inputs are written in-process (see APART_BYTES). */
  inputBytes?: number;
  /** Kills the writer: the promise then rejects and nothing is kept. */
  signal?: AbortSignal;
  /**
   * Called about every 100 ms with the bytes the writer has read so far, which is progress
   * through its input: the Parquet file itself grows only at the end when written this way.
   */
  onRead?: (bytes: number) => void;
  /**
   * Most bytes the writer's process may hold resident: past it the writer is killed and the
   * promise rejects with a WriterMemoryError (the caller's process and its data are untouched).
   * Only a writer of its own is watched: one in this process (a small input) is not.
   */
  memoryLimit?: number;
}

/** The writer's process passed SinkWatch.memoryLimit and was stopped. */
export class WriterMemoryError extends Error {
  readonly reached: number;
  readonly limit: number;
  constructor(reached: number, limit: number) {
    super(`the Parquet writer's process reached ${Math.round(reached / 1048576)} MB, past its limit of ${Math.round(limit / 1048576)} MB`);
    this.reached = reached;
    this.limit = limit;
  }
}

// How often the writer's memory is read: polars can add a few hundred MB in a tenth of a second.
const MEMORY_POLL_MS = 25;

// A process's resident memory in bytes (Linux; elsewhere null: no limit is applied).
function residentBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// The kernel's count of bytes a process has read (Linux; elsewhere no progress is reported).
function bytesRead(pid: number): number | null {
  try {
    const m = /^rchar:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Removes what a writer stopped midway leaves: the file, and polars' staging copies beside
 * it (`target#1`, …), which it renames to `target` only when done.
 */
export function removePartial(target: string): void {
  fs.rmSync(target, { force: true });
  const dir = path.dirname(target);
  const staging = `${path.basename(target)}#`;
  for (const name of fs.readdirSync(dir)) if (name.startsWith(staging)) fs.rmSync(path.join(dir, name), { force: true });
}

/** Writes `frame` to `target`; rejects with polars' own message when the plan fails. */
export async function sinkToParquet(frame: pl.LazyDataFrame, target: string, options: SinkOptions, { inputBytes = Infinity, signal, onRead, memoryLimit }: SinkWatch = {}): Promise<void> {
  if (inputBytes < APART_BYTES) {
    await frame.sinkParquet(target, options).collect();
    return;
  }
  const plan = frame.serialize('json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, target, JSON.stringify(options)], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, POLARS_FORCE_ASYNC: '1', POLARS_ROW_GROUP_PREFETCH_SIZE: ROW_GROUP_PREFETCH },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const abort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', abort, { once: true });
    const timer = onRead && setInterval(() => {
      const bytes = child.pid === undefined ? null : bytesRead(child.pid);
      if (bytes !== null) onRead(bytes);
    }, 100);
    let overLimit: WriterMemoryError | undefined;
    const watch = memoryLimit !== undefined && setInterval(() => {
      const resident = child.pid === undefined ? null : residentBytes(child.pid);
      if (resident === null || resident <= memoryLimit || overLimit) return;
      overLimit = new WriterMemoryError(resident, memoryLimit);
      child.kill('SIGKILL');
    }, MEMORY_POLL_MS);
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      if (timer) clearInterval(timer);
      if (watch) clearInterval(watch);
      signal?.removeEventListener('abort', abort);
      if (code === 0) resolve();
      else if (signal?.aborted) reject(new Error('the conversion was cancelled'));
      else if (overLimit) reject(overLimit);
      else reject(new Error(stderr.trim() || `the Parquet writer process ended with ${killedBy ?? `exit code ${code}`}`));
    });
    child.stdin.on('error', () => { /* the child has ended: its close event says why */ });
    // Left open: the child ends when it closes, so it never outlives this process (sink-child.ts).
    const length = Buffer.alloc(4);
    length.writeUInt32BE(plan.length);
    child.stdin.write(Buffer.concat([length, plan]));
  });
}
