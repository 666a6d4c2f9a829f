// The client's run state of every cell, as a pure reducer over the server's events.
// No DOM and no Lit here: node's test runner checks it without a browser.
//
// Run ids are UUIDs, so "older" cannot be read off the id itself. Events arrive in the
// order the server wrote them, so a run id the cell has not seen yet is the newest one;
// ids a cell has moved past are kept (a few) so late events for them are ignored.

import type { AssayEvent, CellErrorData, CellStatus } from '../cells/wire.ts';

export type { CellErrorData, CellStatus } from '../cells/wire.ts';
export { EVENT_TYPES } from '../cells/wire.ts';

/** What GET /api/workspaces/:id says about a cell's latest run. */
export interface LatestRun {
  status: CellStatus | null;
  runId: string | null;
  progress?: number | null;
  result?: unknown;
  /** The kind's one-line summary of the result, from the server. */
  summary?: string | null;
  error?: CellErrorData | null;
}

export interface CellRunState {
  runId: string | null;
  status: CellStatus | null;
  /** 0..1 */
  progress: number;
  result: unknown;
  /** The server's one-line summary of `result` (its kind's face): shown for kinds the page has no view for. */
  summary: string | null;
  /** Pieces of the result streamed while running, merged (arrays concatenated). */
  partial: Record<string, unknown> | null;
  error: CellErrorData | null;
  /** Why a cell is stale or cancelled, when the server says. */
  reason: CellErrorData | null;
  /** Run ids this cell has moved past; their late events are ignored. */
  retired: string[];
}

export type CellsState = Readonly<Record<string, CellRunState>>;

/** Server-sent events (the wire contract) plus the snapshot a GET of the workspace gives. */
export type CellEvent =
  | AssayEvent
  | { type: 'snapshot'; cells: Array<{ id: string; latest: LatestRun | null }> };

const RETIRED_KEPT = 20;
const FINISHED: ReadonlySet<CellStatus> = new Set(['done', 'error', 'cancelled', 'stale']);

export const emptyRun: CellRunState = Object.freeze({
  runId: null, status: null, progress: 0, result: null, summary: null, partial: null, error: null, reason: null, retired: [],
}) as CellRunState;

export function isActive(status: CellStatus | null): boolean {
  return status === 'queued' || status === 'running';
}

function rank(status: CellStatus | null): number {
  if (status === null) return -1;
  return FINISHED.has(status) ? 2 : status === 'running' ? 1 : 0;
}

/**
 * The cell's state for `runId`: itself when it is the current run, a fresh state when
 * the run is new (the old one retired), or null when the run is one the cell moved past.
 */
function forRun(prev: CellRunState, runId: string): CellRunState | null {
  if (prev.runId === runId) return prev;
  if (prev.retired.includes(runId)) return null;
  const retired = prev.runId === null ? prev.retired : [...prev.retired, prev.runId].slice(-RETIRED_KEPT);
  // Keep the last result on screen while the new run works: a notebook should not blink.
  return { ...emptyRun, runId, result: prev.result, summary: prev.summary, retired };
}

function mergePartial(prev: Record<string, unknown> | null, data: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(prev ?? {}) };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'cellId' || key === 'runId') continue;
    const before = next[key];
    next[key] = Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value;
  }
  return next;
}

function put(state: CellsState, cellId: string, cell: CellRunState): CellsState {
  return { ...state, [cellId]: cell };
}

function fromSnapshot(prev: CellRunState | undefined, latest: LatestRun | null): CellRunState {
  const base = prev ?? emptyRun;
  if (!latest || !latest.runId) return base;
  const cell = forRun(base, latest.runId);
  // A snapshot of a run we moved past, or older news about the current run, changes nothing.
  if (cell === null || (cell === base && rank(latest.status) < rank(base.status))) return base;
  return {
    ...cell,
    status: latest.status,
    progress: latest.progress ?? (latest.status === 'done' ? 1 : cell.progress),
    result: latest.status === 'done' ? latest.result ?? null : cell.result,
    summary: latest.status === 'done' ? latest.summary ?? null : cell.summary,
    partial: latest.status === 'done' ? null : cell.partial,
    // The server stores why a cell is stale in its error column; it is a reason, not a failure.
    error: latest.status === 'error' ? latest.error ?? null : null,
    reason: latest.status === 'error' ? null : latest.error ?? null,
  };
}

export function reduce(state: CellsState, event: CellEvent): CellsState {
  switch (event.type) {
    case 'cell.status': {
      const { cellId, runId, status, progress, reason } = event.data;
      const cell = forRun(state[cellId] ?? emptyRun, runId);
      if (!cell) return state;
      // A finished run does not go back to running because a late progress event arrived.
      if (FINISHED.has(cell.status as CellStatus) && isActive(status)) return state;
      return put(state, cellId, {
        ...cell,
        status,
        progress: status === 'done' ? 1 : typeof progress === 'number' ? progress : cell.progress,
        error: status === 'error' ? cell.error : null,
        reason: reason ?? null,
      });
    }
    case 'cell.partial': {
      const { cellId, runId } = event.data;
      const cell = forRun(state[cellId] ?? emptyRun, runId);
      if (!cell || FINISHED.has(cell.status as CellStatus)) return state;
      return put(state, cellId, { ...cell, status: 'running', partial: mergePartial(cell.partial, event.data) });
    }
    case 'cell.result': {
      const { cellId, runId, result, summary, reason } = event.data;
      const cell = forRun(state[cellId] ?? emptyRun, runId);
      if (!cell) return state;
      // A reason with a result: why an upload cell's new file was not used (it kept this result).
      return put(state, cellId, { ...cell, status: 'done', progress: 1, result, summary: summary ?? null, partial: null, error: null, reason: reason ?? null });
    }
    case 'cell.error': {
      const { cellId, runId, error } = event.data;
      const cell = forRun(state[cellId] ?? emptyRun, runId);
      if (!cell) return state;
      return put(state, cellId, { ...cell, status: 'error', partial: null, error, result: null, summary: null });
    }
    case 'workspace.changed':
      // The page refetches the workspace and hands the result back as a snapshot.
      return state;
    case 'snapshot': {
      const next: Record<string, CellRunState> = {};
      for (const { id, latest } of event.cells) next[id] = fromSnapshot(state[id], latest);
      return next;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
