// One measured step of transform.bench.ts, alone in its process: a transform cell's plan (or
// DuckDB's same query) over the sales table, written as a Parquet table; prints {ms, rssMb, anonMb, rows}.
//   node transform-task.ts <case> assay|duckdb <sales.parquet> <lookup.parquet> <workDir>
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { transform } from '../../cells/transform/index.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { watchMemory } from './memory.ts';
import { TRANSFORM_CASES } from './transform-cases.ts';

const [name, engine, sales, lookup, workDir] = process.argv.slice(2) as [string, 'assay' | 'duckdb', string, string, string];
const which = TRANSFORM_CASES.find((c) => c.name === name)!;
const quote = (text: string) => text.replaceAll("'", "''");
const memory = watchMemory(process.pid);
const t0 = performance.now();
let out: string;
if (engine === 'assay') {
  const config = transform.parseConfig(parseCellYaml(which.yaml));
  const output = await transform.run({
    config, inputs: { sales: { table: sales, result: null }, lookup: { table: lookup, result: null } },
    ctx: { workDir, signal: new AbortController().signal, progress() {}, partial() {} },
  });
  out = output.table!;
} else {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE VIEW sales AS SELECT * FROM read_parquet('${quote(sales)}')`);
  await conn.run(`CREATE VIEW lookup AS SELECT * FROM read_parquet('${quote(lookup)}')`);
  out = path.join(workDir, `duckdb-${name}.parquet`);
  await conn.run(`COPY (${which.duckdb}) TO '${quote(out)}' (FORMAT parquet)`);
}
const ms = performance.now() - t0;
const { rssMb, anonMb } = memory.stop();
const [count] = (await pl.scanParquet(out).select(pl.len().alias('n')).collect()).toRecords();
fs.rmSync(out, { force: true });
console.log(JSON.stringify({ ms, rssMb, anonMb, rows: Number(count?.n) }));
