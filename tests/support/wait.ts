// Waiting on what happens, not on a timer.
import fs from 'node:fs';

/**
 * Resolves once the names in folder `dir` pass `test`: looked at now and after each change the
 * OS reports in it (fs.watch), never on a timer. `what` says what was awaited, for the timeout.
 */
export function folderComes(dir: string, test: (names: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const ok = () => test(fs.readdirSync(dir));
  if (ok()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(dir, () => {
      if (!ok()) return;
      finish();
      resolve();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${dir} did not come to ${what} within ${timeoutMs} ms: it holds ${fs.readdirSync(dir).join(', ') || 'nothing'}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      watcher.close();
    };
    // Changed between the first look and the watch starting: no event would come.
    if (ok()) {
      finish();
      resolve();
    }
  });
}

/**
 * Resolves with `check`'s first truthy answer, asking again every `everyMs`. Only for state
 * that no event announces (a schedule's last firing, a delivery's status, health after
 * PostgreSQL comes back, a pg-boss job's state): where an SSE event or a file change says
 * it, wait on that instead (EventStream.waitFor, folderComes). Fails after `timeoutMs`
 * saying `what` was awaited (a function, to say what was last seen).
 */
export async function eventually<T>(check: () => Promise<T | false | null | undefined>, what: string | (() => string), { timeoutMs = 20_000, everyMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`${typeof what === 'string' ? what : what()}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
