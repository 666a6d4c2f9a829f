// Runs a workspace document in-process: no server, no database, no queue. The same cell kinds
// and run functions the server's worker calls (cells/registry.ts), the same graph and
// fingerprints (analyse.ts, which is pure), in dependency order.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CellError, type CellErrorData, type CellOutput, type StoredFile } from '../../cells/kind.ts';
import { checkCounts } from '../../cells/face.ts';
import { kindOf } from '../../cells/registry.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { analyse, type CellRow } from './analyse.ts';
import { applyParams, ParamError, type RunParams } from './params.ts';
import type { WorkspaceDocument } from './workspace-yaml.ts';
import { addRuleCounts, noRuleCounts, type RuleCounts } from '../../cells/shared/rule-counts.ts';

export interface HeadlessCell {
  name: string;
  kind: string;
  status: 'done' | 'error' | 'stale';
  result: unknown;
  error: CellErrorData | null;
  ms: number;
}

export interface HeadlessRun {
  title: string;
  startedAt: string;
  /** Values given to input cells (--param), as given. */
  params: RunParams;
  files: { cell: string; name: string; size: number; sha256: string; path: string }[];
  cells: HeadlessCell[];
  summary: RuleCounts;
  /** Cells that failed or could not run. */
  cellErrors: number;
  /** 0: no rule failed; 1: a rule failed; 2: a cell or a rule could not be evaluated. */
  exitCode: 0 | 1 | 2;
}

/** A usage mistake (an unknown input name, a missing file): the CLI says it and exits 2. */
export class UsageError extends Error {}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function runDocument(
  doc: WorkspaceDocument, inputs: Record<string, string>,
  opts: { workDir: string; onCell?: (cell: HeadlessCell) => void; signal?: AbortSignal; params?: RunParams },
): Promise<HeadlessRun> {
  const startedAt = new Date().toISOString();
  const uploads = doc.cells.filter((c) => kindOf(c.kind)?.acceptsFile).map((c) => c.name);
  for (const name of Object.keys(inputs)) {
    if (!uploads.includes(name)) throw new UsageError(`--input ${name}=…: the workspace has no upload cell "${name}"; its upload cells: ${uploads.join(', ') || 'none'}`);
  }
  const missing = uploads.filter((u) => !(u in inputs));
  if (missing.length) throw new UsageError(`no file for upload cell${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: add --input ${missing[0]}=<file.csv>`);

  fs.mkdirSync(path.join(opts.workDir, 'inputs'), { recursive: true });
  const stored = new Map<string, StoredFile>();
  for (const [name, given] of Object.entries(inputs)) {
    const file = path.resolve(given);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--input ${name}=${given}: no such file`);
    const sha256 = await sha256Of(file);
    // Polars reads a path only when it ends in .csv or .tsv; the link gives it one.
    const link = path.join(opts.workDir, 'inputs', `${sha256}.csv`);
    if (!fs.existsSync(link)) fs.symlinkSync(file, link);
    stored.set(name, { path: link, name: path.basename(file), size: fs.statSync(file).size, sha256 });
  }

  let rows: CellRow[] = doc.cells.map((c) => ({ id: c.name, name: c.name, kind: c.kind, config: c.config, fileId: stored.has(c.name) ? c.name : null, fileSha256: stored.get(c.name)?.sha256 ?? null }));
  try {
    // Input cells given values (--param) run with them; the document is not changed.
    if (opts.params) rows = applyParams(rows, opts.params);
  } catch (err) {
    if (err instanceof ParamError) throw new UsageError(`--param ${err.message.replace(/^params\./, '')}`);
    throw err;
  }
  const { graph, plans } = analyse(rows);
  const outputs = new Map<string, CellOutput>();
  const outcomes = new Map<string, HeadlessCell>();
  const signal = opts.signal ?? new AbortController().signal;
  const tables = path.join(opts.workDir, 'tables');
  fs.mkdirSync(tables, { recursive: true });

  for (const id of graph.order) {
    const cell = rows.find((r) => r.id === id)!;
    const plan = plans.get(id)!;
    const started = Date.now();
    const finish = (status: HeadlessCell['status'], result: unknown, error: CellErrorData | null) => {
      const out: HeadlessCell = { name: cell.name, kind: cell.kind, status, result, error, ms: Date.now() - started };
      outcomes.set(id, out);
      opts.onCell?.(out);
    };
    if (plan.state === 'error' || plan.state === 'stale') {
      finish(plan.state, null, plan.error);
      continue;
    }
    const failedInput = plan.inputs.find((i) => !outputs.has(i.cellId));
    if (failedInput) {
      finish('stale', null, { code: 'upstream_failed', message: `input "${failedInput.name}" failed`, input: failedInput.name });
      continue;
    }
    try {
      const kind = kindOf(cell.kind)!;
      const output = await kind.run({
        config: kind.parseConfig(parseCellYaml(cell.config)),
        inputs: Object.fromEntries(plan.inputs.map((i) => [i.name, outputs.get(i.cellId)!])),
        file: stored.get(cell.name),
        ctx: { workDir: tables, signal, progress() {}, partial() {} },
      });
      outputs.set(id, { result: output.result, table: output.table });
      finish('done', output.result, null);
    } catch (err) {
      finish('error', null, err instanceof CellError ? err.toJSON() : { code: 'internal', message: `the ${cell.kind} cell failed unexpectedly: ${(err as Error)?.message ?? String(err)}` });
    }
  }

  const cells = doc.cells.map((c) => outcomes.get(c.name)!);
  const summary = noRuleCounts();
  for (const c of cells) {
    if (c.status === 'done') addRuleCounts(summary, checkCounts(kindOf(c.kind), c.result));
  }
  const cellErrors = cells.filter((c) => c.status !== 'done').length;
  return {
    title: doc.title, startedAt, params: opts.params ?? {},
    files: [...stored].map(([cell, f]) => ({ cell, name: f.name, size: f.size, sha256: f.sha256, path: fs.realpathSync(f.path) })),
    cells, summary, cellErrors,
    exitCode: cellErrors > 0 || summary.error > 0 ? 2 : summary.fail > 0 ? 1 : 0,
  };
}
