// Writing the typed table: via a temporary name, so a crashed or concurrent run never
// leaves half a file that a later run would reuse.
import fs from 'node:fs';
import type pl from 'nodejs-polars';
import { removePartial, sinkToParquet, type SinkWatch } from './sink.ts';

// Streaming keeps memory flat on long files, but polars' streaming sink is slow on wide
// ones (1093 columns × 54 rows: 7 s against 0.1 s collected); wide tables are short.
export const WIDE = 200;

/** Writes `target` from `frame`; `watch` is honoured on the streaming path only (see sink.ts). */
export async function writeParquetAtomically(frame: pl.LazyDataFrame, target: string, width: number, watch: SinkWatch = {}): Promise<void> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    if (width > WIDE) (await frame.collect()).writeParquet(tmp);
    // Snappy, like DuckDB's default: zstd made the final write half again as long.
    else await sinkToParquet(frame, tmp, { compression: 'snappy' }, watch);
    fs.renameSync(tmp, target);
  } finally {
    removePartial(tmp);
  }
}
