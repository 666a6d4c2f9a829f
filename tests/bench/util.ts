import net from 'node:net';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** One line per figure: ours, the peer's from the same run, and the ratio (ours / peer). */
export function report(what: string, ours: number, peer: string, theirs: number, unit: string): void {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  console.log(`${what.padEnd(44)} assay ${f(ours).padStart(8)} ${unit}   ${peer} ${f(theirs)} ${unit}   ratio ${(ours / theirs).toPrecision(2)}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * glibc's allocator settings `npm start` gives the server (package.json): two arenas, and
 * large blocks always mapped, so memory polars frees goes back to the system instead of
 * staying in per-thread arenas (the profile's peak heap: 1.1 GB without, 0.9 GB with).
 */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
