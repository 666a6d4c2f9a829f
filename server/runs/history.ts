// Run history. A run is one trigger; the cell runs it made are its own, and a cell it did not
// touch (an edit re-runs only what depends on it) shows the result that cell had when the run
// was planned. So every run reads as a whole notebook: its *snapshot*, each cell's cell run
// in that run or in the newest earlier run that has one. Nothing is copied to make this:
// cell runs are never rewritten once finished, so a past run stays as it was.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { checkKinds } from '../../cells/registry.ts';
import { cellRuns, cells, files, runs, users } from '../db/schema.ts';
import { addRuleCounts, noRuleCounts, type RuleCounts } from '../../cells/shared/rule-counts.ts';


/** A cell run without its result: what listing and snapshots need. */
interface LightCellRun {
  id: string;
  runId: string;
  cellId: string;
  kind: string;
  status: string;
  fileId: string | null;
  /** A rule cell's `result.summary`. */
  ruleSummary: RuleCounts | null;
  /** Its run's time in microseconds since 1970 (a Date would round to milliseconds). */
  runAt: number;
}

export interface RunHeader {
  id: string;
  workspaceId: string;
  trigger: string;
  user: { id: string; email: string } | null;
  createdAt: Date;
  /** Values the run gave the notebook's input cells (`{min_cases: 10}`); empty when it used their saved ones. */
  params: Record<string, unknown>;
  /** `running` while a cell of its snapshot is queued or running; then `done`. */
  status: 'running' | 'done';
  /** Rule outcomes over the rule cells of its snapshot. */
  summary: RuleCounts;
  /** Cells of the snapshot that failed or could not run. */
  cellErrors: number;
  files: { cellId: string; cell: string; name: string; size: number; sha256: string }[];
}

const LIGHT = {
  id: cellRuns.id, runId: cellRuns.runId, cellId: cellRuns.cellId, kind: cellRuns.kind, status: cellRuns.status,
  fileId: cellRuns.fileId,
  ruleSummary: sql<RuleCounts | null>`case when ${inArray(cellRuns.kind, checkKinds())} then ${cellRuns.result}->'summary' end`,
  runAt: sql<string>`(extract(epoch from ${runs.createdAt}) * 1000000)::bigint`.mapWith(Number),
};

/**
 * Runs up to run `untilRunId` and it. Compared in SQL: a JavaScript Date keeps milliseconds
 * and PostgreSQL microseconds, so the run's own time read back would leave the run out.
 */
const upTo = (untilRunId: string) => lte(runs.createdAt, sql`(select created_at from runs where id = ${untilRunId})`);

/** The notebook's own runs: a viewer's personal run (runs.personal_for) is in no one else's history. */
const notebookRuns = isNull(runs.personalFor);

/** Every cell run of the workspace up to run `untilRunId`, oldest run first. */
async function lightCellRuns(db: Db, workspaceId: string, untilRunId: string): Promise<LightCellRun[]> {
  return db.select(LIGHT).from(cellRuns).innerJoin(runs, eq(runs.id, cellRuns.runId))
    // A personal run's snapshot is its own cell runs (it plans every cell) over the notebook's.
    .where(and(eq(cellRuns.workspaceId, workspaceId), upTo(untilRunId), or(notebookRuns, eq(runs.id, untilRunId))))
    .orderBy(asc(runs.createdAt), asc(cellRuns.createdAt));
}

/**
 * The snapshot of each of `wanted`: cell id → its cell run as of that run (its own, or the
 * newest earlier run's). Runs of a workspace are planned one at a time under its lock, so their
 * times order them; a run whose cells were all deleted since still gets the snapshot before it.
 */
function snapshots(light: LightCellRun[], wanted: { id: string; at: number }[]): Map<string, Map<string, LightCellRun>> {
  const current = new Map<string, LightCellRun>();
  const out = new Map<string, Map<string, LightCellRun>>();
  let i = 0;
  for (const run of [...wanted].sort((a, b) => a.at - b.at)) {
    for (; i < light.length && light[i]!.runAt <= run.at; i++) current.set(light[i]!.cellId, light[i]!);
    out.set(run.id, new Map(current));
  }
  return out;
}

