// Every call the UI makes to the server. Errors arrive as `{error: {code, message}}`
// and are thrown as ApiError so a page can show the message where it belongs.
import type { CellErrorData, LatestRun } from './cell-state.ts';
import type { GridPage, GridQuery } from '../cells/kit/data-grid.ts';
import type { RuleCounts } from '../cells/shared/rule-counts.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /** The error as cell error data (keeps a YAML `line` when the server gave one). */
  toCellError(): CellErrorData {
    return { ...this.details, code: this.code, message: this.message };
  }
}

export interface User { id: string; email: string }
export interface FileInfo { name: string; size: number; sha256: string }
export type Role = 'owner' | 'edit' | 'view';
export interface WorkspaceSummary {
  id: string;
  title: string;
  version: number;
  updatedAt: string;
  /** When a cell of it last finished running. */
  lastRunAt?: string | null;
  /** A cell of it is queued or running now. */
  running?: boolean;
  /** Its rule cells' latest outcomes, added up; null without rule cells that ran. */
  rules?: RuleCounts | null;
  /** The caller's role: workspaces shared with them are listed apart. */
  role?: 'owner' | 'edit' | 'view';
  owner?: { email: string };
}
export interface Cell {
  id: string;
  name: string;
  kind: string;
  config: string;
  position: number;
  /** Names of the cells this one's config reads. */
  inputs?: string[];
  file?: FileInfo | null;
  latest?: LatestRun | null;
  /** What it waits for before it can run: a file, or its config (still the starter). Not an error. */
  awaiting?: 'file' | 'config' | null;
}
export interface Workspace {
  id: string;
  title: string;
  version: number;
  /** The newest event id when the state was read: stream from here to miss nothing. */
  lastEventId?: number;
  /** The caller's role on it (owner, edit, view); a view holder's page changes nothing. */
  role?: 'owner' | 'edit' | 'view';
  cells: Cell[];
  /** What the caller's role lets them do. */
  canEdit?: boolean;
  canShare?: boolean;
  canDelete?: boolean;
  editorsCanShare?: boolean;
  owner?: { email: string };
}
export interface ShareLink {
  id: string; role: 'view' | 'edit'; label: string; createdAt: string; expiresAt: string | null; revokedAt?: string | null;
  state?: 'live' | 'revoked' | 'expired'; createdBy?: { email: string } | null;
  /** Only in the answer to creating it. */
  token?: string; url?: string;
}
export interface Member { id: string; email: string; role: 'view' | 'edit'; createdAt: string; hasAccount?: boolean }
export interface AuditLine { id: number; action: string; detail: Record<string, unknown>; actor: string | null; createdAt: string }
export interface SharePreview { workspace: { id: string; title: string }; role: 'view' | 'edit'; owner: { email: string }; expiresAt: string | null }
export interface ApiToken {
  id: string; name: string; createdAt: string; lastUsedAt?: string | null;
  /** full acts as the user; read may only GET. */
  scope?: 'full' | 'read';
  /** Null: until revoked. */
  expiresAt?: string | null;
  /** Only in the answer to creating it. */
  token?: string;
}
export interface KindInfo { kind: string; starterConfig: string; acceptsFile?: boolean; producesTable?: boolean }

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page): fall back to the status text.
  }
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  if (err && typeof err.message === 'string') {
    const { code, message, ...details } = err;
    return new ApiError(res.status, typeof code === 'string' ? code : 'error', message, details);
  }
  return new ApiError(res.status, 'http_' + res.status, `${res.status} ${res.statusText || 'request failed'}`);
}

/**
 * Sent with every call: the server refuses a cookie write that has neither Origin nor
 * Sec-Fetch-Site unless it carries this header, which a form from another site cannot send
 * (server/http/same-origin.ts).
 */
const CLIENT_HEADER = { 'X-Assay-Client': 'web' } as const;

export async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method,
    signal,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json', ...CLIENT_HEADER } : { Accept: 'application/json', 'Content-Type': 'application/json', ...CLIENT_HEADER },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

export const workspacePath = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const ws = workspacePath;

/**
 * POSTs a body that may be large (a file, a form of files) with upload progress: XMLHttpRequest,
 * because fetch reports none. `contentType` undefined lets the browser set it (a FormData's).
 */
export function sendWithProgress<T>(url: string, body: XMLHttpRequestBodyInit, contentType: string | undefined,
  onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-Assay-Client', CLIENT_HEADER['X-Assay-Client']);
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let parsed: any = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) return resolve(parsed as T);
      const err = parsed?.error;
      reject(err && typeof err.message === 'string'
        ? new ApiError(xhr.status, String(err.code ?? 'error'), err.message)
        : new ApiError(xhr.status, 'http_' + xhr.status, `upload failed (${xhr.status || 'network error'})`));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the upload was interrupted (network error)')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'the upload was cancelled')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
const cellPath = (wsId: string, cellId: string) => `${ws(wsId)}/cells/${encodeURIComponent(cellId)}`;

