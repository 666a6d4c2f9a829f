// The process sink.ts starts: reads a serialised polars plan on stdin (its length
// first, as 4 bytes) and streams it into the Parquet file named by its first argument.
// Any failure is reported as polars' message alone on stderr, with exit code 1. The
// parent keeps stdin open: when it closes, the parent has gone, and so does this process,
// taking its half-written file with it.
import pl from 'nodejs-polars';
import { removePartial } from './sink.ts';

const [target, options] = process.argv.slice(2) as [string, string];

function parentGone(): never {
  removePartial(target);
  // Not process.exit(): Node would wait for the running sink to finish first.
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const plan = await new Promise<Buffer>((resolve) => {
  let received = Buffer.alloc(0);
  let done = false;
  process.stdin.on('data', (chunk: Buffer) => {
    if (done) return;
    received = Buffer.concat([received, chunk]);
    if (received.length >= 4 && received.length >= 4 + received.readUInt32BE(0)) {
      done = true;
      resolve(received.subarray(4, 4 + received.readUInt32BE(0)));
    }
  });
  process.stdin.on('end', parentGone);
});

try {
  await pl.LazyDataFrame.deserialize(plan, 'json').sinkParquet(target, JSON.parse(options)).collect();
} catch (err) {
  process.stderr.write(String((err as Error).message ?? err));
  process.exitCode = 1;
}
// Done: stop waiting on the parent's pipe.
process.stdin.removeListener('end', parentGone);
process.stdin.destroy();
