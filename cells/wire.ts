// The wire contract between the server and its clients, declared once: the server builds
// these (server/events, server/workspaces) and the page reads them (web/cell-state.ts,
// web/events.ts), both importing the types from here. Contract: DESIGN.md's statuses, the
// error shape and the SSE event types and fields; add fields freely, rename none.

/** A cell's run state as clients see it. */
export type CellStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled' | 'stale';

/** A cell's error as data: a code, a message, and where (a key, a YAML line, a column…). */
export interface CellErrorData {
  code: string;
  message: string;
  line?: number;
  [key: string]: unknown;
}

/**
 * Every event streamed to clients about a workspace's cells, discriminated by `type`. A result's
 * `summary` is its kind's one-line summary (KindFace.summarize), for clients that do not know the kind.
 */
export type AssayEvent =
  | { type: 'cell.status'; data: { cellId: string; runId: string; status: CellStatus; progress: number; reason?: CellErrorData } }
  | { type: 'cell.partial'; data: { cellId: string; runId: string; [key: string]: unknown } }
  /** `reason`: a word that goes with the result, such as why an upload cell's new file was not used (`file_refused`). */
  | { type: 'cell.result'; data: { cellId: string; runId: string; status: 'done'; result: unknown; reused?: boolean; summary?: string; reason?: CellErrorData } }
  | { type: 'cell.error'; data: { cellId: string; runId: string; error: CellErrorData } }
  | { type: 'workspace.changed'; data: { version: number; reason: string; cellId?: string } };

export type AssayEventType = AssayEvent['type'];

export const EVENT_TYPES = ['cell.status', 'cell.partial', 'cell.result', 'cell.error', 'workspace.changed'] as const satisfies readonly AssayEventType[];

/** The stream's own events, sent to one client, never stored. */
export type StreamEvent =
  | { type: 'hello'; data: { workspaceId: string; version: number } }
  /** `access`: the caller's role ended (a link revoked or expired); `signed_out`: the session or token that opened the stream ended. */
  | { type: 'access.ended'; data: { workspaceId: string; reason: 'access' | 'signed_out' } };

/** What a page of a table is asked for (GET …/rows): the server's page and the page's grid. */
export interface PageQuery {
  offset: number;
  limit: number;
  /** Column indices [from, to) of the table's columns. */
  from: number;
  to: number;
  sort?: { column: number; descending: boolean };
  /** Rows whose column's text contains `text`, case-insensitive; all filters must hold. */
  filters: { column: number; text: string }[];
}
