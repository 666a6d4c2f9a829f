import type { CellErrorData } from '../../cells/kind.ts';

/** A cell's run state as clients see it (contract). */
export type CellStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled' | 'stale';

/** Every event streamed to clients, discriminated by `type` (contract: names and fields). */
export type AssayEvent =
  | { type: 'cell.status'; data: { cellId: string; runId: string; status: CellStatus; progress: number; reason?: CellErrorData } }
  | { type: 'cell.partial'; data: { cellId: string; runId: string; [key: string]: unknown } }
  | { type: 'cell.result'; data: { cellId: string; runId: string; status: 'done'; result: unknown; reused?: boolean } }
  | { type: 'cell.error'; data: { cellId: string; runId: string; error: CellErrorData } }
  | { type: 'workspace.changed'; data: { version: number; reason: string; cellId?: string } };

export interface StoredEvent {
  id: number;
  workspaceId: string;
  type: AssayEvent['type'];
  data: AssayEvent['data'];
}

export const EVENTS_CHANNEL = 'assay_events';

/** NOTIFY channel whose payload is a user id: a session or token of theirs ended (see auth/users.ts). */
export const AUTH_CHANNEL = 'assay_auth';
