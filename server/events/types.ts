import type { AssayEvent } from '../../cells/wire.ts';

// The events themselves are the wire contract, declared once beside the page's reader.
export type { AssayEvent, CellStatus } from '../../cells/wire.ts';

export interface StoredEvent {
  id: number;
  workspaceId: string;
  type: AssayEvent['type'];
  data: AssayEvent['data'];
}

export const EVENTS_CHANNEL = 'assay_events';

/** NOTIFY channel whose payload is a user id: a session or token of theirs ended (see auth/users.ts). */
export const AUTH_CHANNEL = 'assay_auth';
