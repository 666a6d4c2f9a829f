// Downloads of one cell's result as a file of its own: a profile as JSON or as a
// self-contained HTML document, every row a rule fails on as CSV (the result keeps 20
// samples), and a cell's table as Parquet (what "Show the code" reads). Anyone who may view the workspace may download; each reads the cell's latest
// finished run, as the page shows it.
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CellOutput } from '../../cells/kind.ts';
import { profileDocument, withRuleResults } from '../../cells/profile/report.ts';
import type { ProfileResult } from '../../cells/profile/types.ts';
import { checkedTable, rule as ruleKind, type RuleResult } from '../../cells/rule/index.ts';
import { parseCellYaml } from '../../cells/yaml.ts';
import { RuleError } from '../../rules/checks.ts';
import { writeFailingRows } from '../../rules/failing-rows.ts';
import { cellRuns, cells, runs } from '../db/schema.ts';
import { findDone } from '../engine/reuse.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest } from '../http/errors.ts';
import type { InputRef } from '../notebook/analyse.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { cellFor } from '../workspaces/cells.ts';

type CellRow = Awaited<ReturnType<typeof cellFor>>;

/** The cell's latest finished run in the notebook (not a viewer's personal run). */
async function latestDone(c: Context<AppEnv>, cell: CellRow) {
  const [run] = await c.var.services.db.select({ config: cellRuns.config, inputs: cellRuns.inputs, result: cellRuns.result })
    .from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
    .where(and(eq(cellRuns.cellId, cell.id), eq(cellRuns.status, 'done'), isNull(runs.personalFor)))
    .orderBy(desc(cellRuns.createdAt)).limit(1);
  if (!run?.result) throw new ApiError(409, 'no_result', `cell "${cell.name}" has no finished result yet; run it first`);
  return run;
}

async function cellOf(c: Context<AppEnv>, kind: string) {
  const { workspace } = await workspaceFor(c, 'view');
  const cell = await cellFor(c, workspace.id);
  if (cell.kind !== kind) throw badRequest(`cell "${cell.name}" is a ${cell.kind} cell; this download is of a ${kind} cell`);
  return { workspace, cell, run: await latestDone(c, cell) };
}

/** A name for a downloaded file: letters, digits, dot, dash and underscore. */
const fileSafe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'cell';

/** The profile with the rule results of the workspace's rule cells that check the same table (see withRuleResults). */
async function profileWithRules(c: Context<AppEnv>, workspaceId: string, input: string, result: ProfileResult): Promise<ProfileResult> {
  const { db } = c.var.services;
  const ruleCells = (await db.select().from(cells).where(and(eq(cells.workspaceId, workspaceId), eq(cells.kind, 'rule'))))
    .filter((r) => {
      try {
        return parseCellYaml(r.config).input === input;
      } catch {
        return false;
      }
    });
  const rules: { cell: string; rules: RuleResult['rules'] }[] = [];
  for (const r of ruleCells) {
    const done = await latestDone(c, r).catch(() => null);
    const outcomes = (done?.result as RuleResult | undefined)?.rules;
    if (Array.isArray(outcomes)) rules.push({ cell: r.name, rules: outcomes });
  }
  return withRuleResults(result, rules);
}

async function profileOf(c: Context<AppEnv>) {
  const { workspace, cell, run } = await cellOf(c, 'profile');
  const input = String(parseCellYaml(run.config).input ?? '');
  return { workspace, cell, result: await profileWithRules(c, workspace.id, input, run.result as ProfileResult) };
}

/** `rule=<n>` (1-based, as the rule cell lists them) or `rule=<its name>`, against the result's rules. */
function ruleIndex(c: Context<AppEnv>, result: RuleResult): number {
  const wanted = c.req.query('rule');
  const names = result.rules.map((r) => r.name);
  if (!wanted) throw badRequest(`"rule" must name a rule: its number (1 to ${names.length}) or its name`, { field: 'rule' });
  const byName = names.indexOf(wanted);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(wanted) && Number(wanted) >= 1 && Number(wanted) <= names.length) return Number(wanted) - 1;
  throw badRequest(`no rule "${wanted}" in this cell; its rules: ${names.map((n, i) => `${i + 1} ${n}`).join(', ')}`, { field: 'rule' });
}

