// The peer of the edit-latency benchmark, alone in its process: the same rule cell run
// directly with polars on the same Parquet table, no server. Prints {ms: [...]}, one
// figure per edit after a few warm-up runs, as the server is warm when it is measured.
import { rule } from '../../cells/rule/index.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { editedRules } from './latency-rules.ts';

const [table, count, warmup] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number];
const ctx = { workDir: '/nonexistent', signal: new AbortController().signal, progress() {}, partial() {} };
const ms: number[] = [];
for (let i = 0; i < warmup + count; i++) {
  const t0 = performance.now();
  const config = rule.parseConfig(parseCellYaml(editedRules('sales', 10_000 + i)));
  await rule.run({ config, inputs: { sales: { table, result: null } }, ctx });
  if (i >= warmup) ms.push(performance.now() - t0);
}
console.log(JSON.stringify({ ms }));
