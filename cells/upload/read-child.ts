// The reading process apart.ts starts: reads one upload (readUpload) and sends its progress,
// partials and outcome over IPC, then exits, handing its memory back. When the parent goes
// (its channel closes), so does this process, at once.
import { CellError, type RunContext } from '../kind.ts';
import type { ReaderMessage, ReaderTask } from './apart.ts';
import { readUpload } from './index.ts';

const send = (m: ReaderMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));

process.once('message', async (task: ReaderTask) => {
  const ctx: RunContext = {
    workDir: task.workDir,
    signal: new AbortController().signal,
    progress: (fraction) => { void send({ progress: fraction }); },
    partial: (data) => { void send({ partial: data }); },
  };
  let outcome: ReaderMessage;
  try {
    outcome = { result: await readUpload(task.config, task.file, task.base, ctx) };
  } catch (err) {
    outcome = { error: err instanceof CellError ? err.toJSON() : { message: String((err as Error)?.message ?? err) } };
  }
  await send(outcome);
  process.exit(0);
});
