// One measured step of ingest.bench.ts, alone in its process: prints {ms, rssMb, out}.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { kinds } from '../../cells/registry.ts';
import { watchMemory } from './memory.ts';

const [what, file, workDir] = process.argv.slice(2) as [string, string, string];
let t0 = 0;
let firstPartialMs: number | undefined;
const ctx = () => ({
  workDir, signal: new AbortController().signal, progress() {},
  partial() { firstPartialMs ??= performance.now() - t0; },
});

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const quote = (text: string) => text.replaceAll("'", "''");
const readCsv = (path: string) => `read_csv('${quote(path)}')`;

async function duckdb(statement: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.runAndReadAll(statement);
}

const memory = watchMemory(process.pid);

// The upload cell gets a file the HTTP upload already hashed: hashing is not its time.
const stored = what === 'upload' ? { path: file, name: 'sales.csv', size: fs.statSync(file).size, sha256: await sha256(file) } : undefined;
t0 = performance.now();
let out: string | undefined;
if (what === 'raw') {
  // The floor for any ingest: read every byte once (and hash it, as an upload does).
  await sha256(file);
} else if (what === 'upload') {
  const output = await kinds.upload!.run({ config: kinds.upload!.parseConfig({}), inputs: {}, file: stored, ctx: ctx() });
  out = output.table;
} else if (what === 'profile') {
  const config = kinds.profile!.parseConfig({ input: 'sales' });
  await kinds.profile!.run({ config, inputs: { sales: { table: file, result: null } }, ctx: ctx() });
} else if (what === 'duckdb-parquet') {
  // The same job as the upload cell: the CSV into a Parquet file.
  await duckdb(`COPY (SELECT * FROM ${readCsv(file)}) TO '${quote(`${workDir}/duckdb.parquet`)}' (FORMAT parquet)`);
} else if (what === 'duckdb-head') {
  // What a preview needs: the first rows, typed.
  await duckdb(`SELECT * FROM ${readCsv(file)} LIMIT 50`);
} else if (what === 'duckdb') {
  await duckdb(`SUMMARIZE SELECT * FROM ${readCsv(file)}`);
} else {
  throw new Error(`unknown task ${what}`);
}
const ms = performance.now() - t0;
const { rssMb, anonMb } = memory.stop();
console.log(JSON.stringify({ ms, rssMb, anonMb, out, firstPartialMs }));
