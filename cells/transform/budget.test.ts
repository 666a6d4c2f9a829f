// The memory budget of a sql or transform cell's table (ASSAY_QUERY_MEMORY_MB): a query that
// streams stays within it however many rows it writes; one that must hold every row at once
// (a sort) is stopped past it with an error naming the budget, and the process goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { CellError, type CellOutput } from '../kind.ts';
import { sql } from '../sql/index.ts';
import { context, DATA, runUpload, tempDir } from '../upload/corpus.ts';
import { parseCellYaml } from '../yaml.ts';
import { transform } from './index.ts';

const workDir = tempDir('assay-budget-');

/**
 * 4 M rows of a number and the same as text, 71 MB of Parquet: past the 64 MB from which a
 * table is written in a process of its own, whose memory the budget watches (upload/sink.ts).
 */
async function bigTable(): Promise<CellOutput> {
  const file = path.join(workDir, 'big.parquet');
  await pl.DataFrame({ z: [0] }).lazy().select(pl.intRange(0, 4_000_000).alias('id')).withColumns(pl.col('id').cast(pl.Utf8).alias('code'))
    .sinkParquet(file, { compression: 'uncompressed', statistics: false }).collect();
  assert.ok(fs.statSync(file).size > 64 * 1024 * 1024, 'the table is written apart');
  return { table: file, result: null };
}
const big = bigTable();

async function withBudget<T>(mb: string | undefined, run: () => Promise<T>): Promise<T> {
  const saved = process.env.ASSAY_QUERY_MEMORY_MB;
  try {
    if (mb === undefined) delete process.env.ASSAY_QUERY_MEMORY_MB;
    else process.env.ASSAY_QUERY_MEMORY_MB = mb;
    return await run();
  } finally {
    if (saved === undefined) delete process.env.ASSAY_QUERY_MEMORY_MB;
    else process.env.ASSAY_QUERY_MEMORY_MB = saved;
  }
}

const runTransform = async (yaml: string) => transform.run({ config: transform.parseConfig(parseCellYaml(yaml)), inputs: { big: await big }, ctx: context(workDir) });
const runSql = async (query: string) => sql.run({ config: sql.parseConfig({ sql: query }), inputs: { big: await big }, ctx: context(workDir) });

/** Tables and staging files the runs left in the work folder, the input aside. */
const leftovers = () => fs.readdirSync(workDir).filter((name) => name !== 'big.parquet');

function budgetError(mb: number) {
  return (e: unknown) => {
    assert.ok(e instanceof CellError, String(e));
    assert.equal(e.code, 'memory_budget');
    assert.match(e.message, new RegExp(`^writing the table stopped: its query reached \\d+ MB, past the memory budget of ${mb} MB for a sql or transform cell's table \\(ASSAY_QUERY_MEMORY_MB\\)\\. A sort`));
    return true;
  };
}

// The sort of 4 M rows held about 400 MB in the writer's process; the filter, about 150 MB.
const BUDGET = 256;

test('a transform that streams writes its 2 M rows within the budget; a sort of the 4 M past it stops with an error naming the budget', async () => {
  const kept = await withBudget(String(BUDGET), () => runTransform('input: big\nsteps:\n  - filter: id % 2 = 0\n'));
  assert.equal((kept.result as { rows: number }).rows, 2_000_000);
  const before = leftovers();
  await withBudget(String(BUDGET), () => assert.rejects(runTransform('input: big\nsteps:\n  - sort: {by: code, descending: true}\n'), budgetError(BUDGET)));
  assert.deepEqual(leftovers(), before, 'the stopped writer left no file behind');
});

test('a query past the budget stops with the same error; a bad budget is refused naming the variable', async () => {
  await withBudget(String(BUDGET), () => assert.rejects(runSql('SELECT * FROM big ORDER BY code DESC'), budgetError(BUDGET)));
  await withBudget('lots', () => assert.rejects(runSql('SELECT id FROM big WHERE id < 10'), /ASSAY_QUERY_MEMORY_MB must be a whole number of MB, at least 64, got "lots"/));
  // Within the default budget (1024 MB) the same process runs the next query.
  const { result } = await withBudget(undefined, () => runSql('SELECT id FROM big WHERE id < 10'));
  assert.equal((result as { rows: number }).rows, 10);
});

test('a join of small tables whose keys pair into many rows is held to the budget too; within it, every pair is written', async () => {
  // seattle-weather.csv joined to itself by its kind of weather: 1,461 days pair into 834,167 rows
  // (640 sunny days with each other, 641 rainy, …), counted here from the CSV.
  const kinds = new Map<string, number>();
  for (const line of fs.readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split(/\r?\n/).slice(1)) {
    const kind = line.split(',').at(-1)!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const pairs = [...kinds.values()].reduce((n, k) => n + k * k, 0);
  assert.equal(pairs, 834_167);
  const weather = await runUpload('seattle-weather.csv', {}, workDir);
  const joined = (more = '') => transform.run({
    config: transform.parseConfig(parseCellYaml(`input: weather\nsteps:\n  - join: {with: weather, on: weather}\n${more}`)), inputs: { weather }, ctx: context(workDir),
  });
  // Sorted, the pairs took about 270 MB in the writer's process: past 160 MB.
  await withBudget('160', () => assert.rejects(joined('  - sort: {by: [date_right, date]}\n'), budgetError(160)));
  const { result } = await joined();
  assert.equal((result as { rows: number }).rows, pairs);
});
