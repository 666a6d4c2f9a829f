// For the upload and profile tests (not a test file itself): run a cell on a corpus file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunContext, StoredFile } from '../kind.ts';
import { upload } from './index.ts';
import type { UploadConfig } from './types.ts';

export const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

const made: string[] = [];
// Removed when the test file's process ends: thousands of runs otherwise fill the temp folder.
process.once('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'assay-cells-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function storedFile(filePath: string): StoredFile {
  const bytes = fs.readFileSync(filePath);
  return { path: filePath, name: path.basename(filePath), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export interface RecordingContext extends RunContext {
  partials: Record<string, unknown>[];
  progressed: number[];
}

export function context(workDir: string, signal = new AbortController().signal): RecordingContext {
  const partials: Record<string, unknown>[] = [];
  const progressed: number[] = [];
  return {
    workDir, signal, partials, progressed,
    progress: (f) => { progressed.push(f); },
    partial: (d) => { partials.push(d); },
  };
}

export async function runUpload(file: string, config: UploadConfig = {}, workDir = tempDir()) {
  const full = path.isAbsolute(file) ? file : path.join(DATA, file);
  return upload.run({ config: upload.parseConfig(config as Record<string, unknown>), inputs: {}, file: storedFile(full), ctx: context(workDir) });
}
