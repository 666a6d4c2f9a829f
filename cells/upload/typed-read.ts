// The fast way in: one streaming pass from the CSV to typed Parquet, with the types a
// sample of the first rows proposed. Every cast is strict and a row longer than the header
// fails the scan, so a file that does not keep to the sample's plan (a word in a number
// column after row 50,000, a ragged row) makes this pass give up with nothing written;
// the caller then reads the file the careful way (read-text.ts), which reports exactly
// what is wrong. On the files people mostly upload, this one pass is the whole conversion.
import pl from 'nodejs-polars';
import { castExprs, inferColumns, sampleFacts, strictReadable, type ColumnPlan, type InferOptions, type SampleFacts } from './infer.ts';
import { scanCsv, textSchema, type CsvShape } from './scan.ts';
import { WIDE, writeParquetAtomically } from './write.ts';

// The sample is bounded in cells, not rows, so a 10,000-column file samples fewer rows.
const SAMPLE_CELLS = 2_000_000;
const SAMPLE_ROWS = 20_000;

export function sampleRowsFor(width: number): number {
  return Math.max(200, Math.min(SAMPLE_ROWS, Math.floor(SAMPLE_CELLS / Math.max(1, width))));
}

export interface TypedPlan {
  plans: ColumnPlan[];
  facts: SampleFacts;
}

/** Plans each column's type from the first rows, or null when the plan has no strict form. */
export async function planFromSample(shape: CsvShape, opts: InferOptions): Promise<TypedPlan | null> {
  const limit = sampleRowsFor(shape.names.length);
  const sample = await scanCsv(shape, textSchema(shape.names), true).head(limit).collect();
  const { plans, rows } = await inferColumns(sample.lazy(), shape.names, opts, sample.height);
  const whole = rows < limit;
  if (!strictReadable(plans, whole)) return null;
  const facts = await sampleFacts(sample.lazy(), plans, opts, sample.height);
  // A wide table is written in one go (write.ts), and the trial cast of its sample cost as
  // much as the pass itself: the pass is its own trial.
  if (shape.names.length > WIDE) return { plans, facts };
  try {
    await sample.lazy().select(...castExprs(plans, opts, facts)).collect();
  } catch {
    return null;
  }
  return { plans, facts };
}

export interface TypedReadOptions {
  shape: CsvShape;
  plan: TypedPlan;
  opts: InferOptions;
  target: string;
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Writes `target` and returns its row count, or why the file broke the plan (nothing written then). */
export async function readTyped({ shape, plan, opts, target, onProgress, signal }: TypedReadOptions): Promise<{ rows: number } | { refused: string }> {
  const frame = scanCsv(shape, textSchema(shape.names), false).select(...castExprs(plan.plans, opts, plan.facts)).select(pl.col(shape.names));
  try {
    await writeParquetAtomically(frame, target, shape.names.length, { inputBytes: shape.bytes, signal, onRead: (read) => onProgress(Math.min(0.99, read / Math.max(1, shape.bytes))) });
  } catch (err) {
    return { refused: String((err as Error).message ?? err).split('\n')[0]! };
  }
  const counted = await pl.scanParquet(target).select(pl.len().alias('rows')).collect();
  return { rows: Number(counted.getColumn('rows').get(0)) };
}
