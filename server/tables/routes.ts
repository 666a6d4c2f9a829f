// GET .../cells/:cellId/rows: pages of a cell's table for the notebook's data grid; `?run=` reads
// the table as of one run (a run page's grid), else the newest.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import path from 'node:path';
import { cellRuns } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError, badRequest, notFound } from '../http/errors.ts';
import { UUID } from '../http/params.ts';
import { workspaceFor } from '../workspaces/access.ts';
import { cellFor } from '../workspaces/cells.ts';
import { MAX_PAGE_COLUMNS, MAX_PAGE_ROWS, readPage, type PageQuery } from './page.ts';

const MAX_FILTERS = 20;
const MAX_FILTER_TEXT = 200;
const DEFAULT_COLUMNS = 50;

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`"${name}" must be a whole number from ${min} to ${max}`, { field: name });
  return n;
}

/** `filter=<column index>:<text>`, repeatable; `sort=<column index>` with `desc=1`. */
function pageQuery(c: Context): Omit<PageQuery, 'to'> & { to?: number } {
  const offset = intParam(c, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = intParam(c, 'limit', 100, 1, MAX_PAGE_ROWS);
  const from = intParam(c, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
  const toRaw = c.req.query('to');
  const to = toRaw === undefined ? undefined : intParam(c, 'to', 0, from, from + MAX_PAGE_COLUMNS);
  const sortRaw = c.req.query('sort');
  const sort = sortRaw === undefined || sortRaw === ''
    ? undefined : { column: intParam(c, 'sort', 0, 0, Number.MAX_SAFE_INTEGER), descending: ['1', 'true'].includes(c.req.query('desc') ?? '') };
  const filters = (c.req.queries('filter') ?? []).map((f) => {
    const m = /^(\d+):([\s\S]*)$/.exec(f);
    if (!m || m[2]!.length > MAX_FILTER_TEXT) throw badRequest(`"filter" must be <column index>:<text of at most ${MAX_FILTER_TEXT} characters>`, { field: 'filter' });
    return { column: Number(m[1]), text: m[2]! };
  }).filter((f) => f.text !== '');
  if (filters.length > MAX_FILTERS) throw badRequest(`at most ${MAX_FILTERS} filters`, { field: 'filter' });
  return { offset, limit, from, to, sort, filters };
}

export const tableRoutes = new Hono<AppEnv>()
  .get('/workspaces/:id/cells/:cellId/rows', async (c) => {
    const { workspace, user } = await workspaceFor(c, 'view');
    const cell = await cellFor(c, workspace.id);
    const query = pageQuery(c);
    const asOf = c.req.query('run');
    if (asOf !== undefined && !UUID.test(asOf)) throw badRequest('"run" must be a run id of this workspace', { field: 'run' });
    // The newest table this cell made: while a new run works, the page keeps showing the last one.
    // A run's own is the one its cell run holds (the cell is this workspace's, so the run is too).
    const [run] = await c.var.services.db.select({ runId: cellRuns.runId, tablePath: cellRuns.tablePath }).from(cellRuns)
      .where(and(eq(cellRuns.cellId, cell.id), eq(cellRuns.status, 'done'), isNotNull(cellRuns.tablePath),
        ...(asOf ? [eq(cellRuns.runId, asOf.toLowerCase())] : []),
        // A viewer's own run's table is theirs alone (runs/personal.ts); the newest is the notebook's.
        sql`not exists (select 1 from runs r where r.id = ${cellRuns.runId} and r.personal_for is not null and r.personal_for is distinct from ${asOf ? user.id : null})`))
      .orderBy(desc(cellRuns.createdAt)).limit(1);
    if (!run?.tablePath && asOf) throw notFound(`a table of cell "${cell.name}" in run "${asOf}"`);
    if (!run?.tablePath) throw new ApiError(409, 'no_table', `cell "${cell.name}" has no table yet: it makes one when it has run`);
    const file = path.join(c.var.services.config.dataDir, run.tablePath);
    const page = await readPage(file, { ...query, to: query.to ?? query.from + DEFAULT_COLUMNS }, (count) => {
      const bad = [query.sort?.column, ...query.filters.map((f) => f.column)].find((i) => i !== undefined && i >= count);
      if (bad !== undefined) throw badRequest(`column ${bad} is beyond the table's ${count} columns`, { field: query.sort?.column === bad ? 'sort' : 'filter' });
    });
    return c.json({ runId: run.runId, ...page });
  });
