// `npm run bench`: every benchmark prints Assay's figure beside a peer's from the same run.
import { latencyBench } from './edit-latency.bench.ts';
import { loadBench } from './load.bench.ts';
import { gridBench } from './grid.bench.ts';
import { httpUploadBench } from './http-upload.bench.ts';
import { ingestBench } from './ingest.bench.ts';
import { pickupBench } from './pickup.bench.ts';
import { profileBench } from './profile.bench.ts';
import { rulesBench } from './rules.bench.ts';
import { inputBench } from './input-latency.bench.ts';
import { transformBench } from './transform.bench.ts';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  pickup: pickupBench,
  upload: httpUploadBench,
  ingest: ingestBench,
  profile: profileBench,
  rules: rulesBench,
  inputs: inputBench,
  latency: latencyBench,
  load: loadBench,
  grid: gridBench,
  transform: transformBench,
};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}`);
  await run();
}
