// One measured step of ingest.bench.ts, alone in its process: prints {ms, rssMb, out}.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { kinds } from '../../cells/registry.ts';

const [what, file, workDir] = process.argv.slice(2) as [string, string, string];
const ctx = () => ({ workDir, signal: new AbortController().signal, progress() {}, partial() {} });

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const t0 = performance.now();
let out: string | undefined;
if (what === 'raw') {
  // The floor for any ingest: read every byte once (and hash it, as an upload does).
  await sha256(file);
} else if (what === 'upload') {
  const stored = { path: file, name: 'sales.csv', size: fs.statSync(file).size, sha256: await sha256(file) };
  const output = await kinds.upload!.run({ config: kinds.upload!.parseConfig({}), inputs: {}, file: stored, ctx: ctx() });
  out = output.table;
} else if (what === 'profile') {
  const config = kinds.profile!.parseConfig({ input: 'sales' });
  await kinds.profile!.run({ config, inputs: { sales: { table: file, result: null } }, ctx: ctx() });
} else if (what === 'duckdb-parquet') {
  // The same job as the upload cell: the CSV into a Parquet file.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const target = `${workDir}/duckdb.parquet`.replaceAll("'", "''");
  await conn.run(`COPY (SELECT * FROM read_csv('${file.replaceAll("'", "''")}')) TO '${target}' (FORMAT parquet)`);
} else if (what === 'duckdb') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.runAndReadAll(`SUMMARIZE SELECT * FROM read_csv('${file.replaceAll("'", "''")}')`);
} else {
  throw new Error(`unknown task ${what}`);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, out }));
