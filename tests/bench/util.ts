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
 * glibc's allocator settings `npm start` gives the server (package.json). Two arenas: glibc
 * makes one per thread polars runs on and keeps what each frees (a 6.6 M-row profile
 * peaked at 1145 MB RSS without, 829 MB with, no slower). And huge pages for large blocks
 * (`glibc.malloc.hugetlb=1`, where the kernel's transparent huge pages are on `madvise`):
 * polars allocates a column-sized block for nearly every step, and faulting those in 4 KB
 * at a time was a third of a profile's time (6.6 M rows, three alternating runs each:
 * 13.3 s without, 11.0 s with, medians; about 5 % more peak RSS).
 */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };
