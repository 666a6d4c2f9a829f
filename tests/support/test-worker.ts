// An Assay process (`--role worker`, `web` or `all`) with the test kinds registered, for tests
// that run several processes on one PostgreSQL: workers that die mid-job or take over, web
// processes that are killed and restarted (tests/support/cluster.ts).
import { registerTestKinds } from './test-kinds.ts';

registerTestKinds();
await import('../../server/main.ts');
