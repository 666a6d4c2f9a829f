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
 * glibc's allocator setting `npm start` gives the server (package.json): two arenas, where
 * glibc makes one per thread polars runs on and keeps what each frees. A 6.6 M-row profile
 * peaked at 1145 MB RSS without it, 829 MB with it, and ran no slower. (Always mapping
 * large blocks as well saved another 80 MB but cost 2–3 s of page faults.)
 */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2' };
