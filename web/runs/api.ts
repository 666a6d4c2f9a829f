// The run-related calls of the UI (issue 10): reruns on new files, history, one run, the
// comparison of two, the ledger, the schedule, the schema lock, duplicate.
import { call, sendWithProgress, workspacePath } from '../api.ts';
import type { RunComparison } from '../../cells/face.ts';
import type { RuleCounts } from '../../cells/shared/rule-counts.ts';

export interface RunFile { cellId: string; cell: string; name: string; size: number; sha256: string }
export interface RunHeader {
  id: string;
  workspaceId: string;
  trigger: string;
  user: { id: string; email: string } | null;
  createdAt: string;
  status: 'running' | 'done';
  summary: RuleCounts;
  cellErrors: number;
  files: RunFile[];
  /** Values the run gave input cells (a rerun's params, a schedule's); empty when it used the saved ones. */
  params?: Record<string, unknown>;
}
export interface RunCell {
  cellId: string; name: string; kind: string; position: number; config: string; status: string;
  result: unknown; error: { code: string; message: string } | null; runId: string;
}
export interface RunDetail extends RunHeader { cells: RunCell[] }
export interface TrendPoint { runId: string; at: string; violations: number; status: string }
/** The server's RunComparison (each kind's part, see cells/face.ts) with both runs and the rules' trends. */
export interface Comparison extends RunComparison {
  a: RunHeader;
  b: RunHeader;
  trends: { cell: string; rule: string; points: TrendPoint[] }[];
}
export interface LedgerEntry { key: unknown; firstSeen: { runId: string; at: string }; lastFailed?: { runId: string; at: string } }
export interface LedgerRule { cell: string; rule: string; key: string; truncated: boolean; new: LedgerEntry[]; stillFailing: LedgerEntry[]; resolved: LedgerEntry[] }
export interface Schedule {
  cron: string; folder: string; inbox: string; lastFiredAt: string | null; lastRunId: string | null; lastError: { message: string } | null;
  /** The last run's report that could not be delivered (retrying or failed), if any. */
  lastDeliveryError?: { channel: 'email' | 'webhook'; target: string; status: string; attempts: number; lastError: string } | null;
}

const ws = workspacePath;

export const runsApi = {
  runs: (wsId: string) => call<RunHeader[]>('GET', `${ws(wsId)}/runs`),
  run: (runId: string) => call<RunDetail>('GET', `/api/runs/${encodeURIComponent(runId)}`),
  compare: (wsId: string, a: string, b: string) => call<Comparison>('GET', `${ws(wsId)}/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`),
  ledger: (wsId: string, runId: string) => call<{ runId: string | null; rules: LedgerRule[] }>('GET', `${ws(wsId)}/ledger?run=${encodeURIComponent(runId)}`),
  schedule: (wsId: string) => call<Schedule | null>('GET', `${ws(wsId)}/schedule`),
  setSchedule: (wsId: string, s: { cron: string; folder: string }) => call<Schedule>('PUT', `${ws(wsId)}/schedule`, s),
  removeSchedule: (wsId: string) => call<{ ok: true }>('DELETE', `${ws(wsId)}/schedule`),
  schemaLock: (wsId: string, locked: boolean) => call<{ locked: boolean }>('POST', `${ws(wsId)}/schema-lock`, { locked }),
  exportUrl: (wsId: string) => `${ws(wsId)}/export`,
  reportUrl: (runId: string) => `/api/runs/${encodeURIComponent(runId)}/report`,

  /** A rerun on new files: one multipart field per upload cell. */
  rerun(wsId: string, files: Record<string, File>, onProgress: (fraction: number) => void) {
    const form = new FormData();
    for (const [cell, file] of Object.entries(files)) form.append(cell, file, file.name);
    return sendWithProgress<{ runId: string }>(`${ws(wsId)}/runs`, form, undefined, onProgress);
  },
};

/**
 * Runs on new data (a file uploaded, a rerun, a schedule, the demo's first run), as against
 * edits (a config saved, a cell added, "run stale"): an analyst's Shift+Enters are many runs
 * that the history keeps apart from the runs that read new files (issue 23, item 18).
 */
const NEW_DATA = new Set(['files', 'api', 'schedule', 'upload', 'seed', 'restore']);
export const onNewData = (trigger: string) => NEW_DATA.has(trigger);

export const TRIGGERS: Record<string, string> = {
  files: 'new files', api: 'new files (API)', schedule: 'schedule', upload: 'upload', edit: 'edit', run: 'run stale', create: 'new cell', seed: 'demo',
  restore: 'previous file kept',
};