function headerOf(
  run: { id: string; workspaceId: string; trigger: string; userId: string | null; email: string | null; createdAt: Date; params: unknown },
  snapshot: Map<string, LightCellRun>,
  fileRows: Map<string, { name: string; size: number; sha256: string }>,
  names: Map<string, string>,
): RunHeader {
  const summary = noRuleCounts();
  let running = false;
  let cellErrors = 0;
  const inputFiles: RunHeader['files'] = [];
  for (const cr of snapshot.values()) {
    if (!names.has(cr.cellId)) continue;
    if (cr.status === 'queued' || cr.status === 'running') running = true;
    if (cr.status === 'error' || cr.status === 'stale') cellErrors++;
    if (cr.status === 'done' && cr.ruleSummary) addRuleCounts(summary, cr.ruleSummary);
    const file = cr.fileId ? fileRows.get(cr.fileId) : undefined;
    if (file) inputFiles.push({ cellId: cr.cellId, cell: names.get(cr.cellId)!, ...file });
  }
  return {
    id: run.id, workspaceId: run.workspaceId, trigger: run.trigger,
    user: run.userId && run.email ? { id: run.userId, email: run.email } : null,
    createdAt: run.createdAt, params: (run.params ?? {}) as Record<string, unknown>, status: running ? 'running' : 'done', summary, cellErrors, files: inputFiles,
  };
}

const RUN_COLUMNS = {
  id: runs.id, workspaceId: runs.workspaceId, trigger: runs.trigger, userId: runs.userId, email: users.email, createdAt: runs.createdAt,
  params: runs.params, personalFor: runs.personalFor,
  at: sql<string>`(extract(epoch from ${runs.createdAt}) * 1000000)::bigint`.mapWith(Number),
};

async function fileMap(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { name: string; size: number; sha256: string }>();
  const rows = await db.select({ id: files.id, name: files.name, size: files.size, sha256: files.sha256 }).from(files).where(inArray(files.id, ids));
  return new Map(rows.map(({ id, ...f }) => [id, f]));
}

async function cellNames(db: Db, workspaceId: string) {
  const rows = await db.select({ id: cells.id, name: cells.name, position: cells.position }).from(cells)
    .where(eq(cells.workspaceId, workspaceId)).orderBy(asc(cells.position), asc(cells.createdAt));
  return rows;
}

/** The workspace's runs, newest first, each with its trigger, who, when, input files and rule summary. */
export async function listRuns(db: Db, workspaceId: string, limit = 100): Promise<RunHeader[]> {
  const rows = await db.select(RUN_COLUMNS).from(runs).leftJoin(users, eq(users.id, runs.userId))
    .where(and(eq(runs.workspaceId, workspaceId), notebookRuns)).orderBy(desc(runs.createdAt)).limit(limit);
  if (!rows.length) return [];
  const light = await lightCellRuns(db, workspaceId, rows[0]!.id);
  const snaps = snapshots(light, rows);
  const fileRows = await fileMap(db, [...new Set(light.flatMap((cr) => (cr.fileId ? [cr.fileId] : [])))]);
  const names = new Map((await cellNames(db, workspaceId)).map((c) => [c.id, c.name]));
  return rows.map((r) => headerOf(r, snaps.get(r.id) ?? new Map(), fileRows, names));
}

export interface RunCell {
  cellId: string;
  name: string;
  kind: string;
  position: number;
  /** The config the cell ran with. */
  config: string;
  status: string;
  result: unknown;
  error: unknown;
  /** The run whose cell run this is: this run's id, or an earlier one's when this run left the cell alone. */
  runId: string;
  cellRunId: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RunDetail extends RunHeader {
  cells: RunCell[];
}

/** The id of the workspace's newest run, if it has one. */
export async function newestRunId(db: Db, workspaceId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: runs.id }).from(runs).where(and(eq(runs.workspaceId, workspaceId), notebookRuns)).orderBy(desc(runs.createdAt)).limit(1);
  return row?.id;
}

/** The run's header, or undefined when there is none with this id. */
export async function runHeader(db: Db, runId: string) {
  const [row] = await db.select(RUN_COLUMNS).from(runs).leftJoin(users, eq(users.id, runs.userId)).where(eq(runs.id, runId));
  return row;
}