export const api = {
  /** The signed-in user, or null: asked on every page load without a 401 when signed out. */
  session: () => call<{ user: User | null }>('GET', '/api/session'),
  signup: (email: string, password: string, invite?: string) => call<User>('POST', '/api/auth/signup', { email, password, invite }),
  authOptions: () => call<{ signup: 'open' | 'invite' | 'off' }>('GET', '/api/auth/options'),
  changePassword: (currentPassword: string, newPassword: string, revokeTokens = false) =>
    call<{ ok: true; tokensRevoked?: number }>('POST', '/api/auth/password', { currentPassword, newPassword, revokeTokens }),
  tokens: () => call<ApiToken[]>('GET', '/api/tokens'),
  createToken: (name: string, options: { scope?: 'full' | 'read'; expiresAt?: string | null } = {}) =>
    call<ApiToken>('POST', '/api/tokens', { name, ...options }),
  revokeToken: (id: string) => call<{ ok: true }>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
  login: (email: string, password: string) => call<User>('POST', '/api/auth/login', { email, password }),
  logout: () => call<{ ok: true }>('POST', '/api/auth/logout'),

  kinds: () => call<KindInfo[]>('GET', '/api/kinds'),
  workspaces: () => call<WorkspaceSummary[]>('GET', '/api/workspaces'),
  createWorkspace: (title: string) => call<Workspace>('POST', '/api/workspaces', { title }),
  workspace: (id: string) => call<Workspace>('GET', ws(id)),
  renameWorkspace: (id: string, title: string, version?: number) => call<Workspace>('PATCH', ws(id), { title, version }),
  setEditorsCanShare: (id: string, editorsCanShare: boolean) => call<Workspace>('PATCH', ws(id), { editorsCanShare }),
  shares: (id: string) => call<ShareLink[]>('GET', `${ws(id)}/shares`),
  createShare: (id: string, link: { role: 'view' | 'edit'; label?: string; expiresAt?: string | null }) => call<ShareLink>('POST', `${ws(id)}/shares`, link),
  revokeShare: (id: string, shareId: string) => call<{ ok: true }>('DELETE', `${ws(id)}/shares/${encodeURIComponent(shareId)}`),
  members: (id: string) => call<Member[]>('GET', `${ws(id)}/members`),
  addMember: (id: string, email: string, role: 'view' | 'edit') => call<Member>('POST', `${ws(id)}/members`, { email, role }),
  removeMember: (id: string, memberId: string) => call<{ ok: true }>('DELETE', `${ws(id)}/members/${encodeURIComponent(memberId)}`),
  audit: (id: string) => call<AuditLine[]>('GET', `${ws(id)}/audit`),
  /** The token goes in the body, so it stays out of server and proxy logs. */
  previewShare: (token: string) => call<SharePreview>('POST', '/api/shares/preview', { token }),
  acceptShare: (token: string) => call<{ workspaceId: string; role: 'view' | 'edit' }>('POST', '/api/shares/accept', { token }),
  deleteWorkspace: (id: string) => call<{ ok: true }>('DELETE', ws(id)),
  /** A new workspace with the same cells and configs, no data ("use as template"). */
  duplicateWorkspace: (id: string, title?: string) => call<Workspace>('POST', `${ws(id)}/duplicate`, title === undefined ? {} : { title }),
  runStale: (id: string) => call<{ runId: string }>('POST', `${ws(id)}/run`),

  addCell: (wsId: string, cell: { kind: string; name: string; config: string; position?: number }) =>
    call<Cell>('POST', `${ws(wsId)}/cells`, cell),
  /** `version`: the workspace version the change was made on; a later change by someone else makes it a 409. */
  updateCell: (wsId: string, cellId: string, changes: { config?: string; name?: string; position?: number; updateReferences?: boolean; version?: number }) =>
    call<Cell & { updatedReferences?: string[]; danglingReferences?: string[]; workspaceVersion: number }>('PATCH', cellPath(wsId, cellId), changes),
  deleteCell: (wsId: string, cellId: string, version?: number) =>
    call<{ ok: true; workspaceVersion: number }>('DELETE', `${cellPath(wsId, cellId)}${version === undefined ? '' : `?version=${version}`}`),
  /** The undo of a delete: the cell as it was (id, name, config, place, file). */
  restoreCell: (wsId: string, cellId: string) => call<Cell & { workspaceVersion: number }>('POST', `${cellPath(wsId, cellId)}/restore`),
  /** A block of a cell's table (see server/tables): rows [offset, offset+limit) of columns [from, to). */
  rows(wsId: string, cellId: string, q: GridQuery, signal?: AbortSignal, runId?: string) {
    const params = new URLSearchParams({ offset: String(q.offset), limit: String(q.limit), from: String(q.from), to: String(q.to) });
    // A past run's table (a run page); without it, the newest.
    if (runId) params.set('run', runId);
    if (q.sort) {
      params.set('sort', String(q.sort.column));
      if (q.sort.descending) params.set('desc', '1');
    }
    for (const f of q.filters) params.append('filter', `${f.column}:${f.text}`);
    return call<GridPage & { runId: string }>('GET', `${cellPath(wsId, cellId)}/rows?${params}`, undefined, signal);
  },
  suggestions: (wsId: string, cellId: string) => call<{ kind: string; name: string; config: string }[]>('GET', `${cellPath(wsId, cellId)}/suggestions`),

  /** Sends the file as the raw request body; the page never reads the file itself. */
  uploadFile(wsId: string, cellId: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) {
    return sendWithProgress<{ file: FileInfo; runId: string }>(`${cellPath(wsId, cellId)}/upload?filename=${encodeURIComponent(file.name)}`, file,
      file.type && !file.type.startsWith('multipart/') ? file.type : 'application/octet-stream', onProgress, signal);
  },
};
