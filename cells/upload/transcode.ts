import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Encoding } from './sniff.ts';

/**
 * Rewrites a file as UTF-8, chunk by chunk: polars reads only UTF-8, and a big
 * Windows-1252 export must not be held in memory to convert it.
 */
export async function transcodeToUtf8(source: string, target: string, encoding: Encoding, signal: AbortSignal): Promise<void> {
  if (fs.existsSync(target)) return;
  const decoder = new TextDecoder(encoding === 'utf-8-sig' ? 'utf-8' : encoding, { ignoreBOM: false });
  const tmp = `${target}.${process.pid}.tmp`;
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  try {
    await pipeline(fs.createReadStream(source, { highWaterMark: 1 << 20 }), toUtf8, fs.createWriteStream(tmp), { signal });
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
