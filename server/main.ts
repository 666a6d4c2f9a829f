// First, and the rest loaded after it: see load-hooks.ts. (log.ts imports nothing.)
import './load-hooks.ts';
import { log } from './log.ts';

/** Says what failed, in one line, and exits. Not every failure is an Error with a message: a library may reject with anything, or nothing. */
function couldNotStart(err: unknown): never {
  log.error('could not start', { err: err instanceof Error ? err.message : String(err ?? 'no reason given') });
  process.exit(1);
}

// A module that checks a setting as it loads (a cell kind's limit, say) fails here: said in one line too.
const [{ loadConfig }, { start }] = await Promise.all([import('./config.ts'), import('./start.ts')]).catch(couldNotStart);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  couldNotStart(err); // a setting out of range: which one, and what it got
}
const running = await start(config).catch(couldNotStart);

if (running.url) {
  console.log(`Assay is running at ${running.url}  (data in ${config.dataDir}, role ${config.role})`);
} else {
  console.log(`Assay worker is running (data in ${config.dataDir})`);
}

let signals = 0;
const shutdown = (signal: string) => {
  if (++signals > 1) process.exit(1);
  log.info('shutting down', { signal });
  running.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
