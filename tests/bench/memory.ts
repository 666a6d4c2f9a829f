// Peak resident memory of a process and the processes it started, sampled from /proc every
// 50 ms: the upload cell writes its Parquet in a child process (cells/upload/sink.ts),
// whose memory is the server's as much as its own. Also the anonymous part alone: RSS
// counts the pages of memory-mapped input files too, which the kernel can drop at any time.
import fs from 'node:fs';

function status(pid: number): { rss: number; anon: number; hwm: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, anon: 0, hwm: 0 };
  }
}

function children(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const commandOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** `counts` picks which children count as the process's own (a server's PostgreSQL does not). */
export function watchMemory(pid: number, counts: (command: string) => boolean = () => true) {
  let rss = 0;
  let anon = 0;
  const sample = () => {
    const own = status(pid);
    const kids = children(pid).filter((c) => counts(commandOf(c))).map(status);
    rss = Math.max(rss, own.hwm, kids.reduce((n, k) => n + k.rss, own.rss));
    anon = Math.max(anon, kids.reduce((n, k) => n + k.anon, own.anon));
  };
  const timer = setInterval(sample, 50);
  return {
    /** The peak RSS (MB) since the start or the last reset, starting afresh. */
    reset: () => {
      const peak = rss / 1024;
      rss = 0;
      anon = 0;
      return peak;
    },
    stop: () => {
      sample();
      clearInterval(timer);
      return { rssMb: rss / 1024, anonMb: anon / 1024 };
    },
  };
}

/** The Parquet writer's process (see the note at the top). */
export const isParquetWriter = (command: string) => command.includes('sink-child.ts');