/** One run with every cell's result as of that run, cells in notebook order. */
export async function runDetail(db: Db, runId: string): Promise<RunDetail | undefined> {
  const run = await runHeader(db, runId);
  if (!run) return undefined;
  const light = await lightCellRuns(db, run.workspaceId, run.id);
  const snapshot = snapshots(light, [run]).get(run.id)!;
  const order = await cellNames(db, run.workspaceId);
  const names = new Map(order.map((c) => [c.id, c.name]));
  const fileRows = await fileMap(db, [...snapshot.values()].flatMap((cr) => (cr.fileId ? [cr.fileId] : [])));
  const ids = [...snapshot.values()].filter((cr) => names.has(cr.cellId)).map((cr) => cr.id);
  const full = ids.length
    ? await db.select({
      id: cellRuns.id, config: cellRuns.config, result: cellRuns.result, error: cellRuns.error, status: cellRuns.status,
      startedAt: cellRuns.startedAt, finishedAt: cellRuns.finishedAt,
    }).from(cellRuns).where(inArray(cellRuns.id, ids))
    : [];
  const byId = new Map(full.map((f) => [f.id, f]));
  const detailCells: RunCell[] = [];
  for (const cell of order) {
    const cr = snapshot.get(cell.id);
    const f = cr && byId.get(cr.id);
    if (!cr || !f) continue;
    detailCells.push({
      cellId: cell.id, name: cell.name, kind: cr.kind, position: cell.position, config: f.config, status: f.status,
      result: f.result, error: f.error, runId: cr.runId, cellRunId: cr.id, startedAt: f.startedAt, finishedAt: f.finishedAt,
    });
  }
  return { ...headerOf(run, snapshot, fileRows, names), cells: detailCells };
}

/** A trend shows at most this many runs, the newest. */
const TREND_RUNS = 100;

/**
 * Each rule's violations over the workspace's runs up to run `untilRunId` (oldest first): the trend a
 * comparison draws. Read from the rule cells' snapshots, so every run has a point.
 */
export async function ruleTrends(db: Db, workspaceId: string, untilRunId: string, { withKeys = false } = {}) {
  const rows = await db.select({ id: runs.id, createdAt: runs.createdAt, at: RUN_COLUMNS.at }).from(runs)
    .where(and(eq(runs.workspaceId, workspaceId), upTo(untilRunId), or(notebookRuns, eq(runs.id, untilRunId)))).orderBy(desc(runs.createdAt)).limit(TREND_RUNS);
  rows.reverse();
  const light = await lightCellRuns(db, workspaceId, untilRunId);
  const snaps = snapshots(light, rows);
  const names = new Map((await cellNames(db, workspaceId)).map((c) => [c.id, c.name]));
  const checking = new Set(checkKinds());
  const wanted = [...new Set([...snaps.values()].flatMap((s) => [...s.values()].filter((cr) => checking.has(cr.kind) && cr.status === 'done').map((cr) => cr.id)))];
  const outcomes = wanted.length
    ? await db.select({
      id: cellRuns.id,
      rules: sql<{ name: string; status: string; violations: number; ledger?: { key: string; keys: unknown[]; truncated: boolean } | null }[]>`(select coalesce(jsonb_agg(jsonb_build_object('name', r->'name', 'status', r->'status', 'violations', r->'violations'${withKeys ? sql`, 'ledger', r->'ledger'` : sql``})), '[]'::jsonb) from jsonb_array_elements(${cellRuns.result}->'rules') r)`,
    }).from(cellRuns).where(inArray(cellRuns.id, wanted))
    : [];
  const byCellRun = new Map(outcomes.map((o) => [o.id, o.rules]));
  type Point = { runId: string; at: Date; violations: number; status: string; ledger?: { key: string; keys: unknown[]; truncated: boolean } | null };
  const series = new Map<string, { cell: string; rule: string; points: Point[] }>();
  for (const run of rows) {
    for (const cr of snaps.get(run.id)?.values() ?? []) {
      const cell = names.get(cr.cellId);
      if (!cell || !checking.has(cr.kind)) continue;
      for (const r of byCellRun.get(cr.id) ?? []) {
        const key = `${cell}\u0000${r.name}`;
        if (!series.has(key)) series.set(key, { cell, rule: r.name, points: [] });
        series.get(key)!.points.push({
          runId: run.id, at: run.createdAt, violations: Number(r.violations ?? 0), status: r.status, ...(withKeys ? { ledger: r.ledger ?? null } : {}),
        });
      }
    }
  }
  return [...series.values()];
}
