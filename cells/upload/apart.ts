// Reads a wide file in a process of its own (read-child.ts). polars' memory for a table of
// thousands of columns is not given back to the system when the read is done: in the
// worker, 10,000 columns × 3 rows took RSS from 0.1 to 0.66 GB and three such uploads to
// 0.93 GB, for good. Ended with its process, that memory goes back at once; a cancelled run
// kills the process instead of waiting for polars, and a crash in it costs this upload only.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CellError, type RunContext, type StoredFile } from '../kind.ts';
import { removePartial } from './sink.ts';
import type { UploadConfig, UploadResult } from './types.ts';

const CHILD = fileURLToPath(new URL('./read-child.ts', import.meta.url));

/** What the reading process sends: progress, partials, then its outcome. */
export type ReaderMessage =
  | { progress: number }
  | { partial: Record<string, unknown> }
  | { result: UploadResult }
  | { error: { code?: string; message: string; [key: string]: unknown } };

/** What the reading process is asked to read. */
export interface ReaderTask {
  config: UploadConfig;
  file: StoredFile;
  base: string;
  workDir: string;
}

/**
 * Removes what a reader killed midway leaves beside `base`: its temporary files (named with
 * its pid) and the scratch copies of this reading (the text table, a transcoded CSV).
 */
function removeLeftovers(base: string, pid: number | undefined): void {
  const dir = path.dirname(base);
  const stem = path.basename(base);
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (name.startsWith(stem) && pid !== undefined && name.includes(`.${pid}.`)) fs.rmSync(path.join(dir, name), { force: true });
  }
  removePartial(`${base}.text.parquet`);
  fs.rmSync(`${base}.utf8.csv`, { force: true });
}

/** Runs readUpload (index.ts) in a reading process; rejects as it would have, or as `cancelled`. */
export function readApart(config: UploadConfig, file: StoredFile, base: string, ctx: RunContext): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: [] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
    let outcome: Extract<ReaderMessage, { result: unknown } | { error: unknown }> | undefined;
    child.on('message', (m: ReaderMessage) => {
      if ('progress' in m) ctx.progress(m.progress);
      else if ('partial' in m) ctx.partial(m.partial);
      else outcome = m;
    });
    const abort = () => child.kill('SIGKILL');
    ctx.signal.addEventListener('abort', abort, { once: true });
    child.on('error', (err) => { if (!outcome) outcome = { error: { message: err.message } }; });
    child.on('close', (code, killedBy) => {
      ctx.signal.removeEventListener('abort', abort);
      if (outcome && 'result' in outcome) return resolve(outcome.result);
      removeLeftovers(base, child.pid);
      if (ctx.signal.aborted) return reject(new CellError('cancelled', 'the run was cancelled'));
      if (outcome) {
        const { code: errorCode, message, ...details } = outcome.error;
        return reject(errorCode ? new CellError(errorCode, message, details) : new Error(message));
      }
      const said = stderr.trim().split('\n').at(-1);
      reject(new Error(`the process reading the file ended with ${killedBy ?? `exit code ${code}`}${said ? `: ${said}` : ''}`));
    });
    const task: ReaderTask = { config, file, base, workDir: ctx.workDir };
    child.send(task);
  });
}
