// A worker process (`--role worker`) with the test kinds registered, for tests that need a
// second process on the same PostgreSQL: one that dies mid-job, one that takes over.
import { registerTestKinds } from './test-kinds.ts';

registerTestKinds();
await import('../../server/main.ts');
