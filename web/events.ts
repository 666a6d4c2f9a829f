// One SSE connection per open workspace. sse.js (XMLHttpRequest-based) is used rather
// than EventSource so we control reconnection: after a drop we reconnect with backoff and
// send the last event id we saw; the server replays what we missed from its events table.
import { SSE } from 'sse.js';
import { EVENT_TYPES, type CellEvent } from './cell-state.ts';
import type { StreamEvent } from '../cells/wire.ts';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface EventStreamOptions {
  /** Stream events after this id (the workspace GET tells which id its state includes). */
  lastEventId?: string;
  onEvent(event: Exclude<CellEvent, { type: 'snapshot' }>): void;
  /** The server greets each connection with the workspace version; a gap means a refetch. */
  onHello?(data: { version?: number }): void;
  onState?(state: StreamState, detail?: { status?: number }): void;
}

export interface EventStream {
  close(): void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

type SSEInstance = InstanceType<typeof SSE>;

export function openEventStream(workspaceId: string, options: EventStreamOptions): EventStream {
  const url = `/api/workspaces/${encodeURIComponent(workspaceId)}/events`;
  let lastEventId = options.lastEventId ?? '';
  let current: SSEInstance | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function connect(): void {
    timer = null;
    if (closed) return;
    options.onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
    const source: SSEInstance = new SSE(url, {
      withCredentials: true,
      start: false,
      autoReconnect: false,
      // We set the header ourselves: a new instance starts without the id we saw.
      useLastEventId: false,
      headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {},
    });
    current = source;
    let failedStatus: number | undefined;

    source.addEventListener('open', (e: { responseCode?: number }) => {
      if (source !== current) return;
      if (e.responseCode && e.responseCode >= 200 && e.responseCode < 300) {
        attempt = 0;
        options.onState?.('open');
      }
    });
    source.addEventListener('error', (e: { responseCode?: number }) => {
      if (source === current) failedStatus = e.responseCode;
    });
    source.addEventListener('readystatechange', (e: { readyState: number }) => {
      if (source !== current || e.readyState !== 2 /* CLOSED */) return;
      current = null;
      if (closed) return;
      // Not signed in, not allowed, or gone: retrying will not help.
      if (failedStatus === 401 || failedStatus === 403 || failedStatus === 404) {
        closed = true;
        options.onState?.('closed', { status: failedStatus });
        return;
      }
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt++;
      options.onState?.('reconnecting');
      timer = setTimeout(connect, delay);
    });
    // The server ends the stream this way when a revoked or expired link was the access
    // (reason "access"), or when the session or token it was opened with ended ("signed_out":
    // a logout or a password change elsewhere), which the page answers as a 401.
    source.addEventListener('access.ended', (e: { data: string }) => {
      if (source !== current) return;
      closed = true;
      current = null;
      source.close();
      const ended = parse(e.data) as Extract<StreamEvent, { type: 'access.ended' }>['data'] | null;
      options.onState?.('closed', { status: ended?.reason === 'signed_out' ? 401 : 403 });
    });
    source.addEventListener('hello', (e: { data: string }) => {
      if (source !== current) return;
      options.onHello?.(parse(e.data) ?? {});
    });
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e: { id: string | null; data: string }) => {
        if (source !== current) return;
        if (e.id) lastEventId = e.id;
        const data = parse(e.data);
        if (data) options.onEvent({ type, data } as Exclude<CellEvent, { type: 'snapshot' }>);
      });
    }
    source.stream();
  }

  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const source = current;
      current = null;
      source?.close();
    },
  };
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
