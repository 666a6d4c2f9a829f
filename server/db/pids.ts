// Whether a process lives, and waiting for one to end: for PostgreSQL servers left behind by a
// killed Assay (db/embedded.ts) or a killed test run (tests/support/postgres.ts).

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True once `pid` is gone, false when it still runs after `withinMs`. */
export async function exits(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}
