// The peers of the edit-latency benchmark, alone in their process, warm as the server is:
//   rules <table> <count> <warm-up>   the same rule cell run directly with polars on the same
//                                     Parquet table, no server: {ms: [...]}, one per edit;
//   transform <table> <count> <warm-up>   the same for the transform cell, each edit writing its table;
//   chain <workDir> <csv>...          each CSV's upload cell then the chain's rule cell, in
//                                     process: {ms: [...]}, one per CSV after the first (a warm-up).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { rule } from '../../cells/rule/index.ts';
import { transform } from '../../cells/transform/index.ts';
import { upload } from '../../cells/upload/index.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { editedRules, editedTransform } from './latency-rules.ts';

const [mode, ...args] = process.argv.slice(2) as [string, ...string[]];
const context = (workDir: string) => ({ workDir, signal: new AbortController().signal, progress() {}, partial() {} });

async function runRules(table: string, i: number): Promise<void> {
  const config = rule.parseConfig(parseCellYaml(editedRules('sales', i)));
  await rule.run({ config, inputs: { sales: { table, result: null } }, ctx: context('/nonexistent') });
}

const ms: number[] = [];
if (mode === 'rules') {
  const [table, count, warmup] = [args[0]!, Number(args[1]), Number(args[2])];
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    await runRules(table, 10_000 + i);
    if (i >= warmup) ms.push(performance.now() - t0);
  }
} else if (mode === 'transform') {
  const [table, count, warmup] = [args[0]!, Number(args[1]), Number(args[2])];
  const workDir = fs.mkdtempSync(path.join(path.dirname(table), 'peer-transform-'));
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const config = transform.parseConfig(parseCellYaml(editedTransform('sales', 10_000 + i)));
    await transform.run({ config, inputs: { sales: { table, result: null } }, ctx: context(workDir) });
    if (i >= warmup) ms.push(performance.now() - t0);
  }
} else if (mode === 'chain') {
  const [workDir, ...csvs] = args;
  for (const [k, csv] of csvs.entries()) {
    // The server hashed the file as it arrived; the cell is handed the hash.
    const bytes = fs.readFileSync(csv);
    const file = { path: csv, name: path.basename(csv), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    const t0 = performance.now();
    const out = await upload.run({ config: upload.parseConfig({}), inputs: {}, file, ctx: context(workDir!) });
    await runRules(out.table!, k);
    if (k > 0) ms.push(performance.now() - t0);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify({ ms }));