async function inputsOf(c: Context<AppEnv>, workspaceId: string, refs: InputRef[]): Promise<Record<string, CellOutput>> {
  const out: Record<string, CellOutput> = {};
  for (const ref of refs) {
    const done = await findDone(c.var.services.db, workspaceId, ref.fingerprint);
    if (done) out[ref.name] = { result: done.result, table: done.tablePath ? path.join(c.var.services.config.dataDir, done.tablePath) : undefined };
  }
  return out;
}

export const downloadRoutes = new Hono<AppEnv>()
  .get('/workspaces/:id/cells/:cellId/profile.json', async (c) => {
    const { cell, result } = await profileOf(c);
    c.header('Content-Disposition', `attachment; filename="${fileSafe(cell.name)}-profile.json"`);
    return c.json(result);
  })
  .get('/workspaces/:id/cells/:cellId/profile.html', async (c) => {
    const { workspace, cell, result } = await profileOf(c);
    c.header('Content-Disposition', `attachment; filename="${fileSafe(cell.name)}-profile.html"`);
    // A document of its own: nothing in it runs, and it loads nothing.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return c.html(profileDocument(workspace.title, cell.name, result));
  })
  // A cell's table as the Parquet file "Show the code" reads: <cell>.parquet, the notebook's newest.
  .get('/workspaces/:id/cells/:cellId/table.parquet', async (c) => {
    const { workspace } = await workspaceFor(c, 'view');
    const cell = await cellFor(c, workspace.id);
    const [run] = await c.var.services.db.select({ tablePath: cellRuns.tablePath })
      .from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
      .where(and(eq(cellRuns.cellId, cell.id), eq(cellRuns.status, 'done'), isNotNull(cellRuns.tablePath), isNull(runs.personalFor)))
      .orderBy(desc(cellRuns.createdAt)).limit(1);
    if (!run?.tablePath) throw new ApiError(409, 'no_table', `cell "${cell.name}" has no table yet: it makes one when it has run`);
    const file = path.join(c.var.services.config.dataDir, run.tablePath);
    c.header('Content-Type', 'application/vnd.apache.parquet');
    c.header('Content-Length', String(fs.statSync(file).size));
    c.header('Content-Disposition', `attachment; filename="${fileSafe(cell.name)}.parquet"`);
    return c.body(Readable.toWeb(fs.createReadStream(file)) as ReadableStream);
  })
  .get('/workspaces/:id/cells/:cellId/failing-rows.csv', async (c) => {
    const { workspace, cell, run } = await cellOf(c, 'rule');
    const result = run.result as RuleResult;
    const index = ruleIndex(c, result);
    const outcome = result.rules[index]!;
    // The rules as that run read them, on the tables it read.
    const config = ruleKind.parseConfig(parseCellYaml(run.config));
    const { tablePath, rules, table } = await checkedTable(config, await inputsOf(c, workspace.id, run.inputs as InputRef[]))
      .catch(() => { throw new ApiError(409, 'no_table', `the table rule cell "${cell.name}" checked is gone; run the notebook again`); });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-failing-'));
    const target = path.join(dir, 'failing.csv');
    try {
      await writeFailingRows(tablePath, rules[index], table, target);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (err instanceof RuleError) throw badRequest(`rule ${index + 1} "${outcome.name}": ${err.message}`, { field: 'rule' });
      throw err;
    }
    const stream = fs.createReadStream(target);
    // Removed once sent (or when the client goes away).
    stream.once('close', () => fs.rmSync(dir, { recursive: true, force: true }));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${fileSafe(cell.name)}-${fileSafe(outcome.name)}-failing.csv"`);
    return c.body(Readable.toWeb(stream) as ReadableStream);
  });
